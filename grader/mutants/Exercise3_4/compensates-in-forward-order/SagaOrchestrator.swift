// MUTANT compensates-in-forward-order: the completed steps are compensated oldest first (the repository is
// deleted before the systems that depend on it are cleaned up).
// Caught by Exercise3_4HiddenChecks.test1_failuresAnywhereCompensateTheCompletedStepsInReverse.

/// Runs a saga: steps against several systems, one after the other; when one fails, the steps that
/// completed are compensated in reverse order, so every system ends as it was before.
///
/// Every step start, completion and compensation is reported to the audit trail, and the saga ends with
/// exactly one `saga_complete` or `saga_failed` event.
///
/// ```swift
/// let orchestrator = SagaOrchestrator(name: "onboard_repository") { event in auditLog.append(event) }
/// try await orchestrator.execute([createRepo, createPipeline, addMonitoring, notifyTeam])
/// ```
public final class SagaOrchestrator: Sendable {
    /// The saga's name in audit events and errors.
    public let name: String
    private let audit: @Sendable (SagaAuditEvent) -> Void

    /// Creates an orchestrator.
    ///
    /// - Parameters:
    ///   - name: the saga's name, e.g. `onboard_repository`.
    ///   - audit: receives every audit event, in order.
    public init(name: String, audit: @escaping @Sendable (SagaAuditEvent) -> Void = { _ in }) {
        self.name = name
        self.audit = audit
    }

    /// Executes the steps in order; on a failure, compensates the completed steps in reverse and throws.
    ///
    /// Events: `step_start` before each step, `step_complete` after each success; after a failure,
    /// `step_compensated` (or `compensation_failed`) for each completed step, newest first, then
    /// `saga_failed` naming the failed step and its error. When every step succeeds: `saga_complete`.
    ///
    /// - Parameter steps: the steps, in order (at least one; unique, non-empty names).
    /// - Returns: the completed steps.
    /// - Throws: ``SagaDefinitionError`` before anything runs for an invalid list; ``SagaFailed`` when a
    ///   step throws (after the compensations, every one of which is attempted).
    @discardableResult
    public func execute(_ steps: [any SagaStep]) async throws -> SagaResult {
        try validate(steps)
        // The stack of compensations: only steps that completed are on it.
        var completed: [any SagaStep] = []
        for step in steps {
            audit(SagaAuditEvent(.stepStart, saga: name, step: step.name))
            do {
                try await step.execute()
            } catch {
                // The failed step itself had no effect: it is not compensated.
                let (compensated, failures) = await compensate(completed)
                audit(SagaAuditEvent(.sagaFailed, saga: name, step: step.name, error: "\(error)"))
                throw SagaFailed(
                    saga: name, failedStep: step.name, error: error, compensated: compensated,
                    compensationFailures: failures)
            }
            completed.append(step)
            audit(SagaAuditEvent(.stepComplete, saga: name, step: step.name))
        }
        audit(SagaAuditEvent(.sagaComplete, saga: name))
        return SagaResult(saga: name, completed: completed.map(\.name))
    }

    /// Compensates `completed` newest first. A compensation that throws is recorded and the others still
    /// run: stopping would leave the older systems changed with nobody told.
    private func compensate(_ completed: [any SagaStep]) async -> ([String], [CompensationFailure]) {
        var compensated: [String] = []
        var failures: [CompensationFailure] = []
        for step in completed {
            do {
                try await step.compensate()
                compensated.append(step.name)
                audit(SagaAuditEvent(.stepCompensated, saga: name, step: step.name))
            } catch {
                failures.append(CompensationFailure(step: step.name, error: error))
                audit(SagaAuditEvent(.compensationFailed, saga: name, step: step.name, error: "\(error)"))
            }
        }
        return (compensated, failures)
    }

    private func validate(_ steps: [any SagaStep]) throws {
        guard !steps.isEmpty else { throw SagaDefinitionError("saga '\(name)' has no steps") }
        var seen = Set<String>()
        for step in steps {
            guard !step.name.isEmpty else { throw SagaDefinitionError("saga '\(name)' has a step without a name") }
            guard seen.insert(step.name).inserted else {
                throw SagaDefinitionError("saga '\(name)' has two steps named '\(step.name)'; names must be unique")
            }
        }
    }
}
