import Foundation
import Logging
import Synchronization

/// Begins transactions and keeps the history and statistics of the ones that finished.
///
/// ```swift
/// let manager = TransactionManager()
///
/// // Deferred (the curriculum's Exercise 1.9 and 2.3): nothing runs until commit().
/// let txn = manager.beginTransaction("update_repo")
/// try txn.addOperation("update_settings", forward: { try await api.updateSettings() },
///                      rollback: { try await api.restoreSettings() })
/// try txn.addOperation("update_protection", forward: { try await api.protect() },
///                      rollback: { try await api.unprotect() })
/// try await txn.commit()   // runs both; on failure undoes what ran, in reverse, and throws TransactionFailed
///
/// // Closure-scoped (the curriculum's `with manager.begin_transaction(...) as txn:`):
/// try await manager.transaction("update_repo") { txn in
///     let hook = try await txn.run("create_webhook", forward: { try await api.createHook() },
///                                  rollback: { hook in try await api.deleteHook(hook.id) })
///     try await txn.run("update_settings", forward: { try await api.updateSettings() },
///                       rollback: { try await api.restoreSettings() })
/// }   // commits on normal exit; rolls back and rethrows if the closure throws
///
/// print(manager.getHistory().count, manager.stats)
/// ```
///
/// Transactions are independent of each other: any number may be open at once (the original code refused
/// a second `begin`). The manager is `Sendable` and safe to share between tasks.
public final class TransactionManager: Sendable {
    /// The logger that receives transaction events (begin, failures, rollback failures, outcome).
    public let logger: Logger
    /// The most finished transactions kept by ``getHistory()`` (oldest dropped first).
    public let historyLimit: Int
    let wallClock: any WallClock

    private struct Journal {
        var history: [TransactionRecord] = []
        var stats = TransactionStats()
    }

    private let journal = Mutex(Journal())

    /// Creates a manager.
    ///
    /// - Parameters:
    ///   - logger: receives transaction events; the library never bootstraps logging.
    ///   - wallClock: stamps start and end dates and measures durations (pass a `ManualClock` in tests).
    ///   - historyLimit: how many finished top-level transactions ``getHistory()`` keeps; negative values
    ///     count as zero.
    public init(
        logger: Logger = Logger(label: "MokoEnterprise.Transactions"),
        wallClock: any WallClock = SystemWallClock(),
        historyLimit: Int = 1_000
    ) {
        self.logger = logger
        self.wallClock = wallClock
        self.historyLimit = max(0, historyLimit)
    }

    /// Begins a top-level transaction. Nothing runs until you add work and commit.
    ///
    /// - Parameter name: a name for logs and history, e.g. `update_settings_myrepo`.
    /// - Returns: a pending transaction.
    public func beginTransaction(_ name: String) -> Transaction {
        logger.debug("transaction begun", metadata: ["transaction": "\(name)"])
        return Transaction(name: name, parent: nil, manager: self)
    }

    /// Runs `body` in a new transaction that commits when `body` returns and rolls back when it throws.
    ///
    /// This is the Swift form of the curriculum's `with manager.begin_transaction(name) as txn:`. Inside,
    /// use ``Transaction/run(_:forward:rollback:)`` to act immediately with a registered compensation
    /// (reads best), or ``Transaction/addOperation(_:rollbackOnOwnFailure:forward:rollback:)`` to defer work
    /// to the commit at the end of the closure; calling ``Transaction/commit()`` inside is allowed too.
    ///
    /// - Parameters:
    ///   - name: the transaction's name.
    ///   - body: the work; it receives the transaction.
    /// - Returns: what `body` returned.
    /// - Throws: what `body` threw, unchanged, after everything that ran was rolled back; or
    ///   ``TransactionFailed`` (with `body`'s error as ``TransactionFailed/error``) if a rollback threw;
    ///   ``TransactionFailed`` if the final commit failed; `CancellationError` if the task was cancelled.
    public func transaction<Result>(
        _ name: String,
        _ body: (Transaction) async throws -> Result
    ) async throws -> Result {
        try await Transaction.scoped(beginTransaction(name), body)
    }

    /// The finished top-level transactions, oldest first, each with its operations' outcomes and
    /// durations and its nested transactions.
    public func getHistory() -> [TransactionRecord] {
        journal.withLock { $0.history }
    }

    /// Counters over every finished transaction.
    public var stats: TransactionStats {
        journal.withLock { $0.stats }
    }

    /// Forgets the history and resets the counters.
    public func clearHistory() {
        journal.withLock { $0 = Journal() }
    }

    // MARK: Called by Transaction

    func noteOperationRun(failed: Bool) {
        journal.withLock { journal in
            journal.stats.operationsRun += 1
            if failed { journal.stats.operationsFailed += 1 }
        }
    }

    func noteRollbackRun(failed: Bool) {
        journal.withLock { journal in
            journal.stats.rollbacksRun += 1
            if failed { journal.stats.failedRollbacks += 1 }
        }
    }

    func recordFinished(_ record: TransactionRecord) {
        journal.withLock { journal in
            switch record.status {
            case .committed: journal.stats.committed += 1
            case .rolledBack: journal.stats.rolledBack += 1
            default: journal.stats.failed += 1
            }
            guard historyLimit > 0 else { return }
            journal.history.append(record)
            if journal.history.count > historyLimit {
                journal.history.removeFirst(journal.history.count - historyLimit)
            }
        }
    }
}
