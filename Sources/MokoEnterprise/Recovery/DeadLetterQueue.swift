import Foundation
import GRDB

/// Parks items that keep failing, so that a batch job finishes and a person can look at them later.
///
/// The queue counts failed attempts per item in the ``Checkpoint`` of the same name, in the same
/// SQLite file (`recovery.sqlite` in `directory`). ``process(_:id:using:)`` gives each item one attempt
/// per call: a success marks it completed, a failure counts a retry, and the `maxRetries`-th failure
/// moves it to the queue with its JSON payload, the reason, the first and last failure times and the
/// last error (redacted). Counting the failure and moving the item is ONE transaction, so every item
/// is always exactly one of: completed, pending (failed, retries left, or never tried) or
/// dead-lettered — never lost, never two of these.
///
/// ```swift
/// let dlq = try DeadLetterQueue(name: "label-sync", maxRetries: 3, directory: stateDirectory)
/// let report = try await dlq.process(repositories, id: \.fullName) { repo in
///     try await syncLabels(repo)
/// }
/// print("\(report.pending.count) to retry, \(report.deadLettered.count) parked")
/// // Later, after fixing the cause:
/// try await dlq.redrive(as: Repository.self) { repo in try await syncLabels(repo) }
/// ```
///
/// Instances are `Sendable`; the underlying GRDB `DatabaseQueue` serialises every access.
public final class DeadLetterQueue: Sendable {
    /// The allowed values of `maxRetries` (as Amazon SQS's `maxReceiveCount`).
    public static let maxRetriesRange = 1...1_000

    /// The queue's name; also the name of its ``checkpoint``.
    public let name: String
    /// How many failed attempts move an item to the queue.
    public let maxRetries: Int
    /// The checkpoint counting completions and retries for this queue (same name, same file).
    public let checkpoint: Checkpoint

    let queue: DatabaseQueue
    let wallClock: any WallClock

    /// Opens (creating when absent) the dead letter queue `name` in `directory`.
    ///
    /// - Parameters:
    ///   - name: the job's name; the queue's checkpoint has the same name.
    ///   - maxRetries: failed attempts before an item is parked, 1…1000 (default 3).
    ///   - directory: where `recovery.sqlite` lives; created when absent.
    ///   - durability: ``StoreDurability/full`` (default) syncs every commit to disk.
    ///   - wallClock: stamps failure times.
    /// - Throws: ``DeadLetterError`` before touching the disk when `maxRetries` is out of range
    ///   (``DeadLetterError/Code/invalidMaxRetries``) or the name is empty or holds NUL; ``StoreError`` naming the directory or file when the
    ///   store cannot be opened (a damaged file is left untouched).
    public init(
        name: String,
        maxRetries: Int = 3,
        directory: URL,
        durability: StoreDurability = .full,
        wallClock: any WallClock = SystemWallClock()
    ) throws {
        guard RecoveryStoreSchema.isValidKey(name) else {
            throw DeadLetterError(
                code: .invalidName,
                queue: name,
                message: "the queue name is empty or holds a NUL character; nothing was opened"
            )
        }
        guard Self.maxRetriesRange.contains(maxRetries) else {
            throw DeadLetterError(
                code: .invalidMaxRetries,
                queue: name,
                message: "maxRetries is \(maxRetries); it must be between \(Self.maxRetriesRange.lowerBound) "
                    + "and \(Self.maxRetriesRange.upperBound) (the number of failed attempts before an item "
                    + "is parked)"
            )
        }
        let fileURL = directory.appendingPathComponent(RecoveryStoreSchema.fileName)
        let queue = try RecoveryStoreSchema.open(directory: directory, durability: durability)
        self.name = name
        self.maxRetries = maxRetries
        self.queue = queue
        self.wallClock = wallClock
        self.checkpoint = Checkpoint(name: name, fileURL: fileURL, queue: queue, wallClock: wallClock)
    }

    /// The SQLite file holding the queue and its checkpoint.
    public var fileURL: URL { checkpoint.fileURL }

    // MARK: - Processing

    /// Gives every item that is neither completed nor parked one attempt with `handler`.
    ///
    /// - A completed item is skipped; a parked item is skipped (use ``redrive(filter:dryRun:using:)``).
    /// - A success marks the item completed (clearing its failure).
    /// - A failure records the redacted error and counts a retry; the `maxRetries`-th failure moves the
    ///   item to the queue with its JSON payload, in the same transaction.
    /// - `CancellationError` from `handler` stops the call and is rethrown; that attempt is not counted.
    ///
    /// Items run one at a time, in order. Everything recorded before an error thrown by this method is
    /// kept: calling `process` again resumes.
    ///
    /// - Parameters:
    ///   - items: the work; ids must be non-empty and free of NUL (checked before anything runs).
    ///   - id: the stable id of an item.
    ///   - handler: does the work for one item; throws to report a failure.
    /// - Returns: where every item ended.
    /// - Throws: ``DeadLetterError`` for an invalid id (nothing ran) or an item that cannot be encoded;
    ///   ``StoreError`` when the store fails; `CancellationError`.
    public func process<Item: Codable & Sendable>(
        _ items: some Sequence<Item>,
        id: (Item) -> String,
        using handler: (Item) async throws -> Void
    ) async throws -> DeadLetterReport {
        let work = items.map { (id: id($0), item: $0) }
        for entry in work where !RecoveryStoreSchema.isValidKey(entry.id) {
            throw DeadLetterError(
                code: .invalidItemID,
                queue: name,
                itemID: entry.id,
                message: "an item id is empty or holds a NUL character; nothing was processed"
            )
        }
        var report = DeadLetterReport()
        for (itemID, item) in work {
            try Task.checkCancellation()
            switch try standing(of: itemID) {
            case .completed:
                report.skipped.append(itemID)
                continue
            case .deadLettered:
                report.alreadyDeadLettered.append(itemID)
                continue
            case .open:
                break
            }
            do {
                try await handler(item)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let payload = try encode(item, id: itemID)
                let parked = try recordFailure(itemID, payload: payload, error: error)
                if parked { report.deadLettered.append(itemID) } else { report.pending.append(itemID) }
                continue
            }
            try checkpoint.markCompleted(itemID)
            report.completed.append(itemID)
        }
        return report
    }

