import Crypto
import Foundation

extension ComplianceReport {
    /// The report as a JSON value (snake_case keys), without ``digest``.
    public var jsonValue: AuditValue {
        func time(_ date: Date) -> AuditValue {
            .string(AuditTimestamp.format(milliseconds: AuditTimestamp.milliseconds(date)))
        }
        func counts(_ counts: [String: Int]) -> AuditValue { .object(counts.mapValues { .int($0) }) }
        func optional(_ value: Double?) -> AuditValue { value.map { .double($0) } ?? .null }
        func securityEvent(_ event: SecurityEvent) -> AuditValue {
            [
                "seq": .int(event.seq), "timestamp": time(event.timestamp), "name": .string(event.name),
                "severity": .string(event.severity.rawValue), "user": .string(event.user),
                "outcome": .string(event.outcome.rawValue), "details": .object(event.details),
            ]
        }
        let failure: AuditValue =
            chain.failure.map {
                ["seq": .int($0.seq), "kind": .string($0.kind.rawValue), "reason": .string($0.reason)]
            } ?? .null
        return [
            "report_metadata": [
                "service": .string(metadata.service), "period_start": time(metadata.periodStart),
                "period_end": time(metadata.periodEnd), "generated_at": time(metadata.generatedAt),
                "generator_version": .string(metadata.generatorVersion),
                "audit_format": .string(metadata.auditFormat),
                "parameters": .object(metadata.parameters.mapValues { .string($0) }),
            ],
            "audit_summary": [
                "total_events": .int(auditSummary.totalEvents),
                "total_transactions": .int(auditSummary.totalTransactions),
                "events_by_type": counts(auditSummary.eventsByType),
                "events_by_outcome": counts(auditSummary.eventsByOutcome),
                "services": .array(auditSummary.services.map { .string($0) }),
                "users": .array(auditSummary.users.map { .string($0) }),
            ],
            "security_events": [
                "total_security_events": .int(securityEvents.total),
                "by_severity": counts(securityEvents.bySeverity),
                "critical_events": .array(securityEvents.critical.map(securityEvent)),
                "high_events": .array(securityEvents.high.map(securityEvent)),
            ],
            "access_log": [
                "total_access_events": .int(accessLog.total), "allowed": .int(accessLog.allowed),
                "denied": .int(accessLog.denied), "unique_users": .int(accessLog.uniqueUsers),
                "by_resource": .object(
                    accessLog.byResource.mapValues { ["allowed": .int($0.allowed), "denied": .int($0.denied)] }),
                "entries": .array(
                    accessLog.entries.map {
                        [
                            "seq": .int($0.seq), "timestamp": time($0.timestamp), "user": .string($0.user),
                            "resource": .string($0.resource), "action": .string($0.action),
                            "allowed": .bool($0.allowed),
                        ]
                    }),
            ],
            "changes_made": [
                "total_changes": .int(changes.total), "rollbacks": .int(changes.rolledBack),
                "changes_by_object": counts(changes.byObject),
                "entries": .array(
                    changes.entries.map {
                        [
                            "seq": .int($0.seq), "timestamp": time($0.timestamp), "user": .string($0.user),
                            "object": .string($0.object), "action": .string($0.action),
                            "before": $0.before.map { .string($0) } ?? .null,
                            "after": $0.after.map { .string($0) } ?? .null, "rolled_back": .bool($0.rolledBack),
                        ]
                    }),
            ],
            "compliance_metrics": [
                "failed_events": .int(metrics.failedEvents), "event_failure_rate": .double(metrics.eventFailureRate),
                "completed_transactions": .int(metrics.completedTransactions),
                "transaction_failure_rate": .double(metrics.transactionFailureRate),
                "rollback_rate": .double(metrics.rollbackRate),
                "access_denial_rate": .double(metrics.accessDenialRate),
                "mean_transaction_duration_seconds": optional(metrics.meanTransactionDurationSeconds),
                "max_transaction_duration_seconds": optional(metrics.maxTransactionDurationSeconds),
                "security_events_per_day": .double(metrics.securityEventsPerDay),
            ],
            "audit_chain": [
                "valid": .bool(chain.isValid), "records_checked": .int(chain.recordsChecked), "failure": failure,
                "head_seq": .int(chain.head.seq), "head_hash": .string(chain.head.hash),
                "anchor_seq": .int(chain.anchor.seq), "anchor_hash": .string(chain.anchor.hash),
            ],
        ]
    }

