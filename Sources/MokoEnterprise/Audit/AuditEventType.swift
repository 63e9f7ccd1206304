/// The kind of an audit record (the OWASP *what*: its type).
///
/// The compliance report groups records by these types. The set is open: create your own with
/// `AuditEventType("deployment")`, but prefer the predefined ones so reports count them.
public struct AuditEventType: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The name stored in the record's `event_type` field.
    public var rawValue: String

    /// Creates a type from its stored name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates a type from its stored name.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// A transaction began (`transaction_start`); its details hold the transaction's metadata.
    public static let transactionStart = AuditEventType("transaction_start")
    /// A transaction ended (`transaction_end`) with a duration and an outcome.
    public static let transactionEnd = AuditEventType("transaction_end")
    /// A business or operational step (`event`), e.g. `validate_input`, `step_complete`.
    public static let event = AuditEventType("event")
    /// A security-relevant event (`security`) with a severity, e.g. `authn_login_fail`.
    public static let security = AuditEventType("security")
    /// An access decision (`access`): a resource, an action, allowed (success) or denied (failure).
    public static let access = AuditEventType("access")
    /// A change to an object (`change`): before/after summary, possibly rolled back.
    public static let change = AuditEventType("change")
    /// An error (`error`) with its description.
    public static let error = AuditEventType("error")
    /// Retention pruned old records (`retention`); the record names the new chain anchor.
    public static let retention = AuditEventType("retention")

    /// The predefined types, in report order.
    public static let known: [AuditEventType] = [
        .transactionStart, .transactionEnd, .event, .security, .access, .change, .error, .retention,
    ]

    /// Orders types by name.
    public static func < (lhs: AuditEventType, rhs: AuditEventType) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The stored name.
    public var description: String { rawValue }
}
