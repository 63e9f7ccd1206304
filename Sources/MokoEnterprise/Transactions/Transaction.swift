import Foundation
import Logging
import Synchronization

/// A unit of work whose operations either all take effect or are all undone.
///
/// Create one with ``TransactionManager/beginTransaction(_:)`` (or ``Transaction/beginNested(_:)``), then
/// use either style:
///
/// - **Deferred** (the curriculum's `add_operation` + `commit`): ``addOperation(_:rollbackOnOwnFailure:forward:rollback:)``
///   only records the operation; nothing runs until ``commit()``, which runs the forward actions in order.
/// - **Immediate** (the natural form inside ``TransactionManager/transaction(_:_:)``):
///   ``run(_:forward:rollback:)`` runs the forward action at once and registers its
///   rollback as a compensation; ``commit()`` then makes the work final.
///
/// ## Failure and rollback
/// When a forward action throws, the operations that **ran successfully** are rolled back in **reverse**
/// order of execution. The failing operation itself is assumed to have had no effect, so its rollback does
/// not run, unless it was added with `rollbackOnOwnFailure: true` (use that for actions that may partially
/// apply, e.g. a request that timed out after the server acted); it is then rolled back first.
/// Every rollback is attempted even when an earlier one throws, and ``TransactionFailed`` lists the failing
/// operation and its error (primary), what was rolled back, and every rollback that threw. A rollback error
/// is never swallowed.
///
/// ## Nesting
/// ``beginNested(_:)`` (or ``nested(_:_:)``) opens a child with its own commit and rollback, like a SQL
/// savepoint (Spring's `NESTED`): a failing child rolls back only itself and throws to its caller; the
/// parent continues unless the caller rethrows. A committed child becomes one step of its parent, placed
/// where it committed: if the parent later rolls back, the child is rolled back as a unit (its operations
/// in reverse) at that point of the parent's reverse order. The parent cannot commit while a child is
/// still open. For Spring's `REQUIRES_NEW` (independent of the outer transaction), begin a separate
/// top-level transaction from the manager; for `REQUIRED`, add the operations to the outer transaction.
///
/// ## Cancellation
/// A commit in a cancelled task runs no further forward action; the rollbacks still run, shielded from
/// the cancellation, and then `CancellationError` is thrown (or ``TransactionFailed`` with
/// ``TransactionFailed/isCancellation`` when a rollback threw, so that the rollback failure is not lost).
///
/// All methods are safe to call from any task; the type is `Sendable`.
public final class Transaction: Sendable {
    /// A forward or rollback action.
    public typealias Action = @Sendable () async throws -> Void

    /// The transaction's unique identifier.
    public let id: UUID
    /// The name given when it was begun.
    public let name: String
    /// The transaction this one is nested in, if any.
    public let parent: Transaction?

    private let manager: TransactionManager
    private let startedAt: Date
    private let state = Mutex(TransactionState())

    init(name: String, parent: Transaction?, manager: TransactionManager) {
        self.id = UUID()
        self.name = name
        self.parent = parent
        self.manager = manager
        self.startedAt = manager.wallClock.currentDate
    }

    /// The current status.
    public var status: TransactionStatus { state.withLock { $0.status } }

    // MARK: Adding work

    /// Adds an operation to run at ``commit()``; nothing runs now.
    ///
    /// - Parameters:
    ///   - name: a name for reports and history (e.g. `update_settings`).
    ///   - rollbackOnOwnFailure: when `true`, `rollback` also runs if `forward` itself throws (for actions
    ///     that may have partially applied). Default `false`: a failing action is assumed to have had no effect.
    ///   - forward: the action.
    ///   - rollback: undoes `forward`; should be idempotent.
    /// - Throws: ``TransactionStateError`` if the transaction is not pending (already committing, committed,
    ///   rolled back or failed). Nothing is added then.
    public func addOperation(
        _ name: String,
        rollbackOnOwnFailure: Bool = false,
        forward: @escaping Action,
        rollback: @escaping Action
    ) throws {
        try state.withLock { state in
            guard state.status == .pending else {
                throw TransactionStateError(
                    transaction: self.name, action: .addOperation, reason: .notPending(state.status))
            }
            state.operations.append(
                TransactionState.Operation(
                    name: name, forward: forward, rollback: rollback, rollbackOnOwnFailure: rollbackOnOwnFailure,
                    isDeferred: true))
        }
    }

