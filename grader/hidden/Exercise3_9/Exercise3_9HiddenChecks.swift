import Exercise3_9
import ExerciseSupport
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 3.9: random audit data around a random period, exact period edges, tampering
/// with each export, and a service name that needs CSV quoting and HTML escaping. No value is printed.
final class Exercise3_9HiddenChecks: XCTestCase {
    private var directories: [TemporaryDirectory] = []

    override func tearDown() {
        for directory in directories { directory.remove() }
        super.tearDown()
    }

    private struct Refused: Error {}

    /// What a seeding put into the period.
    private struct Expected {
        var events = 0
        var transactions = 0
        var security = 0
        var critical = 0
        var high = 0
        var access = 0
        var denied = 0
        var changes = 0
        var rollbacks = 0
    }

    private struct Seeded {
        var exercise: ComplianceExercise
        var directory: TemporaryDirectory
        var start: Date
        var end: Date
        var expected: Expected
    }

    private func makeAudit(
        service: String = "compliance_reporter"
    ) throws -> (
        AuditLogger, ManualClock, TemporaryDirectory
    ) {
        let directory = try TemporaryDirectory(prefix: "exercise-3-9-hidden")
        directories.append(directory)
        let clock = ManualClock()
        let audit = try AuditLogger(
            service: service, directory: directory.appending("audit"), user: "grader", wallClock: clock,
            durability: .normal)
        return (audit, clock, directory)
    }

    /// Logs a random burst of activity and returns what it logged.
    private static func activity(
        _ audit: AuditLogger, _ clock: ManualClock, _ random: inout CheckRandomGenerator
    ) async throws -> Expected {
        var logged = Expected()
        for _ in 0..<Int.random(in: 5...25, using: &random) {
            clock.advance(by: .seconds(Int.random(in: 1...600, using: &random)))
            switch Int.random(in: 0..<5, using: &random) {
            case 0:
                let allowed = Bool.random(using: &random)
                try audit.logAccess(
                    resource: "org/r\(Int.random(in: 0..<5, using: &random))", action: "read", allowed: allowed)
                logged.events += 1
                logged.access += 1
                if !allowed { logged.denied += 1 }
            case 1:
                let severity = AuditSeverity.allCases[Int.random(in: 0..<AuditSeverity.allCases.count, using: &random)]
                try audit.logSecurityEvent("event_\(Int.random(in: 0..<3, using: &random))", severity: severity)
                logged.events += 1
                logged.security += 1
                if severity == .critical { logged.critical += 1 }
                if severity == .high { logged.high += 1 }
            case 2:
                let rolledBack = Bool.random(using: &random)
                try audit.logChange(object: "org/c", action: "set", before: "a", after: "b", rolledBack: rolledBack)
                logged.events += 1
                logged.changes += 1
                if rolledBack { logged.rollbacks += 1 }
            case 3:
                let steps = Int.random(in: 0...3, using: &random)
                let fails = Bool.random(using: &random)
                do {
                    try await audit.transaction("txn") { txn in
                        for _ in 0..<steps { try txn.logEvent("step") }
                        if fails { throw Refused() }
                    }
                } catch is Refused {}
                logged.events += 2 + steps
                logged.transactions += 1
            default:
                try audit.logEvent("note")
                logged.events += 1
            }
        }
        return logged
    }

    private func seed(
        _ random: inout CheckRandomGenerator, service: String = "compliance_reporter"
    ) async throws
        -> Seeded
    {
        let (audit, clock, directory) = try makeAudit(service: service)
        _ = try await Self.activity(audit, clock, &random)
        clock.advance(by: .seconds(3_600))
        let start = clock.currentDate
        let expected = try await Self.activity(audit, clock, &random)
        clock.advance(by: .seconds(1))
        let end = clock.currentDate
        clock.advance(by: .seconds(1))
        _ = try await Self.activity(audit, clock, &random)
        return Seeded(
            exercise: ComplianceExercise(audit: audit, wallClock: clock), directory: directory, start: start, end: end,
            expected: expected)
    }

