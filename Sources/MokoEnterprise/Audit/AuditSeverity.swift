/// How serious a security event is; stored upper-case as in the original MokoStandards logger.
public enum AuditSeverity: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// Informational, e.g. a successful login.
    case info = "INFO"
    /// Low impact.
    case low = "LOW"
    /// Medium impact (the default of `logSecurityEvent`).
    case medium = "MEDIUM"
    /// High impact: reported individually in compliance reports.
    case high = "HIGH"
    /// Critical: reported individually in compliance reports.
    case critical = "CRITICAL"

    private var rank: Int {
        switch self {
        case .info: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }

    /// Orders severities from ``info`` to ``critical``.
    public static func < (lhs: AuditSeverity, rhs: AuditSeverity) -> Bool { lhs.rank < rhs.rank }

    /// The stored name, e.g. `CRITICAL`.
    public var description: String { rawValue }
}
