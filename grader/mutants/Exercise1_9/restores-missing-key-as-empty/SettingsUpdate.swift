// MUTANT restores-missing-key-as-empty: the rollback of a change to a key that did not exist sets it to ""
// instead of removing it. Caught by Exercise1_9HiddenChecks.test2_keysThatDidNotExistAreRemovedAgain.

import MokoEnterprise
import Synchronization

/// Applies several setting changes as one transaction: all of them, or none.
public enum SettingsUpdate {
    /// The name of the transaction in the manager's history.
    public static let transactionName = "update_settings"

    /// Sets every change in order, in one transaction named ``transactionName``; when one write fails, the
    /// ones before it are undone (in reverse order) and the error is rethrown.
    ///
    /// Each change is an operation named `set_<key>` whose rollback puts back what was there *before*:
    /// the old value, or no value at all when the key did not exist.
    ///
    /// - Parameters:
    ///   - changes: the changes, applied in order.
    ///   - settings: the store to change.
    ///   - manager: keeps the history of the transaction.
    /// - Throws: ``TransactionFailed`` naming the failed operation and what was rolled back.
    public static func apply(
        _ changes: [SettingChange], to settings: RepositorySettings, manager: TransactionManager
    ) async throws {
        let transaction = manager.beginTransaction(transactionName)
        for change in changes {
            // Deferred operations: nothing runs until commit(). The old value is read when the operation
            // runs, not now, so it is right even if an earlier change in this list touched the same key.
            let previous = Previous()
            try transaction.addOperation(
                "set_\(change.key)",
                forward: {
                    previous.store(settings.value(for: change.key))
                    try settings.set(change.value, for: change.key)
                },
                rollback: {
                    // MUTANT: a key that did not exist is "restored" as an empty string.
                    try settings.set(previous.load() ?? "", for: change.key)
                })
        }
        // Runs the operations in order; on a failure it rolls back what ran, records the transaction in the
        // history as rolled back, and throws TransactionFailed.
        try await transaction.commit()
    }

    /// The value a key had before its operation ran (written once by the forward action, read by the
    /// rollback; the transaction runs them one after the other).
    private final class Previous: Sendable {
        private let value = Mutex<String?>(nil)

        func store(_ newValue: String?) { value.withLock { $0 = newValue } }

        func load() -> String? { value.withLock { $0 } }
    }
}
