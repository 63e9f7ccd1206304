import Foundation
import GRDB

// A job's identity: a checkpoint resumed with other identifying parameters is refused (Spring Batch's
// JobInstance = job name + identifying parameters), so that a restart never skips items because a
// *different* job completed them.
extension Checkpoint {
    /// Opens the checkpoint `name` for the job identified by `parameters`, refusing to resume a job
    /// that was started with other identifying parameters.
    ///
    /// The first open records `parameters`; later opens must give the same ones (order does not
    /// matter). ``reset()`` forgets them together with the items.
    ///
    /// ```swift
    /// let checkpoint = try Checkpoint(
    ///     name: "sync-labels",
    ///     directory: stateDirectory,
    ///     parameters: ["org": "mokoconsulting", "labels": "v3"]
    /// )
    /// ```
    ///
    /// - Throws: ``CheckpointError`` (``CheckpointError/Code/parametersChanged``) when the stored
    ///   parameters differ, naming the keys that changed (nothing is changed); otherwise as
    ///   ``init(name:directory:durability:wallClock:)``.
    public convenience init(
        name: String,
        directory: URL,
        parameters: [String: String],
        durability: StoreDurability = .full,
        wallClock: any WallClock = SystemWallClock()
    ) throws {
        try self.init(name: name, directory: directory, durability: durability, wallClock: wallClock)
        try bind(parameters)
    }

    /// The identifying parameters recorded for this checkpoint, or nil when none were.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public func parameters() throws -> [String: String]? {
        try read { db in
            try Data.fetchOne(
                db.cachedStatement(sql: "SELECT parameters FROM checkpoint_job WHERE checkpoint = ?"),
                arguments: [name]
            )
        }.flatMap { try? JSONDecoder().decode([String: String].self, from: $0) }
    }

    /// Records `parameters`, or checks them against the recorded ones.
    private func bind(_ parameters: [String: String]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let canonical = try encoder.encode(parameters)
        let now = RecoveryStoreSchema.encode(wallClock.currentDate)
        let stored: Data? = try transaction { db in
            if let existing = try Data.fetchOne(
                db.cachedStatement(sql: "SELECT parameters FROM checkpoint_job WHERE checkpoint = ?"),
                arguments: [name]
            ) {
                return existing
            }
            try db.cachedStatement(
                sql: "INSERT INTO checkpoint_job (checkpoint, parameters, created_at) VALUES (?, ?, ?)"
            ).execute(arguments: [name, canonical, now])
            return nil
        }
        guard let stored, stored != canonical else { return }
        let previous = (try? JSONDecoder().decode([String: String].self, from: stored)) ?? [:]
        let changed = Set(previous.keys).union(parameters.keys).filter { previous[$0] != parameters[$0] }.sorted()
        throw CheckpointError(
            code: .parametersChanged,
            checkpoint: name,
            itemID: "",
            message: "the checkpoint was started with other identifying parameters (changed: "
                + "\(changed.joined(separator: ", "))); resuming would mix two jobs — use another name, "
                + "or reset the checkpoint to start over"
        )
    }
}
