import Foundation
import Logging
import Synchronization

/// Runs sagas: a sequence of steps, each with a compensation; when a step fails, the steps that completed
/// are compensated in reverse order.
///
/// ```swift
/// let orchestrator = SagaOrchestrator(deadLetters: deadLetterQueue, onEvent: { event in audit.record(event) })
/// let report = try await orchestrator.executeSaga("onboard_repository", steps: [
///     SagaStep(name: "create_github_repo", forward: { try await github.createRepo("myrepo") },
///              compensate: { try await github.deleteRepo("myrepo") }),
///     SagaStep(name: "create_ci_pipeline", forward: { try await ci.createPipeline("myrepo") },
///              compensate: { try await ci.deletePipeline("myrepo") }),
/// ])
/// ```
///
/// Semantics (they fix the gaps of the usual implementations):
/// - forward steps run in order; the first failure stops them, so later steps are ``SagaStepStatus/skipped``;
/// - the failing step is assumed to have had no effect and is not compensated; the completed steps are
///   compensated in reverse order, and **every** compensation is attempted even if another fails;
/// - a compensation that throws is retried (``SagaCompensationRetry``, waiting on the injected clock); one
///   that keeps failing goes to the ``SagaDeadLetterSink`` and is never lost: with no sink, or if the sink
///   throws, it is reported as ``SagaStepStatus/compensationFailed(_:)``;
/// - the failing step's error stays the primary error (``SagaFailed/error``, event `saga_failed`);
/// - a cancelled saga stops running forward steps, compensates what completed (shielded from the
///   cancellation), then throws `CancellationError` (or ``SagaFailed`` if a compensation did not succeed,
///   so that it is not lost);
/// - every transition is reported to `onEvent` (``SagaEvent``) for the audit trail.
public final class SagaOrchestrator: Sendable {
    /// Receives saga outcomes, step failures and compensation failures.
    public let logger: Logger
    /// How failing compensations are retried.
    public let compensationRetry: SagaCompensationRetry
    /// Where compensations that keep failing are parked.
    public let deadLetters: (any SagaDeadLetterSink)?
    /// How many finished saga reports ``getHistory()`` keeps.
    public let historyLimit: Int

    private let wallClock: any WallClock
    private let sleep: @Sendable (Duration) async throws -> Void
    private let elapsed: @Sendable () -> Duration
    private let onEvent: (@Sendable (SagaEvent) -> Void)?
    private let history = Mutex<[SagaReport]>([])

    /// Creates an orchestrator that waits between compensation attempts on `clock`.
    ///
    /// - Parameters:
    ///   - logger: receives outcomes and failures; the library never bootstraps logging.
    ///   - wallClock: stamps event and report dates.
    ///   - clock: measures durations and waits between compensation attempts (a `ManualClock` in tests).
    ///   - compensationRetry: how failing compensations are retried.
    ///   - deadLetters: where compensations that keep failing are parked; `nil` reports them as failed.
    ///   - historyLimit: how many saga reports ``getHistory()`` keeps (negative counts as zero).
    ///   - onEvent: called synchronously for every ``SagaEvent``, in order; keep it fast (hand off to an
    ///     `AsyncStream` continuation or an actor for slow work).
    public init(
        logger: Logger = Logger(label: "MokoEnterprise.Saga"),
        wallClock: any WallClock = SystemWallClock(),
        clock: some Clock<Duration>,
        compensationRetry: SagaCompensationRetry = .default,
        deadLetters: (any SagaDeadLetterSink)? = nil,
        historyLimit: Int = 1_000,
        onEvent: (@Sendable (SagaEvent) -> Void)? = nil
    ) {
        self.logger = logger
        self.wallClock = wallClock
        self.compensationRetry = compensationRetry
        self.deadLetters = deadLetters
        self.historyLimit = max(0, historyLimit)
        self.onEvent = onEvent
        self.sleep = { try await clock.sleep(for: $0) }
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
    }

