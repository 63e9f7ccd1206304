import Foundation

/// Builds compliance reports (the curriculum's Pattern 11) from an ``AuditLogger``'s store and exports them.
///
/// ```swift
/// let reporter = ComplianceReporter(auditLogger: audit)
/// let report = try reporter.generateComplianceReport(start: monthStart, end: monthEnd)
/// try reporter.export(report, format: .html, to: reportsFolder.appendingPathComponent("2026-01.html"))
/// ```
public struct ComplianceReporter: Sendable {
    /// The generator name and version written into every report.
    public static let generatorVersion = "MokoEnterprise ComplianceReporter 1.0"

    /// The audit log the reports are built from.
    public let auditLogger: AuditLogger
    private let wallClock: any WallClock

    /// Creates a reporter over `auditLogger`'s store.
    ///
    /// - Parameters:
    ///   - auditLogger: the audit log to report on.
    ///   - wallClock: the source of the report's `generatedAt` time.
    public init(auditLogger: AuditLogger, wallClock: any WallClock = SystemWallClock()) {
        self.auditLogger = auditLogger
        self.wallClock = wallClock
    }

    /// Builds the report for the records logged in `start ..< end`, and verifies the whole chain.
    ///
    /// - Throws: ``ComplianceReportError`` when `end` precedes `start`; ``StoreError`` when the store
    ///   cannot be read or holds a damaged record.
    public func generateComplianceReport(start: Date, end: Date) throws -> ComplianceReport {
        guard end >= start else {
            throw ComplianceReportError(.invalidPeriod, "the report period ends (\(end)) before it starts (\(start))")
        }
        let generatedAt = wallClock.currentDate
        let summary = try auditLogger.generateReport(startDate: start, endDate: end)
        let verification = try auditLogger.verify()
        let head = try auditLogger.head
        let records = summary.records

        let metadata = ComplianceReport.Metadata(
            service: auditLogger.service, periodStart: start, periodEnd: end, generatedAt: generatedAt,
            generatorVersion: Self.generatorVersion, auditFormat: AuditLogger.formatVersion,
            parameters: [
                "start": AuditTimestamp.format(milliseconds: AuditTimestamp.milliseconds(start)),
                "end": AuditTimestamp.format(milliseconds: AuditTimestamp.milliseconds(end)),
                "service": auditLogger.service, "retention_days": String(auditLogger.retentionDays),
                "store": auditLogger.databaseURL.lastPathComponent, "period": "half-open [start, end)",
            ])

        var byOutcome = Dictionary(uniqueKeysWithValues: AuditOutcome.allCases.map { ($0.rawValue, 0) })
        for (outcome, count) in summary.countsByOutcome { byOutcome[outcome.rawValue] = count }
        let auditSummary = ComplianceReport.AuditSummary(
            totalEvents: records.count, totalTransactions: summary.transactions.count,
            eventsByType: Dictionary(uniqueKeysWithValues: summary.countsByType.map { ($0.key.rawValue, $0.value) }),
            eventsByOutcome: byOutcome, services: summary.services, users: summary.users)

        let security = records.compactMap { record -> ComplianceReport.SecurityEvent? in
            guard record.eventType == .security else { return nil }
            return ComplianceReport.SecurityEvent(
                seq: record.seq, timestamp: record.timestamp, name: record.name, severity: record.severity ?? .medium,
                user: record.user, outcome: record.outcome, details: record.details)
        }
        var bySeverity = Dictionary(uniqueKeysWithValues: AuditSeverity.allCases.map { ($0.rawValue, 0) })
        for event in security { bySeverity[event.severity.rawValue, default: 0] += 1 }
        let securitySection = ComplianceReport.SecuritySection(
            total: security.count, bySeverity: bySeverity, critical: security.filter { $0.severity == .critical },
            high: security.filter { $0.severity == .high })

        let access = records.compactMap { record -> ComplianceReport.AccessEntry? in
            guard record.eventType == .access else { return nil }
            return ComplianceReport.AccessEntry(
                seq: record.seq, timestamp: record.timestamp, user: record.user, resource: record.object ?? "",
                action: record.action ?? "", allowed: record.outcome == .success)
        }
        var byResource: [String: ComplianceReport.AccessCounts] = [:]
        for entry in access {
            var counts = byResource[entry.resource] ?? ComplianceReport.AccessCounts(allowed: 0, denied: 0)
            if entry.allowed { counts.allowed += 1 } else { counts.denied += 1 }
            byResource[entry.resource] = counts
        }
        let denied = access.filter { !$0.allowed }.count
        let accessSection = ComplianceReport.AccessSection(
            total: access.count, allowed: access.count - denied, denied: denied,
            uniqueUsers: Set(access.map(\.user)).count, byResource: byResource, entries: access)

        let changes = records.compactMap { record -> ComplianceReport.ChangeEntry? in
            guard record.eventType == .change else { return nil }
            return ComplianceReport.ChangeEntry(
                seq: record.seq, timestamp: record.timestamp, user: record.user, object: record.object ?? "",
                action: record.action ?? "", before: record.details["before"]?.stringValue,
                after: record.details["after"]?.stringValue, rolledBack: record.rolledBack ?? false)
        }
        var byObject: [String: Int] = [:]
        for change in changes { byObject[change.object, default: 0] += 1 }
        let rolledBack = changes.filter(\.rolledBack).count
        let changeSection = ComplianceReport.ChangeSection(
            total: changes.count, rolledBack: rolledBack, byObject: byObject, entries: changes)

        let ended = summary.transactions.filter { $0.succeeded != nil }
        let durations = ended.compactMap(\.durationSeconds)
        let periodDays = end.timeIntervalSince(start) / 86_400
        func ratio(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
        let metrics = ComplianceReport.Metrics(
            failedEvents: summary.failures.count, eventFailureRate: ratio(summary.failures.count, records.count),
            completedTransactions: ended.count,
            transactionFailureRate: ratio(ended.filter { $0.succeeded == false }.count, ended.count),
            rollbackRate: ratio(rolledBack, changes.count), accessDenialRate: ratio(denied, access.count),
            meanTransactionDurationSeconds: durations.isEmpty
                ? nil : durations.reduce(0, +) / Double(durations.count),
            maxTransactionDurationSeconds: durations.max(),
            securityEventsPerDay: periodDays > 0 ? Double(security.count) / periodDays : 0)

        let chain = ComplianceReport.ChainStatus(
            isValid: verification.isValid, recordsChecked: verification.recordsChecked,
            failure: verification.failure, head: head, anchor: verification.anchor)

        return ComplianceReport(
            metadata: metadata, auditSummary: auditSummary, securityEvents: securitySection,
            accessLog: accessSection, changes: changeSection, metrics: metrics, chain: chain)
    }

    /// Renders `report` in `format`.
    public func export(_ report: ComplianceReport, format: ComplianceReportFormat) -> String {
        report.rendered(as: format)
    }

    /// Renders `report` in the format named `format` (`json`, `html`, `csv`, `markdown`/`md`).
    ///
    /// - Throws: ``ComplianceReportError`` with code `.unsupportedFormat` listing the supported formats.
    public func export(_ report: ComplianceReport, format: String) throws -> String {
        report.rendered(as: try ComplianceReportFormat(parsing: format))
    }

    /// Writes `report` in `format` to `url` atomically (a temporary file renamed into place).
    ///
    /// - Throws: ``AuditError`` with code `.fileAccess` when the file cannot be written; the old file,
    ///   if any, is unchanged.
    public func export(_ report: ComplianceReport, format: ComplianceReportFormat, to url: URL) throws {
        try AuditAtomicFile.write(report.rendered(as: format), to: url)
    }
}
