import Foundation

/// What happened to one step of a saga.
public enum SagaStepStatus: Sendable, CustomStringConvertible {
    /// The forward action succeeded and was not undone (the saga completed; in a failed saga every
    /// completed step goes on to one of the compensation statuses).
    case completed
    /// The forward action threw this error; the step is assumed to have had no effect and is not compensated.
    case failed(any Error)
    /// The forward action succeeded and, after a later failure, its compensation succeeded.
    case compensated
    /// The compensation kept failing and could not be dead-lettered (no sink, or the sink threw): the
    /// step's effect may still be in place. The error is the compensation's last error, or a
    /// ``SagaDeadLetterFailed`` when the sink threw.
    case compensationFailed(any Error)
    /// The compensation kept failing and was handed to the dead-letter sink, with its last error.
    case deadLettered(any Error)
    /// The step never ran because an earlier step failed (or the saga was cancelled).
    case skipped

    /// The status without its error, for comparisons.
    public enum Kind: String, Sendable, Hashable {
        /// See ``SagaStepStatus/completed``.
        case completed
        /// See ``SagaStepStatus/failed(_:)``.
        case failed
        /// See ``SagaStepStatus/compensated``.
        case compensated
        /// See ``SagaStepStatus/compensationFailed(_:)``.
        case compensationFailed
        /// See ``SagaStepStatus/deadLettered(_:)``.
        case deadLettered
        /// See ``SagaStepStatus/skipped``.
        case skipped
    }

    /// The status without its error.
    public var kind: Kind {
        switch self {
        case .completed: .completed
        case .failed: .failed
        case .compensated: .compensated
        case .compensationFailed: .compensationFailed
        case .deadLettered: .deadLettered
        case .skipped: .skipped
        }
    }

    /// The error carried by the status, if any.
    public var error: (any Error)? {
        switch self {
        case .failed(let error), .compensationFailed(let error), .deadLettered(let error): error
        case .completed, .compensated, .skipped: nil
        }
    }

    /// The kind, plus the error if there is one.
    public var description: String {
        if let error { return "\(kind.rawValue)(\(error))" }
        return kind.rawValue
    }
}

/// One step's line in a ``SagaReport``.
public struct SagaStepResult: Sendable, CustomStringConvertible {
    /// The step's name.
    public var name: String
    /// What happened to it.
    public var status: SagaStepStatus
    /// How long the forward action took, if it ran.
    public var duration: Duration?
    /// How long compensation took (all attempts and waits included), if it ran.
    public var compensationDuration: Duration?
    /// How many times the compensation was attempted (0 if it never ran).
    public var compensationAttempts: Int

    /// `name: status`.
    public var description: String { "\(name): \(status)" }
}

/// The complete account of one saga run: every step, in definition order, with its status and durations.
public struct SagaReport: Sendable, Identifiable, CustomStringConvertible {
    /// How the saga ended.
    public enum Outcome: String, Sendable, Hashable {
        /// Every step completed.
        case completed
        /// A step failed (or the saga was cancelled) and every completed step was compensated.
        case compensated
        /// A step failed and at least one compensation did not succeed (dead-lettered or failed): some
        /// effects may still be in place.
        case compensationIncomplete
    }

    /// The run's identifier.
    public var id: UUID
    /// The saga's name.
    public var saga: String
    /// How it ended.
    public var outcome: Outcome
    /// One entry per step, in definition order.
    public var steps: [SagaStepResult]
    /// The step whose forward action failed, if one did (`nil` when it completed, or was cancelled
    /// between steps).
    public var failedStep: String?
    /// The primary error (the failed step's, or `CancellationError`); compensation errors are in the steps.
    public var error: (any Error)?
    /// Whether the saga was cancelled.
    public var wasCancelled: Bool
    /// When it started (the orchestrator's wall clock).
    public var startedAt: Date
    /// How long the whole run took, compensation included (measured on the orchestrator's clock).
    public var duration: Duration

    /// The steps whose compensation ran successfully, in the order they were compensated.
    public var compensatedSteps: [String] { steps.reversed().filter { $0.status.kind == .compensated }.map(\.name) }

    /// Whether every completed step was compensated (or the saga completed).
    public var isCompensationComplete: Bool { outcome != .compensationIncomplete }

    /// The outcome and one line per step.
    public var description: String {
        var text = "Saga '\(saga)': \(outcome.rawValue)"
        if let failedStep { text += " (failed at '\(failedStep)')" }
        if let error { text += ": \(error)" }
        for step in steps { text += "\n  \(step)" }
        return text
    }
}

/// A saga did not complete. The primary error is ``error``; the ``report`` says, step by step, what was
/// compensated, dead-lettered or left in place.
///
/// What to do: if ``SagaReport/isCompensationComplete``, the system is back where it started and the saga
/// can be retried; dead-lettered compensations are in the dead-letter sink for replay; a
/// ``SagaStepStatus/compensationFailed(_:)`` step needs manual cleanup.
public struct SagaFailed: Error, CustomStringConvertible {
    /// The saga's name.
    public var saga: String
    /// The step whose forward action failed (`nil` if the saga was cancelled between steps).
    public var failedStep: String?
    /// The primary error: the failed step's, or `CancellationError`.
    public var error: any Error
    /// The complete per-step report.
    public var report: SagaReport

    /// Whether the primary error is a cancellation.
    public var isCancellation: Bool { error is CancellationError }

    /// The report's description.
    public var description: String { report.description }
}

/// A compensation kept failing and the dead-letter sink could not take it either: both errors.
public struct SagaDeadLetterFailed: Error, CustomStringConvertible {
    /// The compensation's last error.
    public var compensationError: any Error
    /// What the sink threw.
    public var sinkError: any Error

    /// Both errors.
    public var description: String {
        "compensation failed (\(compensationError)) and could not be dead-lettered (\(sinkError))"
    }
}

/// A saga definition was rejected before anything ran (e.g. two steps with the same name).
public struct SagaDefinitionError: Error, CustomStringConvertible {
    /// The saga's name.
    public var saga: String
    /// What is wrong with the definition and how to fix it.
    public var reason: String

    /// e.g. "Saga 'onboard' was not started: step names must be unique ('notify' appears twice)."
    public var description: String { "Saga '\(saga)' was not started: \(reason)." }
}