    /// Parks `id` in the queue directly, for callers that decide themselves that an item has failed
    /// for good (e.g. a saga compensation that keeps failing).
    ///
    /// The checkpoint row is updated in the same transaction (failed, `retryCount` at least the given
    /// one). When `id` is already parked, its payload, reason and last error are replaced, its first
    /// failure time and place in the queue are kept and its retry count becomes the larger of the two.
    ///
    /// - Parameters:
    ///   - id: the item's id (non-empty, no NUL).
    ///   - payload: what a redrive needs to run the item again, stored verbatim.
    ///   - reason: why it is parked (redacted before it is stored).
    ///   - error: the last error (redacted before it is stored).
    ///   - retryCount: failed attempts so far (≥ 0).
    /// - Throws: ``DeadLetterError`` for an invalid id or a negative count; ``CheckpointError``
    ///   (``CheckpointError/Code/alreadyCompleted``) when the item is completed; ``StoreError`` when
    ///   the store fails. Nothing changes when it throws.
    public func deadLetter(id: String, payload: Data, reason: String, error: String, retryCount: Int = 1) throws {
        try deadLetter(id: id, payload: payload, reason: reason, error: error, errorType: nil, retryCount: retryCount)
    }

    /// Parks `id` in the queue directly, describing `error` with `String(describing:)` and keeping its
    /// type name; see the `String` form for everything else.
    ///
    /// - Throws: as the `String` form.
    public func deadLetter(id: String, payload: Data, reason: String, error: any Error, retryCount: Int = 1) throws {
        try deadLetter(
            id: id,
            payload: payload,
            reason: reason,
            error: String(describing: error),
            errorType: String(reflecting: type(of: error)),
            retryCount: retryCount
        )
    }

    /// Parks `id` in the queue directly with `payload` encoded as JSON (sorted keys).
    ///
    /// - Throws: ``DeadLetterError`` (``DeadLetterError/Code/payloadNotEncodable``) when `payload` cannot
    ///   be encoded; otherwise as the `Data` form.
    public func deadLetter(
        id: String,
        encoding payload: some Encodable,
        reason: String,
        error: String,
        retryCount: Int = 1
    ) throws {
        try deadLetter(id: id, payload: encode(payload, id: id), reason: reason, error: error, retryCount: retryCount)
    }

    // MARK: - Inspecting

    /// The parked entries, oldest first (order of arrival in the queue).
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func entries() throws -> [DeadLetterEntry] {
        try checkpoint.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM dead_letter_entry WHERE queue = ? ORDER BY sequence"),
                arguments: [name]
            ).map(Self.entry(from:))
        }
    }

    /// The parked entry of `id`, or nil when it is not in the queue.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func entry(id: String) throws -> DeadLetterEntry? {
        try checkpoint.read { db in try Self.fetchEntry(db, queue: name, id: id) }
    }

    /// How many entries are parked.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public var count: Int {
        get throws {
            try checkpoint.read { db in
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT count(*) FROM dead_letter_entry WHERE queue = ?"), arguments: [name]
                )
                    ?? 0
            }
        }
    }

    // MARK: - Purging

    /// Deletes the entries `filter` selects (all by default) and forgets those items' failures and
    /// retry counts, in one transaction: a purged item is as if never seen, so a later
    /// ``process(_:id:using:)`` would try it afresh.
    ///
    /// - Returns: the ids purged, oldest first.
    /// - Throws: ``StoreError`` when the store fails (then nothing is purged).
    @discardableResult
    public func purge(filter: (DeadLetterEntry) -> Bool = { _ in true }) throws -> [String] {
        let selected = try entries().filter(filter).map(\.itemID)
        guard !selected.isEmpty else { return [] }
        return try checkpoint.transaction { db in
            var purged: [String] = []
            for itemID in selected {
                try db.cachedStatement(sql: "DELETE FROM dead_letter_entry WHERE queue = ? AND item_id = ?").execute(
                    arguments: [name, itemID]
                )
                guard db.changesCount > 0 else { continue }
                purged.append(itemID)
                try db.cachedStatement(
                    sql: "DELETE FROM checkpoint_item WHERE checkpoint = ? AND item_id = ? AND status <> 'completed'"
                ).execute(
                    arguments: [name, itemID]
                )
            }
            return purged
        }
    }
}
