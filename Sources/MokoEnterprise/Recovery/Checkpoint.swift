import Foundation
import GRDB

/// A persistent record of which items of a job are done, so that a restarted job skips them.
///
/// A checkpoint lives in the SQLite file `recovery.sqlite` of its directory (WAL journal, opened through
/// the library's durable store). One file holds any number of checkpoints, told apart by `name`. Every
/// call is one transaction: it is on disk when the call returns (with ``StoreDurability/full``, even
/// across a power cut), and a `kill -9` at any instant leaves either all of the call or none of it.
///
/// ```swift
/// let checkpoint = try Checkpoint(name: "sync-labels", directory: stateDirectory)
/// for repo in repositories where try !checkpoint.isCompleted(repo.fullName) {
///     do {
///         try await syncLabels(repo)
///         try checkpoint.markCompleted(repo.fullName)
///     } catch {
///         try checkpoint.incrementRetryCount(repo.fullName)
///         try checkpoint.markFailed(repo.fullName, error: error)
///     }
/// }
/// ```
///
/// **What is stored.** Item ids (any non-empty string without NUL) and results (any string) are stored
/// verbatim. Error text is passed through ``SecretRedactor`` first. Completion is final: marking a completed item completed
/// again changes nothing (the first result stays) and marking it failed is refused; ``reset()`` starts
/// the job over. Completing an item clears its failure but keeps its retry count as a record.
///
/// **Exactly once.** "Do the side effect, then mark" is at-least-once: a crash between the two repeats
/// the side effect on resume. When the side effect can be a database row, record it with
/// ``markCompleted(_:result:outbox:)``: the mark and the outbox message commit together, so each
/// item's message exists exactly once.
///
/// **Throughput.** Each call commits (and, with ``StoreDurability/full``, syncs) once. To mark many
/// items, use ``markCompleted(_:)`` with a sequence of ids or ``batch(_:)``: one commit for all.
///
/// Instances are `Sendable`: the underlying GRDB `DatabaseQueue` serialises every access. Several
/// instances (or processes) may open the same directory; writes take the file's write lock in turn.
public final class Checkpoint: Sendable {
    /// The checkpoint's name; rows of other checkpoints in the same file are never touched.
    public let name: String
    /// The SQLite file holding the checkpoint.
    public let fileURL: URL

    let queue: DatabaseQueue
    let wallClock: any WallClock

    /// Opens (creating when absent) the checkpoint `name` in `directory`.
    ///
    /// - Parameters:
    ///   - name: the job's name, e.g. `"sync-labels"`; every item row is keyed by it.
    ///   - directory: where `recovery.sqlite` lives; created when absent.
    ///   - durability: ``StoreDurability/full`` (default) syncs every commit to disk.
    ///   - wallClock: stamps completion and failure times.
    /// - Throws: ``CheckpointError`` (``CheckpointError/Code/invalidName``) for an empty name or one
    ///   holding NUL; ``StoreError`` naming the directory when it cannot be created or written, or naming
    ///   the file when it is not a healthy SQLite database. A damaged file is left untouched, never reset.
    public init(
        name: String,
        directory: URL,
        durability: StoreDurability = .full,
        wallClock: any WallClock = SystemWallClock()
    ) throws {
        guard RecoveryStoreSchema.isValidKey(name) else {
            throw CheckpointError(
                code: .invalidName,
                checkpoint: name,
                itemID: "",
                message: "the checkpoint name is empty or holds a NUL character; nothing was opened"
            )
        }
        self.name = name
        self.fileURL = directory.appendingPathComponent(RecoveryStoreSchema.fileName)
        self.queue = try RecoveryStoreSchema.open(directory: directory, durability: durability)
        self.wallClock = wallClock
    }

    /// Opens a checkpoint on a queue that is already open (the dead letter queue shares its own).
    init(name: String, fileURL: URL, queue: DatabaseQueue, wallClock: any WallClock) {
        self.name = name
        self.fileURL = fileURL
        self.queue = queue
        self.wallClock = wallClock
    }

    // MARK: - Reading

