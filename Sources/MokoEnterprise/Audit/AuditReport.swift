import Foundation

/// A summary of the audit records of a period: what ``AuditLogger/generateReport(startDate:endDate:filterBy:)`` returns.
public struct AuditReport: Sendable, Hashable {
    /// One audited transaction seen in the period.
    public struct Transaction: Sendable, Hashable {
        /// The transaction's identifier.
        public var id: String
        /// The operation's name.
        public var operation: String
        /// When it started (nil when its start is outside the period).
        public var startedAt: Date?
        /// When it ended (nil when it has not ended within the period).
        public var endedAt: Date?
        /// Its duration in seconds, from `transaction_end`.
        public var durationSeconds: Double?
        /// Whether it succeeded; nil when it has not ended within the period.
        public var succeeded: Bool?
        /// The redacted error description of a failed transaction.
        public var error: String?
        /// How many records of the period belong to it (start and end included).
        public var eventCount: Int
    }

    /// The first instant included.
    public var startDate: Date
    /// The first instant excluded.
    public var endDate: Date
    /// The filter applied.
    public var filter: AuditFilter
    /// The matching records, in chain order.
    public var records: [AuditRecord]
    /// Record counts per event type.
    public var countsByType: [AuditEventType: Int]
    /// Record counts per severity (records with a severity only).
    public var countsBySeverity: [AuditSeverity: Int]
    /// Record counts per outcome.
    public var countsByOutcome: [AuditOutcome: Int]
    /// The transactions seen, in order of first appearance.
    public var transactions: [Transaction]
    /// The records whose outcome is failure.
    public var failures: [AuditRecord]
    /// The distinct users, sorted.
    public var users: [String]
    /// The distinct services, sorted.
    public var services: [String]

    /// How many records matched.
    public var totalEvents: Int { records.count }

    /// Builds the summary of `records` (already filtered).
    public init(startDate: Date, endDate: Date, filter: AuditFilter, records: [AuditRecord]) {
        self.startDate = startDate
        self.endDate = endDate
        self.filter = filter
        self.records = records
        var byType: [AuditEventType: Int] = [:]
        var bySeverity: [AuditSeverity: Int] = [:]
        var byOutcome: [AuditOutcome: Int] = [:]
        var transactions: [Transaction] = []
        var index: [String: Int] = [:]
        for record in records {
            byType[record.eventType, default: 0] += 1
            if let severity = record.severity { bySeverity[severity, default: 0] += 1 }
            byOutcome[record.outcome, default: 0] += 1
            guard let id = record.transactionID else { continue }
            let position: Int
            if let existing = index[id] {
                position = existing
            } else {
                position = transactions.count
                index[id] = position
                transactions.append(
                    Transaction(
                        id: id, operation: record.name, startedAt: nil, endedAt: nil, durationSeconds: nil,
                        succeeded: nil, error: nil, eventCount: 0))
            }
            transactions[position].eventCount += 1
            if record.eventType == .transactionStart {
                transactions[position].operation = record.name
                transactions[position].startedAt = record.timestamp
            } else if record.eventType == .transactionEnd {
                transactions[position].operation = record.name
                transactions[position].endedAt = record.timestamp
                transactions[position].durationSeconds = record.durationSeconds
                transactions[position].succeeded = record.outcome == .success
                transactions[position].error = record.message
            }
        }
        countsByType = byType
        countsBySeverity = bySeverity
        countsByOutcome = byOutcome
        self.transactions = transactions
        failures = records.filter { $0.outcome == .failure }
        users = Set(records.map(\.user)).sorted()
        services = Set(records.map(\.service)).sorted()
    }
}

extension AuditLogger {
    /// Summarises the records logged in `startDate ..< endDate` that pass `filterBy`.
    ///
    /// - Parameters:
    ///   - startDate: the first instant included.
    ///   - endDate: the first instant excluded.
    ///   - filterBy: which records to count (default: all).
    /// - Returns: counts by type, severity and outcome, the transactions with their durations, the failures.
    /// - Throws: ``AuditError`` when `endDate` precedes `startDate`; ``StoreError`` when the store cannot be read.
    public func generateReport(
        startDate: Date,
        endDate: Date,
        filterBy filter: AuditFilter = .all
    ) throws -> AuditReport {
        guard endDate >= startDate else {
            throw AuditError(.invalidArgument, "the report period ends (\(endDate)) before it starts (\(startDate))")
        }
        let records = try records(from: startDate, to: endDate, types: filter.eventTypes).filter(filter.matches)
        return AuditReport(startDate: startDate, endDate: endDate, filter: filter, records: records)
    }
}
