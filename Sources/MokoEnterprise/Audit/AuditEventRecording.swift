/// Something that records audit events: the ``AuditLogger`` itself, or an ``AuditTransaction`` scope
/// (whose events carry its transaction id).
///
/// The conveniences below build the ``AuditEvent`` and pass it to ``log(_:)``, so the logger and a
/// transaction offer the same vocabulary: `logEvent`, `logSecurityEvent`, `logAccess`, `logChange`,
/// `logError`.
public protocol AuditEventRecording: Sendable {
    /// Records one event and returns the stored record.
    ///
    /// - Throws: ``AuditError`` when the record is too large, ``StoreError`` when it cannot be written.
    @discardableResult
    func log(_ event: AuditEvent) throws -> AuditRecord
}

extension AuditEventRecording {
    /// Records a business or operational event (type ``AuditEventType/event``), e.g. a step such as
    /// `validate_input`.
    @discardableResult
    public func logEvent(
        _ name: String,
        details: AuditDetails = [:],
        outcome: AuditOutcome = .success
    ) throws -> AuditRecord {
        try log(.event(name, details: details, outcome: outcome))
    }

    /// Records a security event (type ``AuditEventType/security``), e.g. `authn_login_fail`.
    @discardableResult
    public func logSecurityEvent(
        _ name: String,
        severity: AuditSeverity = .medium,
        details: AuditDetails = [:],
        outcome: AuditOutcome = .success
    ) throws -> AuditRecord {
        try log(.security(name, severity: severity, details: details, outcome: outcome))
    }

    /// Records an access decision (type ``AuditEventType/access``): allowed is a success, denied a failure.
    @discardableResult
    public func logAccess(
        resource: String,
        action: String,
        allowed: Bool,
        details: AuditDetails = [:]
    ) throws -> AuditRecord {
        try log(.access(resource: resource, action: action, allowed: allowed, details: details))
    }

    /// Records a change to `object` (type ``AuditEventType/change``), possibly rolled back.
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

    /// Records an error (type ``AuditEventType/error``, outcome failure) with its redacted description.
    @discardableResult
    public func logError(_ error: any Error, details: AuditDetails = [:]) throws -> AuditRecord {
        try log(.error(AuditLogger.errorName(error), message: String(describing: error), details: details))
    }

    /// Records an error message (type ``AuditEventType/error``, outcome failure).
    @discardableResult
    public func logError(_ message: String, details: AuditDetails = [:]) throws -> AuditRecord {
        try log(.error("error", message: message, details: details))
    }
}
