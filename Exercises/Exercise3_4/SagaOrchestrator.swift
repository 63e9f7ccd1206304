import ExerciseSupport

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
        // TODO: 1. Reject an empty list, an empty name or a repeated name with `SagaDefinitionError` before
        //          running anything.
        // TODO: 2. For each step: audit `.stepStart`, `try await step.execute()`, then audit `.stepComplete`
        //          and remember the step as completed.
        // TODO: 3. When a step throws: compensate the completed steps newest first (audit `.stepCompensated`,
        //          or `.compensationFailed` with the error, and carry on with the others), then audit
        //          `.sagaFailed` with the failed step and "\(error)", and throw `SagaFailed`.
        // TODO: 4. When every step completed: audit `.sagaComplete` and return the completed names.
        throw Unimplemented("the saga (SagaOrchestrator.execute(_:))", exercise: "3.4")
    }
}
