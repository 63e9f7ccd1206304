/// Where a compensation that keeps failing is parked so that it is never lost.
///
/// After a compensation has failed ``SagaCompensationRetry/maxAttempts`` times, ``SagaOrchestrator`` hands
/// it here; the step's status becomes ``SagaStepStatus/deadLettered(_:)``. If this method throws (or no
/// sink is configured), the status is ``SagaStepStatus/compensationFailed(_:)`` and the failure is in the
/// thrown ``SagaFailed`` report. The library's dead-letter queue conforms to this protocol.
public protocol SagaDeadLetterSink: Sendable {
    /// Stores a compensation that could not be completed, for later inspection or replay.
    ///
    /// - Parameters:
    ///   - saga: the saga's name.
    ///   - step: the step whose compensation failed.
    ///   - error: the last error the compensation threw.
    ///   - attempts: how many times the compensation was attempted.
    /// - Throws: if the entry could not be stored.
    func deadLetterCompensation(saga: String, step: String, error: any Error, attempts: Int) async throws
}
