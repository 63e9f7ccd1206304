/// The result of ``SecurityValidator/scanDirectory(_:extensions:)``.
public struct SecurityScanReport: Sendable, Hashable {
    /// The scanned root.
    public var root: String
    /// Every finding, most severe first, then by file and line.
    public var findings: [SecurityFinding]
    /// How many files were read and scanned.
    public var filesScanned: Int
    /// How many bytes were scanned.
    public var bytesScanned: Int
    /// Files not scanned and why (`binary`, `too large`, `symlink outside root`, `unreadable`), by path.
    public var skipped: [String: String]

    /// Creates a report.
    public init(
        root: String, findings: [SecurityFinding], filesScanned: Int, bytesScanned: Int, skipped: [String: String]
    ) {
        self.root = root
        self.findings = findings
        self.filesScanned = filesScanned
        self.bytesScanned = bytesScanned
        self.skipped = skipped
    }

    /// The number of findings per severity (every severity present, zero when none).
    public var countsBySeverity: [SecuritySeverity: Int] {
        var counts = Dictionary(uniqueKeysWithValues: SecuritySeverity.allCases.map { ($0, 0) })
        for finding in findings { counts[finding.severity, default: 0] += 1 }
        return counts
    }

    /// The most serious severity found, nil when clean.
    public var highestSeverity: SecuritySeverity? { findings.map(\.severity).max() }
}
