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
    ///
    /// A summary that leaves out the empty severities cannot tell "no LOW findings" from "LOW was never
    /// counted": a report reader wants to see the zero.
    public func countsBySeverity() throws -> [SecuritySeverity: Int] {
        var counts = Dictionary(uniqueKeysWithValues: SecuritySeverity.allCases.map { ($0, 0) })
        for finding in findings { counts[finding.severity, default: 0] += 1 }
        return counts
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
        let counts = try countsBySeverity()
        // `SecuritySeverity` is `Comparable` (low < critical): sort descending rather than rely on the
        // declaration order of `allCases`.
        let lines = SecuritySeverity.allCases.sorted(by: >).map { "\($0.rawValue): \(counts[$0] ?? 0)" }
        return (["Security scan: \(findings.count) findings"] + lines).joined(separator: "\n")
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
        // The library walks the tree, skips .git, binary files and symlinks leading outside, and redacts
        // every secret in its snippets. It also refuses a missing directory before we read anything.
        let report = try validator.scanDirectory(directory)
        var findings = report.findings
        // The library does not read request logs as SQL: find them ourselves, at any depth.
        for log in try requestLogs(under: URL(fileURLWithPath: report.root)) {
            findings += try sqlInjectionFindings(inLog: log, validator: validator)
        }
        // Most severe first, like the library's report; the sort is stable, so equal severities keep their
        // order (file, then line).
        let ordered = findings.enumerated().sorted { left, right in
            left.element.severity != right.element.severity
                ? left.element.severity > right.element.severity : left.offset < right.offset
        }
        return ScanSummary(findings: ordered.map(\.element), filesScanned: report.filesScanned)
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
        let text = try String(contentsOf: file, encoding: .utf8)
        // `isNewline` splits on "\n" and on "\r\n" (one Character in Swift) alike; keeping empty lines keeps
        // the line numbers right.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var findings: [SecurityFinding] = []
        for (index, line) in lines.enumerated() {
            let analysis = validator.detectSQLInjection(String(line))
            guard analysis.isInjection else { continue }
            findings.append(
                SecurityFinding(
                    ruleID: sqlInjectionRuleID,
                    severity: analysis.severity ?? .critical,
                    message:
                        "request parameter reads as SQL injection (\(analysis.matchedRules.joined(separator: ", ")))",
                    file: file.path,
                    line: index + 1,
                    column: 1,
                    byteRange: 0..<line.utf8.count,
                    // A log line can hold a credential too: never copy it into a report unredacted.
                    snippet: SecretRedactor.redact(String(line))))
        }
        return findings
    }

    /// Every `*.log` file under `directory`, at any depth, in a stable order.
    private static func requestLogs(under directory: URL) throws -> [URL] {
        guard
            let enumerator = FileManager.default.enumerator(
                at: directory, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        var logs: [URL] = []
        for case let url as URL in enumerator where url.pathExtension.lowercased() == requestLogExtension {
            if try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true { logs.append(url) }
        }
        return logs.sorted { $0.path < $1.path }
    }
}
