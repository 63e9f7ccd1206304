import Foundation
import GRDB

// Row-level work of the dead letter queue, each piece one transaction shared with its checkpoint.
extension DeadLetterQueue {
    /// Where an item stands for `process`.
    enum Standing {
        case completed
        case deadLettered
        case open
    }

    /// Reads whether `id` is completed, parked, or neither, with one statement (one consistent state).
    func standing(of id: String) throws -> Standing {
        try checkpoint.read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT
                                EXISTS (SELECT 1 FROM dead_letter_entry WHERE queue = ?1 AND item_id = ?2) AS parked,
                                (SELECT status FROM checkpoint_item WHERE checkpoint = ?1 AND item_id = ?2) AS status
                            """
                    ),
                    arguments: [name, id]
                )
            else { return .open }
            if row["parked"] as Bool { return .deadLettered }
            if (row["status"] as String?) == RecoveryStoreSchema.Status.completed { return .completed }
            return .open
        }
    }

    /// Records a failed attempt and, on the `maxRetries`-th, parks the item — one transaction.
    ///
    /// - Returns: whether the item was parked.
    func recordFailure(_ id: String, payload: Data, error: any Error) throws -> Bool {
        let text = SecretRedactor.redact(String(describing: error))
        let errorType = String(reflecting: type(of: error))
        let now = RecoveryStoreSchema.encode(wallClock.currentDate)
        let reason = "failed \(maxRetries) time\(maxRetries == 1 ? "" : "s") (maxRetries \(maxRetries))"
        return try checkpoint.transaction { db in
            let count = try Checkpoint.fail(db, checkpoint: name, id: id, error: text, countingRetry: true, now: now)
            guard count >= maxRetries else { return false }
            try upsertEntry(
                db,
                id: id,
                payload: payload,
                reason: reason,
                error: text,
                errorType: errorType,
                retryCount: count,
                now: now
            )
            return true
        }
    }

    /// Records one more failed attempt of a parked item (a redrive that failed again) — one transaction.
    ///
    /// - Returns: false when the entry left the queue in the meantime (nothing recorded).
    func recordRedriveFailure(_ id: String, error: any Error) throws -> Bool {
        let text = SecretRedactor.redact(String(describing: error))
        let errorType = String(reflecting: type(of: error))
        let now = RecoveryStoreSchema.encode(wallClock.currentDate)
        return try checkpoint.transaction { db in
            guard try Self.fetchEntry(db, queue: name, id: id) != nil else { return false }
            let count = try Checkpoint.fail(db, checkpoint: name, id: id, error: text, countingRetry: true, now: now)
            try db.cachedStatement(
                sql: """
                    UPDATE dead_letter_entry SET last_error = ?, error_type = ?, retry_count = ?, last_failed_at = ?
                    WHERE queue = ? AND item_id = ?
                    """
            ).execute(
                arguments: [RecoveryStoreSchema.bytes(text), errorType, count, now, name, id]
            )
            return true
        }
    }

    /// Completes a redriven item and takes it out of the queue — one transaction.
    ///
    /// - Returns: false when the entry left the queue in the meantime (nothing recorded).
    func completeRedriven(_ id: String) throws -> Bool {
        let now = RecoveryStoreSchema.encode(wallClock.currentDate)
        return try checkpoint.transaction { db in
            guard try Self.fetchEntry(db, queue: name, id: id) != nil else { return false }
            // Completing deletes the entry of the same queue in the same transaction.
            _ = try Checkpoint.complete(db, checkpoint: name, id: id, result: nil, now: now)
            return true
        }
    }

    /// The shared body of the public `deadLetter` forms.
    func deadLetter(
        id: String,
        payload: Data,
        reason: String,
        error: String,
        errorType: String?,
        retryCount: Int
    ) throws {
        guard RecoveryStoreSchema.isValidKey(id) else {
            throw DeadLetterError(
                code: .invalidItemID,
                queue: name,
                itemID: id,
                message: "the item id is empty or holds a NUL character; nothing was parked"
            )
        }
        guard retryCount >= 0 else {
            throw DeadLetterError(
                code: .invalidRetryCount,
                queue: name,
                itemID: id,
                message: "retryCount is \(retryCount); give the number of failed attempts (0 or more)"
            )
        }
        let text = SecretRedactor.redact(error)
        let why = SecretRedactor.redact(reason)
        let now = RecoveryStoreSchema.encode(wallClock.currentDate)
        try checkpoint.transaction { db in
            try Checkpoint.setFailure(db, checkpoint: name, id: id, error: text, retryCount: retryCount, now: now)
            let count = try Checkpoint.retryCount(db, checkpoint: name, id: id)
            try upsertEntry(
                db,
                id: id,
                payload: payload,
                reason: why,
                error: text,
                errorType: errorType,
                retryCount: count,
                now: now
            )
        }
    }

    /// Inserts an entry, or updates the one already there (keeping its first failure and place).
    func upsertEntry(
        _ db: Database,
        id: String,
        payload: Data,
        reason: String,
        error: String,
        errorType: String?,
        retryCount: Int,
        now: Double
    ) throws {
        let firstFailed =
            try Double.fetchOne(
                db.cachedStatement(
                    sql: "SELECT first_failed_at FROM checkpoint_item WHERE checkpoint = ? AND item_id = ?"),
                arguments: [name, id]
            ) ?? now
        try db.cachedStatement(
            sql: """
                INSERT INTO dead_letter_entry
                    (queue, item_id, payload, reason, last_error, error_type, retry_count,
                     first_failed_at, last_failed_at, dead_lettered_at, sequence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(sequence), 0) + 1 FROM dead_letter_entry))
                ON CONFLICT (queue, item_id) DO UPDATE SET
                    payload = excluded.payload, reason = excluded.reason, last_error = excluded.last_error,
                    error_type = excluded.error_type, retry_count = max(retry_count, excluded.retry_count),
                    first_failed_at = min(first_failed_at, excluded.first_failed_at),
                    last_failed_at = excluded.last_failed_at
                """
        ).execute(
            arguments: [
                name, id, payload, RecoveryStoreSchema.bytes(reason), RecoveryStoreSchema.bytes(error), errorType,
                retryCount, firstFailed, now, now,
            ]
        )
    }

    /// Encodes an item as JSON with sorted keys.
    func encode(_ value: some Encodable, id: String) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return try encoder.encode(value)
        } catch {
            throw DeadLetterError(
                code: .payloadNotEncodable,
                queue: name,
                itemID: id,
                message: "the item cannot be encoded as JSON (\(error)); its failure was not recorded"
            )
        }
    }

    /// Reads one entry.
    static func fetchEntry(_ db: Database, queue: String, id: String) throws -> DeadLetterEntry? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM dead_letter_entry WHERE queue = ? AND item_id = ?"),
            arguments: [queue, id]
        ).map(entry(from:))
    }

    /// An entry from its row.
    static func entry(from row: Row) -> DeadLetterEntry {
        DeadLetterEntry(
            queue: row["queue"],
            itemID: row["item_id"],
            payload: row["payload"],
            reason: RecoveryStoreSchema.text(row, "reason") ?? "",
            lastError: RecoveryStoreSchema.text(row, "last_error") ?? "",
            errorType: row["error_type"],
            retryCount: row["retry_count"],
            firstFailedAt: RecoveryStoreSchema.decode(row["first_failed_at"] as Double),
            lastFailedAt: RecoveryStoreSchema.decode(row["last_failed_at"] as Double),
            deadLetteredAt: RecoveryStoreSchema.decode(row["dead_lettered_at"] as Double),
            sequence: row["sequence"]
        )
    }
}
