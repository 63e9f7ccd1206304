import Foundation
import GRDB

extension AuditLogger {
    /// The name of the record ``cleanupOldLogs()`` writes after pruning.
    static let pruneEventName = "audit_pruned"

    /// The anchor a pruning record declares (`pruned_through_seq`, `anchor_hash`).
    static func declaredAnchor(_ details: AuditDetails) -> AuditHead? {
        guard let seq = details["pruned_through_seq"]?.intValue, let hash = details["anchor_hash"]?.stringValue
        else { return nil }
        return AuditHead(seq: seq, hash: hash)
    }

    /// Checks the whole stored chain: every record's hash, the links between records, that no seq is
    /// missing or out of place, that the chain starts at its anchor and ends at the stored head.
    ///
    /// - Returns: the result; ``AuditVerification/failure`` names the first broken record and why.
    /// - Throws: ``StoreError`` when the store cannot be read at all.
    public func verify() throws -> AuditVerification {
        try storeCall("verify the audit chain") {
            try queue.read { db in
                let state = try Self.readChainState(db)
                var walker = AuditChainWalker(anchor: state.anchor)
                var newestPrune: (seq: Int, declared: AuditHead?)?
                let hashExists = { (hash: String) throws -> Bool in
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS(SELECT 1 FROM audit_record WHERE hash = ?)", arguments: [hash]) ?? false
                }
                let seqExists = { (seq: Int) throws -> Bool in
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS(SELECT 1 FROM audit_record WHERE seq = ?)", arguments: [seq]) ?? false
                }
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit_record ORDER BY seq")
                while let row = try rows.next() {
                    let entry: AuditChainWalker.Entry
                    switch Self.decode(row) {
                    case .success(let decoded):
                        let record = decoded.record
                        let body = record.canonicalBytes(includingHash: false, detailsJSON: decoded.detailsJSON)
                        let matches = Self.chainHash(prevHash: record.prevHash, body: body) == record.hash
                        entry = .init(
                            seq: record.seq, prevHash: record.prevHash, hash: record.hash,
                            contentProblem: matches ? nil : "its content does not match its hash")
                        if record.eventType == .retention && record.name == Self.pruneEventName {
                            newestPrune = (record.seq, Self.declaredAnchor(record.details))
                        }
                    case .failure(let problem):
                        entry = .init(
                            seq: problem.seq,
                            prevHash: String.fromDatabaseValue(row["prev_hash"] as DatabaseValue) ?? "",
                            hash: String.fromDatabaseValue(row["hash"] as DatabaseValue) ?? "",
                            contentProblem: "it cannot be read: \(problem.reason)")
                    }
                    guard try walker.feed(entry, hashExists: hashExists, seqExists: seqExists) else { break }
                }
                walker.finish(expectedHead: state.head, headSource: "stored head")
                if walker.failure == nil {
                    if let prune = newestPrune, prune.declared != state.anchor {
                        walker.fail(
                            AuditChainFailure(
                                seq: prune.seq, kind: .anchorMismatch,
                                reason:
                                    "the pruning record declares \(prune.declared.map(\.description) ?? "no anchor") "
                                    + "but the stored anchor is \(state.anchor)"))
                    } else if newestPrune == nil && state.anchor != .genesis {
                        walker.fail(
                            AuditChainFailure(
                                seq: state.anchor.seq + 1, kind: .anchorMismatch,
                                reason: "the stored anchor is \(state.anchor) but no pruning record accounts for it"))
                    }
                }
                return walker.result(anchor: state.anchor)
            }
        }
    }

    /// Checks an exported JSONL file (see ``exportJSONL(to:)``); same as ``verifyExport(jsonl:expectedHead:)``.
    public func verify(jsonl url: URL, expectedHead: AuditHead? = nil) throws -> AuditVerification {
        try Self.verifyExport(jsonl: url, expectedHead: expectedHead)
    }

