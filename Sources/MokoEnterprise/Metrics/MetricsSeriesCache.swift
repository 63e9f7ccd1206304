/// A small direct-mapped cache from the *identity* of a caller's `(name, labels)` values to a slot index,
/// so a labelled update with a reused labels dictionary skips hashing its strings.
///
/// A `String` or a `Dictionary` is a few words pointing at immutable, reference-counted storage (or, for
/// small strings, holding the bytes inline). Each entry keeps its own copies of the values it was
/// filled with, so their storage cannot be freed and reused while the entry exists, and a caller that
/// mutates its dictionary afterwards gets a fresh copy (copy-on-write sees the entry's reference).
/// Two live values with the same representation bits therefore share storage and are equal, which is
/// all a hit checks. A miss (a labels literal rebuilt per call, another series in the same entry) only
/// falls back to the hashed index. Entries must be dropped whenever a key → slot mapping is removed.
struct MetricsSeriesCache: Sendable {
    private struct Entry: Sendable {
        var name = ""
        var labels: [String: String] = [:]
        var slot = -1
    }

    private static let capacity = 64

    private var entries = [Entry](repeating: Entry(), count: MetricsSeriesCache.capacity)
    private var misses: UInt8 = 0

    /// The slot remembered for exactly these values, if any; `position` is ``position(name:labels:)``.
    @inline(__always)
    func slot(at position: Int, name: String, labels: [String: String]) -> Int? {
        entries.withUnsafeBufferPointer { buffer -> Int? in
            let slot = buffer[position].slot
            guard slot >= 0, Self.sameBits(buffer[position].name, name),
                Self.sameBits(buffer[position].labels, labels)
            else { return nil }
            return slot
        }
    }

    /// Remembers that `(name, labels)` designates `slot`: always in a free entry, otherwise on every
    /// eighth miss, so callers that build a new dictionary per call (which can never hit) do not pay for
    /// replacing an entry each time, while a reused dictionary is cached within a few calls.
    mutating func store(at position: Int, name: String, labels: [String: String], slot: Int) {
        misses &+= 1
        guard entries[position].slot < 0 || misses & 7 == 0 else { return }
        entries[position] = Entry(name: name, labels: labels, slot: slot)
    }

    /// Forgets every entry (a series was removed).
    mutating func removeAll() {
        entries = [Entry](repeating: Entry(), count: Self.capacity)
    }

    /// The entry that may hold `(name, labels)`, from their representation bits.
    @inline(__always)
    static func position(name: String, labels: [String: String]) -> Int {
        var mixed: UInt64 = 0x9E37_79B9_7F4A_7C15
        withUnsafeBytes(of: name) { raw in
            for offset in stride(from: 0, to: raw.count - 7, by: 8) {
                mixed = (mixed ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            }
        }
        withUnsafeBytes(of: labels) { raw in
            for offset in stride(from: 0, to: raw.count - 7, by: 8) {
                mixed = (mixed ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xC4CE_B9FE_1A85_EC53
            }
        }
        return Int(truncatingIfNeeded: (mixed ^ (mixed >> 29)) >> 58)
    }

    @inline(__always)
    private static func sameBits<T>(_ left: T, _ right: T) -> Bool {
        withUnsafeBytes(of: left) { a in
            withUnsafeBytes(of: right) { b in
                var offset = 0
                while offset + 8 <= a.count {
                    if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                        != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    {
                        return false
                    }
                    offset += 8
                }
                while offset < a.count {
                    if a[offset] != b[offset] { return false }
                    offset += 1
                }
                return true
            }
        }
    }
}
