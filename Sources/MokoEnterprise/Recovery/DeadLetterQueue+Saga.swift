import Foundation

extension DeadLetterQueue: SagaDeadLetterSink {
    /// Parks a saga compensation that kept failing, so an operator can inspect and replay it.
    ///
    /// The entry's id is `<saga>/<step>/compensation` (stable, so parking the same compensation twice keeps
    /// its first failure time), its reason is `compensation_failed`, and its payload records the saga, the
    /// step and the attempts as JSON. Redrive it with ``redrive(filter:dryRun:using:)`` once the cause is
    /// fixed, running the step's compensation again in the handler.
    ///
    /// - Throws: a `StoreError` or `CheckpointError` if the entry could not be stored.
    public func deadLetterCompensation(saga: String, step: String, error: any Error, attempts: Int) async throws {
        try deadLetter(
            id: "\(saga)/\(step)/compensation",
            encoding: SagaCompensationDeadLetter(saga: saga, step: step, attempts: attempts),
            reason: "compensation_failed",
            error: String(describing: error),
            retryCount: max(attempts, 1)
        )
    }
}

/// The payload of a dead-lettered saga compensation.
public struct SagaCompensationDeadLetter: Codable, Sendable, Hashable {
    /// The saga's name.
    public var saga: String
    /// The step whose compensation failed.
    public var step: String
    /// How many times the compensation was attempted.
    public var attempts: Int

    /// Creates the payload.
    public init(saga: String, step: String, attempts: Int) {
        self.saga = saga
        self.step = step
        self.attempts = attempts
    }
}
