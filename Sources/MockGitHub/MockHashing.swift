/// Deterministic hashing and random numbers (Swift's `Hasher` is seeded per process, so it is not used).
enum MockHashing {
    /// FNV-1a 64 over bytes, continuing from `seed`.
    static func fnv1a(_ bytes: [UInt8], seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        bytes.withUnsafeBufferPointer { buffer in
            var hash = seed
            for byte in buffer {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return hash
        }
    }

    /// FNV-1a 64 over a string's UTF-8.
    static func fnv1a(_ text: String, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = seed
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// Mixes one 64-bit word into a hash (SplitMix64 finaliser).
    static func mix(_ hash: UInt64, _ value: UInt64) -> UInt64 {
        var z = (hash ^ value) &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Sixteen lower-case hex digits.
    static func hex(_ value: UInt64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        appendHex(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the sixteen lower-case hex digits of `value`.
    static func appendHex(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 60, through: 0, by: -4) {
            let digit = UInt8((value >> UInt64(shift)) & 0xF)
            bytes.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
        }
    }

    /// A strong ETag from two hash words.
    static func etag(_ value: UInt64) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        bytes.reserveCapacity(34)
        appendHex(value, to: &bytes)
        appendHex(mix(value, 0x5bd1_e995), to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// SplitMix64: a small, seedable, reproducible generator.
struct MockRandom: RandomNumberGenerator, Codable, Sendable {
    /// The generator's state.
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
}
