import Foundation

/// One audit event of a saga run, delivered to ``SagaOrchestrator``'s `onEvent` hook as it happens.
public struct SagaEvent: Sendable, CustomStringConvertible {
    /// What happened. The raw values are the audit event types (`step_start`, `saga_failed`, ...).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The saga started.
        case sagaStart = "saga_start"
        /// A step's forward action is about to run.
        case stepStart = "step_start"
        /// A step's forward action succeeded.
        case stepComplete = "step_complete"
        /// A step's forward action threw (``SagaEvent/error``).
        case stepFailed = "step_failed"
        /// A completed step's compensation is about to run (first attempt).
        case compensationStart = "compensation_start"
        /// A compensation succeeded.
        case compensationComplete = "compensation_complete"
        /// One attempt of a compensation threw (``SagaEvent/attempt``, ``SagaEvent/error``); retried if
        /// attempts remain.
        case compensationFailed = "compensation_failed"
        /// A compensation that kept failing was handed to the dead-letter sink.
        case compensationDeadLettered = "compensation_dead_lettered"
        /// Every step completed.
        case sagaComplete = "saga_complete"
        /// The saga failed (``SagaEvent/error`` is the primary error) and compensation has finished.
        case sagaFailed = "saga_failed"
    }

    /// What happened.
    public var kind: Kind
    /// The saga's name.
    public var saga: String
    /// The saga run's identifier (the ``SagaReport/id``).
    public var sagaID: UUID
    /// The step concerned, for step and compensation events.
    public var step: String?
    /// The attempt number, for compensation events.
    public var attempt: Int?
    /// The error, for `step_failed`, `compensation_failed`, `compensation_dead_lettered` and `saga_failed`.
    public var error: (any Error)?
    /// When it happened (the orchestrator's wall clock).
    public var timestamp: Date

    /// e.g. `saga_failed onboard step=create_ci error=...`.
    public var description: String {
        var text = "\(kind.rawValue) \(saga)"
        if let step { text += " step=\(step)" }
        if let attempt { text += " attempt=\(attempt)" }
        if let error { text += " error=\(error)" }
        return text
    }
}