    /// Creates an orchestrator that waits on the system's `ContinuousClock`.
    ///
    /// - Parameters:
    ///   - logger: receives outcomes and failures.
    ///   - wallClock: stamps event and report dates.
    ///   - compensationRetry: how failing compensations are retried.
    ///   - deadLetters: where compensations that keep failing are parked; `nil` reports them as failed.
    ///   - historyLimit: how many saga reports ``getHistory()`` keeps.
    ///   - onEvent: called synchronously for every ``SagaEvent``, in order.
    public convenience init(
        logger: Logger = Logger(label: "MokoEnterprise.Saga"),
        wallClock: any WallClock = SystemWallClock(),
        compensationRetry: SagaCompensationRetry = .default,
        deadLetters: (any SagaDeadLetterSink)? = nil,
        historyLimit: Int = 1_000,
        onEvent: (@Sendable (SagaEvent) -> Void)? = nil
    ) {
        self.init(
            logger: logger, wallClock: wallClock, clock: ContinuousClock(), compensationRetry: compensationRetry,
            deadLetters: deadLetters, historyLimit: historyLimit, onEvent: onEvent)
    }

    /// Runs the steps in order; on a failure compensates the completed ones in reverse order.
    ///
    /// - Parameters:
    ///   - name: the saga's name, for events, logs and dead-letter entries.
    ///   - steps: the steps; names must be unique.
    ///   - context: shared values; each step's output is stored under its name. Pass one to seed inputs or
    ///     to read the outputs afterwards.
    /// - Returns: the report of a saga whose every step completed.
    /// - Throws: ``SagaDefinitionError`` if step names are empty or repeated (nothing runs);
    ///   ``SagaFailed`` with the primary error and the complete report if a step failed; `CancellationError`
    ///   if the task was cancelled and every completed step was compensated.
    @discardableResult
    public func executeSaga(
        _ name: String,
        steps: [SagaStep],
        context: SagaContext = SagaContext()
    ) async throws -> SagaReport {
        try validate(name, steps)
        let run = SagaRun(id: UUID(), name: name, startedAt: wallClock.currentDate, start: elapsed())
        emit(.sagaStart, run)

        var results = steps.map {
            SagaStepResult(
                name: $0.name, status: .skipped, duration: nil, compensationDuration: nil, compensationAttempts: 0)
        }
        var completed: [Int] = []
        var failure: (step: String, error: any Error)?
        var cancelled = false
        for (index, step) in steps.enumerated() {
            if Task.isCancelled {
                cancelled = true
                break
            }
            emit(.stepStart, run, step: step.name)
            let start = elapsed()
            do {
                let output = try await step.forward(context)
                results[index].duration = elapsed() - start
                if !(output is Void) { context.set(output, forKey: step.name) }
                results[index].status = .completed
                completed.append(index)
                emit(.stepComplete, run, step: step.name)
            } catch {
                results[index].duration = elapsed() - start
                results[index].status = .failed(error)
                failure = (step.name, error)
                cancelled = error is CancellationError
                emit(.stepFailed, run, step: step.name, error: error)
                logger.warning(
                    "saga step failed; compensating completed steps",
                    metadata: [
                        "saga": "\(name)", "step": "\(step.name)",
                        "error": "\(SecretRedactor.redact(String(describing: error)))",
                    ])
                break
            }
        }

        guard failure != nil || cancelled else {
            emit(.sagaComplete, run)
            logger.info("saga completed", metadata: ["saga": "\(name)", "steps": "\(steps.count)"])
            return record(
                SagaReport(
                    id: run.id, saga: name, outcome: .completed, steps: results, failedStep: nil, error: nil,
                    wasCancelled: false, startedAt: run.startedAt, duration: elapsed() - run.start))
        }

        let primary: any Error = failure?.error ?? CancellationError()
        let toCompensate = completed.reversed().map { (index: $0, step: steps[$0]) }
        let outcomes = await TransactionCancellationShield.run {
            var outcomes: [(index: Int, outcome: SagaCompensationOutcome)] = []
            for (index, step) in toCompensate {
                outcomes.append((index, await self.compensate(step, run, context)))
            }
            return outcomes
        }
        for (index, outcome) in outcomes {
            results[index].status = outcome.status
            results[index].compensationDuration = outcome.duration
            results[index].compensationAttempts = outcome.attempts
        }
        let complete = outcomes.allSatisfy { $0.outcome.status.kind == .compensated }
        let report = record(
            SagaReport(
                id: run.id, saga: name, outcome: complete ? .compensated : .compensationIncomplete, steps: results,
                failedStep: failure?.step, error: primary, wasCancelled: cancelled, startedAt: run.startedAt,
                duration: elapsed() - run.start))
        emit(.sagaFailed, run, error: primary)
        logger.log(
            level: complete ? .warning : .error,
            "saga failed",
            metadata: [
                "saga": "\(name)", "outcome": "\(report.outcome.rawValue)",
                "failedStep": "\(failure?.step ?? "-")", "cancelled": "\(cancelled)",
                "compensated": "\(report.compensatedSteps.joined(separator: ","))",
            ])
        if cancelled && complete { throw CancellationError() }
        throw SagaFailed(saga: name, failedStep: failure?.step, error: primary, report: report)
    }

