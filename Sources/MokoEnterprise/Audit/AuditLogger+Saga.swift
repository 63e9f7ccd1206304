import Logging

extension AuditLogger {
    /// An event hook for ``SagaOrchestrator`` that records every saga event in this audit log.
    ///
    /// Each ``SagaEvent`` becomes one record whose name is the event kind (`step_start`, `step_complete`,
    /// `saga_complete`, `saga_failed`, ...) with the saga, its run id, the step and the attempt in the
    /// details; failures carry the error's description as the message (redacted before writing).
    ///
    /// ```swift
    /// let saga = SagaOrchestrator(onEvent: audit.sagaEventRecorder())
    /// ```
    ///
    /// A saga must not fail because its audit record could not be written, so a write error is reported
    /// to `logger` at error level instead of being thrown.
    ///
    /// - Parameter logger: where to report an audit write failure.
    /// - Returns: a closure to pass as the orchestrator's `onEvent`.
    public func sagaEventRecorder(
        logger: Logger = Logger(label: "MokoEnterprise.Audit")
    ) -> @Sendable (SagaEvent) -> Void {
        { [self] event in
            var details: AuditDetails = ["saga": .string(event.saga), "saga_id": .string(event.sagaID.uuidString)]
            if let step = event.step { details["step"] = .string(step) }
            if let attempt = event.attempt { details["attempt"] = .int(attempt) }
            let failed: Bool
            switch event.kind {
            case .stepFailed, .compensationFailed, .compensationDeadLettered, .sagaFailed: failed = true
            default: failed = false
            }
            let record = AuditEvent(
                type: .event,
                name: event.kind.rawValue,
                outcome: failed ? .failure : .success,
                action: event.step,
                object: event.saga,
                message: event.error.map { String(describing: $0) },
                details: details,
                transactionID: event.sagaID.uuidString
            )
            do {
                try log(record)
            } catch {
                logger.error(
                    "audit write failed for a saga event",
                    metadata: ["event": "\(event.kind.rawValue)", "error": "\(error)"]
                )
            }
        }
    }
}