    /// Runs an operation now and registers its rollback, to be run if the transaction rolls back later.
    ///
    /// If `forward` throws, its error is rethrown unchanged and the operation is recorded as failed (with no
    /// result there is nothing to compensate, so its rollback is not registered). The transaction stays
    /// pending, so the caller decides: rethrow (inside ``TransactionManager/transaction(_:_:)`` this rolls
    /// everything back), call ``rollback()``, or carry on and commit the rest.
    ///
    /// - Parameters:
    ///   - name: a name for reports and history.
    ///   - forward: the action; its result is returned and handed to `rollback`.
    ///   - rollback: undoes `forward`, given what `forward` returned; should be idempotent.
    /// - Returns: what `forward` returned.
    /// - Throws: ``TransactionStateError`` if the transaction is not pending (nothing runs), or what
    ///   `forward` threw.
    @discardableResult
    public func run<Result: Sendable>(
        _ name: String,
        forward: () async throws -> Result,
        rollback: @escaping @Sendable (Result) async throws -> Void
    ) async throws -> Result {
        try await runNow(name, rollbackOnOwnFailure: false, registered: nil, forward: forward) { value in
            { try await rollback(value) }
        }
    }

    /// Runs an operation that returns nothing now and registers its rollback.
    ///
    /// The same as ``run(_:forward:rollback:)`` for actions without a result, plus `rollbackOnOwnFailure`.
    ///
    /// - Parameters:
    ///   - name: a name for reports and history.
    ///   - rollbackOnOwnFailure: when `true`, `rollback` is registered even if `forward` throws (for
    ///     actions that may have partially applied).
    ///   - forward: the action.
    ///   - rollback: undoes `forward`; should be idempotent.
    /// - Throws: ``TransactionStateError`` if the transaction is not pending (nothing runs), or what
    ///   `forward` threw.
    public func run(
        _ name: String,
        rollbackOnOwnFailure: Bool = false,
        forward: () async throws -> Void,
        rollback: @escaping Action
    ) async throws {
        try await runNow(name, rollbackOnOwnFailure: rollbackOnOwnFailure, registered: rollback, forward: forward) {
            _ in rollback
        }
    }

    private func runNow<Result>(
        _ name: String,
        rollbackOnOwnFailure: Bool,
        registered: Action?,
        forward: () async throws -> Result,
        makeRollback: (Result) -> Action
    ) async throws -> Result {
        let index = try state.withLock { state in
            guard state.status == .pending else {
                throw TransactionStateError(transaction: self.name, action: .run, reason: .notPending(state.status))
            }
            state.operations.append(
                TransactionState.Operation(
                    name: name, forward: nil, rollback: registered, rollbackOnOwnFailure: rollbackOnOwnFailure,
                    isDeferred: false))
            return state.operations.count - 1
        }
        let start = manager.wallClock.currentDate
        do {
            let value = try await forward()
            finishForward(index: index, start: start, error: nil, rollback: makeRollback(value))
            return value
        } catch {
            finishForward(index: index, start: start, error: error, rollback: nil)
            throw error
        }
    }

    // MARK: Nesting

    /// Opens a nested transaction with its own commit and rollback (a savepoint).
    ///
    /// See the type's documentation for how a child's failure and its parent's failure interact.
    ///
    /// - Parameter name: the child's name; its operations appear as `name/operation` in the parent's
    ///   ``TransactionFailed/rolledBack`` list.
    /// - Throws: ``TransactionStateError`` if this transaction is not pending.
    public func beginNested(_ name: String) throws -> Transaction {
        let child = Transaction(name: name, parent: self, manager: manager)
        try state.withLock { state in
            guard state.status == .pending else {
                throw TransactionStateError(
                    transaction: self.name, action: .beginNested, reason: .notPending(state.status))
            }
            state.nested.append(child)
        }
        manager.logger.debug(
            "nested transaction begun", metadata: ["transaction": "\(name)", "parent": "\(self.name)"])
        return child
    }

