/// A rollback that threw, as listed in ``TransactionFailed``.
public struct TransactionRollbackFailure: Sendable, CustomStringConvertible {
    /// The operation whose rollback threw. Operations of nested transactions are qualified with the
    /// nested transaction's name: `child/operation`.
    public var operation: String
    /// What the rollback threw.
    public var error: any Error

    /// `operation: error`.
    public var description: String { "\(operation): \(error)" }
}

/// A transaction did not commit: what failed, what was undone, and what could not be undone.
///
/// Thrown by ``Transaction/commit()`` when an operation fails, by the closure forms when rolling back
/// after the closure threw left something not undone, and by ``Transaction/rollback()`` when a rollback
/// threw. The primary error stays primary: ``error`` is always the first thing that went wrong, never a
/// rollback error; rollback errors are listed, never swallowed, in ``rollbackFailures``.
///
/// What to do: if ``isRollbackComplete`` the system is back where it started and the transaction may be
/// retried; otherwise every entry of ``rollbackFailures`` names an effect that is still in place and
/// needs manual (or scheduled) cleanup.
public struct TransactionFailed: Error, CustomStringConvertible {
    /// The transaction's name.
    public var transaction: String
    /// The operation whose forward action failed, or `nil` when the rollback was not caused by an
    /// operation (an error thrown by a transaction closure, a cancellation, or an explicit rollback).
    public var failedOperation: String?
    /// The primary error: the failing operation's (or the closure's, or `CancellationError`); `nil` only
    /// for an explicit ``Transaction/rollback()``.
    public var error: (any Error)?
    /// The operations that were rolled back successfully, in the order they were rolled back (the reverse
    /// of the order they ran). Operations of nested transactions read `child/operation`.
    public var rolledBack: [String]
    /// Every rollback that threw, in the order they were attempted.
    public var rollbackFailures: [TransactionRollbackFailure]

    /// `true` when every rollback that was due succeeded (the transaction's status is
    /// ``TransactionStatus/rolledBack``); `false` means some effect is still in place
    /// (status ``TransactionStatus/failed``).
    public var isRollbackComplete: Bool { rollbackFailures.isEmpty }

    /// Whether the primary error is a cancellation.
    public var isCancellation: Bool { error is CancellationError }

    /// One paragraph naming the failure, the rollbacks and the rollback failures.
    public var description: String {
        var text = "Transaction '\(transaction)' "
        if let failedOperation {
            text += "failed at operation '\(failedOperation)'"
        } else if isCancellation {
            text += "was cancelled"
        } else if error != nil {
            text += "was aborted"
        } else {
            text += "was rolled back on request"
        }
        if let error { text += ": \(error)" }
        text += ". Rolled back: " + (rolledBack.isEmpty ? "nothing" : rolledBack.joined(separator: ", ")) + "."
        if !rollbackFailures.isEmpty {
            text += " Rollback FAILED for "
            text += rollbackFailures.map(\.description).joined(separator: "; ")
            text += ": these effects are still in place and need cleanup."
        }
        return text
    }
}

/// A transaction was asked to do something its status does not allow (commit twice, add an operation
/// after commit, commit with a nested transaction still open). Nothing was changed.
public struct TransactionStateError: Error, CustomStringConvertible {
    /// The action that was refused.
    public enum Action: String, Sendable {
        /// ``Transaction/addOperation(_:rollbackOnOwnFailure:forward:rollback:)``.
        case addOperation
        /// ``Transaction/run(_:rollbackOnOwnFailure:forward:rollback:)``.
        case run
        /// ``Transaction/commit()``.
        case commit
        /// ``Transaction/rollback()``.
        case rollback
        /// ``Transaction/beginNested(_:)``.
        case beginNested
    }

    /// Why it was refused.
    public enum Reason: Sendable, CustomStringConvertible {
        /// The transaction is not pending (already committing, committed, rolled back or failed).
        case notPending(TransactionStatus)
        /// Nested transactions are still open; commit or roll them back first.
        case openNestedTransactions([String])
        /// The parent of this nested transaction has already finished with the given status.
        case parentFinished(TransactionStatus)

        /// A sentence naming the cause.
        public var description: String {
            switch self {
            case .notPending(let status):
                return "it is \(status), not pending"
            case .openNestedTransactions(let names):
                return
                    "nested transactions are still open (\(names.joined(separator: ", "))); commit or roll them back first"
            case .parentFinished(let status):
                return "its parent transaction is already \(status)"
            }
        }
    }

    /// The transaction's name.
    public var transaction: String
    /// The refused action.
    public var action: Action
    /// Why.
    public var reason: Reason

    /// e.g. "Cannot commit transaction 'deploy': it is committed, not pending."
    public var description: String {
        "Cannot \(action.rawValue) on transaction '\(transaction)': \(reason). Nothing was changed."
    }
}
