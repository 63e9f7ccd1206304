import Foundation
import Logging
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

/// An error thrown on purpose by a saga test's step.
private struct SagaTestFailure: Error, Equatable {
    var step: String
}

/// A dead-letter sink that records what it receives, or refuses everything.
private final class SagaTestDeadLetterSink: SagaDeadLetterSink {
    struct Entry: Equatable {
        var saga: String
        var step: String
        var error: String
        var attempts: Int
    }

    let entries = TestRecorder<Entry>()
    let refuses: Bool

    init(refuses: Bool = false) { self.refuses = refuses }

    func deadLetterCompensation(saga: String, step: String, error: any Error, attempts: Int) async throws {
        if refuses { throw SagaTestFailure(step: "sink") }
        entries.append(Entry(saga: saga, step: step, error: String(describing: error), attempts: attempts))
    }
}

/// Builds saga steps that write to a shared ledger.
private struct SagaLedger: Sendable {
    let entries = TestRecorder<String>()

    var values: [String] { entries.values }

    func step(_ name: String, failing: Bool = false, compensationFailures: Int = 0) -> SagaStep {
        let remainingFailures = LockedValue(compensationFailures)
        return SagaStep(
            name: name,
            forward: { [entries] in
                entries.append("forward \(name)")
                if failing { throw SagaTestFailure(step: name) }
            },
            compensate: { [entries] in
                entries.append("compensate \(name)")
                let fail = remainingFailures.withLock { remaining in
                    defer { remaining -= 1 }
                    return remaining > 0
                }
                if fail { throw SagaTestFailure(step: "compensate \(name)") }
            })
    }
}

@Suite struct SagaOrchestratorTests {
    let clock = ManualClock()
    fileprivate let ledger = SagaLedger()
    let events = TestRecorder<SagaEvent>()

