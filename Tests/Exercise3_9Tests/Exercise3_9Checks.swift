import Exercise3_9
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 3.9, a compliance report over a period with JSON, HTML and CSV exports. Run them with
/// `swift test --disable-swift-testing --filter Exercise3_9Tests`.
///
/// Each check seeds an audit log on a `ManualClock`: a day of activity before the period, twelve records in
/// it, and more activity a day after it.
final class Exercise3_9Checks: XCTestCase {
    private var directory: TemporaryDirectory?

    override func tearDown() {
        directory?.remove()
        super.tearDown()
    }

    private struct Seeded {
        var exercise: ComplianceExercise
        var start: Date
        var end: Date
    }

    private struct Refused: Error {}

    private func seed() async throws -> Seeded {
        let directory = try TemporaryDirectory(prefix: "exercise-3-9")
        self.directory = directory
        let clock = ManualClock()
        let audit = try AuditLogger(
            service: "compliance_reporter", directory: directory.appending("audit"), user: "auditor",
            wallClock: clock, durability: .normal)
        // Before the period.
        try audit.logAccess(resource: "moko-lab/api", action: "read", allowed: true)
        try audit.logSecurityEvent("credential_detected", severity: .high)
        clock.advance(by: .seconds(86_400))
        let start = clock.currentDate
        // In the period: 12 records.
        try await audit.transaction("update_repository") { txn in  // 4 records
            try txn.logAccess(resource: "moko-lab/api", action: "admin", allowed: true)
            clock.advance(by: .seconds(2))
            try txn.logChange(object: "moko-lab/api", action: "set_visibility", before: "public", after: "private")
        }
        clock.advance(by: .seconds(60))
        do {
            try await audit.transaction("protect_branch") { txn in  // 4 records, fails
                try txn.logChange(object: "moko-lab/web", action: "enable_protection", before: "off", after: "on")
                try txn.logChange(
                    object: "moko-lab/web", action: "enable_protection", before: "on", after: "off", rolledBack: true)
                throw Refused()
            }
        } catch is Refused {}
        clock.advance(by: .seconds(60))
        try audit.logAccess(resource: "moko-lab/secrets", action: "read", allowed: false)
        try audit.logSecurityEvent("sql_injection_attempt", severity: .critical, outcome: .failure)
        try audit.logSecurityEvent("credential_detected", severity: .high, outcome: .failure)
        try audit.logSecurityEvent("validation_failure", severity: .medium, outcome: .failure)
        clock.advance(by: .seconds(60))
        let end = clock.currentDate
        // After the period.
        clock.advance(by: .seconds(86_400))
        try audit.logSecurityEvent("sql_injection_attempt", severity: .critical)
        try audit.logAccess(resource: "moko-lab/api", action: "write", allowed: false)
        try audit.logChange(object: "moko-lab/api", action: "rename", before: "api", after: "api-v2")
        return Seeded(exercise: ComplianceExercise(audit: audit, wallClock: clock), start: start, end: end)
    }

    func test1_reportCountsMatchTheAuditDataOfThePeriod() async throws {
        let seeded = try await seed()
        let report = try seeded.exercise.report(start: seeded.start, end: seeded.end)
        XCTAssertEqual(
            report.metadata.periodStart, seeded.start, "The report covers the wrong period. Run `lab hint 3.9`.")
        XCTAssertEqual(
            report.auditSummary.totalEvents, 12, "Only the 12 records of the period count. Run `lab hint 3.9`.")
        XCTAssertEqual(
            report.auditSummary.totalTransactions, 2, "Two transactions ran in the period. Run `lab hint 3.9`.")
        XCTAssertEqual(report.securityEvents.total, 3, "Three security events in the period. Run `lab hint 3.9`.")
        XCTAssertEqual(
            report.securityEvents.bySeverity["CRITICAL"], 1, "One CRITICAL security event. Run `lab hint 3.9`.")
        XCTAssertEqual(report.securityEvents.high.count, 1, "One HIGH security event. Run `lab hint 3.9`.")
        XCTAssertEqual(report.accessLog.total, 2, "Two access decisions in the period. Run `lab hint 3.9`.")
        XCTAssertEqual(report.accessLog.denied, 1, "One denied access. Run `lab hint 3.9`.")
        XCTAssertEqual(report.changes.total, 3, "Three changes in the period. Run `lab hint 3.9`.")
        XCTAssertEqual(report.changes.rolledBack, 1, "One rolled-back change. Run `lab hint 3.9`.")
        XCTAssertTrue(report.chain.isValid, "The audit chain should verify. Run `lab hint 3.9`.")
    }

