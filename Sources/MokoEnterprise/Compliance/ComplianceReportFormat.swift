import Foundation

/// The formats a ``ComplianceReport`` exports to.
public enum ComplianceReportFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// JSON with sorted keys and two-space indentation; stable for equal reports.
    case json
    /// A self-contained HTML page: inline CSS, every value escaped, no external assets.
    case html
    /// CSV (RFC 4180) with the columns `section,item,key,value`.
    case csv
    /// Markdown with one table per section.
    case markdown

    /// Parses a format name (`json`, `html`, `csv`, `markdown` or `md`; case-insensitive).
    ///
    /// - Throws: ``ComplianceReportError`` with code `.unsupportedFormat` listing the supported formats,
    ///   e.g. for `"pdf"`.
    public init(parsing name: String) throws {
        let normalized = name.trimmingCharacters(in: .whitespaces).lowercased()
        if normalized == "md" {
            self = .markdown
            return
        }
        guard let format = ComplianceReportFormat(rawValue: normalized) else {
            let supported = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw ComplianceReportError(
                .unsupportedFormat,
                "unsupported report format \"\(name)\"; supported formats: \(supported) "
                    + "(for PDF, convert the HTML export with a tool such as wkhtmltopdf)")
        }
        self = format
    }

    /// The usual file extension: `json`, `html`, `csv`, `md`.
    public var fileExtension: String { self == .markdown ? "md" : rawValue }

    /// The format's name.
    public var description: String { rawValue }
}
