/// The headline numbers of a compliance report, as read back from one exported file.
///
/// Provided: not part of the exercise.
public struct ExportSummary: Sendable, Hashable, CustomStringConvertible {
    /// `audit_summary.total_events`.
    public var totalEvents: Int
    /// `audit_summary.total_transactions`.
    public var totalTransactions: Int
    /// `security_events.total_security_events`.
    public var securityEvents: Int
    /// `access_log.total_access_events`.
    public var accessEvents: Int
    /// `access_log.denied`.
    public var deniedAccess: Int
    /// `changes_made.total_changes`.
    public var changes: Int
    /// `changes_made.rollbacks`.
    public var rollbacks: Int
    /// `report_sha256`: the digest of the report's content.
    public var digest: String

    /// Creates a summary.
    public init(
        totalEvents: Int, totalTransactions: Int, securityEvents: Int, accessEvents: Int, deniedAccess: Int,
        changes: Int, rollbacks: Int, digest: String
    ) {
        self.totalEvents = totalEvents
        self.totalTransactions = totalTransactions
        self.securityEvents = securityEvents
        self.accessEvents = accessEvents
        self.deniedAccess = deniedAccess
        self.changes = changes
        self.rollbacks = rollbacks
        self.digest = digest
    }

    /// One line with every number.
    public var description: String {
        "events \(totalEvents), transactions \(totalTransactions), security \(securityEvents), access "
            + "\(accessEvents) (denied \(deniedAccess)), changes \(changes) (rolled back \(rollbacks)), sha256 \(digest)"
    }
}

/// An exported file that cannot be read back, or that disagrees with the others.
///
/// Provided: not part of the exercise.
public struct ExportCheckFailed: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's format (`json`, `html` or `csv`).
    public var format: String
    /// What is wrong.
    public var reason: String

    /// Creates the error.
    public init(format: String, reason: String) {
        self.format = format
        self.reason = reason
    }

    /// `the <format> export <reason>`.
    public var description: String { "the \(format) export \(reason)" }
}
