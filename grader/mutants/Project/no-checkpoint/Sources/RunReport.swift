import Foundation
import MokoEnterprise

/// What happened to one repository.
struct RepositoryOutcome: Codable, Sendable, Equatable {
    /// Where a repository ended.
    enum Status: String, Codable, Sendable {
        /// Already in line with the policy: nothing was changed.
        case compliant
        /// Brought in line by this run.
        case updated
        /// Dry run: these changes would be made.
        case wouldUpdate = "would_update"
        /// Done by an earlier, interrupted run (the checkpoint says so).
        case skipped
        /// Failed this time; the next run tries again.
        case failed
        /// Failed too often: parked in the dead letter queue.
        case deadLettered = "dead_lettered"
        /// Not attempted because the circuit breaker is open (GitHub is failing).
        case deferred
    }

    /// The repository's name.
    var repository: String
    /// Where it ended.
    var status: Status
    /// The parts of the policy changed (or, in a dry run, to change): `settings`, `branch_protection`, `team:<slug>`.
    var changes: [String] = []
    /// Why it failed, redacted.
    var error: String?

    /// Whether the repository did not end in line with the policy (failed, dead-lettered, deferred).
    var isUnfinished: Bool { status == .failed || status == .deadLettered || status == .deferred }
}

/// The result of a run: the summary printed on stdout and the body of the compliance report.
struct RunReport: Codable, Sendable {
    /// The organisation.
    var organisation: String
    /// The environment whose configuration was used.
    var environment: String
    /// Whether nothing was changed on purpose.
    var dryRun: Bool
    /// The policy that was enforced.
    var policy: Policy
    /// One entry per repository, by name.
    var repositories: [RepositoryOutcome]
    /// HTTP requests sent and answered (including retries).
    var requests: Int
    /// GETs revalidated with `If-None-Match` and answered `304`.
    var notModified: Int
    /// The circuit breaker's state at the end of the run.
    var breakerState: String
    /// Where the state (audit, checkpoint, dead letter queue, metrics) is.
    var stateDirectory: String
    /// The metrics file.
    var metricsFile: String
    /// The compliance report file.
    var reportFile: String
    /// When the run started and ended.
    var startedAt: Date
    var finishedAt: Date

    /// How many repositories ended with each status.
    var counts: [String: Int] {
        Dictionary(repositories.map { ($0.status.rawValue, 1) }, uniquingKeysWith: +)
    }

    /// Repositories that did not end in line with the policy (failed, dead-lettered, deferred).
    var unfinished: [RepositoryOutcome] {
        repositories.filter(\.isUnfinished)
    }

    /// The human summary.
    var text: String {
        var lines = [
            "moko-project: \(dryRun ? "DRY RUN on" : "policy enforced on") \(repositories.count) repositories of "
                + "\(organisation) (env \(environment))"
        ]
        for status in ["compliant", "updated", "would_update", "skipped", "failed", "dead_lettered", "deferred"] {
            if let count = counts[status] {
                lines.append("  \(status.padding(toLength: 15, withPad: " ", startingAt: 0)) \(count)")
            }
        }
        for outcome in unfinished {
            lines.append("  ! \(outcome.repository): \(outcome.status.rawValue) — \(outcome.error ?? "")")
        }
        lines.append("  requests        \(requests) (\(notModified) answered 304 Not Modified)")
        lines.append("  circuit breaker \(breakerState)")
        lines.append("  state           \(stateDirectory)")
        lines.append("  metrics         \(metricsFile)")
        lines.append("  report          \(reportFile)")
        return lines.joined(separator: "\n")
    }

    /// The compliance report in `format` (json, html or csv); markdown is accepted too.
    func rendered(as format: ComplianceReportFormat) throws -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
        case .csv:
            var rows = ["repository,status,changes,error"]
            for outcome in repositories {
                rows.append(
                    [
                        outcome.repository, outcome.status.rawValue, outcome.changes.joined(separator: ";"),
                        outcome.error ?? "",
                    ]
                    .map(Self.csvField).joined(separator: ","))
            }
            return rows.joined(separator: "\n") + "\n"
        case .html, .markdown:
            let rows = repositories.map { outcome in
                "<tr><td>\(Self.html(outcome.repository))</td><td class=\"\(outcome.status.rawValue)\">"
                    + "\(outcome.status.rawValue)</td><td>\(Self.html(outcome.changes.joined(separator: ", ")))</td>"
                    + "<td>\(Self.html(outcome.error ?? ""))</td></tr>"
            }
            let summary = counts.sorted { $0.key < $1.key }.map { "\(Self.html($0.key)): \($0.value)" }
            return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Policy compliance: \(Self.html(organisation))</title>
                <style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:2px 6px}\
                .failed,.dead_lettered,.deferred{color:#b00}.updated,.compliant{color:#070}</style></head>
                <body><h1>Policy compliance: \(Self.html(organisation))</h1>
                <p>Environment \(Self.html(environment))\(dryRun ? " — dry run, nothing changed" : ""); \
                \(summary.joined(separator: ", ")).</p>
                <table><tr><th>Repository</th><th>Status</th><th>Changes</th><th>Error</th></tr>
                \(rows.joined(separator: "\n"))
                </table></body></html>

                """
        }
    }

    private static func csvField(_ value: String) -> String {
        var text = value
        // A leading = + - @ would make a spreadsheet evaluate the cell.
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { ",\"\n\r".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func html(_ value: String) -> String {
        value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
