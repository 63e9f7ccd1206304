import Foundation
import GRDB

/// The SQLite file shared by ``Checkpoint`` and ``DeadLetterQueue``, and its schema.
///
/// One file per directory (`recovery.sqlite`) holds any number of named checkpoints and dead letter
/// queues: rows are keyed by the checkpoint (or queue) name. A dead letter queue named `jobs` counts its
/// retries in the checkpoint named `jobs` in the same file, so that moving an item to the queue and
/// updating its checkpoint row is one SQLite transaction.
///
/// Free text (results, errors, reasons, outbox messages) is stored as UTF-8 `BLOB`s so that it
/// round-trips verbatim, NUL characters included (SQLite's text binding stops at the first NUL). Item
/// ids and names are `TEXT` keys; they may hold any character except NUL.
///
/// Dates are stored as `REAL` seconds since 2001-01-01T00:00:00Z (Foundation's reference date), which
/// round-trips a `Date` exactly.
enum RecoveryStoreSchema {
    /// The database file's name inside the directory given to ``Checkpoint`` or ``DeadLetterQueue``.
    static let fileName = "recovery.sqlite"

    /// Item states in `checkpoint_item.status`.
    enum Status {
        /// The item finished; its result is stored.
        static let completed = "completed"
        /// The item's last attempt failed; its error is stored.
        static let failed = "failed"
        /// Only a retry count was recorded (``Checkpoint/incrementRetryCount(_:)`` before any failure).
        static let pending = "pending"
    }

    /// The migrations, in order. Never edit a shipped migration: add a new one.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("recovery-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE checkpoint_item (
                        checkpoint TEXT NOT NULL,
                        item_id TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('completed', 'failed', 'pending')),
                        result BLOB,
                        last_error BLOB,
                        retry_count INTEGER NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
                        first_failed_at REAL,
                        last_failed_at REAL,
                        completed_at REAL,
                        updated_at REAL NOT NULL,
                        PRIMARY KEY (checkpoint, item_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX checkpoint_item_by_status ON checkpoint_item (checkpoint, status);
                    CREATE TABLE checkpoint_outbox (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        checkpoint TEXT NOT NULL,
                        item_id TEXT NOT NULL,
                        message BLOB NOT NULL,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX checkpoint_outbox_by_checkpoint ON checkpoint_outbox (checkpoint, sequence);
                    CREATE TABLE dead_letter_entry (
                        queue TEXT NOT NULL,
                        item_id TEXT NOT NULL,
                        payload BLOB NOT NULL,
                        reason BLOB NOT NULL,
                        last_error BLOB NOT NULL,
                        error_type TEXT,
                        retry_count INTEGER NOT NULL CHECK (retry_count >= 0),
                        first_failed_at REAL NOT NULL,
                        last_failed_at REAL NOT NULL,
                        dead_lettered_at REAL NOT NULL,
                        sequence INTEGER NOT NULL,
                        PRIMARY KEY (queue, item_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX dead_letter_entry_by_sequence ON dead_letter_entry (queue, sequence);
                    CREATE TABLE checkpoint_job (
                        checkpoint TEXT PRIMARY KEY NOT NULL,
                        parameters BLOB NOT NULL,
                        created_at REAL NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
        return migrator
    }()

    /// Opens (creating when absent) the recovery database in `directory`.
    static func open(directory: URL, durability: StoreDurability) throws -> DatabaseQueue {
        try DurableStore.open(
            directory: directory,
            fileName: fileName,
            durability: durability,
            migrator: migrator
        )
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: all of it commits, or none of it.
    ///
    /// `IMMEDIATE` takes the write lock up front, so two processes sharing the file wait on the busy
    /// timeout instead of failing with `SQLITE_BUSY` half-way through.
    static func transaction<T>(_ queue: DatabaseQueue, file: URL, _ body: (Database) throws -> T) throws -> T {
        try translatingErrors(file: file) {
            try queue.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else {
                    throw StoreError(path: file.path, reason: "the transaction committed without a result")
                }
                return result
            }
        }
    }

    /// Runs `body`, which reads with ONE statement (a single statement always sees one consistent
    /// state), without opening a transaction: this is the hot path of `isCompleted`.
    static func read<T>(_ queue: DatabaseQueue, file: URL, _ body: (Database) throws -> T) throws -> T {
        try translatingErrors(file: file) {
            try queue.writeWithoutTransaction { db in try body(db) }
        }
    }

    /// Runs `body`, which reads with several statements, in one deferred transaction, so that all of
    /// them see the same snapshot even while another process writes.
    static func snapshot<T>(_ queue: DatabaseQueue, file: URL, _ body: (Database) throws -> T) throws -> T {
        try translatingErrors(file: file) {
            try queue.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.deferred) {
                    result = try body(db)
                    return .commit
                }
                guard let result else {
                    throw StoreError(path: file.path, reason: "the read finished without a result")
                }
                return result
            }
        }
    }

    /// Turns SQLite errors into a ``StoreError`` naming the file; other errors pass through.
    static func translatingErrors<T>(file: URL, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw StoreError(
                path: file.path,
                reason: "the recovery store failed (\(error.message ?? "\(error.resultCode)")); "
                    + "nothing of this call was written"
            )
        }
    }

    /// Free text as stored in the database: its UTF-8 bytes.
    static func bytes(_ text: String) -> Data { Data(text.utf8) }

    /// Optional free text as stored in the database.
    static func bytes(_ text: String?) -> Data? { text.map { Data($0.utf8) } }

    /// Free text read back from `column` (nil when NULL).
    static func text(_ row: Row, _ column: String) -> String? {
        (row[column] as Data?).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `value` can be a key (an item id or a checkpoint name): non-empty, no NUL character.
    static func isValidKey(_ value: String) -> Bool {
        !value.isEmpty && !value.utf8.contains(0)
    }

    /// A date as stored in the database.
    static func encode(_ date: Date) -> Double { date.timeIntervalSinceReferenceDate }

    /// A stored date.
    static func decode(_ value: Double) -> Date { Date(timeIntervalSinceReferenceDate: value) }

    /// A stored optional date.
    static func decode(_ value: Double?) -> Date? { value.map { Date(timeIntervalSinceReferenceDate: $0) } }
}
