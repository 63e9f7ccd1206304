/// How serious a security finding is, from ``low`` to ``critical``.
public enum SecuritySeverity: String, Sendable, Hashable, Comparable, CaseIterable, Codable {
    /// Worth a look; usually hygiene.
    case low = "LOW"
    /// A weakness that needs other conditions to be exploited.
    case medium = "MEDIUM"
    /// Likely exploitable or a probable live credential.
    case high = "HIGH"
    /// A live credential format or a directly exploitable input.
    case critical = "CRITICAL"

    private var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }

    /// Orders by seriousness: `.low < .critical`.
    public static func < (lhs: SecuritySeverity, rhs: SecuritySeverity) -> Bool {
        lhs.rank < rhs.rank
    }
}

/// How sure a credential finding is.
public enum CredentialConfidence: String, Sendable, Hashable, Codable {
    /// The value has a vendor format and its built-in checksum is correct (GitHub tokens).
    case verifiedFormat
    /// The value has a vendor format (prefix, length, alphabet); the checksum is absent or not checked.
    case patternOnly
    /// A keyword-and-assignment heuristic with a high-entropy value.
    case heuristic
}

/// One thing a ``SecurityValidator`` detector found.
///
/// Findings never hold the secret itself: ``snippet`` is the line with the matched value replaced by
/// ``SecretRedactor/marker``.
public struct SecurityFinding: Sendable, Hashable, Codable {
    /// The rule that matched, e.g. `github-pat`, `aws-access-token`, `shell-command-substitution`.
    public var ruleID: String
    /// How serious it is.
    public var severity: SecuritySeverity
    /// A sentence saying what was found and what to do.
    public var message: String
    /// The file, for ``SecurityValidator/scanDirectory(_:extensions:)`` and permission checks; nil for text.
    public var file: String?
    /// The 1-based line of the match's start.
    public var line: Int
    /// The 1-based column (in UTF-8 bytes) of the match's start.
    public var column: Int
    /// The matched bytes, as UTF-8 offsets into the scanned text or file.
    public var byteRange: Range<Int>
    /// The line with the matched value redacted, trimmed to at most 200 characters.
    public var snippet: String
    /// How sure the finding is (credential rules; `patternOnly` for other detectors).
    public var confidence: CredentialConfidence

    /// Creates a finding.
    public init(
        ruleID: String,
        severity: SecuritySeverity,
        message: String,
        file: String? = nil,
        line: Int,
        column: Int,
        byteRange: Range<Int>,
        snippet: String,
        confidence: CredentialConfidence = .patternOnly
    ) {
        self.ruleID = ruleID
        self.severity = severity
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.byteRange = byteRange
        self.snippet = snippet
        self.confidence = confidence
    }
}
