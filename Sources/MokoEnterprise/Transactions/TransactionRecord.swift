import Foundation

/// Where a transaction is in its life.
///
/// ```
/// pending ──commit()──▶ committing ──▶ committed
///    │                      └────────▶ rolledBack | failed
///    └──rollback()──▶ rollingBack ───▶ rolledBack | failed
/// ```
///
/// A committed *nested* transaction becomes `rolledBack` (or `failed`) later if its parent rolls back.
public enum TransactionStatus: String, Sendable, Hashable, CustomStringConvertible {
    /// Open: operations can be added, run and committed.
    case pending
    /// ``Transaction/commit()`` is running the deferred operations (or rolling back after a failure).
    case committing
    /// ``Transaction/rollback()`` is undoing what ran.
    case rollingBack
    /// Every operation ran and the transaction is final (for a nested one: until its parent fails).
    case committed
    /// Something failed or the caller asked for a rollback, and every rollback that was due succeeded.
    case rolledBack
    /// At least one rollback threw: the system may be half-changed and needs attention.
    case failed

    /// `true` once the transaction can no longer change (committed, rolled back or failed).
    public var isFinished: Bool { self == .committed || self == .rolledBack || self == .failed }

    /// The raw name, e.g. `rolledBack`.
    public var description: String { rawValue }
}

/// What happened to one operation of a transaction.
public enum TransactionOperationOutcome: String, Sendable, Hashable, CustomStringConvertible {
    /// Added but never run: the transaction was rolled back or failed before reaching it, or was never committed.
    case notRun
    /// The forward action succeeded and has not been undone.
    case succeeded
    /// The forward action threw; the operation is assumed to have had no effect, so its rollback did not run.
    case failed
    /// The forward action ran (or failed with `rollbackOnOwnFailure`) and its rollback succeeded.
    case rolledBack
    /// The rollback threw: this operation's effect may still be in place.
    case rollbackFailed

    /// The raw name, e.g. `rollbackFailed`.
    public var description: String { rawValue }
}

/// One operation as it ended, in a ``TransactionRecord``.
public struct TransactionOperationRecord: Sendable, CustomStringConvertible {
    /// The operation's name, as given to ``Transaction/addOperation(_:rollbackOnOwnFailure:forward:rollback:)``.
    public var name: String
    /// What happened to it.
    public var outcome: TransactionOperationOutcome
    /// `true` for operations added with `addOperation` (run at commit), `false` for ``Transaction/run(_:rollbackOnOwnFailure:forward:rollback:)``.
    public var isDeferred: Bool
    /// The error the forward action threw, if it did.
    public var error: (any Error)?
    /// The error the rollback threw, if it did.
    public var rollbackError: (any Error)?
    /// How long the forward action took, if it ran (measured on the manager's wall clock).
    public var duration: Duration?
    /// How long the rollback took, if it ran.
    public var rollbackDuration: Duration?

    /// `name: outcome`, plus the errors.
    public var description: String {
        var text = "\(name): \(outcome)"
        if let error { text += " (error: \(error))" }
        if let rollbackError { text += " (rollback error: \(rollbackError))" }
        return text
    }
}

/// A finished transaction as kept in ``TransactionManager/getHistory()``.
public struct TransactionRecord: Sendable, Identifiable, CustomStringConvertible {
    /// The transaction's unique identifier.
    public var id: UUID
    /// The name given to ``TransactionManager/beginTransaction(_:)`` or ``Transaction/beginNested(_:)``.
    public var name: String
    /// The final status: ``TransactionStatus/committed``, ``TransactionStatus/rolledBack`` or
    /// ``TransactionStatus/failed``.
    public var status: TransactionStatus
    /// When the transaction was begun (manager's wall clock).
    public var startedAt: Date
    /// When it finished.
    public var finishedAt: Date
    /// Every operation in the order it was added, with its outcome and durations.
    public var operations: [TransactionOperationRecord]
    /// Nested transactions begun inside this one, in the order they were begun, with their final outcomes.
    public var children: [TransactionRecord]
    /// The operation whose failure caused the rollback, if one did.
    public var failedOperation: String?
    /// The primary error: the failing operation's, the closure's, or `CancellationError`; `nil` when the
    /// transaction committed or was rolled back on request.
    public var error: (any Error)?

    /// `finishedAt - startedAt`.
    public var duration: Duration {
        .seconds(finishedAt.timeIntervalSince(startedAt))
    }

    /// `name: status (n operations)`.
    public var description: String { "\(name): \(status) (\(operations.count) operations)" }
}

/// Counters over everything a ``TransactionManager`` has finished.
///
/// Transaction counts are for top-level transactions (a nested transaction's fate is its parent's);
/// operation and rollback counts include nested transactions.
public struct TransactionStats: Sendable, Hashable {
    /// Top-level transactions that committed.
    public var committed = 0
    /// Top-level transactions that rolled back cleanly.
    public var rolledBack = 0
    /// Top-level transactions whose rollback was incomplete (status ``TransactionStatus/failed``).
    public var failed = 0
    /// Forward actions that ran (successfully or not).
    public var operationsRun = 0
    /// Forward actions that threw.
    public var operationsFailed = 0
    /// Rollback actions that ran (successfully or not).
    public var rollbacksRun = 0
    /// Rollback actions that threw.
    public var failedRollbacks = 0

    /// Creates zeroed counters.
    public init() {}
}
