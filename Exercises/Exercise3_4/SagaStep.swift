/// One operation of a saga against some system (GitHub, CI, monitoring, chat), with the action that undoes
/// it. Provided: the orchestrator you write runs values of this type; the checks supply real steps.
public protocol SagaStep: Sendable {
    /// The step's name in audit events and errors, e.g. `create_github_repo`; unique within a saga.
    var name: String { get }

    /// Does the step's work. Throwing means the step had no effect.
    func execute() async throws

    /// Undoes a successful ``execute()`` (e.g. deletes what it created). Runs only for steps that completed.
    func compensate() async throws
}

/// One entry of a saga's audit trail.
public struct SagaAuditEvent: Sendable, Equatable, CustomStringConvertible {
    /// What happened.
    public enum Kind: String, Sendable, Equatable {
        /// A step is about to execute.
        case stepStart = "step_start"
        /// A step executed successfully.
        case stepComplete = "step_complete"
        /// A completed step was compensated.
        case stepCompensated = "step_compensated"
        /// A completed step's compensation threw.
        case compensationFailed = "compensation_failed"
        /// Every step completed.
        case sagaComplete = "saga_complete"
        /// A step failed; the completed steps have been compensated.
        case sagaFailed = "saga_failed"
    }

    /// What happened.
    public var kind: Kind
    /// The saga's name.
    public var saga: String
    /// The step concerned: the step for step events, the failed step for `saga_failed`, `nil` for
    /// `saga_complete`.
    public var step: String?
    /// The error's description, for `compensation_failed` and `saga_failed`.
    public var error: String?

    /// Creates an event.
    public init(_ kind: Kind, saga: String, step: String? = nil, error: String? = nil) {
        self.kind = kind
        self.saga = saga
        self.step = step
        self.error = error
    }

    /// `saga_failed onboard step=notify_team error=...`.
    public var description: String {
        var text = "\(kind.rawValue) \(saga)"
        if let step { text += " step=\(step)" }
        if let error { text += " error=\(error)" }
        return text
    }
}

/// A compensation that threw.
public struct CompensationFailure: Sendable, CustomStringConvertible {
    /// The step whose compensation threw.
    public var step: String
    /// What it threw.
    public var error: any Error

    /// Creates the record.
    public init(step: String, error: any Error) {
        self.step = step
        self.error = error
    }

    /// `<step>: <error>`.
    public var description: String { "\(step): \(error)" }
}

/// A saga failed: one step threw, and the steps completed before it were compensated in reverse order.
public struct SagaFailed: Error, CustomStringConvertible {
    /// The saga's name.
    public var saga: String
    /// The step that threw.
    public var failedStep: String
    /// What it threw.
    public var error: any Error
    /// The steps compensated successfully, in the order their compensations ran.
    public var compensated: [String]
    /// The compensations that threw (every other compensation still ran).
    public var compensationFailures: [CompensationFailure]

    /// Creates the error.
    public init(
        saga: String, failedStep: String, error: any Error, compensated: [String],
        compensationFailures: [CompensationFailure] = []
    ) {
        self.saga = saga
        self.failedStep = failedStep
        self.error = error
        self.compensated = compensated
        self.compensationFailures = compensationFailures
    }

    /// Whether every completed step was compensated.
    public var isFullyCompensated: Bool { compensationFailures.isEmpty }

    /// What failed and what was undone.
    public var description: String {
        var text = "saga '\(saga)' failed at '\(failedStep)': \(error); compensated: "
        text += compensated.isEmpty ? "nothing" : compensated.joined(separator: ", ")
        if !compensationFailures.isEmpty {
            text +=
                "; compensations that failed (fix by hand): "
                + compensationFailures.map(\.description).joined(separator: "; ")
        }
        return text
    }
}

/// A saga that cannot run as defined (no steps, a step without a name, two steps with one name): nothing ran.
public struct SagaDefinitionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

/// A saga that completed: every step executed.
public struct SagaResult: Sendable, Equatable {
    /// The saga's name.
    public var saga: String
    /// The steps, in the order they completed.
    public var completed: [String]

    /// Creates the result.
    public init(saga: String, completed: [String]) {
        self.saga = saga
        self.completed = completed
    }
}