    func test2_anInvertedPeriodIsRefused() async throws {
        let seeded = try await seed()
        do {
            _ = try seeded.exercise.report(start: seeded.end, end: seeded.start)
            XCTFail("A period that ends before it starts should be refused. Run `lab hint 3.9`.")
        } catch let error as ComplianceReportError {
            XCTAssertEqual(error.code, .invalidPeriod, "Refuse it with the reporter's error. Run `lab hint 3.9`.")
        }
    }

    func test3_exportsWriteJSONHTMLAndCSVWithEverySection() async throws {
        let seeded = try await seed()
        let report = try seeded.exercise.report(start: seeded.start, end: seeded.end)
        let folder = try XCTUnwrap(directory).appending("reports")
        let files = try seeded.exercise.exportAll(report, to: folder)
        let json = try String(
            contentsOf: try XCTUnwrap(files[.json], "No JSON export. Run `lab hint 3.9`."), encoding: .utf8)
        let object = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            "The JSON export is not a JSON object. Run `lab hint 3.9`.")
        for section in [
            "report_metadata", "audit_summary", "security_events", "access_log", "changes_made", "compliance_metrics",
        ] {
            XCTAssertNotNil(object[section], "The JSON export lacks the section `\(section)`. Run `lab hint 3.9`.")
        }
        let html = try String(
            contentsOf: try XCTUnwrap(files[.html], "No HTML export. Run `lab hint 3.9`."), encoding: .utf8)
        for title in ["Audit summary", "Security events", "Access log", "Changes and rollbacks", "Compliance metrics"] {
            XCTAssertTrue(html.contains("<h2>\(title)</h2>"), "The HTML export lacks `\(title)`. Run `lab hint 3.9`.")
        }
        let csv = try String(
            contentsOf: try XCTUnwrap(files[.csv], "No CSV export. Run `lab hint 3.9`."), encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("section,item,key,value"), "The CSV export has no header. Run `lab hint 3.9`.")
        XCTAssertTrue(
            csv.contains("audit_summary,total_events,,12"),
            "The CSV export should hold total_events 12. "
                + "Run `lab hint 3.9`.")
    }

    func test4_theThreeExportsAgreeOnTheNumbers() async throws {
        let seeded = try await seed()
        let report = try seeded.exercise.report(start: seeded.start, end: seeded.end)
        let files = try seeded.exercise.exportAll(report, to: try XCTUnwrap(directory).appending("reports"))
        let summary = try ComplianceExercise.crossCheck(files)
        XCTAssertEqual(
            summary,
            ExportSummary(
                totalEvents: 12, totalTransactions: 2, securityEvents: 3, accessEvents: 2, deniedAccess: 1, changes: 3,
                rollbacks: 1, digest: report.digest),
            "crossCheck should read the period's numbers and the report's digest. Run `lab hint 3.9`.")
    }

    func test5_aTamperedExportIsCaught() async throws {
        let seeded = try await seed()
        let report = try seeded.exercise.report(start: seeded.start, end: seeded.end)
        var files = try seeded.exercise.exportAll(report, to: try XCTUnwrap(directory).appending("reports"))
        let csvURL = try XCTUnwrap(files[.csv])
        let csv = try String(contentsOf: csvURL, encoding: .utf8)
        try csv.replacingOccurrences(of: "audit_summary,total_events,,12", with: "audit_summary,total_events,,9")
            .write(to: csvURL, atomically: true, encoding: .utf8)
        do {
            _ = try ComplianceExercise.crossCheck(files)
            XCTFail("A CSV export whose total_events was changed should be caught. Run `lab hint 3.9`.")
        } catch let error as ExportCheckFailed {
            XCTAssertEqual(error.format, "csv", "The error should name the CSV export. Run `lab hint 3.9`.")
        }
        files[.html] = nil
        do {
            _ = try ComplianceExercise.crossCheck(files)
            XCTFail("A missing HTML export should be caught. Run `lab hint 3.9`.")
        } catch let error as ExportCheckFailed {
            XCTAssertEqual(error.format, "html", "The error should name the HTML export. Run `lab hint 3.9`.")
        }
    }
}
