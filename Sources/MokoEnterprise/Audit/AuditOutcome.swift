/// The result of the audited action (the OWASP *result*).
public enum AuditOutcome: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The action succeeded (for access events: access was allowed).
    case success
    /// The action failed (for access events: access was denied).
    case failure

    /// The stored name.
    public var description: String { rawValue }
}
