/// The result of checking an audit chain with ``AuditLogger/verify()`` or ``AuditLogger/verify(jsonl:expectedHead:)``.
public struct AuditVerification: Sendable, Hashable, CustomStringConvertible {
    /// How many records were read before the check stopped.
    public var recordsChecked: Int
    /// Where the chain starts: genesis, or the last record removed by retention.
    public var anchor: AuditHead
    /// The last record verified (the anchor when none was).
    public var verifiedHead: AuditHead
    /// The first break, or `nil` when the whole chain verifies.
    public var failure: AuditChainFailure?

    /// Creates a result.
    public init(recordsChecked: Int, anchor: AuditHead, verifiedHead: AuditHead, failure: AuditChainFailure?) {
        self.recordsChecked = recordsChecked
        self.anchor = anchor
        self.verifiedHead = verifiedHead
        self.failure = failure
    }

    /// Whether every record is intact, in order, and the chain ends at the expected head.
    public var isValid: Bool { failure == nil }

    /// `"valid: N records, head seq S"` or the failure.
    public var description: String {
        if let failure { return "broken: \(failure)" }
        return "valid: \(recordsChecked) records, head \(verifiedHead)"
    }
}

/// The first place an audit chain is broken, and why.
public struct AuditChainFailure: Sendable, Hashable, CustomStringConvertible {
    /// Why the chain is broken.
    public enum Kind: String, Sendable, Hashable {
        /// The record's content no longer matches its hash, or its `prev_hash` does not link to its predecessor.
        case modified
        /// Records are missing: `seq` is the first missing one.
        case deleted
        /// Records are out of order: `seq` is the position where another record was found.
        case reordered
        /// The chain ends before the stored (or expected) head: `seq` is the first missing record.
        case truncated
        /// The stored head disagrees with the last record (it was edited, or records follow it).
        case headMismatch
        /// The anchor kept by retention disagrees with the newest pruning record.
        case anchorMismatch
        /// A line of an export is not valid JSON or lacks the chain fields.
        case malformed
    }

    /// The sequence number of the first broken (or missing) record.
    public var seq: Int
    /// Why it is broken.
    public var kind: Kind
    /// A sentence for the operator.
    public var reason: String

    /// Creates a failure.
    public init(seq: Int, kind: Kind, reason: String) {
        self.seq = seq
        self.kind = kind
        self.reason = reason
    }

    /// `"seq N: kind — reason"`.
    public var description: String { "seq \(seq): \(kind.rawValue) — \(reason)" }
}