    /// The finished saga reports, oldest first (at most ``historyLimit``).
    public func getHistory() -> [SagaReport] {
        history.withLock { $0 }
    }

    // MARK: Internals

    private func validate(_ name: String, _ steps: [SagaStep]) throws {
        var seen: Set<String> = []
        for step in steps {
            if step.name.isEmpty {
                throw SagaDefinitionError(saga: name, reason: "every step needs a non-empty name")
            }
            if !seen.insert(step.name).inserted {
                throw SagaDefinitionError(
                    saga: name, reason: "step names must be unique ('\(step.name)' appears more than once)")
            }
        }
    }

    /// Compensates one completed step: retries, then dead-letters.
    private func compensate(_ step: SagaStep, _ run: SagaRun, _ context: SagaContext) async -> SagaCompensationOutcome {
        let start = elapsed()
        var attempt = 0
        var lastError: any Error = CancellationError()
        emit(.compensationStart, run, step: step.name, attempt: 1)
        while true {
            attempt += 1
            do {
                try await step.compensate(context)
                emit(.compensationComplete, run, step: step.name, attempt: attempt)
                return SagaCompensationOutcome(status: .compensated, duration: elapsed() - start, attempts: attempt)
            } catch {
                lastError = error
                emit(.compensationFailed, run, step: step.name, attempt: attempt, error: error)
                logger.warning(
                    "saga compensation attempt failed",
                    metadata: [
                        "saga": "\(run.name)", "step": "\(step.name)", "attempt": "\(attempt)",
                        "error": "\(SecretRedactor.redact(String(describing: error)))",
                    ])
                // A cancellation is never retried.
                if error is CancellationError || attempt >= compensationRetry.maxAttempts { break }
                do {
                    try await sleep(compensationRetry.delay(afterAttempt: attempt))
                } catch {
                    break
                }
            }
        }

        let redacted = SecretRedactor.redact(String(describing: lastError))
        guard let deadLetters else {
            logger.error(
                "saga compensation failed and no dead-letter sink is configured; the step's effect may remain",
                metadata: ["saga": "\(run.name)", "step": "\(step.name)", "error": "\(redacted)"])
            return SagaCompensationOutcome(
                status: .compensationFailed(lastError), duration: elapsed() - start, attempts: attempt)
        }
        do {
            try await deadLetters.deadLetterCompensation(
                saga: run.name, step: step.name, error: lastError, attempts: attempt)
            emit(.compensationDeadLettered, run, step: step.name, attempt: attempt, error: lastError)
            logger.error(
                "saga compensation dead-lettered",
                metadata: [
                    "saga": "\(run.name)", "step": "\(step.name)", "attempts": "\(attempt)", "error": "\(redacted)",
                ])
            return SagaCompensationOutcome(
                status: .deadLettered(lastError), duration: elapsed() - start, attempts: attempt)
        } catch {
            let failure = SagaDeadLetterFailed(compensationError: lastError, sinkError: error)
            logger.error(
                "saga compensation failed and could not be dead-lettered; the step's effect may remain",
                metadata: [
                    "saga": "\(run.name)", "step": "\(step.name)",
                    "error": "\(SecretRedactor.redact(String(describing: failure)))",
                ])
            return SagaCompensationOutcome(
                status: .compensationFailed(failure), duration: elapsed() - start, attempts: attempt)
        }
    }

    private func emit(
        _ kind: SagaEvent.Kind, _ run: SagaRun, step: String? = nil, attempt: Int? = nil, error: (any Error)? = nil
    ) {
        guard let onEvent else { return }
        onEvent(
            SagaEvent(
                kind: kind, saga: run.name, sagaID: run.id, step: step, attempt: attempt, error: error,
                timestamp: wallClock.currentDate))
    }

    private func record(_ report: SagaReport) -> SagaReport {
        history.withLock { history in
            guard historyLimit > 0 else { return }
            history.append(report)
            if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
        }
        return report
    }
}

/// The identity of one saga run, passed to the orchestrator's helpers.
private struct SagaRun: Sendable {
    var id: UUID
    var name: String
    var startedAt: Date
    var start: Duration
}

/// How one compensation ended.
private struct SagaCompensationOutcome: Sendable {
    var status: SagaStepStatus
    var duration: Duration
    var attempts: Int
}