    /// Runs `body` in a nested transaction that commits when `body` returns and rolls back when it throws.
    ///
    /// The nested counterpart of ``TransactionManager/transaction(_:_:)``, with the same rules. The parent
    /// is not rolled back by the child's failure unless the caller lets the error propagate out of the
    /// parent's own closure.
    ///
    /// - Returns: what `body` returned.
    /// - Throws: what `body` threw (after the rollback), ``TransactionFailed`` if the commit failed or a
    ///   rollback threw, or ``TransactionStateError`` if this transaction is not pending.
    public func nested<Result>(
        _ name: String,
        _ body: (Transaction) async throws -> Result
    ) async throws -> Result {
        try await Transaction.scoped(try beginNested(name), body)
    }

    // MARK: Finishing

    /// Runs the deferred operations in order and makes the transaction final.
    ///
    /// On a failure, rolls back what ran (see the type's documentation) and throws.
    ///
    /// - Throws: ``TransactionStateError`` if the transaction is not pending or a nested transaction is
    ///   still open (nothing runs); ``TransactionFailed`` if an operation failed; `CancellationError` if the
    ///   task was cancelled (after the rollbacks ran).
    public func commit() async throws {
        let parentStatus = parent?.status
        let deferred = try state.withLock { state -> [(Int, Action)] in
            guard state.status == .pending else {
                throw TransactionStateError(transaction: name, action: .commit, reason: .notPending(state.status))
            }
            if let parentStatus, parentStatus != .pending && parentStatus != .committing {
                throw TransactionStateError(transaction: name, action: .commit, reason: .parentFinished(parentStatus))
            }
            let open = state.nested.filter { !$0.status.isFinished }.map(\.name)
            if !open.isEmpty {
                throw TransactionStateError(transaction: name, action: .commit, reason: .openNestedTransactions(open))
            }
            state.status = .committing
            return state.operations.indices.compactMap { index in
                let operation = state.operations[index]
                guard operation.isDeferred, operation.outcome == .notRun, let forward = operation.forward else {
                    return nil
                }
                return (index, forward)
            }
        }

        var failure: (operation: String, error: any Error)?
        var cancelled = Task.isCancelled
        if !cancelled {
            for (index, forward) in deferred {
                if Task.isCancelled {
                    cancelled = true
                    break
                }
                let start = manager.wallClock.currentDate
                do {
                    try await forward()
                    finishForward(index: index, start: start, error: nil, rollback: nil)
                } catch {
                    finishForward(index: index, start: start, error: error, rollback: nil)
                    if error is CancellationError {
                        cancelled = true
                    } else {
                        failure = (state.withLock { $0.operations[index].name }, error)
                    }
                    break
                }
            }
        }

        if failure == nil && !cancelled {
            // Committed before attaching, so that a parent rollback that sees the child undoes it as a unit.
            state.withLock { $0.status = .committed }
            if let parent, let parentStatus = parent.attach(self) {
                // The parent finished (or began rolling back) while this child was committing: the child's
                // work cannot become part of it, so undo it here.
                let error = TransactionStateError(
                    transaction: name, action: .commit, reason: .parentFinished(parentStatus))
                throw await rollBackAndFinish(failedOperation: nil, error: error)
            }
            finish()
            return
        }
        let failed = await rollBackAndFinish(
            failedOperation: failure?.operation, error: failure?.error ?? CancellationError())
        if cancelled && failed.isRollbackComplete { throw CancellationError() }
        throw failed
    }

    /// Undoes everything that ran (immediate operations and committed nested transactions), in reverse
    /// order, and finishes the transaction as rolled back.
    ///
    /// - Throws: ``TransactionStateError`` if the transaction is not pending; ``TransactionFailed`` (with a
    ///   `nil` ``TransactionFailed/error``) if a rollback threw.
    public func rollback() async throws {
        try beginRollingBack()
        let failed = await rollBackAndFinish(failedOperation: nil, error: nil)
        if !failed.isRollbackComplete { throw failed }
    }

    // MARK: Scoped form

    /// Runs `body` with `transaction`, committing on normal exit and rolling back when it throws.
    static func scoped<Result>(
        _ transaction: Transaction,
        _ body: (Transaction) async throws -> Result
    ) async throws -> Result {
        let value: Result
        do {
            value = try await body(transaction)
        } catch {
            // The body may have committed or rolled back explicitly before throwing: then there is nothing
            // left to undo here.
            guard (try? transaction.beginRollingBack()) != nil else { throw error }
            let failed = await transaction.rollBackAndFinish(failedOperation: nil, error: error)
            if failed.isRollbackComplete { throw error }
            throw failed
        }
        if transaction.status == .pending {
            try await transaction.commit()
        }
        return value
    }