    /// Checks an exported JSONL file without opening a store.
    ///
    /// The chain must start at genesis, or at the anchor declared by the newest pruning record in the
    /// file. Without `expectedHead` a file cut short after a complete line cannot be told from a shorter
    /// log: pass the head ``exportJSONL(to:)`` returned (or the one a compliance report published).
    ///
    /// - Parameters:
    ///   - url: the exported file.
    ///   - expectedHead: the head the file must end at, when known.
    /// - Returns: the result; ``AuditVerification/failure`` names the first broken record and why.
    /// - Throws: ``AuditError`` with code `.fileAccess` when the file cannot be read.
    public static func verifyExport(jsonl url: URL, expectedHead: AuditHead? = nil) throws -> AuditVerification {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw AuditError(.fileAccess, "cannot read \(url.path) (\(error.localizedDescription))")
        }
        return verifyExport(lines: data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)) {
            walker in walker.finish(expectedHead: expectedHead, headSource: "expected head")
        }
    }

    /// Parses exported lines and walks them.
    private static func verifyExport(
        lines rawLines: [Data.SubSequence],
        finish: (inout AuditChainWalker) -> Void
    ) -> AuditVerification {
        var lines = rawLines
        if lines.last?.isEmpty == true { lines.removeLast() }

        struct Parsed {
            var entry: AuditChainWalker.Entry
            var object: [String: AuditValue]
        }
        let parsed: [Result<Parsed, AuditError>] = lines.map { line in
            do {
                guard case .object(var object) = try AuditJSON.parse(Array(line)) else {
                    return .failure(AuditError(.malformedJSON, "the line is not a JSON object"))
                }
                guard let seq = object["seq"]?.intValue, let prevHash = object["prev_hash"]?.stringValue,
                    let hash = object.removeValue(forKey: "hash")?.stringValue
                else { return .failure(AuditError(.malformedJSON, "the line lacks seq, prev_hash or hash")) }
                var body: [UInt8] = []
                AuditJSON.writeObject(object, into: &body)
                let matches = chainHash(prevHash: prevHash, body: body) == hash
                return .success(
                    Parsed(
                        entry: .init(
                            seq: seq, prevHash: prevHash, hash: hash,
                            contentProblem: matches ? nil : "its content does not match its hash"),
                        object: object))
            } catch let error as AuditError {
                return .failure(error)
            } catch {
                return .failure(AuditError(.malformedJSON, "\(error)"))
            }
        }
        let valid = parsed.compactMap { try? $0.get() }
        let hashes = Set(valid.map(\.entry.hash))
        let seqs = Set(valid.map(\.entry.seq))

        // The anchor: declared by the newest pruning record, trusted only when that record is intact.
        var anchor: AuditHead? = .genesis
        if let prune = valid.last(where: {
            $0.object["event_type"]?.stringValue == AuditEventType.retention.rawValue
                && $0.object["name"]?.stringValue == pruneEventName
        }) {
            let details = prune.object["details"]?.objectValue ?? [:]
            anchor = prune.entry.contentProblem == nil ? declaredAnchor(details) : nil
        }

        var walker = AuditChainWalker(anchor: anchor)
        for (index, result) in parsed.enumerated() {
            switch result {
            case .success(let line):
                let keepGoing = walker.feed(
                    line.entry, hashExists: { hashes.contains($0) }, seqExists: { seqs.contains($0) })
                if !keepGoing { return walker.result(anchor: anchor ?? .genesis) }
            case .failure(let error):
                walker.fail(
                    AuditChainFailure(
                        seq: walker.expectedSeq, kind: .malformed,
                        reason: "line \(index + 1) cannot be read: \(error.message)"))
                return walker.result(anchor: anchor ?? .genesis)
            }
        }
        finish(&walker)
        return walker.result(anchor: anchor ?? .genesis)
    }

    /// Writes every record to `url` as JSON Lines — one canonical JSON object per line, `hash` included —
    /// atomically (a temporary file renamed into place).
    ///
    /// - Returns: the head of the exported chain; keep it to check the file later with
    ///   ``verify(jsonl:expectedHead:)``.
    /// - Throws: ``AuditError`` when the file cannot be written (the old file is unchanged),
    ///   ``StoreError`` when the store cannot be read or holds a damaged record.
    @discardableResult
    public func exportJSONL(to url: URL) throws -> AuditHead {
        var file = try AuditAtomicFile(destination: url)
        do {
            let head = try storeCall("export the audit records") {
                try queue.read { db -> AuditHead in
                    var head = try Self.readChainState(db).anchor
                    let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit_record ORDER BY seq")
                    while let row = try rows.next() {
                        switch Self.decode(row) {
                        case .success(let decoded):
                            var line = decoded.record.canonicalBytes(
                                includingHash: true, detailsJSON: decoded.detailsJSON)
                            line.append(UInt8(ascii: "\n"))
                            try file.write(line)
                            head = decoded.record.position
                        case .failure(let problem):
                            throw StoreError(
                                path: databaseURL.path,
                                reason: "audit record seq \(problem.seq) is damaged (\(problem.reason)); run verify()")
                        }
                    }
                    return head
                }
            }
            try file.commit()
            return head
        } catch {
            file.discard()
            throw error
        }
    }
}
