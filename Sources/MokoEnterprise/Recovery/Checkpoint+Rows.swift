import Foundation
import GRDB

// The row-level operations, run inside a transaction opened by the caller. The dead letter queue uses
// them too, so that its own rows and the checkpoint's change in the same transaction.
extension Checkpoint {
    /// Reads one item row.
    static func fetchItem(_ db: Database, checkpoint: String, id: String) throws -> CheckpointItem? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM checkpoint_item WHERE checkpoint = ? AND item_id = ?"),
                arguments: [checkpoint, id]
            )
        else { return nil }
        return item(from: row)
    }

    /// An item from its row.
    static func item(from row: Row) -> CheckpointItem {
        let status: String = row["status"]
        return CheckpointItem(
            itemID: row["item_id"],
            status: CheckpointItem.Status(rawValue: status) ?? .pending,
            result: RecoveryStoreSchema.text(row, "result"),
            lastError: RecoveryStoreSchema.text(row, "last_error"),
            retryCount: row["retry_count"],
            firstFailedAt: RecoveryStoreSchema.decode(row["first_failed_at"] as Double?),
            lastFailedAt: RecoveryStoreSchema.decode(row["last_failed_at"] as Double?),
            completedAt: RecoveryStoreSchema.decode(row["completed_at"] as Double?),
            updatedAt: RecoveryStoreSchema.decode(row["updated_at"] as Double)
        )
    }

    /// Completes an item unless it is completed already, and removes it from the dead letter queue of
    /// the same name. Returns whether it changed.
    static func complete(_ db: Database, checkpoint: String, id: String, result: String?, now: Double) throws -> Bool {
        try Completer(db, checkpoint: checkpoint, now: now, probeDeadLetters: false).complete(id, result: result)
    }

    /// Completes items inside one transaction, with its statements looked up once (the batch hot path).
    struct Completer {
        private let db: Database
        private let checkpoint: String
        private let now: Double
        private let upsert: Statement
        private let clearDeadLetter: Statement?

        /// - Parameter probeDeadLetters: look once whether the queue of the same name holds any entry,
        ///   and skip the per-item delete when it does not (worth it for many items).
        init(_ db: Database, checkpoint: String, now: Double, probeDeadLetters: Bool) throws {
            self.db = db
            self.checkpoint = checkpoint
            self.now = now
            upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO checkpoint_item (checkpoint, item_id, status, result, completed_at, updated_at)
                    VALUES (?, ?, 'completed', ?, ?, ?)
                    ON CONFLICT (checkpoint, item_id) DO UPDATE SET
                        status = 'completed', result = excluded.result, last_error = NULL,
                        first_failed_at = NULL, last_failed_at = NULL,
                        completed_at = excluded.completed_at, updated_at = excluded.updated_at
                    WHERE status <> 'completed'
                    """
            )
            let hasDeadLetters =
                try !probeDeadLetters
                || Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM dead_letter_entry WHERE queue = ?)"),
                    arguments: [checkpoint]
                ) == true
            clearDeadLetter =
                hasDeadLetters
                ? try db.cachedStatement(sql: "DELETE FROM dead_letter_entry WHERE queue = ? AND item_id = ?")
                : nil
        }

        /// Completes `id`; returns whether it changed.
        func complete(_ id: String, result: String?) throws -> Bool {
            try upsert.execute(arguments: [checkpoint, id, RecoveryStoreSchema.bytes(result), now, now])
            guard db.changesCount > 0 else { return false }
            try clearDeadLetter?.execute(arguments: [checkpoint, id])
            return true
        }
    }

    /// Records a failure (optionally counting a retry); refuses a completed item. Returns the retry count.
    @discardableResult
    static func fail(
        _ db: Database,
        checkpoint: String,
        id: String,
        error: String,
        countingRetry: Bool,
        now: Double
    ) throws -> Int {
        let increment = countingRetry ? 1 : 0
        try db.cachedStatement(
            sql: """
                INSERT INTO checkpoint_item
                    (checkpoint, item_id, status, last_error, retry_count, first_failed_at, last_failed_at, updated_at)
                VALUES (?, ?, 'failed', ?, ?, ?, ?, ?)
                ON CONFLICT (checkpoint, item_id) DO UPDATE SET
                    status = 'failed', last_error = excluded.last_error,
                    retry_count = retry_count + excluded.retry_count,
                    first_failed_at = coalesce(first_failed_at, excluded.first_failed_at),
                    last_failed_at = excluded.last_failed_at, updated_at = excluded.updated_at
                WHERE status <> 'completed'
                """
        ).execute(
            arguments: [checkpoint, id, RecoveryStoreSchema.bytes(error), increment, now, now, now]
        )
        guard db.changesCount > 0 else {
            throw CheckpointError(
                code: .alreadyCompleted,
                checkpoint: checkpoint,
                itemID: id,
                message: "the item is already completed and completion is final; nothing was recorded "
                    + "(reset the checkpoint to run the job again)"
            )
        }
        return try retryCount(db, checkpoint: checkpoint, id: id)
    }

    /// Counts one retry (creating a `pending` row when the item is unknown) and returns the new count.
    static func incrementRetry(_ db: Database, checkpoint: String, id: String, now: Double) throws -> Int {
        try db.cachedStatement(
            sql: """
                INSERT INTO checkpoint_item (checkpoint, item_id, status, retry_count, updated_at)
                VALUES (?, ?, 'pending', 1, ?)
                ON CONFLICT (checkpoint, item_id) DO UPDATE SET
                    retry_count = retry_count + 1, updated_at = excluded.updated_at
                """
        ).execute(
            arguments: [checkpoint, id, now]
        )
        return try retryCount(db, checkpoint: checkpoint, id: id)
    }

    /// Sets an item's retry count and failure (the dead letter queue's `deadLetter`); refuses a
    /// completed item.
    static func setFailure(
        _ db: Database,
        checkpoint: String,
        id: String,
        error: String,
        retryCount: Int,
        now: Double
    ) throws {
        try fail(db, checkpoint: checkpoint, id: id, error: error, countingRetry: false, now: now)
        try db.cachedStatement(
            sql: "UPDATE checkpoint_item SET retry_count = max(retry_count, ?) WHERE checkpoint = ? AND item_id = ?"
        ).execute(
            arguments: [retryCount, checkpoint, id]
        )
    }

    /// The stored retry count (0 for an unknown item).
    static func retryCount(_ db: Database, checkpoint: String, id: String) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT retry_count FROM checkpoint_item WHERE checkpoint = ? AND item_id = ?"),
            arguments: [checkpoint, id]
        ) ?? 0
    }
}