    // MARK: Internals

    private func beginRollingBack() throws {
        try state.withLock { state in
            guard state.status == .pending else {
                throw TransactionStateError(transaction: name, action: .rollback, reason: .notPending(state.status))
            }
            state.status = .rollingBack
        }
    }

    /// Records the end of a forward action and, if it is to be rolled back later, registers it.
    private func finishForward(index: Int, start: Date, error: (any Error)?, rollback: Action?) {
        let duration = Duration.seconds(manager.wallClock.currentDate.timeIntervalSince(start))
        let operationName = state.withLock { state -> String in
            var operation = state.operations[index]
            operation.duration = duration
            if let rollback { operation.rollback = rollback }
            if let error {
                operation.outcome = .failed
                operation.error = error
                if operation.rollbackOnOwnFailure { state.executed.append(.operation(index)) }
            } else {
                operation.outcome = .succeeded
                state.executed.append(.operation(index))
            }
            state.operations[index] = operation
            return operation.name
        }
        manager.noteOperationRun(failed: error != nil)
        if let error {
            manager.logger.warning(
                "transaction operation failed",
                metadata: [
                    "transaction": "\(name)", "operation": "\(operationName)",
                    "error": "\(SecretRedactor.redact(String(describing: error)))",
                ])
        }
    }

    /// Called by a child that committed: makes it one step of this transaction. Returns this transaction's
    /// status when it can no longer take the child (it finished meanwhile), `nil` on success.
    private func attach(_ child: Transaction) -> TransactionStatus? {
        state.withLock { state in
            guard (state.status == .pending || state.status == .committing) && !state.rollbackStarted else {
                return state.status
            }
            state.executed.append(.nested(child))
            return nil
        }
    }

    /// Rolls back what ran, shielded from cancellation, sets the final status, records the transaction and
    /// returns the error describing the outcome (the caller decides whether to throw it).
    private func rollBackAndFinish(failedOperation: String?, error: (any Error)?) async -> TransactionFailed {
        let (rolledBack, failures) = await TransactionCancellationShield.run { await self.rollBackExecuted() }
        state.withLock { state in
            state.status = failures.isEmpty ? .rolledBack : .failed
            state.failedOperation = failedOperation
            state.error = error
        }
        let failed = TransactionFailed(
            transaction: name, failedOperation: failedOperation, error: error, rolledBack: rolledBack,
            rollbackFailures: failures)
        finish()
        return failed
    }

    /// A committed (or still open) nested transaction being undone by its parent.
    private func rollBackAsUnit() async -> (rolledBack: [String], failures: [TransactionRollbackFailure]) {
        let proceed = state.withLock { state -> Bool in
            guard state.status == .committed || state.status == .pending else { return false }
            state.status = .rollingBack
            return true
        }
        guard proceed else { return ([], []) }
        let (rolledBack, failures) = await rollBackExecuted()
        state.withLock { $0.status = failures.isEmpty ? .rolledBack : .failed }
        return (rolledBack, failures)
    }

    /// Rolls back, in reverse order, every still-open nested transaction and then every executed step.
    /// Attempts every rollback whatever the others do.
    private func rollBackExecuted() async -> (rolledBack: [String], failures: [TransactionRollbackFailure]) {
        let (executed, nested) = state.withLock { state in
            state.rollbackStarted = true
            return (state.executed, state.nested)
        }
        let open = nested.filter { $0.status == .pending }
        var steps: [TransactionState.Executed] = open.map { .nested($0) }.reversed()
        steps += executed.reversed()

        var rolledBack: [String] = []
        var failures: [TransactionRollbackFailure] = []
        for step in steps {
            switch step {
            case .operation(let index):
                let (operationName, rollback) = state.withLock {
                    ($0.operations[index].name, $0.operations[index].rollback)
                }
                guard let rollback else { continue }
                let start = manager.wallClock.currentDate
                var rollbackError: (any Error)?
                do {
                    try await rollback()
                } catch {
                    rollbackError = error
                }
                let duration = Duration.seconds(manager.wallClock.currentDate.timeIntervalSince(start))
                state.withLock { state in
                    state.operations[index].rollbackDuration = duration
                    state.operations[index].rollbackError = rollbackError
                    state.operations[index].outcome = rollbackError == nil ? .rolledBack : .rollbackFailed
                }
                manager.noteRollbackRun(failed: rollbackError != nil)
                if let rollbackError {
                    failures.append(TransactionRollbackFailure(operation: operationName, error: rollbackError))
                    manager.logger.error(
                        "transaction rollback failed; the operation's effect may still be in place",
                        metadata: [
                            "transaction": "\(name)", "operation": "\(operationName)",
                            "error": "\(SecretRedactor.redact(String(describing: rollbackError)))",
                        ])
                } else {
                    rolledBack.append(operationName)
                }
            case .nested(let child):
                let (childRolledBack, childFailures) = await child.rollBackAsUnit()
                rolledBack += childRolledBack.map { "\(child.name)/\($0)" }
                failures += childFailures.map {
                    TransactionRollbackFailure(operation: "\(child.name)/\($0.operation)", error: $0.error)
                }
            }
        }
        return (rolledBack, failures)
    }