    /// SHA-256 (hex) of the canonical JSON of ``jsonValue``: identifies this report's content.
    public var digest: String {
        var bytes: [UInt8] = []
        AuditJSON.write(jsonValue, into: &bytes)
        return AuditJSON.hex(SHA256.hash(data: bytes))
    }

    /// The report rendered in `format`.
    public func rendered(as format: ComplianceReportFormat) -> String {
        switch format {
        case .json: renderJSON()
        case .html: renderHTML()
        case .csv: renderCSV()
        case .markdown: renderMarkdown()
        }
    }

    // MARK: JSON

    private func renderJSON() -> String {
        guard case .object(var object) = jsonValue else { return "{}\n" }
        object["report_sha256"] = .string(digest)
        var out: [UInt8] = []
        ComplianceJSONPrinter.write(.object(object), indent: 0, into: &out)
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Rows shared by CSV, HTML and Markdown

    /// The report flattened to `(section, item, key, value)` rows, in a stable order.
    var rows: [(section: String, item: String, key: String, value: String)] {
        var rows: [(String, String, String, String)] = []
        func flatten(_ section: String, _ value: AuditValue, item: String = "", key: String = "") {
            switch value {
            case .object(let object):
                for name in AuditJSON.sortedKeys(object) {
                    guard let child = object[name] else { continue }
                    if item.isEmpty {
                        flatten(section, child, item: name)
                    } else {
                        flatten(section, child, item: item, key: key.isEmpty ? name : key + "." + name)
                    }
                }
            case .array(let array):
                if array.isEmpty { rows.append((section, item, key, "")) }
                for (index, element) in array.enumerated() {
                    let path = key.isEmpty ? String(index) : key + "." + String(index)
                    if case .object(let object) = element, item.isEmpty == false {
                        rows.append((section, item, path, AuditValue.object(object).canonicalJSON))
                    } else {
                        flatten(section, element, item: item, key: path)
                    }
                }
            case .string(let string): rows.append((section, item, key, string))
            case .null: rows.append((section, item, key, ""))
            default: rows.append((section, item, key, value.canonicalJSON))
            }
        }
        guard case .object(let object) = jsonValue else { return [] }
        for section in Self.sectionOrder {
            if let value = object[section] { flatten(section, value) }
        }
        rows.append(("report_metadata", "report_sha256", "", digest))
        return rows.map { (section: $0.0, item: $0.1, key: $0.2, value: $0.3) }
    }

    static let sectionOrder = [
        "report_metadata", "audit_summary", "security_events", "access_log", "changes_made", "compliance_metrics",
        "audit_chain",
    ]

    static let sectionTitles = [
        "report_metadata": "Report metadata", "audit_summary": "Audit summary", "security_events": "Security events",
        "access_log": "Access log", "changes_made": "Changes and rollbacks", "compliance_metrics": "Compliance metrics",
        "audit_chain": "Audit chain",
    ]

    // MARK: CSV

    private func renderCSV() -> String {
        func field(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var lines = ["section,item,key,value"]
        for row in rows {
            lines.append([row.section, row.item, row.key, row.value].map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: HTML

    /// Escapes text for HTML content and attribute values.
    static func escapeHTML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private func renderHTML() -> String {
        let escape = Self.escapeHTML
        let title = "Compliance report — \(metadata.service)"
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escape(title))</title>
            <style>
            body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1f2328}
            h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
            table{border-collapse:collapse;width:100%;font-size:.9rem}
            th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
            th{background:#f6f8fa}td.value{font-family:ui-monospace,monospace;word-break:break-all}
            .valid{color:#1a7f37}.broken{color:#cf222e;font-weight:bold}
            </style>
            </head>
            <body>
            <h1>\(escape(title))</h1>

            """
        let status = chain.isValid ? "verified" : "BROKEN: \(chain.failure.map(\.description) ?? "")"
        html += "<p class=\"\(chain.isValid ? "valid" : "broken")\">Audit chain \(escape(status)); head seq "
        html += "\(chain.head.seq), hash <code>\(escape(chain.head.hash))</code></p>\n"
        let grouped = Dictionary(grouping: rows, by: \.section)
        for section in Self.sectionOrder {
            guard let sectionRows = grouped[section] else { continue }
            html += "<h2>\(escape(Self.sectionTitles[section] ?? section))</h2>\n"
            html += "<table>\n<tr><th>Item</th><th>Key</th><th>Value</th></tr>\n"
            for row in sectionRows {
                html += "<tr><td>\(escape(row.item))</td><td>\(escape(row.key))</td>"
                html += "<td class=\"value\">\(escape(row.value))</td></tr>\n"
            }
            html += "</table>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }

    // MARK: Markdown

    /// Escapes text for a Markdown table cell: pipes, backslashes, HTML, emphasis and line breaks.
    static func escapeMarkdownCell(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|", "\\", "*", "_", "`", "[", "]": out += "\\" + String(character)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    private func renderMarkdown() -> String {
        let cell = Self.escapeMarkdownCell
        var lines = ["# Compliance report — \(cell(metadata.service))", ""]
        let status = chain.isValid ? "verified" : "BROKEN (\(chain.failure.map(\.description) ?? ""))"
        lines.append("Audit chain \(cell(status)); head seq \(chain.head.seq), hash `\(chain.head.hash)`.")
        let grouped = Dictionary(grouping: rows, by: \.section)
        for section in Self.sectionOrder {
            guard let sectionRows = grouped[section] else { continue }
            lines += [
                "", "## \(Self.sectionTitles[section] ?? section)", "", "| Item | Key | Value |", "|---|---|---|",
            ]
            for row in sectionRows {
                lines.append("| \(cell(row.item)) | \(cell(row.key)) | \(cell(row.value)) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Pretty-prints JSON with sorted keys and two-space indentation (stable for equal values).
private enum ComplianceJSONPrinter {
    static func write(_ value: AuditValue, indent: Int, into out: inout [UInt8]) {
        let pad = [UInt8](repeating: UInt8(ascii: " "), count: (indent + 1) * 2)
        let closePad = [UInt8](repeating: UInt8(ascii: " "), count: indent * 2)
        switch value {
        case .object(let object) where !object.isEmpty:
            out.append(contentsOf: Array("{\n".utf8))
            for (index, key) in AuditJSON.sortedKeys(object).enumerated() {
                if index > 0 { out.append(contentsOf: Array(",\n".utf8)) }
                out.append(contentsOf: pad)
                AuditJSON.writeString(key, into: &out)
                out.append(contentsOf: Array(": ".utf8))
                if let child = object[key] { write(child, indent: indent + 1, into: &out) }
            }
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: closePad)
            out.append(UInt8(ascii: "}"))
        case .array(let array) where !array.isEmpty:
            out.append(contentsOf: Array("[\n".utf8))
            for (index, element) in array.enumerated() {
                if index > 0 { out.append(contentsOf: Array(",\n".utf8)) }
                out.append(contentsOf: pad)
                write(element, indent: indent + 1, into: &out)
            }
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: closePad)
            out.append(UInt8(ascii: "]"))
        default:
            AuditJSON.write(value, into: &out)
        }
    }
}
