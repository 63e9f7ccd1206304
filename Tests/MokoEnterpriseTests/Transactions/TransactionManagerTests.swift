import Foundation
import Logging
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

/// An error thrown on purpose by a transaction test's operation.
private struct TransactionTestFailure: Error, Equatable {
    var operation: String
}

/// Builds forward/rollback actions that write to a shared ledger.
private struct TransactionLedger: Sendable {
    let entries = TestRecorder<String>()

    var values: [String] { entries.values }

    func forward(_ name: String, failing: Bool = false) -> Transaction.Action {
        { [entries] in
            entries.append("forward \(name)")
            if failing { throw TransactionTestFailure(operation: name) }
        }
    }

    func rollback(_ name: String, failing: Bool = false) -> Transaction.Action {
        { [entries] in
            entries.append("rollback \(name)")
            if failing { throw TransactionTestFailure(operation: "rollback \(name)") }
        }
    }

    func add(_ names: [String], to transaction: Transaction, failing: Set<String> = []) throws {
        for name in names {
            try transaction.addOperation(
                name, forward: forward(name, failing: failing.contains(name)), rollback: rollback(name))
        }
    }
}

@Suite struct TransactionManagerTests {
    let clock: ManualClock
    fileprivate let ledger = TransactionLedger()
    let manager: TransactionManager

