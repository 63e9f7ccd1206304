import ExerciseSupport
import Foundation
import MokoEnterprise

/// Pattern 11: a compliance report over a period of the audit log, exported for auditors in three
/// formats, and a cross-check that the three files say the same thing.
public struct ComplianceExercise: Sendable {
    /// The formats ``exportAll(_:to:)`` writes.
    public static let formats: [ComplianceReportFormat] = [.json, .html, .csv]

    /// The audit log reported on.
    public let audit: AuditLogger
    /// The clock stamped on the report as its generation time.
    public let wallClock: any WallClock

    /// Creates the exercise over an audit log.
    ///
    /// - Parameters:
    ///   - audit: the audit log.
    ///   - wallClock: the clock of the report's `generated_at`.
    public init(audit: AuditLogger, wallClock: any WallClock) {
        self.audit = audit
        self.wallClock = wallClock
    }

    /// The compliance report of the records logged in `start ..< end`.
    ///
    /// - Throws: the reporter's error when `end` is before `start`; the store's errors.
    public func report(start: Date, end: Date) throws -> ComplianceReport {
        // TODO: build the report for exactly this period with the library's `ComplianceReporter` (over
        // `audit`, stamped by `wallClock`).
        throw Unimplemented("the report for a period (ComplianceExercise.report(start:end:))", exercise: "3.9")
    }

    /// Writes `report` as `compliance-report.json`, `.html` and `.csv` into `directory` (created if needed).
    ///
    /// - Returns: the file of each format.
    /// - Throws: when the directory or a file cannot be written.
    @discardableResult
    public func exportAll(_ report: ComplianceReport, to directory: URL) throws -> [ComplianceReportFormat: URL] {
        // TODO: create `directory`, then write each of `Self.formats` to `compliance-report.<extension>` with the
        // reporter's atomic `export(_:format:to:)`; return the URL of each format.
        throw Unimplemented("the three exports (ComplianceExercise.exportAll(_:to:))", exercise: "3.9")
    }

    /// Reads the JSON, HTML and CSV exports back and checks that they agree.
    ///
    /// - Parameter files: the files ``exportAll(_:to:)`` wrote.
    /// - Returns: the summary the three files agree on.
    /// - Throws: ``ExportCheckFailed`` when a file is missing, does not parse, lacks a number, or disagrees
    ///   with the JSON export.
    public static func crossCheck(_ files: [ComplianceReportFormat: URL]) throws -> ExportSummary {
        // TODO: read each file back and build an `ExportSummary` from it:
        //   JSON: parse with JSONSerialization; the numbers are under their sections (`audit_summary.total_events`
        //   ...), the digest is the top-level `report_sha256`.
        //   CSV: header `section,item,key,value`, RFC 4180 quoting; the rows you need have an empty `key`.
        //   HTML: each `<h2>` section title is followed by rows `<tr><td>item</td><td>key</td><td class="value">
        //   value</td></tr>` with HTML-escaped text.
        // Throw ExportCheckFailed when a file is missing or unreadable, lacks a number, or differs from the JSON.
        throw Unimplemented("reading the exports back (ComplianceExercise.crossCheck(_:))", exercise: "3.9")
    }
}
