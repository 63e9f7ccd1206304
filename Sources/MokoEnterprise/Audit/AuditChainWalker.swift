/// Walks records in stored order and stops at the first break of the chain.
///
/// Shared by the store check and the export check. Lookups (does a hash or a seq exist elsewhere?)
/// are only asked after a break is found, to tell a reordering from an edit or a deletion.
struct AuditChainWalker {
    /// What the walker needs of one record.
    struct Entry {
        var seq: Int
        var prevHash: String
        var hash: String
        /// Nil when the content hashes to `hash`; otherwise why not.
        var contentProblem: String?
    }

    /// Where the chain must start; nil when unknown (then the first record's `prev_hash` is trusted).
    let anchor: AuditHead?
    private(set) var checked = 0
    private(set) var last: Entry?
    private(set) var failure: AuditChainFailure?

    init(anchor: AuditHead?) { self.anchor = anchor }

    /// The next seq the chain expects.
    var expectedSeq: Int { last.map { $0.seq + 1 } ?? (anchor.map { $0.seq + 1 } ?? 1) }

    /// Checks the next record; returns false once the chain is broken.
    mutating func feed(
        _ entry: Entry,
        hashExists: (String) throws -> Bool,
        seqExists: (Int) throws -> Bool
    ) rethrows -> Bool {
        guard failure == nil else { return false }
        let predecessorHash = last?.hash ?? anchor?.hash
        let expected = expectedSeq
        if last != nil || anchor != nil, entry.seq != expected {
            if entry.seq > expected, try !seqExists(expected) {
                let through = entry.seq - 1
                let range = through == expected ? "seq \(expected) is" : "seq \(expected)…\(through) are"
                failure = AuditChainFailure(seq: expected, kind: .deleted, reason: "\(range) missing")
            } else {
                failure = AuditChainFailure(
                    seq: expected, kind: .reordered,
                    reason: "found seq \(entry.seq) where seq \(expected) belongs")
            }
            return false
        }
        if let predecessorHash, entry.prevHash != predecessorHash {
            if try hashExists(entry.prevHash) {
                failure = AuditChainFailure(
                    seq: entry.seq, kind: .reordered,
                    reason: "its prev_hash links to another record, not to seq \(entry.seq - 1)")
            } else {
                failure = AuditChainFailure(
                    seq: entry.seq, kind: .modified,
                    reason: "its prev_hash does not match the hash of seq \(entry.seq - 1)")
            }
            return false
        }
        if let problem = entry.contentProblem {
            failure = AuditChainFailure(seq: entry.seq, kind: .modified, reason: problem)
            return false
        }
        checked += 1
        last = entry
        return true
    }

    /// Records a break found outside ``feed(_:hashExists:seqExists:)`` (e.g. an unreadable line).
    mutating func fail(_ failure: AuditChainFailure) {
        if self.failure == nil { self.failure = failure }
    }

    /// After the last record: checks the chain ends at `head` (when known).
    mutating func finish(expectedHead head: AuditHead?, headSource: String) {
        guard failure == nil, let head else { return }
        let end = last.map { AuditHead(seq: $0.seq, hash: $0.hash) } ?? anchor ?? AuditHead.genesis
        if head.seq > end.seq {
            failure = AuditChainFailure(
                seq: end.seq + 1, kind: .truncated,
                reason: "the chain ends at seq \(end.seq) but the \(headSource) is seq \(head.seq)")
        } else if head.seq < end.seq {
            failure = AuditChainFailure(
                seq: head.seq + 1, kind: .headMismatch,
                reason: "records follow the \(headSource) (seq \(head.seq))")
        } else if head.hash != end.hash {
            failure = AuditChainFailure(
                seq: end.seq, kind: .headMismatch,
                reason: "the hash of seq \(end.seq) differs from the \(headSource)")
        }
    }

    /// The result.
    func result(anchor resultAnchor: AuditHead) -> AuditVerification {
        AuditVerification(
            recordsChecked: checked, anchor: resultAnchor,
            verifiedHead: last.map { AuditHead(seq: $0.seq, hash: $0.hash) } ?? resultAnchor, failure: failure)
    }
}
