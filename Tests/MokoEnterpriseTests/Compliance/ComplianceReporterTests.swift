import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

private struct ComplianceTestFailure: Error {}

@Suite struct ComplianceReporterTests {
    /// A store with known contents: one record before the period, twenty inside, one after.
    private static func seededLogger(
        _ directory: TemporaryDirectory, clock: ManualClock
    ) async throws -> (logger: AuditLogger, start: Date, end: Date) {
        let logger = try AuditLogger(
            service: "compliance_demo", directory: directory.url, retentionDays: 365, user: "auditor",
            wallClock: clock, durability: .normal)
        try logger.logEvent("before_period")
        clock.advance(by: .seconds(86_400))
        let start = clock.currentDate

        try await logger.transaction("deploy", metadata: ["version": "1.2.0"]) { txn in
            try txn.logEvent("upload")
            clock.advance(by: .seconds(3))
            try txn.logEvent("activate")
        }
        try? await logger.transaction("migrate") { txn in
            try txn.logEvent("prepare")
            clock.advance(by: .seconds(1))
            throw ComplianceTestFailure()
        }
        clock.advance(by: .seconds(3_600))
        try logger.logSecurityEvent("authz_fail <script>alert(1)</script>", severity: .critical)
        try logger.logSecurityEvent("privilege_escalation", severity: .critical, details: ["who": "<b>eve</b> & co"])
        try logger.logSecurityEvent("authn_login_fail", severity: .high, details: ["ip": "192.0.2.7"])
        try logger.logSecurityEvent("sys_startup", severity: .low)
        try logger.logAccess(resource: "repo/a", action: "read", allowed: true)
        try logger.logAccess(resource: "repo/a", action: "write", allowed: true)
        try logger.logAccess(resource: "repo/b", action: "read", allowed: true)
        try logger.logAccess(resource: "repo/b", action: "admin", allowed: false)
        try logger.logAccess(resource: "repo/<c>,\"quoted\"", action: "delete", allowed: false)
        try logger.logChange(object: "settings/visibility", action: "update", before: "private", after: "public")
        try logger.logChange(
            object: "settings/visibility", action: "update", before: "public", after: "private", rolledBack: true)
        try logger.logChange(object: "branch|main", action: "protect", before: "off", after: "on\nstrict")
        try logger.logError("disk almost full")

        clock.advance(by: .seconds(9 * 86_400))
        let end = clock.currentDate
        try logger.logEvent("after_period")
        return (logger, start, end)
    }

    @Test func reportHasEverySectionWithTheRightNumbers() async throws {
        let directory = try TemporaryDirectory(prefix: "compliance-report")
        defer { directory.remove() }
        let clock = ManualClock(epoch: Date(timeIntervalSince1970: 1_767_139_200))  // 2025-12-31T00:00:00Z
        let (logger, start, end) = try await Self.seededLogger(directory, clock: clock)
        let reporter = ComplianceReporter(auditLogger: logger, wallClock: clock)
        let report = try reporter.generateComplianceReport(start: start, end: end)

        #expect(report.metadata.service == "compliance_demo")
        #expect(report.metadata.periodStart == start && report.metadata.periodEnd == end)
        #expect(report.metadata.generatedAt == clock.currentDate)
        #expect(report.metadata.generatorVersion == ComplianceReporter.generatorVersion)
        #expect(report.metadata.parameters["start"] == "2026-01-01T00:00:00.000Z")
        #expect(report.metadata.parameters["retention_days"] == "365")

        #expect(report.auditSummary.totalEvents == 20)
        #expect(report.auditSummary.totalTransactions == 2)
        #expect(
            report.auditSummary.eventsByType == [
                "transaction_start": 2, "transaction_end": 2, "event": 3, "security": 4, "access": 5, "change": 3,
                "error": 1,
            ])
        #expect(report.auditSummary.eventsByOutcome == ["success": 16, "failure": 4])
        #expect(report.auditSummary.users == ["auditor"])