    init() {
        clock = ManualClock()
        manager = TransactionManager(
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), wallClock: clock)
    }

    // MARK: Deferred execution

    @Test func addedOperationsDoNotRunBeforeCommit() async throws {
        let txn = manager.beginTransaction("update_repo")
        try ledger.add(["settings", "protection", "webhooks"], to: txn)
        #expect(ledger.values.isEmpty)
        #expect(txn.status == .pending)

        try await txn.commit()

        #expect(ledger.values == ["forward settings", "forward protection", "forward webhooks"])
        #expect(txn.status == .committed)
    }

    // MARK: Rollback

    @Test func failureRollsBackExactlyTheExecutedOperationsInReverse() async throws {
        let manager = self.manager
        let txn = manager.beginTransaction("update_repo")
        try ledger.add(["a", "b", "c", "d"], to: txn, failing: ["c"])

        let failure = await #expect(throws: TransactionFailed.self) { try await txn.commit() }

        #expect(ledger.values == ["forward a", "forward b", "forward c", "rollback b", "rollback a"])
        #expect(failure?.failedOperation == "c")
        #expect(failure?.error as? TransactionTestFailure == TransactionTestFailure(operation: "c"))
        #expect(failure?.rolledBack == ["b", "a"])
        #expect(failure?.rollbackFailures.isEmpty == true)
        #expect(failure?.isRollbackComplete == true)
        #expect(txn.status == .rolledBack)
        let record = try #require(manager.getHistory().first)
        #expect(record.operations.map(\.outcome) == [.rolledBack, .rolledBack, .failed, .notRun])
        #expect(record.failedOperation == "c")
    }

    @Test func everyRollbackIsAttemptedWhenOneRollbackFails() async throws {
        let manager = self.manager
        let txn = manager.beginTransaction("update_repo")
        try txn.addOperation("a", forward: ledger.forward("a"), rollback: ledger.rollback("a"))
        try txn.addOperation("b", forward: ledger.forward("b"), rollback: ledger.rollback("b", failing: true))
        try txn.addOperation("c", forward: ledger.forward("c"), rollback: ledger.rollback("c"))
        try txn.addOperation("d", forward: ledger.forward("d", failing: true), rollback: ledger.rollback("d"))

        let failure = try #require(await #expect(throws: TransactionFailed.self) { try await txn.commit() })

        #expect(
            ledger.values == [
                "forward a", "forward b", "forward c", "forward d", "rollback c", "rollback b", "rollback a",
            ])
        #expect(failure.failedOperation == "d")
        #expect(failure.error as? TransactionTestFailure == TransactionTestFailure(operation: "d"))
        #expect(failure.rolledBack == ["c", "a"])
        #expect(failure.rollbackFailures.map(\.operation) == ["b"])
        #expect(
            failure.rollbackFailures.first?.error as? TransactionTestFailure
                == TransactionTestFailure(operation: "rollback b"))
        #expect(!failure.isRollbackComplete)
        #expect(failure.description.contains("Rollback FAILED for b"))
        #expect(txn.status == .failed)
        #expect(manager.stats.failed == 1)
        #expect(manager.stats.failedRollbacks == 1)
        let record = try #require(manager.getHistory().first)
        #expect(record.operations.map(\.outcome) == [.rolledBack, .rollbackFailed, .rolledBack, .failed])
    }

    @Test func failingOperationIsRolledBackFirstWhenItAsksForIt() async throws {
        let txn = manager.beginTransaction("create_repo")
        try ledger.add(["a"], to: txn)
        try txn.addOperation(
            "b", rollbackOnOwnFailure: true, forward: ledger.forward("b", failing: true), rollback: ledger.rollback("b")
        )

        let failure = await #expect(throws: TransactionFailed.self) { try await txn.commit() }

        #expect(ledger.values == ["forward a", "forward b", "rollback b", "rollback a"])
        #expect(failure?.rolledBack == ["b", "a"])
    }

    // MARK: State machine

    @Test func committingTwiceIsAClearErrorThatChangesNothing() async throws {
        let txn = manager.beginTransaction("update_repo")
        try ledger.add(["a"], to: txn)
        try await txn.commit()

        let error = await #expect(throws: TransactionStateError.self) { try await txn.commit() }

        #expect(error?.action == .commit)
        #expect(error?.description.contains("committed") == true)
        #expect(ledger.values == ["forward a"])
        #expect(txn.status == .committed)
    }

    @Test func addingAfterCommitIsAClearErrorThatChangesNothing() async throws {
        let manager = self.manager
        let txn = manager.beginTransaction("update_repo")
        try await txn.commit()

        let error = #expect(throws: TransactionStateError.self) {
            try txn.addOperation("late", forward: ledger.forward("late"), rollback: ledger.rollback("late"))
        }
        await #expect(throws: TransactionStateError.self) {
            try await txn.run("late", forward: ledger.forward("late"), rollback: ledger.rollback("late"))
        }

        #expect(error?.action == .addOperation)
        #expect(ledger.values.isEmpty)
        #expect(manager.getHistory().first?.operations.isEmpty == true)
    }

    @Test func parentCannotCommitWhileANestedTransactionIsOpen() async throws {
        let parent = manager.beginTransaction("parent")
        try ledger.add(["p1"], to: parent)
        _ = try parent.beginNested("child")

        let error = await #expect(throws: TransactionStateError.self) { try await parent.commit() }

        #expect(error?.description.contains("child") == true)
        #expect(ledger.values.isEmpty)
        #expect(parent.status == .pending)
    }

    @Test func explicitRollbackUndoesImmediateOperationsInReverse() async throws {
        let txn = manager.beginTransaction("manual")
        try await txn.run("a", forward: ledger.forward("a"), rollback: ledger.rollback("a"))
        try await txn.run("b", forward: ledger.forward("b"), rollback: ledger.rollback("b"))
        try ledger.add(["deferred"], to: txn)

        try await txn.rollback()

        #expect(ledger.values == ["forward a", "forward b", "rollback b", "rollback a"])
        #expect(txn.status == .rolledBack)
    }

    // MARK: Nesting

    @Test func failingNestedTransactionRollsBackOnlyItself() async throws {
        let manager = self.manager
        let parent = manager.beginTransaction("update_org")
        try await parent.run("p1", forward: ledger.forward("p1"), rollback: ledger.rollback("p1"))
        let child = try parent.beginNested("repo_x")
        try ledger.add(["c1", "c2"], to: child, failing: ["c2"])

        let failure = await #expect(throws: TransactionFailed.self) { try await child.commit() }
        try ledger.add(["p2"], to: parent)
        try await parent.commit()

        #expect(failure?.rolledBack == ["c1"])
        #expect(ledger.values == ["forward p1", "forward c1", "forward c2", "rollback c1", "forward p2"])
        #expect(child.status == .rolledBack)
        #expect(parent.status == .committed)
        let record = try #require(manager.getHistory().first)
        #expect(record.status == .committed)
        #expect(record.children.map(\.status) == [.rolledBack])
        #expect(record.children.first?.failedOperation == "c2")
    }

    @Test func parentFailureRollsBackCommittedNestedTransactionInReverse() async throws {
        let parent = manager.beginTransaction("update_org")
        try await parent.run("p1", forward: ledger.forward("p1"), rollback: ledger.rollback("p1"))
        let child = try parent.beginNested("settings")
        try ledger.add(["c1", "c2"], to: child)
        try await child.commit()
        try ledger.add(["p2", "p3"], to: parent, failing: ["p3"])

        let failure = await #expect(throws: TransactionFailed.self) { try await parent.commit() }

        #expect(
            ledger.values == [
                "forward p1", "forward c1", "forward c2", "forward p2", "forward p3",
                "rollback p2", "rollback c2", "rollback c1", "rollback p1",
            ])
        #expect(failure?.rolledBack == ["p2", "settings/c2", "settings/c1", "p1"])
        #expect(child.status == .rolledBack)
        #expect(parent.status == .rolledBack)
    }

    @Test func nestedClosureFailureIsContainedWhenTheCallerCatchesIt() async throws {
        let ledger = self.ledger
        try await manager.transaction("update_org") { parent in
            try await parent.run("p1", forward: ledger.forward("p1"), rollback: ledger.rollback("p1"))
            await #expect(throws: TransactionTestFailure.self) {
                try await parent.nested("repo_x") { child in
                    try await child.run("c1", forward: ledger.forward("c1"), rollback: ledger.rollback("c1"))
                    throw TransactionTestFailure(operation: "update_repo")
                }
            }
            try await parent.run("p2", forward: ledger.forward("p2"), rollback: ledger.rollback("p2"))
        }

        #expect(ledger.values == ["forward p1", "forward c1", "rollback c1", "forward p2"])
    }

    @Test func nestedClosureFailureRollsBackTheParentWhenRethrown() async throws {
        let ledger = self.ledger
        await #expect(throws: TransactionTestFailure.self) {
            try await manager.transaction("update_org") { parent in
                try await parent.run("p1", forward: ledger.forward("p1"), rollback: ledger.rollback("p1"))
                try await parent.nested("repo_x") { child in
                    try await child.run("c1", forward: ledger.forward("c1"), rollback: ledger.rollback("c1"))
                    throw TransactionTestFailure(operation: "update_repo")
                }
            }
        }

        #expect(ledger.values == ["forward p1", "forward c1", "rollback c1", "rollback p1"])
    }

    @Test func parentRollbackAlsoUndoesAnOpenNestedTransaction() async throws {
        let parent = manager.beginTransaction("update_org")
        try await parent.run("p1", forward: ledger.forward("p1"), rollback: ledger.rollback("p1"))
        let child = try parent.beginNested("repo_x")
        try await child.run("c1", forward: ledger.forward("c1"), rollback: ledger.rollback("c1"))

        try await parent.rollback()
        let error = await #expect(throws: TransactionStateError.self) { try await child.commit() }

        #expect(ledger.values == ["forward p1", "forward c1", "rollback c1", "rollback p1"])
        #expect(child.status == .rolledBack)
        #expect(error?.reason.description.contains("rolledBack") == true)
    }

    @Test func independentTransactionSurvivesTheOuterOnesFailure() async throws {
        // Spring's REQUIRES_NEW: a separate top-level transaction is not part of the outer one.
        let manager = self.manager
        let ledger = self.ledger
        await #expect(throws: TransactionTestFailure.self) {
            try await manager.transaction("outer") { outer in
                try await outer.run("o1", forward: ledger.forward("o1"), rollback: ledger.rollback("o1"))
                try await manager.transaction("audit_entry") { inner in
                    try await inner.run("i1", forward: ledger.forward("i1"), rollback: ledger.rollback("i1"))
                }
                throw TransactionTestFailure(operation: "outer")
            }
        }

        #expect(ledger.values == ["forward o1", "forward i1", "rollback o1"])
        #expect(manager.getHistory().map(\.status) == [.committed, .rolledBack])
    }

    // MARK: Closure-scoped form

    @Test func closureFormCommitsOnNormalExit() async throws {
        let manager = self.manager
        let ledger = self.ledger
        let hookID = try await manager.transaction("update_repo") { txn in
            try await txn.run("settings", forward: ledger.forward("settings"), rollback: ledger.rollback("settings"))
            let hook = try await txn.run("webhook", forward: { 42 }, rollback: { _ in ledger.entries.append("unused") })
            try txn.addOperation(
                "protection", forward: ledger.forward("protection"), rollback: ledger.rollback("protection"))
            #expect(ledger.values == ["forward settings"])
            return hook
        }

        #expect(hookID == 42)
        #expect(ledger.values == ["forward settings", "forward protection"])
        #expect(manager.getHistory().map(\.status) == [.committed])
    }

    @Test func closureFormRollsBackAndRethrowsOnThrownError() async throws {
        let manager = self.manager
        let ledger = self.ledger
        let error = await #expect(throws: TransactionTestFailure.self) {
            try await manager.transaction("update_repo") { txn in
                try await txn.run(
                    "settings", forward: ledger.forward("settings"), rollback: ledger.rollback("settings"))
                try await txn.run(
                    "webhook", forward: { 42 }, rollback: { id in ledger.entries.append("delete hook \(id)") })
                throw TransactionTestFailure(operation: "validation")
            }
        }

        #expect(error == TransactionTestFailure(operation: "validation"))
        #expect(ledger.values == ["forward settings", "delete hook 42", "rollback settings"])
        let record = try #require(manager.getHistory().first)
        #expect(record.status == .rolledBack)
        #expect(record.error as? TransactionTestFailure == TransactionTestFailure(operation: "validation"))
    }

    @Test func closureFormReportsRollbackFailuresWithTheClosureErrorPrimary() async throws {
        let ledger = self.ledger
        let failure = await #expect(throws: TransactionFailed.self) {
            try await manager.transaction("update_repo") { txn in
                try await txn.run("a", forward: ledger.forward("a"), rollback: ledger.rollback("a", failing: true))
                throw TransactionTestFailure(operation: "validation")
            }
        }

        #expect(failure?.error as? TransactionTestFailure == TransactionTestFailure(operation: "validation"))
        #expect(failure?.failedOperation == nil)
        #expect(failure?.rollbackFailures.map(\.operation) == ["a"])
    }

    @Test func closureFormAcceptsTheCurriculumsExplicitCommit() async throws {
        let manager = self.manager
        let ledger = self.ledger
        try await manager.transaction("update_repos") { txn in
            try ledger.add(["settings", "protection", "webhooks"], to: txn)
            try await txn.commit()
        }

        #expect(ledger.values == ["forward settings", "forward protection", "forward webhooks"])
        #expect(manager.stats.committed == 1)
    }

    // MARK: History and stats

    @Test func historyAndStatsDescribeFinishedTransactions() async throws {
        let manager = self.manager
        let clock = self.clock
        let first = manager.beginTransaction("first")
        try first.addOperation("slow", forward: { clock.advance(by: .seconds(2)) }, rollback: {})
        try await first.commit()

        let second = manager.beginTransaction("second")
        try ledger.add(["a", "b"], to: second, failing: ["b"])
        _ = try? await second.commit()

        let third = manager.beginTransaction("third")
        try third.addOperation("a", forward: ledger.forward("a"), rollback: ledger.rollback("a", failing: true))
        try ledger.add(["b"], to: third, failing: ["b"])
        _ = try? await third.commit()

        let history = manager.getHistory()
        #expect(history.map(\.name) == ["first", "second", "third"])
        #expect(history.map(\.status) == [.committed, .rolledBack, .failed])
        #expect(history[0].operations.first?.duration == .seconds(2))
        #expect(history[0].duration == .seconds(2))
        #expect(history[0].startedAt == clock.epoch)
        #expect(history[1].operations.map(\.outcome) == [.rolledBack, .failed])
        #expect(history[2].operations.first?.rollbackError != nil)

        var expected = TransactionStats()
        expected.committed = 1
        expected.rolledBack = 1
        expected.failed = 1
        expected.operationsRun = 5
        expected.operationsFailed = 2
        expected.rollbacksRun = 2
        expected.failedRollbacks = 1
        #expect(manager.stats == expected)

        manager.clearHistory()
        #expect(manager.getHistory().isEmpty)
        #expect(manager.stats == TransactionStats())
    }

    @Test func historyKeepsOnlyTheMostRecentTransactions() async throws {
        let manager = TransactionManager(
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), wallClock: clock, historyLimit: 2
        )
        for name in ["one", "two", "three"] {
            try await manager.beginTransaction(name).commit()
        }

        #expect(manager.getHistory().map(\.name) == ["two", "three"])
        #expect(manager.stats.committed == 3)
    }

    // MARK: Cancellation

    @Test func cancelledCommitRunsShieldedRollbacksThenThrowsCancellation() async throws {
        let ledger = self.ledger
        let txn = manager.beginTransaction("update_repo")
        let cancelledDuringRollback = TestRecorder<Bool>()
        try txn.addOperation("a", forward: ledger.forward("a")) {
            cancelledDuringRollback.append(Task.isCancelled)
            ledger.entries.append("rollback a")
        }
        try txn.addOperation(
            "b",
            forward: {
                ledger.entries.append("forward b")
                withUnsafeCurrentTask { $0?.cancel() }
            },
            rollback: ledger.rollback("b"))
        try ledger.add(["c"], to: txn)

        let result = await Task { try await txn.commit() }.result

        #expect(throws: CancellationError.self) { try result.get() }
        #expect(ledger.values == ["forward a", "forward b", "rollback b", "rollback a"])
        #expect(cancelledDuringRollback.values == [false])
        #expect(txn.status == .rolledBack)
    }

    @Test func operationThrowingCancellationRollsBackTheOthers() async throws {
        let txn = manager.beginTransaction("update_repo")
        try ledger.add(["a"], to: txn)
        try txn.addOperation("b", forward: { throw CancellationError() }, rollback: ledger.rollback("b"))

        await #expect(throws: CancellationError.self) { try await txn.commit() }

        #expect(ledger.values == ["forward a", "rollback a"])
    }
}
