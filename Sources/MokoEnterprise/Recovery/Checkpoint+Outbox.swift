import Foundation
import GRDB

/// A message recorded in a checkpoint's outbox together with the completion of its item.
public struct CheckpointOutboxMessage: Sendable, Equatable, Hashable {
    /// The message's position in the file's outbox; increases with every message, never reused.
    public var sequence: Int64
    /// The item whose completion recorded the message.
    public var itemID: String
    /// The message, verbatim.
    public var message: String
    /// When it was recorded.
    public var createdAt: Date

    /// Creates an outbox message.
    public init(sequence: Int64, itemID: String, message: String, createdAt: Date) {
        self.sequence = sequence
        self.itemID = itemID
        self.message = message
        self.createdAt = createdAt
    }
}

// The transactional outbox: exactly-once side effects for work whose effect can be a database row.
//
// "Do the side effect, then mark completed" repeats the side effect when the process dies between the
// two. Writing the effect as an outbox row in the same transaction as the mark removes that window:
// either both commit or neither does. A separate relay then delivers the messages (at least once, to a
// receiver that deduplicates by `sequence` or item id) and acknowledges them.
extension Checkpoint {
    /// Marks `id` completed and records `message` in the outbox, in ONE transaction.
    ///
    /// When `id` is already completed, nothing is recorded: each item's message exists exactly once,
    /// whatever crashes and restarts happen around the call.
    ///
    /// - Returns: true when this call completed the item (and recorded the message).
    /// - Throws: ``CheckpointError`` for an invalid id (empty, or holding NUL); ``StoreError`` when the store cannot be written
    ///   (then neither the mark nor the message is stored).
    @discardableResult
    public func markCompleted(_ id: String, result: String? = nil, outbox message: String) throws -> Bool {
        try validate(id)
        let now = RecoveryStoreSchema.encode(wallClock.currentDate)
        return try transaction { db in
            guard try Self.complete(db, checkpoint: name, id: id, result: result, now: now) else { return false }
            try db.cachedStatement(
                sql: "INSERT INTO checkpoint_outbox (checkpoint, item_id, message, created_at) VALUES (?, ?, ?, ?)"
            ).execute(
                arguments: [name, id, RecoveryStoreSchema.bytes(message), now]
            )
            return true
        }
    }

    /// The outbox messages of this checkpoint not yet acknowledged, oldest first.
    ///
    /// - Parameters:
    ///   - sequence: return only messages after this sequence number (0: from the start).
    ///   - limit: at most this many messages.
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func outboxMessages(after sequence: Int64 = 0, limit: Int = 1_000) throws -> [CheckpointOutboxMessage] {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT sequence, item_id, message, created_at FROM checkpoint_outbox
                        WHERE checkpoint = ? AND sequence > ? ORDER BY sequence LIMIT ?
                        """),
                arguments: [name, sequence, max(0, limit)]
            ).map { row in
                CheckpointOutboxMessage(
                    sequence: row["sequence"],
                    itemID: row["item_id"],
                    message: RecoveryStoreSchema.text(row, "message") ?? "",
                    createdAt: RecoveryStoreSchema.decode(row["created_at"] as Double)
                )
            }
        }
    }

    /// Deletes this checkpoint's outbox messages up to and including `sequence` (they were delivered).
    ///
    /// - Returns: how many messages were deleted.
    /// - Throws: ``StoreError`` when the store cannot be written.
    @discardableResult
    public func acknowledgeOutbox(through sequence: Int64) throws -> Int {
        try transaction { db in
            try db.cachedStatement(sql: "DELETE FROM checkpoint_outbox WHERE checkpoint = ? AND sequence <= ?").execute(
                arguments: [name, sequence]
            )
            return db.changesCount
        }
    }
}