        #expect(report.securityEvents.total == 4)
        #expect(report.securityEvents.bySeverity == ["CRITICAL": 2, "HIGH": 1, "MEDIUM": 0, "LOW": 1, "INFO": 0])
        #expect(
            report.securityEvents.critical.map(\.name) == [
                "authz_fail <script>alert(1)</script>", "privilege_escalation",
            ])
        #expect(report.securityEvents.high.map(\.name) == ["authn_login_fail"])

        #expect(report.accessLog.total == 5 && report.accessLog.allowed == 3 && report.accessLog.denied == 2)
        #expect(report.accessLog.uniqueUsers == 1)
        #expect(report.accessLog.byResource["repo/a"] == .init(allowed: 2, denied: 0))
        #expect(report.accessLog.byResource["repo/b"] == .init(allowed: 1, denied: 1))

        #expect(report.changes.total == 3 && report.changes.rolledBack == 1)
        #expect(report.changes.byObject == ["settings/visibility": 2, "branch|main": 1])
        #expect(report.changes.entries.map(\.rolledBack) == [false, true, false])
        #expect(report.changes.entries.first?.before == "private" && report.changes.entries.first?.after == "public")

        #expect(report.metrics.failedEvents == 4)
        #expect(report.metrics.eventFailureRate == 0.2)
        #expect(report.metrics.completedTransactions == 2)
        #expect(report.metrics.transactionFailureRate == 0.5)
        #expect(report.metrics.rollbackRate == 1.0 / 3.0)
        #expect(report.metrics.accessDenialRate == 0.4)
        #expect(report.metrics.meanTransactionDurationSeconds == 2.0)
        #expect(report.metrics.maxTransactionDurationSeconds == 3.0)
        #expect(abs(report.metrics.securityEventsPerDay - 4.0 / (end.timeIntervalSince(start) / 86_400)) < 1e-12)

        #expect(report.chain.isValid)
        #expect(report.chain.recordsChecked == 22)
        #expect(report.chain.head == (try logger.head))
        #expect(report.chain.head.seq == 22)
    }

    @Test func everyExportFormatParsesAndEscapesUserText() async throws {
        let directory = try TemporaryDirectory(prefix: "compliance-export")
        defer { directory.remove() }
        let clock = ManualClock()
        let (logger, start, end) = try await Self.seededLogger(directory, clock: clock)
        let reporter = ComplianceReporter(auditLogger: logger, wallClock: clock)
        let report = try reporter.generateComplianceReport(start: start, end: end)

        // JSON: decodes, has every section, embeds the head hash, is stable.
        let json = reporter.export(report, format: .json)
        #expect(json == reporter.export(report, format: .json))
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for section in [
            "report_metadata", "audit_summary", "security_events", "access_log", "changes_made", "compliance_metrics",
            "audit_chain",
        ] {
            #expect(decoded[section] is [String: Any], "missing \(section)")
        }
        let chain = try #require(decoded["audit_chain"] as? [String: Any])
        #expect(chain["head_hash"] as? String == report.chain.head.hash)
        #expect(decoded["report_sha256"] as? String == report.digest)
        let summary = try #require(decoded["audit_summary"] as? [String: Any])
        #expect(summary["total_events"] as? Int == 20)

        // CSV: RFC 4180, four columns on every row.
        let csv = reporter.export(report, format: .csv)
        let rows = Self.parseCSV(csv)
        #expect(rows.first == ["section", "item", "key", "value"])
        #expect(rows.count > 40)
        #expect(rows.allSatisfy { $0.count == 4 })
        #expect(rows.contains(["security_events", "by_severity", "CRITICAL", "2"]))
        #expect(rows.contains(["access_log", "by_resource", "repo/<c>,\"quoted\".denied", "1"]))
        #expect(rows.contains(["audit_chain", "head_hash", "", report.chain.head.hash]))

        // HTML: self-contained, every user value escaped.
        let html = reporter.export(report, format: .html)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<style>"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>eve</b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(
            !html.contains("src=") && !html.contains("href=") && !html.contains("http://") && !html.contains("https://")
        )
        #expect(html.contains(report.chain.head.hash))

        // Markdown: one table per section, cells escaped so every row has exactly four pipes.
        let markdown = try reporter.export(report, format: "md")
        for title in [
            "Report metadata", "Audit summary", "Security events", "Access log", "Changes and rollbacks",
            "Compliance metrics", "Audit chain",
        ] {
            #expect(markdown.contains("## \(title)"))
        }
        for line in markdown.split(separator: "\n") where line.hasPrefix("|") {
            let pipes = line.enumerated().filter { index, character in
                character == "|" && (index == 0 || Array(line)[index - 1] != "\\")
            }
            #expect(pipes.count == 4, "\(line)")
        }
        #expect(!markdown.contains("<script>"))

        // Files are written atomically and equal the rendered text.
        let file = directory.appending("report.html")
        try reporter.export(report, format: .html, to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == html)
        let missingFolder = directory.appending("missing/report.json")
        #expect(throws: AuditError.self) { try reporter.export(report, format: .json, to: missingFolder) }
        #expect(!FileManager.default.fileExists(atPath: missingFolder.path))
    }

    @Test func unsupportedFormatIsAClearErrorListingTheSupportedOnes() async throws {
        let directory = try TemporaryDirectory(prefix: "compliance-format")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try AuditLogger(service: "svc", directory: directory.url, wallClock: clock, durability: .normal)
        let reporter = ComplianceReporter(auditLogger: logger, wallClock: clock)
        let report = try reporter.generateComplianceReport(start: clock.epoch, end: clock.currentDate)
        do {
            _ = try reporter.export(report, format: "pdf")
            Issue.record("pdf was accepted")
        } catch let error as ComplianceReportError {
            #expect(error.code == .unsupportedFormat)
            #expect(error.message.contains("\"pdf\""))
            #expect(error.message.contains("json, html, csv, markdown"))
        }
        #expect(try ComplianceReportFormat(parsing: "Markdown") == .markdown)
        #expect(report.auditSummary.totalEvents == 0 && report.metrics.eventFailureRate == 0)
        #expect(report.metrics.meanTransactionDurationSeconds == nil)
        #expect(throws: ComplianceReportError.self) {
            try reporter.generateComplianceReport(start: clock.currentDate, end: clock.epoch.addingTimeInterval(-1))
        }
    }

    /// A small RFC 4180 parser: quoted fields, doubled quotes, CRLF records.
    private static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.unicodeScalars.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\r" && characters.first == "\n" {
                characters.removeFirst()
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(character)
            }
        }
        if !row.isEmpty || !field.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
