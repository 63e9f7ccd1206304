import Foundation

/// The handle a ``AuditLogger/transaction(_:metadata:isolation:_:)`` scope passes to its body: every
/// event logged through it carries the transaction's id.
public struct AuditTransaction: AuditEventRecording {
    /// The logger the events go to.
    public let logger: AuditLogger
    /// The transaction's identifier (a lower-case UUID), stamped as `transaction_id`.
    public let id: String
    /// The operation's name, e.g. `user_provisioning`.
    public let operation: String

    /// Creates a handle; the logger's transaction scope does this for you.
    public init(logger: AuditLogger, id: String, operation: String) {
        self.logger = logger
        self.id = id
        self.operation = operation
    }

    /// Records an event of any kind within the transaction (its `transactionID` is set to ``id``).
    @discardableResult
    public func log(_ event: AuditEvent) throws -> AuditRecord {
        var event = event
        event.transactionID = id
        return try logger.log(event)
    }
}
