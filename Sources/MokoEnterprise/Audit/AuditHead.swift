/// A position in the audit chain: a record's sequence number and hash.
///
/// The head of a store is its newest record; publish it (the compliance report embeds it) so that a
/// later copy of the log can be checked against it. An empty store's head is sequence 0 with
/// ``AuditLogger/genesisHash``.
public struct AuditHead: Sendable, Hashable, CustomStringConvertible {
    /// The record's sequence number (0 for the genesis position).
    public var seq: Int
    /// The record's hash, 64 lower-case hexadecimal digits.
    public var hash: String

    /// Creates a chain position.
    public init(seq: Int, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// The position before the first record of a store that was never pruned.
    public static let genesis = AuditHead(seq: 0, hash: AuditLogger.genesisHash)

    /// `"seq <n>, hash <h>"`.
    public var description: String { "seq \(seq), hash \(hash)" }
}
