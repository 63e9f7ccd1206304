import Foundation

/// The handle a ``AuditLogger/transaction(_:metadata:isolation:_:)`` scope passes to its body: every
/// event logged through it carries the transaction's id.
public struct AuditTransaction: Sendable {
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

    /// Records a step of the transaction, e.g. `validate_input`.
    @discardableResult
    public func logEvent(
        _ name: String,
        details: AuditDetails = [:],
        outcome: AuditOutcome = .success
    ) throws -> AuditRecord {
        try log(.event(name, details: details, outcome: outcome))
    }

    /// Records a security event within the transaction.
    @discardableResult
    public func logSecurityEvent(
        _ name: String,
        severity: AuditSeverity = .medium,
        details: AuditDetails = [:],
        outcome: AuditOutcome = .success
    ) throws -> AuditRecord {
        try log(.security(name, severity: severity, details: details, outcome: outcome))
    }

    /// Records an access decision within the transaction.
    @discardableResult
    public func logAccess(
        resource: String,
        action: String,
        allowed: Bool,
        details: AuditDetails = [:]
    ) throws -> AuditRecord {
        try log(.access(resource: resource, action: action, allowed: allowed, details: details))
    }

    /// Records a change within the transaction, possibly rolled back.
    @discardableResult
    public func logChange(
        object: String,
        action: String,
        before: String? = nil,
        after: String? = nil,
        rolledBack: Bool = false,
        details: AuditDetails = [:]
    ) throws -> AuditRecord {
        try log(
            .change(
                object: object, action: action, before: before, after: after, rolledBack: rolledBack,
                details: details))
    }

    /// Records an error within the transaction (outcome failure, redacted description).
    @discardableResult
    public func logError(_ error: any Error, details: AuditDetails = [:]) throws -> AuditRecord {
        try log(.error(AuditLogger.errorName(error), message: String(describing: error), details: details))
    }

    /// Records an error message within the transaction.
    @discardableResult
    public func logError(_ message: String, details: AuditDetails = [:]) throws -> AuditRecord {
        try log(.error("error", message: message, details: details))
    }
}
