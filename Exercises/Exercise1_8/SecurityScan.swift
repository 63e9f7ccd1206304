import ExerciseSupport
import Foundation
import MokoEnterprise

/// What one scan found: every finding, most severe first, and how many files were read.
public struct ScanSummary: Sendable, Equatable {
    /// Every finding, most severe first.
    public var findings: [SecurityFinding]
    /// How many files the directory scan read.
    public var filesScanned: Int

    /// Creates a summary.
    ///
    /// - Parameters:
    ///   - findings: the findings, most severe first.
    ///   - filesScanned: how many files were read.
    public init(findings: [SecurityFinding], filesScanned: Int) {
        self.findings = findings
        self.filesScanned = filesScanned
    }

    /// The number of findings per severity, with every severity present (zero when there are none).
    public func countsBySeverity() throws -> [SecuritySeverity: Int] {
        // TODO: count `findings` per severity; every case of `SecuritySeverity` must be a key, 0 when none.
        throw Unimplemented("the counts by severity (ScanSummary.countsBySeverity())", exercise: "1.8")
    }

    /// The printable summary: a first line with the total, then one line per severity, most severe first:
    ///
    /// ```
    /// Security scan: 9 findings
    /// CRITICAL: 6
    /// HIGH: 2
    /// MEDIUM: 1
    /// LOW: 0
    /// ```
    public func text() throws -> String {
        // TODO: build the text above from `findings.count` and `countsBySeverity()` (severity names are the
        // `rawValue`s: CRITICAL, HIGH, MEDIUM, LOW); lines joined with "\n", no trailing newline.
        throw Unimplemented("the summary text (ScanSummary.text())", exercise: "1.8")
    }
}

/// Scans a directory for leaked credentials, risky file permissions and SQL-injection attempts in request
/// logs, with the library's ``SecurityValidator``.
public enum SecurityScan {
    /// The rule id of a request-log line that reads as SQL injection.
    public static let sqlInjectionRuleID = "sql-injection"

    /// The extension of request logs: one request parameter per line.
    public static let requestLogExtension = "log"

    /// Scans `directory`: credentials and permissions with `validator.scanDirectory`, plus every line of
    /// every request log (`*.log`, at any depth) checked with `validator.detectSQLInjection`.
    ///
    /// - Parameters:
    ///   - directory: the directory to scan.
    ///   - validator: the validator to use.
    /// - Returns: every finding, most severe first, and the number of files read.
    /// - Throws: `SecurityScanError` when `directory` is not a readable directory (nothing else is read then).
    public static func scan(
        _ directory: URL, validator: SecurityValidator = SecurityValidator()
    ) throws
        -> ScanSummary
    {
        // TODO: 1. `validator.scanDirectory(directory)` finds credentials and permission problems (and throws
        //          `SecurityScanError` for a missing directory: let it propagate);
        //       2. add `sqlInjectionFindings(inLog:validator:)` of every `*.log` file under the directory, in
        //          sub-folders too (`FileManager.default.enumerator(at:...)`);
        //       3. return a `ScanSummary` with the findings most severe first and the report's `filesScanned`.
        throw Unimplemented("the directory scan (SecurityScan.scan(_:validator:))", exercise: "1.8")
    }

    /// Reads a request log and reports each line that reads as an SQL-injection attempt.
    ///
    /// - Parameters:
    ///   - file: the log, one request parameter per line.
    ///   - validator: the validator to use.
    /// - Returns: one `CRITICAL` finding per injection line, with rule ``sqlInjectionRuleID``, the file's
    ///   path and the 1-based line number.
    /// - Throws: when the file cannot be read.
    public static func sqlInjectionFindings(
        inLog file: URL, validator: SecurityValidator = SecurityValidator()
    ) throws -> [SecurityFinding] {
        // TODO: read the file, split it into lines (keep empty lines so the numbers stay right), and for each
        // line where `validator.detectSQLInjection(line).isInjection` append a `SecurityFinding` with
        // `ruleID: sqlInjectionRuleID`, `severity: .critical`, `file: file.path`, `line:` (1-based) and a
        // snippet passed through `SecretRedactor.redact(_:)`.
        throw Unimplemented(
            "the request-log check (SecurityScan.sqlInjectionFindings(inLog:validator:))", exercise: "1.8")
    }
}