    /// Logs the final status and, for a top-level transaction, records it in the manager's history and
    /// releases the closures (which may capture the transaction).
    private func finish() {
        let now = manager.wallClock.currentDate
        state.withLock { $0.finishedAt = now }
        let record = makeRecord()
        let level: Logger.Level =
            switch record.status {
            case .committed: .info
            case .failed: .error
            default: .warning
            }
        manager.logger.log(
            level: level, "transaction finished",
            metadata: [
                "transaction": "\(name)", "status": "\(record.status)",
                "nested": "\(parent != nil)", "duration": "\(record.duration)",
            ])
        if parent == nil {
            manager.recordFinished(record)
            releaseClosures()
        } else if record.status != .committed {
            parent?.noteNestedFailure(record)
        }
    }

    private func noteNestedFailure(_ child: TransactionRecord) {
        manager.logger.warning(
            "nested transaction rolled back; parent continues unless the caller rethrows",
            metadata: ["transaction": "\(name)", "nested": "\(child.name)", "status": "\(child.status)"])
    }

    private func releaseClosures() {
        let nested = state.withLock { state -> [Transaction] in
            for index in state.operations.indices {
                state.operations[index].forward = nil
                state.operations[index].rollback = nil
            }
            state.executed = []
            return state.nested
        }
        for child in nested { child.releaseClosures() }
    }

    /// A snapshot of the transaction as a history record (children included).
    func makeRecord() -> TransactionRecord {
        let snapshot = state.withLock { $0 }
        return TransactionRecord(
            id: id, name: name, status: snapshot.status, startedAt: startedAt,
            finishedAt: snapshot.finishedAt ?? manager.wallClock.currentDate,
            operations: snapshot.operations.map {
                TransactionOperationRecord(
                    name: $0.name, outcome: $0.outcome, isDeferred: $0.isDeferred, error: $0.error,
                    rollbackError: $0.rollbackError, duration: $0.duration, rollbackDuration: $0.rollbackDuration)
            },
            children: snapshot.nested.map { $0.makeRecord() },
            failedOperation: snapshot.failedOperation, error: snapshot.error)
    }
}

/// The mutable part of a ``Transaction``, guarded by its mutex.
private struct TransactionState {
    struct Operation {
        var name: String
        /// `nil` for immediate operations (already run) and after the transaction finished.
        var forward: Transaction.Action?
        /// `nil` after the transaction finished.
        var rollback: Transaction.Action?
        var rollbackOnOwnFailure: Bool
        var isDeferred: Bool
        var outcome: TransactionOperationOutcome = .notRun
        var error: (any Error)?
        var rollbackError: (any Error)?
        var duration: Duration?
        var rollbackDuration: Duration?
    }

    /// One step that took effect, in execution order: what a rollback undoes, in reverse.
    enum Executed {
        case operation(Int)
        case nested(Transaction)
    }

    var status: TransactionStatus = .pending
    var operations: [Operation] = []
    var executed: [Executed] = []
    var nested: [Transaction] = []
    var failedOperation: String?
    var error: (any Error)?
    var finishedAt: Date?
    /// Set when the rollback took its snapshot of `executed`: no nested transaction may attach after that.
    var rollbackStarted = false
}
