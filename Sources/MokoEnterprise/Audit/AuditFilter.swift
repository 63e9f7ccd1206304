/// Which records ``AuditLogger/generateReport(startDate:endDate:filterBy:)`` counts; every set field must match.
///
/// ```swift
/// let security = try audit.generateReport(startDate: start, endDate: end, filterBy: .eventTypes([.security]))
/// ```
public struct AuditFilter: Sendable, Hashable {
    /// Only these event types; `nil` for all.
    public var eventTypes: Set<AuditEventType>?
    /// Only these severities; `nil` for all (records without a severity never match a set).
    public var severities: Set<AuditSeverity>?
    /// Only this outcome; `nil` for both.
    public var outcome: AuditOutcome?
    /// Only these services; `nil` for all.
    public var services: Set<String>?
    /// Only these users; `nil` for all.
    public var users: Set<String>?
    /// Only this transaction; `nil` for all.
    public var transactionID: String?
    /// Only events with these names; `nil` for all.
    public var names: Set<String>?

    /// Creates a filter; unset fields match everything.
    public init(
        eventTypes: Set<AuditEventType>? = nil,
        severities: Set<AuditSeverity>? = nil,
        outcome: AuditOutcome? = nil,
        services: Set<String>? = nil,
        users: Set<String>? = nil,
        transactionID: String? = nil,
        names: Set<String>? = nil
    ) {
        self.eventTypes = eventTypes
        self.severities = severities
        self.outcome = outcome
        self.services = services
        self.users = users
        self.transactionID = transactionID
        self.names = names
    }

    /// Matches every record.
    public static let all = AuditFilter()

    /// Matches the given event types.
    public static func eventTypes(_ types: Set<AuditEventType>) -> AuditFilter { AuditFilter(eventTypes: types) }

    /// Whether `record` passes the filter.
    public func matches(_ record: AuditRecord) -> Bool {
        if let eventTypes, !eventTypes.contains(record.eventType) { return false }
        if let severities {
            guard let severity = record.severity, severities.contains(severity) else { return false }
        }
        if let outcome, record.outcome != outcome { return false }
        if let services, !services.contains(record.service) { return false }
        if let users, !users.contains(record.user) { return false }
        if let transactionID, record.transactionID != transactionID { return false }
        if let names, !names.contains(record.name) { return false }
        return true
    }
}
