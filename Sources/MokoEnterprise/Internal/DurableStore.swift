import Foundation
import GRDB

/// A durable store (audit log, checkpoint, dead letter queue) could not be opened or used.
///
/// The error names the file or directory and says what to do. Opening never resets or recreates a
/// store that exists but cannot be read: the caller's data stays where it is.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// The file or directory concerned.
    public var path: String
    /// What went wrong, in a sentence.
    public var reason: String

    /// Creates a store error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `"<path>: <reason>"`.
    public var description: String { "\(path): \(reason)" }
}

/// How hard a store works to keep a commit on a power cut.
public enum StoreDurability: Sendable {
    /// Every commit is on disk before the call returns (`PRAGMA synchronous=FULL`): survives power loss.
    case full
    /// Commits survive a crash or `kill -9` of the process but the last few may be lost on power loss
    /// (`PRAGMA synchronous=NORMAL`, SQLite's recommended WAL setting).
    case normal
}

/// Opens the SQLite databases behind the library's durable types, all the same way:
/// WAL journal, a busy timeout, an integrity check, and schema migrations.
enum DurableStore {
    /// Opens (creating when absent) `directory/fileName` and migrates it.
    ///
    /// - Throws: ``StoreError`` naming the directory when it cannot be created or written, and naming
    ///   the file when it exists but is not a healthy SQLite database. Nothing is deleted or reset.
    static func open(
        directory: URL,
        fileName: String,
        durability: StoreDurability = .full,
        migrator: DatabaseMigrator
    ) throws -> DatabaseQueue {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError(path: directory.path, reason: "exists but is not a directory")
            }
        } else {
            do {
                try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError(
                    path: directory.path,
                    reason: "cannot create the store directory (\(error.localizedDescription))"
                )
            }
        }
        guard fileManager.isWritableFile(atPath: directory.path) else {
            throw StoreError(path: directory.path, reason: "the store directory is not writable")
        }

        let file = directory.appendingPathComponent(fileName)
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(10)
        configuration.label = fileName
        configuration.prepareDatabase { db in
            switch durability {
            case .full: try db.execute(sql: "PRAGMA synchronous = FULL")
            case .normal: try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        do {
            let queue = try DatabaseQueue(path: file.path, configuration: configuration)
            let check = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check") }
            guard check == "ok" else {
                throw StoreError(
                    path: file.path,
                    reason: "the database failed its integrity check (\(check ?? "no answer")); "
                        + "move it aside to start over — it was left untouched"
                )
            }
            try migrator.migrate(queue)
            return queue
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(
                path: file.path,
                reason: "not a usable SQLite database (\(error.message ?? "\(error.resultCode)")); "
                    + "move it aside to start over — it was left untouched"
            )
        } catch {
            throw StoreError(path: file.path, reason: "cannot open the store (\(error))")
        }
    }
}