    func orchestrator(
        retry: SagaCompensationRetry = .none,
        deadLetters: (any SagaDeadLetterSink)? = nil
    ) -> SagaOrchestrator {
        let events = self.events
        return SagaOrchestrator(
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), wallClock: clock, clock: clock,
            compensationRetry: retry, deadLetters: deadLetters,
            onEvent: { events.append($0) })
    }

    // MARK: Compensation order

    @Test(arguments: 1...5)
    func failureAtStepKCompensatesExactlyTheEarlierStepsInReverse(k: Int) async throws {
        let names = (1...5).map { "step\($0)" }
        let steps = names.enumerated().map { index, name in ledger.step(name, failing: index + 1 == k) }

        let failure = try #require(
            await #expect(throws: SagaFailed.self) { try await orchestrator().executeSaga("onboard", steps: steps) })

        let forwards = names.prefix(k).map { "forward \($0)" }
        let compensations = names.prefix(k - 1).reversed().map { "compensate \($0)" }
        #expect(ledger.values == forwards + compensations)
        #expect(failure.failedStep == "step\(k)")
        #expect(failure.error as? SagaTestFailure == SagaTestFailure(step: "step\(k)"))
        let expected: [SagaStepStatus.Kind] =
            Array(repeating: .compensated, count: k - 1) + [.failed] + Array(repeating: .skipped, count: 5 - k)
        #expect(failure.report.steps.map(\.status.kind) == expected)
        #expect(failure.report.steps.map(\.name) == names)
        #expect(failure.report.outcome == .compensated)
        #expect(failure.report.compensatedSteps == Array(names.prefix(k - 1).reversed()))
        #expect(failure.report.steps[k - 1].status.error as? SagaTestFailure == SagaTestFailure(step: "step\(k)"))
    }

    @Test func completedSagaReturnsAReportAndPassesOutputsToLaterStepsAndCompensations() async throws {
        let ledger = self.ledger
        let context = SagaContext(["repo": "myrepo"])
        let steps = [
            SagaStep(
                name: "create_repo",
                forward: { context in "id-of-\(context.value(forKey: "repo", as: String.self) ?? "?")" },
                compensate: { _ in }),
            SagaStep(
                name: "create_pipeline",
                forward: { context in
                    ledger.entries.append("pipeline for \(context.output(of: "create_repo", as: String.self) ?? "?")")
                },
                compensate: { _ in }),
        ]

        let report = try await orchestrator().executeSaga("onboard", steps: steps, context: context)

        #expect(report.outcome == .completed)
        #expect(report.steps.map(\.status.kind) == [.completed, .completed])
        #expect(ledger.values == ["pipeline for id-of-myrepo"])
        #expect(context.output(of: "create_repo", as: String.self) == "id-of-myrepo")
        #expect(context.keys == ["create_repo", "repo"])
    }

    @Test func compensationReadsTheOutputOfItsStep() async throws {
        let ledger = self.ledger
        let steps = [
            SagaStep(
                name: "create_repo", forward: { _ in 7 },
                compensate: { context in
                    ledger.entries.append("delete \(context.output(of: "create_repo", as: Int.self) ?? -1)")
                }),
            ledger.step("notify", failing: true),
        ]

        await #expect(throws: SagaFailed.self) { try await orchestrator().executeSaga("onboard", steps: steps) }

        #expect(ledger.values == ["forward notify", "delete 7"])
    }

    @Test func everyCompensationIsAttemptedWhenOneKeepsFailing() async throws {
        let steps = [
            ledger.step("s1"), ledger.step("s2", compensationFailures: 99), ledger.step("s3"),
            ledger.step("s4", failing: true),
        ]

        let failure = try #require(
            await #expect(throws: SagaFailed.self) { try await orchestrator().executeSaga("onboard", steps: steps) })

        #expect(
            ledger.values == [
                "forward s1", "forward s2", "forward s3", "forward s4", "compensate s3", "compensate s2",
                "compensate s1",
            ])
        #expect(failure.report.steps.map(\.status.kind) == [.compensated, .compensationFailed, .compensated, .failed])
        #expect(failure.report.outcome == .compensationIncomplete)
        #expect(failure.error as? SagaTestFailure == SagaTestFailure(step: "s4"))
        #expect(
            failure.report.steps[1].status.error as? SagaTestFailure == SagaTestFailure(step: "compensate s2"))
    }

    // MARK: Retry and dead letters

    @Test func compensationIsRetriedWithBackoffThenDeadLettered() async throws {
        let sink = SagaTestDeadLetterSink()
        let orchestrator = orchestrator(
            retry: SagaCompensationRetry(maxAttempts: 3, initialDelay: .seconds(1), multiplier: 2), deadLetters: sink)
        let steps = [ledger.step("s1", compensationFailures: 99), ledger.step("s2"), ledger.step("s3", failing: true)]

        let failure = try await clock.run {
            do {
                try await orchestrator.executeSaga("onboard", steps: steps)
                return SagaFailed?.none
            } catch let failure as SagaFailed {
                return failure
            }
        }

        #expect(clock.requestedSleeps == [.seconds(1), .seconds(2)])
        #expect(
            ledger.values == [
                "forward s1", "forward s2", "forward s3", "compensate s2", "compensate s1", "compensate s1",
                "compensate s1",
            ])
        #expect(
            sink.entries.values == [
                .init(
                    saga: "onboard", step: "s1", error: String(describing: SagaTestFailure(step: "compensate s1")),
                    attempts: 3)
            ])
        let report = try #require(failure?.report)
        #expect(report.steps.map(\.status.kind) == [.deadLettered, .compensated, .failed])
        #expect(report.steps[0].compensationAttempts == 3)
        #expect(report.steps[0].compensationDuration == .seconds(3))
        #expect(report.outcome == .compensationIncomplete)
        #expect(failure?.error as? SagaTestFailure == SagaTestFailure(step: "s3"))
    }

    @Test func compensationThatSucceedsOnRetryCountsAsCompensated() async throws {
        let sink = SagaTestDeadLetterSink()
        let orchestrator = orchestrator(retry: .default, deadLetters: sink)
        let steps = [ledger.step("s1", compensationFailures: 1), ledger.step("s2", failing: true)]

        let report = try await clock.run {
            do {
                try await orchestrator.executeSaga("onboard", steps: steps)
                return SagaReport?.none
            } catch let failure as SagaFailed {
                return failure.report
            }
        }

        #expect(report?.steps.map(\.status.kind) == [.compensated, .failed])
        #expect(report?.steps[0].compensationAttempts == 2)
        #expect(report?.outcome == .compensated)
        #expect(sink.entries.values.isEmpty)
        #expect(clock.requestedSleeps == [.milliseconds(200)])
    }

    @Test func stuckCompensationIsReportedAsFailedWhenTheSinkRefusesIt() async throws {
        let orchestrator = orchestrator(deadLetters: SagaTestDeadLetterSink(refuses: true))
        let steps = [ledger.step("s1", compensationFailures: 99), ledger.step("s2", failing: true)]

        let failure = await #expect(throws: SagaFailed.self) {
            try await orchestrator.executeSaga("onboard", steps: steps)
        }

        let status = try #require(failure?.report.steps.first?.status)
        #expect(status.kind == .compensationFailed)
        let stuck = try #require(status.error as? SagaDeadLetterFailed)
        #expect(stuck.compensationError as? SagaTestFailure == SagaTestFailure(step: "compensate s1"))
        #expect(stuck.sinkError as? SagaTestFailure == SagaTestFailure(step: "sink"))
    }

    // MARK: Events

    @Test func eventsArriveInOrderWithThePrimaryErrorInSagaFailed() async throws {
        let steps = [ledger.step("s1"), ledger.step("s2"), ledger.step("s3", failing: true)]

        await #expect(throws: SagaFailed.self) { try await orchestrator().executeSaga("onboard", steps: steps) }

        let trail = events.values.map { [$0.kind.rawValue, $0.step ?? "-"].joined(separator: " ") }
        #expect(
            trail == [
                "saga_start -", "step_start s1", "step_complete s1", "step_start s2", "step_complete s2",
                "step_start s3", "step_failed s3", "compensation_start s2", "compensation_complete s2",
                "compensation_start s1", "compensation_complete s1", "saga_failed -",
            ])
        let last = try #require(events.values.last)
        #expect(last.error as? SagaTestFailure == SagaTestFailure(step: "s3"))
        #expect(Set(events.values.map(\.sagaID)).count == 1)
        #expect(last.timestamp == clock.epoch)
    }

    @Test func failedCompensationAttemptsAndDeadLetteringAreEvents() async throws {
        let orchestrator = orchestrator(
            retry: SagaCompensationRetry(maxAttempts: 2, initialDelay: .seconds(1)),
            deadLetters: SagaTestDeadLetterSink())
        let steps = [ledger.step("s1", compensationFailures: 99), ledger.step("s2", failing: true)]

        _ = try await clock.run { try? await orchestrator.executeSaga("onboard", steps: steps) }

        let compensationTrail = events.values.filter { $0.step == "s1" && $0.kind.rawValue.hasPrefix("compensation") }
            .map { "\($0.kind.rawValue) \($0.attempt ?? 0)" }
        #expect(
            compensationTrail == [
                "compensation_start 1", "compensation_failed 1", "compensation_failed 2",
                "compensation_dead_lettered 2",
            ])
    }

    @Test func successfulSagaEndsWithSagaComplete() async throws {
        try await orchestrator().executeSaga("onboard", steps: [ledger.step("s1")])

        #expect(events.values.map(\.kind) == [.sagaStart, .stepStart, .stepComplete, .sagaComplete])
    }

    // MARK: Cancellation and validation

    @Test func cancellationCompensatesCompletedStepsShieldedThenThrows() async throws {
        let ledger = self.ledger
        let cancelledDuringCompensation = TestRecorder<Bool>()
        let steps = [
            SagaStep(
                name: "s1", forward: { ledger.entries.append("forward s1") },
                compensate: {
                    cancelledDuringCompensation.append(Task.isCancelled)
                    ledger.entries.append("compensate s1")
                }),
            SagaStep(
                name: "s2",
                forward: {
                    ledger.entries.append("forward s2")
                    withUnsafeCurrentTask { $0?.cancel() }
                },
                compensate: { ledger.entries.append("compensate s2") }),
            ledger.step("s3"),
        ]
        let orchestrator = orchestrator()

        let result = await Task { try await orchestrator.executeSaga("onboard", steps: steps) }.result

        #expect(throws: CancellationError.self) { try result.get() }
        #expect(ledger.values == ["forward s1", "forward s2", "compensate s2", "compensate s1"])
        #expect(cancelledDuringCompensation.values == [false])
        let report = try #require(orchestrator.getHistory().last)
        #expect(report.wasCancelled)
        #expect(report.steps.map(\.status.kind) == [.compensated, .compensated, .skipped])
        #expect(events.values.last?.error is CancellationError)
    }

    @Test func duplicateStepNamesAreRejectedBeforeAnythingRuns() async throws {
        let steps = [ledger.step("s1"), ledger.step("s1")]

        let error = await #expect(throws: SagaDefinitionError.self) {
            try await orchestrator().executeSaga("onboard", steps: steps)
        }

        #expect(error?.description.contains("s1") == true)
        #expect(ledger.values.isEmpty)
        #expect(events.values.isEmpty)
    }
}
