import Foundation

/// A compliance report over a period, built from the audit store by ``ComplianceReporter``.
///
/// Its sections follow the curriculum's Pattern 11: ``metadata``, ``auditSummary``, ``securityEvents``,
/// ``accessLog``, ``changes``, ``metrics`` — plus ``chain``, the audit chain's verification result and
/// head hash, so an auditor can later check the log the report was built from.
public struct ComplianceReport: Sendable, Hashable {
    /// Who made the report, when, over which period, with which parameters.
    public struct Metadata: Sendable, Hashable {
        /// The audited service.
        public var service: String
        /// The first instant of the period (included).
        public var periodStart: Date
        /// The end of the period (excluded).
        public var periodEnd: Date
        /// When the report was generated (from the reporter's `WallClock`).
        public var generatedAt: Date
        /// The generator and its version.
        public var generatorVersion: String
        /// The audit record format (``AuditLogger/formatVersion``).
        public var auditFormat: String
        /// The parameters the report was generated with (period, service, retention, store path).
        public var parameters: [String: String]
    }

    /// Totals over every record of the period.
    public struct AuditSummary: Sendable, Hashable {
        /// How many records.
        public var totalEvents: Int
        /// How many distinct transactions.
        public var totalTransactions: Int
        /// Records per event type (`event_type` → count).
        public var eventsByType: [String: Int]
        /// Records per outcome (`success`/`failure` → count; both always present).
        public var eventsByOutcome: [String: Int]
        /// The services seen, sorted.
        public var services: [String]
        /// The users seen, sorted.
        public var users: [String]
    }

    /// One security event listed in the report.
    public struct SecurityEvent: Sendable, Hashable {
        /// The record's sequence number.
        public var seq: Int
        /// When it was logged.
        public var timestamp: Date
        /// The event's name, e.g. `authn_login_fail`.
        public var name: String
        /// Its severity.
        public var severity: AuditSeverity
        /// Who acted.
        public var user: String
        /// Its outcome.
        public var outcome: AuditOutcome
        /// Its (redacted) details.
        public var details: AuditDetails
    }

    /// Security events of the period.
    public struct SecuritySection: Sendable, Hashable {
        /// How many security events.
        public var total: Int
        /// Counts per severity name (every severity present, zeros included).
        public var bySeverity: [String: Int]
        /// The CRITICAL events, in order.
        public var critical: [SecurityEvent]
        /// The HIGH events, in order.
        public var high: [SecurityEvent]
    }

    /// One access decision listed in the report.
    public struct AccessEntry: Sendable, Hashable {
        /// The record's sequence number.
        public var seq: Int
        /// When it was logged.
        public var timestamp: Date
        /// Who asked.
        public var user: String
        /// The resource.
        public var resource: String
        /// The action asked for.
        public var action: String
        /// Whether access was allowed.
        public var allowed: Bool
    }

    /// Allowed and denied counts for one resource.
    public struct AccessCounts: Sendable, Hashable {
        /// Allowed decisions.
        public var allowed: Int
        /// Denied decisions.
        public var denied: Int

        /// Creates the counts.
        public init(allowed: Int, denied: Int) {
            self.allowed = allowed
            self.denied = denied
        }
    }

    /// Access decisions of the period.
    public struct AccessSection: Sendable, Hashable {
        /// How many access events.
        public var total: Int
        /// How many were allowed.
        public var allowed: Int
        /// How many were denied.
        public var denied: Int
        /// How many distinct users asked.
        public var uniqueUsers: Int
        /// Counts per resource.
        public var byResource: [String: AccessCounts]
        /// Every access decision, in order.
        public var entries: [AccessEntry]
    }

    /// One change listed in the report.
    public struct ChangeEntry: Sendable, Hashable {
        /// The record's sequence number.
        public var seq: Int
        /// When it was logged.
        public var timestamp: Date
        /// Who changed it.
        public var user: String
        /// The changed object.
        public var object: String
        /// The action, e.g. `update`.
        public var action: String
        /// A summary of the state before, if logged.
        public var before: String?
        /// A summary of the state after, if logged.
        public var after: String?
        /// Whether the change was rolled back.
        public var rolledBack: Bool
    }

    /// Changes and rollbacks of the period.
    public struct ChangeSection: Sendable, Hashable {
        /// How many change events.
        public var total: Int
        /// How many of them were rollbacks.
        public var rolledBack: Int
        /// Changes per object.
        public var byObject: [String: Int]
        /// Every change, in order.
        public var entries: [ChangeEntry]
    }

    /// Ratios and rates an auditor asks for.
    public struct Metrics: Sendable, Hashable {
        /// Records with outcome failure.
        public var failedEvents: Int
        /// Failed records / all records (0 when there are none).
        public var eventFailureRate: Double
        /// Transactions that ended in the period.
        public var completedTransactions: Int
        /// Failed transactions / transactions that ended (0 when none ended).
        public var transactionFailureRate: Double
        /// Rolled-back changes / changes (0 when there are none).
        public var rollbackRate: Double
        /// Denied / all access decisions (0 when there are none).
        public var accessDenialRate: Double
        /// The mean duration of the transactions that ended, in seconds (nil when none did).
        public var meanTransactionDurationSeconds: Double?
        /// The longest transaction, in seconds (nil when none ended).
        public var maxTransactionDurationSeconds: Double?
        /// Security events per day of the period.
        public var securityEventsPerDay: Double
    }

    /// The audit chain the report was built from.
    public struct ChainStatus: Sendable, Hashable {
        /// Whether the whole store verified.
        public var isValid: Bool
        /// How many records were checked.
        public var recordsChecked: Int
        /// The first break, if any.
        public var failure: AuditChainFailure?
        /// The store's head when the report was made: publish it.
        public var head: AuditHead
        /// Where the chain starts (genesis or the retention anchor).
        public var anchor: AuditHead
    }

    /// Who made the report, when, over which period, with which parameters.
    public var metadata: Metadata
    /// Totals of the period.
    public var auditSummary: AuditSummary
    /// Security events by severity.
    public var securityEvents: SecuritySection
    /// Access decisions.
    public var accessLog: AccessSection
    /// Changes and rollbacks.
    public var changes: ChangeSection
    /// Compliance metrics.
    public var metrics: Metrics
    /// The audit chain's verification result and head.
    public var chain: ChainStatus
}
