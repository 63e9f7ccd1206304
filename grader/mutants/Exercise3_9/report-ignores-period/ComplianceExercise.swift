// MUTANT report-ignores-period: the report covers the whole audit log, not the requested period.
// Caught by Exercise3_9HiddenChecks.test1_randomAuditDataIsCountedForThePeriodOnly.

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
        // The library's reporter builds every section of Pattern 11 from the store, for exactly this period,
        // and verifies the hash chain; the report embeds the chain's head.
        try ComplianceReporter(auditLogger: audit, wallClock: wallClock).generateComplianceReport(
            start: .distantPast, end: .distantFuture)
    }

    /// Writes `report` as `compliance-report.json`, `.html` and `.csv` into `directory` (created if needed).
    ///
    /// - Returns: the file of each format.
    /// - Throws: when the directory or a file cannot be written.
    @discardableResult
    public func exportAll(_ report: ComplianceReport, to directory: URL) throws -> [ComplianceReportFormat: URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let reporter = ComplianceReporter(auditLogger: audit, wallClock: wallClock)
        var files: [ComplianceReportFormat: URL] = [:]
        for format in Self.formats {
            let url = directory.appendingPathComponent("compliance-report.\(format.fileExtension)")
            try reporter.export(report, format: format, to: url)  // atomic: an auditor never reads half a file
            files[format] = url
        }
        return files
    }

    /// Reads the JSON, HTML and CSV exports back and checks that they agree.
    ///
    /// - Parameter files: the files ``exportAll(_:to:)`` wrote.
    /// - Returns: the summary the three files agree on.
    /// - Throws: ``ExportCheckFailed`` when a file is missing, does not parse, lacks a number, or disagrees
    ///   with the JSON export.
    public static func crossCheck(_ files: [ComplianceReportFormat: URL]) throws -> ExportSummary {
        let json = try summary(of: .json, in: files, read: jsonValues)
        for format in [ComplianceReportFormat.html, .csv] {
            let other = try summary(of: format, in: files, read: format == .html ? htmlValues : csvValues)
            guard other == json else {
                throw ExportCheckFailed(format: format.rawValue, reason: "disagrees with the JSON export")
            }
        }
        return json
    }

    // MARK: Reading the exports back

    /// The (section, item) pairs the summary is made of, in ``ExportSummary``'s order.
    private static let summaryItems = [
        ("audit_summary", "total_events"), ("audit_summary", "total_transactions"),
        ("security_events", "total_security_events"), ("access_log", "total_access_events"),
        ("access_log", "denied"), ("changes_made", "total_changes"), ("changes_made", "rollbacks"),
        ("report_metadata", "report_sha256"),
    ]

    private static func summary(
        of format: ComplianceReportFormat, in files: [ComplianceReportFormat: URL],
        read: (String) throws -> [String: String]
    ) throws -> ExportSummary {
        guard let url = files[format] else { throw ExportCheckFailed(format: format.rawValue, reason: "is missing") }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ExportCheckFailed(format: format.rawValue, reason: "cannot be read: \(error)")
        }
        let values = try read(text)
        func value(_ index: Int) throws -> String {
            let (section, item) = summaryItems[index]
            guard let value = values["\(section)/\(item)"] else {
                throw ExportCheckFailed(format: format.rawValue, reason: "has no \(section).\(item)")
            }
            return value
        }
        func number(_ index: Int) throws -> Int {
            guard let number = Int(try value(index)) else {
                throw ExportCheckFailed(format: format.rawValue, reason: "has a non-numeric \(summaryItems[index].1)")
            }
            return number
        }
        return ExportSummary(
            totalEvents: try number(0), totalTransactions: try number(1), securityEvents: try number(2),
            accessEvents: try number(3), deniedAccess: try number(4), changes: try number(5),
            rollbacks: try number(6), digest: try value(7))
    }

    /// JSON: the report object; the digest sits at the top level as `report_sha256`.
    private static func jsonValues(_ text: String) throws -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw ExportCheckFailed(format: "json", reason: "is not a JSON object")
        }
        var values: [String: String] = [:]
        for (section, item) in summaryItems {
            let raw = section == "report_metadata" ? object[item] : (object[section] as? [String: Any])?[item]
            if let number = raw as? Int {
                values["\(section)/\(item)"] = String(number)
            } else if let text = raw as? String {
                values["\(section)/\(item)"] = text
            }
        }
        return values
    }

    /// CSV (RFC 4180): `section,item,key,value`; fields may be quoted, with `""` for a quote inside.
    private static func csvValues(_ text: String) throws -> [String: String] {
        let records = parseCSV(text)
        guard records.first == ["section", "item", "key", "value"] else {
            throw ExportCheckFailed(format: "csv", reason: "does not start with the header section,item,key,value")
        }
        var values: [String: String] = [:]
        for record in records.dropFirst() {
            guard record.count == 4 else {
                throw ExportCheckFailed(format: "csv", reason: "has a row without 4 fields")
            }
            if record[2].isEmpty { values["\(record[0])/\(record[1])"] = record[3] }
        }
        return values
    }

    /// Splits CSV into records of fields; a quoted field may hold commas, quotes and line breaks.
    private static func parseCSV(_ text: String) -> [[String]] {
        let characters = Array(text)  // Swift reads CR LF as one Character
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if quoted {
                if character != "\"" {
                    field.append(character)
                } else if index < characters.count, characters[index] == "\"" {
                    field.append("\"")  // "" inside quotes is one quote
                    index += 1
                } else {
                    quoted = false
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ",":
                record.append(field)
                field = ""
            case "\r\n", "\n", "\r":
                record.append(field)
                records.append(record)
                record = []
                field = ""
            default: field.append(character)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }

    /// HTML: one `<h2>` per section followed by a table of `item | key | value` rows (escaped text).
    private static func htmlValues(_ text: String) throws -> [String: String] {
        let titles = [
            "Report metadata": "report_metadata", "Audit summary": "audit_summary",
            "Security events": "security_events",
            "Access log": "access_log", "Changes and rollbacks": "changes_made",
            "Compliance metrics": "compliance_metrics", "Audit chain": "audit_chain",
        ]
        guard text.contains("<html"), text.contains("</html>") else {
            throw ExportCheckFailed(format: "html", reason: "is not an HTML page")
        }
        let heading = /<h2>(.*?)<\/h2>/
        let row = /<tr><td>(.*?)<\/td><td>(.*?)<\/td><td class="value">(.*?)<\/td><\/tr>/
        var values: [String: String] = [:]
        var section = ""
        for line in text.split(whereSeparator: \.isNewline) {
            if let match = line.firstMatch(of: heading) {
                section = titles[unescape(String(match.1))] ?? ""
            } else if let match = line.firstMatch(of: row), match.2.isEmpty, !section.isEmpty {
                values["\(section)/\(unescape(String(match.1)))"] = unescape(String(match.3))
            }
        }
        return values
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