    /// Whether `id` is completed.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func isCompleted(_ id: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM checkpoint_item
                                       WHERE checkpoint = ? AND item_id = ? AND status = 'completed')
                        """
                ),
                arguments: [name, id]
            ) ?? false
        }
    }

    /// Whether `id` failed and has not been completed since.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func isFailed(_ id: String) throws -> Bool {
        try item(id)?.status == .failed
    }

    /// Whether any item is failed.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func hasFailures() throws -> Bool {
        try read { db in
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: "SELECT EXISTS (SELECT 1 FROM checkpoint_item WHERE checkpoint = ? AND status = ?)"),
                arguments: [name, RecoveryStoreSchema.Status.failed]
            ) ?? false
        }
    }

    /// The failed items, oldest failure first.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func getFailures() throws -> [CheckpointFailure] {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT item_id, last_error, retry_count, first_failed_at, last_failed_at
                        FROM checkpoint_item WHERE checkpoint = ? AND status = ?
                        ORDER BY last_failed_at, item_id
                        """),
                arguments: [name, RecoveryStoreSchema.Status.failed]
            ).map { row in
                CheckpointFailure(
                    itemID: row["item_id"],
                    error: RecoveryStoreSchema.text(row, "last_error") ?? "",
                    retryCount: row["retry_count"],
                    firstFailedAt: RecoveryStoreSchema.decode(row["first_failed_at"] as Double? ?? 0),
                    lastFailedAt: RecoveryStoreSchema.decode(row["last_failed_at"] as Double? ?? 0)
                )
            }
        }
    }

    /// A summary of the checkpoint: counts, completed and failed ids, last update time.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func getState() throws -> CheckpointState {
        try snapshot { db in
            let completed = try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT item_id FROM checkpoint_item WHERE checkpoint = ? AND status = ?
                        ORDER BY completed_at, item_id
                        """),
                arguments: [name, RecoveryStoreSchema.Status.completed]
            )
            let failed = try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT item_id FROM checkpoint_item WHERE checkpoint = ? AND status = ?
                        ORDER BY last_failed_at, item_id
                        """),
                arguments: [name, RecoveryStoreSchema.Status.failed]
            )
            let updated = try Double.fetchOne(
                db.cachedStatement(sql: "SELECT max(updated_at) FROM checkpoint_item WHERE checkpoint = ?"),
                arguments: [name]
            )
            return CheckpointState(
                name: name,
                completedCount: completed.count,
                failedCount: failed.count,
                completedItems: completed,
                failedItems: failed,
                updatedAt: RecoveryStoreSchema.decode(updated)
            )
        }
    }

    /// Everything known about `id`, or nil when the checkpoint has never heard of it.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func item(_ id: String) throws -> CheckpointItem? {
        try read { db in try Self.fetchItem(db, checkpoint: name, id: id) }
    }

    /// Everything known about every item of the checkpoint, ordered by id (one snapshot).
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func items() throws -> [CheckpointItem] {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM checkpoint_item WHERE checkpoint = ? ORDER BY item_id"),
                arguments: [name]
            ).map(Self.item(from:))
        }
    }

    /// The result stored when `id` was completed, verbatim; nil when there is none.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func result(for id: String) throws -> String? {
        try item(id).flatMap { $0.status == .completed ? $0.result : nil }
    }

    /// The result stored with ``markCompleted(_:encoding:)``, decoded from JSON; nil when there is none.
    ///
    /// - Throws: ``CheckpointError`` (``CheckpointError/Code/resultNotDecodable``) when the stored
    ///   result is not a `T`; ``StoreError`` when the store cannot be read.
    public func result<T: Decodable>(for id: String, as type: T.Type) throws -> T? {
        guard let text = try result(for: id) else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw CheckpointError(
                code: .resultNotDecodable,
                checkpoint: name,
                itemID: id,
                message: "the stored result is not a \(T.self) (\(error))"
            )
        }
    }

    /// How many retries were counted for `id`; 0 when none.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func getRetryCount(_ id: String) throws -> Int {
        try item(id)?.retryCount ?? 0
    }

    /// `PRAGMA integrity_check` of the whole file: `"ok"` when the database is healthy.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func integrityCheck() throws -> String {
        try read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
        }
    }

    // MARK: - Writing

    /// Marks `id` completed, storing `result` verbatim; clears the item's failure.
    ///
    /// Idempotent: when `id` is already completed nothing changes and the first result stays.
    /// Completing an item also removes it from the dead letter queue of the same name, so an item is
    /// never both completed and dead-lettered.
    ///
    /// - Returns: true when this call completed the item, false when it was already completed.
    /// - Throws: ``CheckpointError`` for an invalid id (empty, or holding NUL); ``StoreError`` when the store cannot be written.
    @discardableResult
    public func markCompleted(_ id: String, result: String? = nil) throws -> Bool {
        try validate(id)
        let now = RecoveryStoreSchema.encode(wallClock.currentDate)
        return try transaction { db in
            try Self.complete(db, checkpoint: name, id: id, result: result, now: now)
        }
    }

    /// Marks `id` completed, storing `result` encoded as JSON (sorted keys); read it back with
    /// ``result(for:as:)``.
    ///
    /// - Returns: true when this call completed the item, false when it was already completed.
    /// - Throws: ``CheckpointError`` when the id is empty or `result` cannot be encoded; ``StoreError``
    ///   when the store cannot be written.
    @discardableResult
    public func markCompleted(_ id: String, encoding result: some Encodable) throws -> Bool {
        try markCompleted(id, result: encodeResult(result, id: id))
    }

    /// Marks every id of `ids` completed in ONE transaction (one commit, one disk sync).
    ///
    /// Ids already completed are left as they are; a repeated id counts once.
    ///
    /// - Returns: how many items this call completed.
    /// - Throws: ``CheckpointError`` when an id is empty (then nothing is marked); ``StoreError`` when
    ///   the store cannot be written (then nothing is marked).
    @discardableResult
    public func markCompleted(_ ids: some Sequence<String>) throws -> Int {
        let list = Array(ids)
        for id in list { try validate(id) }
        guard !list.isEmpty else { return 0 }
        // One statement for the whole list: SQLite expands the JSON array itself (`json_each`).
        let json = String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
        let now = RecoveryStoreSchema.encode(wallClock.currentDate)
        return try transaction { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO checkpoint_item (checkpoint, item_id, status, completed_at, updated_at)
                    SELECT ?1, value, 'completed', ?2, ?2 FROM json_each(?3) WHERE true
                    ON CONFLICT (checkpoint, item_id) DO UPDATE SET
                        status = 'completed', result = NULL, last_error = NULL,
                        first_failed_at = NULL, last_failed_at = NULL,
                        completed_at = excluded.completed_at, updated_at = excluded.updated_at
                    WHERE status <> 'completed'
                    """
            ).execute(arguments: [name, now, json])
            let completed = db.changesCount
            if completed > 0 {
                // An item completed now cannot stay parked in the queue of the same name.
                try db.cachedStatement(
                    sql:
                        "DELETE FROM dead_letter_entry WHERE queue = ?1 AND item_id IN (SELECT value FROM json_each(?2))"
                ).execute(arguments: [name, json])
            }
            return completed
        }
    }

    /// Records that `id` failed with `error` (redacted before it is stored).
    ///
    /// Keeps the first failure time, updates the last one. Does not count a retry: call
    /// ``incrementRetryCount(_:)`` for that (the dead letter queue does both in one transaction).
    ///
    /// - Throws: ``CheckpointError`` when the id is empty or the item is already completed (completion
    ///   is final; nothing changes); ``StoreError`` when the store cannot be written.
    public func markFailed(_ id: String, error: String) throws {
        try validate(id)
        let now = RecoveryStoreSchema.encode(wallClock.currentDate)
        let text = SecretRedactor.redact(error)
        _ = try transaction { db in
            try Self.fail(db, checkpoint: name, id: id, error: text, countingRetry: false, now: now)
        }
    }

    /// Records that `id` failed with `error`, described with `String(describing:)` and redacted.
    ///
    /// - Throws: as the `String` form of `markFailed(_:error:)`.
    public func markFailed(_ id: String, error: any Error) throws {
        try markFailed(id, error: String(describing: error))
    }

    /// Counts one more retry for `id` and returns the new count.
    ///
    /// - Throws: ``CheckpointError`` for an invalid id (empty, or holding NUL); ``StoreError`` when the store cannot be written.
    @discardableResult
    public func incrementRetryCount(_ id: String) throws -> Int {
        try validate(id)
        let now = RecoveryStoreSchema.encode(wallClock.currentDate)
        return try transaction { db in
            try Self.incrementRetry(db, checkpoint: name, id: id, now: now)
        }
    }

    /// Forgets every item of this checkpoint and its identifying parameters (other checkpoints in the
    /// file are untouched), so the job starts over. Outbox messages not yet acknowledged are kept, and
    /// so are the entries of the dead letter queue of the same name (purge them with
    /// ``DeadLetterQueue/purge(filter:)``).
    ///
    /// - Returns: how many items were forgotten.
    /// - Throws: ``StoreError`` when the store cannot be written.
    @discardableResult
    public func reset() throws -> Int {
        try transaction { db in
            try db.cachedStatement(sql: "DELETE FROM checkpoint_item WHERE checkpoint = ?").execute(arguments: [name])
            let forgotten = db.changesCount
            try db.cachedStatement(sql: "DELETE FROM checkpoint_job WHERE checkpoint = ?").execute(arguments: [name])
            return forgotten
        }
    }

    /// Applies every change recorded by `body` in ONE transaction.
    ///
    /// `body` runs before the transaction starts and only records what to do, so it may call anything
    /// (even this checkpoint). Then all the changes commit together, or none does.
    ///
    /// ```swift
    /// try checkpoint.batch { batch in
    ///     for id in chunk { batch.markCompleted(id) }
    ///     batch.markFailed("repo-9", error: "HTTP 502")
    /// }
    /// ```
    ///
    /// - Returns: what the batch changed.
    /// - Throws: what `body` throws (nothing is applied); ``CheckpointError`` when an id is empty or a
    ///   failure targets a completed item (nothing is applied); ``StoreError`` when the store cannot be
    ///   written (nothing is applied).
    @discardableResult
    public func batch(_ body: (inout CheckpointBatch) throws -> Void) throws -> CheckpointBatch.Outcome {
        var batch = CheckpointBatch()
        try body(&batch)
        return try apply(batch)
    }

    /// Applies a recorded batch in one transaction.
    func apply(_ batch: CheckpointBatch) throws -> CheckpointBatch.Outcome {
        for operation in batch.operations { try validate(operation.itemID) }
        let now = RecoveryStoreSchema.encode(wallClock.currentDate)
        let operations = batch.operations
        return try transaction { db in
            var outcome = CheckpointBatch.Outcome()
            let completer = try Completer(db, checkpoint: name, now: now, probeDeadLetters: operations.count > 1)
            for operation in operations {
                switch operation {
                case .complete(let id, let result):
                    if try completer.complete(id, result: result) {
                        outcome.completed += 1
                    }
                case .fail(let id, let error):
                    try Self.fail(db, checkpoint: name, id: id, error: error, countingRetry: false, now: now)
                    outcome.failed += 1
                case .incrementRetry(let id):
                    _ = try Self.incrementRetry(db, checkpoint: name, id: id, now: now)
                    outcome.retriesCounted += 1
                }
            }
            return outcome
        }
    }

    // MARK: - Helpers

    func validate(_ id: String) throws {
        guard RecoveryStoreSchema.isValidKey(id) else {
            throw CheckpointError(
                code: .invalidItemID,
                checkpoint: name,
                itemID: id,
                message: "the item id is empty or holds a NUL character; give every item a stable, "
                    + "non-empty id without NUL"
            )
        }
    }

    func encodeResult(_ result: some Encodable, id: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(result), as: UTF8.self)
        } catch {
            throw CheckpointError(
                code: .resultNotEncodable,
                checkpoint: name,
                itemID: id,
                message: "the result cannot be encoded as JSON (\(error)); nothing was marked"
            )
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try RecoveryStoreSchema.read(queue, file: fileURL, body)
    }

    func snapshot<T>(_ body: (Database) throws -> T) throws -> T {
        try RecoveryStoreSchema.snapshot(queue, file: fileURL, body)
    }

    func transaction<T>(_ body: (Database) throws -> T) throws -> T {
        try RecoveryStoreSchema.transaction(queue, file: fileURL, body)
    }
}
