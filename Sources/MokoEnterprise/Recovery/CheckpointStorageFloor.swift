import Foundation
import GRDB

/// Benchmark support (package-internal): raw inserts through the same opener and PRAGMAs as
/// ``Checkpoint``, with none of its logic, so `moko-bench` can show the physical floor next to it.
package enum CheckpointStorageFloor {
    /// Inserts `count` rows into a fresh table shaped like the checkpoint's, `perTransaction` rows per
    /// committed transaction, in `directory/floor.sqlite`.
    package static func insertRows(
        directory: URL,
        count: Int,
        perTransaction: Int,
        durability: StoreDurability
    ) throws {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("floor-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE floor_item (
                        checkpoint TEXT NOT NULL, item_id TEXT NOT NULL, status TEXT NOT NULL, updated_at REAL NOT NULL,
                        PRIMARY KEY (checkpoint, item_id)
                    ) WITHOUT ROWID
                    """
            )
        }
        let queue = try DurableStore.open(
            directory: directory,
            fileName: "floor.sqlite",
            durability: durability,
            migrator: migrator
        )
        var next = 0
        while next < count {
            let end = min(count, next + max(1, perTransaction))
            let range = next..<end
            try queue.write { db in
                let statement = try db.cachedStatement(
                    sql:
                        "INSERT INTO floor_item (checkpoint, item_id, status, updated_at) VALUES ('floor', ?, 'completed', 0)"
                )
                for index in range { try statement.execute(arguments: ["item-\(index)"]) }
            }
            next = end
        }
    }
}
