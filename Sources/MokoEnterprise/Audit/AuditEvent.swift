/// What to record: an audit event before the logger stamps it with time, identity and chain fields.
///
/// Use the factories (``event(_:details:outcome:transactionID:)``, ``security(_:severity:details:outcome:transactionID:)``,
/// ``access(resource:action:allowed:details:transactionID:)``, ``change(object:action:before:after:rolledBack:details:transactionID:)``,
/// ``error(_:message:details:transactionID:)``) or the memberwise initialiser, then pass one event to
/// ``AuditLogger/log(_:)`` or many to ``AuditLogger/logEvents(_:)`` (one SQLite transaction).
public struct AuditEvent: Sendable, Hashable {
    /// The kind of event.
    public var type: AuditEventType
    /// The event's name, e.g. `create_user` or `authn_login_fail` (one line; CR/LF are removed).
    public var name: String
    /// The severity, for security events.
    public var severity: AuditSeverity?
    /// Whether the action succeeded.
    public var outcome: AuditOutcome
    /// The action performed (OWASP *action*), e.g. `read`, `update`.
    public var action: String?
    /// The object acted on (OWASP *object*): a resource, a repository, a file.
    public var object: String?
    /// A one-line description or reason, e.g. an error's description.
    public var message: String?
    /// Structured details; every string in them is redacted before writing.
    public var details: AuditDetails
    /// The transaction the event belongs to, if any.
    public var transactionID: String?
    /// How long the action took, in seconds (transaction ends).
    public var durationSeconds: Double?
    /// For change events: whether the change was rolled back.
    public var rolledBack: Bool?

    /// Creates an event; every field but `type` and `name` is optional.
    public init(
        type: AuditEventType,
        name: String,
        severity: AuditSeverity? = nil,
        outcome: AuditOutcome = .success,
        action: String? = nil,
        object: String? = nil,
        message: String? = nil,
        details: AuditDetails = [:],
        transactionID: String? = nil,
        durationSeconds: Double? = nil,
        rolledBack: Bool? = nil
    ) {
        self.type = type
        self.name = name
        self.severity = severity
        self.outcome = outcome
        self.action = action
        self.object = object
        self.message = message
        self.details = details
        self.transactionID = transactionID
        self.durationSeconds = durationSeconds
        self.rolledBack = rolledBack
    }

    /// A business or operational step.
    public static func event(
        _ name: String,
        details: AuditDetails = [:],
        outcome: AuditOutcome = .success,
        transactionID: String? = nil
    ) -> AuditEvent {
        AuditEvent(type: .event, name: name, outcome: outcome, details: details, transactionID: transactionID)
    }

    /// A security event, e.g. `authn_login_fail` with severity ``AuditSeverity/high``.
    public static func security(
        _ name: String,
        severity: AuditSeverity = .medium,
        details: AuditDetails = [:],
        outcome: AuditOutcome = .success,
        transactionID: String? = nil
    ) -> AuditEvent {
        AuditEvent(
            type: .security, name: name, severity: severity, outcome: outcome, details: details,
            transactionID: transactionID
        )
    }

    /// An access decision: `allowed` is stored as outcome success, a denial as failure.
    public static func access(
        resource: String,
        action: String,
        allowed: Bool,
        details: AuditDetails = [:],
        transactionID: String? = nil
    ) -> AuditEvent {
        AuditEvent(
            type: .access, name: allowed ? "access_granted" : "access_denied",
            outcome: allowed ? .success : .failure, action: action, object: resource, details: details,
            transactionID: transactionID
        )
    }

    /// A change to `object`, with one-line summaries of the state before and after.
    ///
    /// The summaries are stored in `details["before"]` and `details["after"]`.
    public static func change(
        object: String,
        action: String,
        before: String? = nil,
        after: String? = nil,
        rolledBack: Bool = false,
        details: AuditDetails = [:],
        transactionID: String? = nil
    ) -> AuditEvent {
        var details = details
        if let before { details["before"] = .string(before) }
        if let after { details["after"] = .string(after) }
        return AuditEvent(
            type: .change, name: rolledBack ? "change_rolled_back" : "change_applied", action: action,
            object: object, details: details, transactionID: transactionID, rolledBack: rolledBack
        )
    }

    /// An error: outcome failure, the description in ``message``.
    public static func error(
        _ name: String,
        message: String,
        details: AuditDetails = [:],
        transactionID: String? = nil
    ) -> AuditEvent {
        AuditEvent(
            type: .error, name: name, outcome: .failure, message: message, details: details,
            transactionID: transactionID
        )
    }
}