    private func report(_ seeded: Seeded) throws -> ComplianceReport {
        do {
            return try seeded.exercise.report(start: seeded.start, end: seeded.end)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "building the report", exercise: "3.9")
        }
    }

    private func export(_ seeded: Seeded, _ report: ComplianceReport) throws -> [ComplianceReportFormat: URL] {
        do {
            return try seeded.exercise.exportAll(report, to: seeded.directory.appending("out"))
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "exporting the report", exercise: "3.9")
        }
    }

    private func crossCheck(_ files: [ComplianceReportFormat: URL]) throws -> ExportSummary {
        do {
            return try ComplianceExercise.crossCheck(files)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "cross-checking untouched exports", exercise: "3.9")
        }
    }

    func test1_randomAuditDataIsCountedForThePeriodOnly() async throws {
        var random = CheckRandomGenerator(seed: 3_901)
        for _ in 0..<6 {
            let seeded = try await seed(&random)
            let report = try report(seeded)
            let expected = seeded.expected
            XCTAssertTrue(
                report.auditSummary.totalEvents == expected.events
                    && report.auditSummary.totalTransactions == expected.transactions,
                "The audit summary did not count exactly the records of the period. Run `lab hint 3.9`.")
            XCTAssertTrue(
                report.securityEvents.total == expected.security
                    && report.securityEvents.critical.count == expected.critical
                    && report.securityEvents.high.count == expected.high,
                "The security section did not match the period's security events. Run `lab hint 3.9`.")
            XCTAssertTrue(
                report.accessLog.total == expected.access && report.accessLog.denied == expected.denied,
                "The access log did not match the period's access decisions. Run `lab hint 3.9`.")
            XCTAssertTrue(
                report.changes.total == expected.changes && report.changes.rolledBack == expected.rollbacks,
                "The change section did not match the period's changes. Run `lab hint 3.9`.")
        }
    }

    func test2_periodIncludesItsStartAndExcludesItsEnd() async throws {
        let (audit, clock, directory) = try makeAudit()
        let start = clock.currentDate
        try audit.logEvent("at_start")
        clock.advance(by: .seconds(10))
        let end = clock.currentDate
        try audit.logEvent("at_end")
        let seeded = Seeded(
            exercise: ComplianceExercise(audit: audit, wallClock: clock), directory: directory, start: start, end: end,
            expected: Expected())
        let report = try report(seeded)
        XCTAssertTrue(
            report.auditSummary.totalEvents == 1,
            "The period should include a record at its start and exclude one at its end. Run `lab hint 3.9`.")
    }

    func test3_crossCheckAgreesOnRandomDataAndCatchesTamperingInEachFormat() async throws {
        var random = CheckRandomGenerator(seed: 3_903)
        for format in [ComplianceReportFormat.csv, .html, .json] {
            let seeded = try await seed(&random)
            let report = try report(seeded)
            var files = try export(seeded, report)
            let summary = try crossCheck(files)
            let expected = seeded.expected
            XCTAssertTrue(
                summary
                    == ExportSummary(
                        totalEvents: expected.events, totalTransactions: expected.transactions,
                        securityEvents: expected.security, accessEvents: expected.access, deniedAccess: expected.denied,
                        changes: expected.changes, rollbacks: expected.rollbacks, digest: report.digest),
                "crossCheck did not read the report's numbers and digest from the exports. Run `lab hint 3.9`.")
            let url = try XCTUnwrap(files[format], "An export was missing. Run `lab hint 3.9`.")
            let text = try String(contentsOf: url, encoding: .utf8)
            let tampered: String
            switch format {
            case .csv:
                tampered = text.replacingOccurrences(
                    of: "changes_made,total_changes,,\(expected.changes)",
                    with: "changes_made,total_changes,,\(expected.changes + 1)")
            case .html:
                tampered = text.replacingOccurrences(
                    of: "<td>total_access_events</td><td></td><td class=\"value\">\(expected.access)</td>",
                    with: "<td>total_access_events</td><td></td><td class=\"value\">\(expected.access + 2)</td>")
            default:
                tampered = text.replacingOccurrences(
                    of: "\"total_security_events\": \(expected.security)",
                    with: "\"total_security_events\": \(expected.security + 3)")
            }
            XCTAssertTrue(tampered != text, "The grader could not tamper with an export. Run `lab hint 3.9`.")
            try tampered.write(to: url, atomically: true, encoding: .utf8)
            do {
                _ = try ComplianceExercise.crossCheck(files)
                XCTFail("A tampered export was not caught. Run `lab hint 3.9`.")
            } catch let error as ExportCheckFailed {
                if format != .json {
                    XCTAssertTrue(error.format == format.rawValue, "The wrong export was blamed. Run `lab hint 3.9`.")
                }
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "cross-checking a tampered export", exercise: "3.9")
            }
            files[format] = nil
            do {
                _ = try ComplianceExercise.crossCheck(files)
                XCTFail("A missing export was not caught. Run `lab hint 3.9`.")
            } catch is ExportCheckFailed {
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "cross-checking a missing export", exercise: "3.9")
            }
        }
    }

    func test4_exportsOfAServiceNameNeedingQuotingAndEscapingStillAgree() async throws {
        var random = CheckRandomGenerator(seed: 3_904)
        let seeded = try await seed(&random, service: "ops, \"eu\" <west> & co")
        let report = try report(seeded)
        let files = try export(seeded, report)
        let summary = try crossCheck(files)
        XCTAssertTrue(
            summary.totalEvents == seeded.expected.events && summary.digest == report.digest,
            "Exports of a report with commas, quotes and markup in its text did not read back. Run `lab hint 3.9`.")
        let html = try String(contentsOf: try XCTUnwrap(files[.html]), encoding: .utf8)
        XCTAssertTrue(!html.contains("<west>"), "The HTML export did not escape the text. Run `lab hint 3.9`.")
    }
}
