import Foundation
import GRDB

extension AuditLogger {
    /// Deletes the records older than ``retentionDays`` and records what it did, keeping the chain verifiable.
    ///
    /// Records are removed as one contiguous run from the start of the chain: the oldest records up to
    /// (not including) the first one logged at or after the cutoff. The hash of the last deleted record
    /// becomes the chain's *anchor*, and a `retention` record named `audit_pruned` is appended whose
    /// details declare it (`pruned_through_seq`, `anchor_hash`, `deleted_count`, `cutoff`,
    /// `retention_days`), so ``verify()`` checks the remaining chain from that anchor — and an export
    /// carries its own anchor. Deletion, anchor and record are one transaction.
    ///
    /// - Returns: what was deleted; `deletedCount` 0 (and no record written) when nothing had expired.
    /// - Throws: ``StoreError`` when the store cannot be written; then nothing is deleted.
    @discardableResult
    public func cleanupOldLogs() throws -> AuditRetentionResult {
        let now = AuditTimestamp.milliseconds(wallClock.currentDate)
        let cutoff = now - retentionDays * 86_400_000
        let cutoffDate = Date(timeIntervalSince1970: Double(cutoff) / 1000)
        let template = preparedPruneTemplate(timestamp: now)
        return try write("prune expired audit records") { db in
            let state = try Self.readChainState(db)
            let firstKept = try Int.fetchOne(
                db, sql: "SELECT MIN(seq) FROM audit_record WHERE timestamp_ms >= ?", arguments: [cutoff])
            let lastDeleted = (firstKept ?? (state.head.seq + 1)) - 1
            guard lastDeleted > state.anchor.seq else {
                return AuditRetentionResult(deletedCount: 0, cutoff: cutoffDate, anchor: state.anchor, record: nil)
            }
            guard
                let anchorHash = try String.fetchOne(
                    db, sql: "SELECT hash FROM audit_record WHERE seq = ?", arguments: [lastDeleted])
            else {
                throw StoreError(
                    path: databaseURL.path,
                    reason: "audit record seq \(lastDeleted) is missing; run verify() before pruning")
            }
            try db.execute(sql: "DELETE FROM audit_record WHERE seq <= ?", arguments: [lastDeleted])
            let deleted = db.changesCount
            let anchor = AuditHead(seq: lastDeleted, hash: anchorHash)
            try db.execute(
                sql: "UPDATE audit_chain SET anchor_seq = ?, anchor_hash = ? WHERE id = 1",
                arguments: [anchor.seq, anchor.hash])
            var record = template
            record.details = [
                "pruned_through_seq": .int(anchor.seq), "anchor_hash": .string(anchor.hash),
                "deleted_count": .int(deleted), "cutoff": .string(AuditTimestamp.format(milliseconds: cutoff)),
                "retention_days": .int(retentionDays),
            ]
            record.message = "pruned to seq \(anchor.seq), head \(anchor.hash)"
            var detailsJSON: [UInt8] = []
            AuditJSON.writeObject(record.details, into: &detailsJSON)
            let inserted = try Self.insert([(record, detailsJSON)], db: db)
            return AuditRetentionResult(
                deletedCount: deleted, cutoff: cutoffDate, anchor: anchor, record: inserted.records.first)
        }
    }

    private func preparedPruneTemplate(timestamp: Int) -> AuditRecord {
        AuditRecord(
            seq: 0, timestampMilliseconds: timestamp, eventType: .retention, name: Self.pruneEventName,
            severity: nil, outcome: .success, service: service, host: host, user: user, sessionID: sessionID,
            transactionID: nil, action: "delete", object: "audit_log", message: nil, durationSeconds: nil,
            rolledBack: nil, details: [:], prevHash: "", hash: "")
    }
}
