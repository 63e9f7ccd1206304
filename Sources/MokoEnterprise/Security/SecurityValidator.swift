import Foundation

/// Input validation and security scanning: the five layers of the curriculum's Pattern 3.8 in one type.
///
/// ```swift
/// let validator = SecurityValidator()
/// try validator.validateInput("mokoconsulting-tech", type: .githubOrganization)
/// let leaks = validator.detectCredentials(configText)          // [SecurityFinding]
/// if validator.detectSQLInjection(query).isInjection { ... }
/// let safe = try validator.validatePath(userPath, allowedRoot: "/srv/data")
/// let report = try validator.scanDirectory(repositoryURL)       // findings by severity
/// ```
///
/// Every detector works on UTF-8 bytes with hand-written matchers (no regex per line), accepts invalid
/// UTF-8 and very long lines, and never returns a secret: snippets are redacted.
public struct SecurityValidator: Sendable {
    /// Limits for scans and inputs.
    public struct Configuration: Sendable, Hashable {
        /// Files larger than this are skipped by ``SecurityValidator/scanDirectory(_:extensions:)``.
        public var maximumFileSize: Int
        /// Inputs longer than this (in UTF-8 bytes) are refused by ``SecurityValidator/validateInput(_:type:)``
        /// for `custom` types.
        public var maximumInputLength: Int
        /// Directory names never entered by scans (besides `.build*`, which is always skipped).
        public var skippedDirectories: Set<String>

        /// Creates a configuration.
        public init(
            maximumFileSize: Int = 32 * 1_024 * 1_024,
            maximumInputLength: Int = 4_096,
            skippedDirectories: Set<String> = [".git", ".hg", ".svn", "node_modules", ".swiftpm", "DerivedData"]
        ) {
            self.maximumFileSize = maximumFileSize
            self.maximumInputLength = maximumInputLength
            self.skippedDirectories = skippedDirectories
        }

        /// 32 MiB files, 4 KiB inputs, VCS and dependency folders skipped.
        public static let `default` = Configuration()
    }

    /// The limits in use.
    public var configuration: Configuration

    /// Creates a validator.
    public init(configuration: Configuration = .default) {
        self.configuration = configuration
    }

    // MARK: - Credentials

    /// Finds credentials in `text`: GitHub, GitLab, AWS, Google, Slack, Stripe, npm tokens, JWTs,
    /// private keys, and high-entropy values assigned to credential-like keys.
    ///
    /// - Returns: findings in text order; each snippet has the secret replaced by ``SecretRedactor/marker``.
    public func detectCredentials(_ text: String) -> [SecurityFinding] {
        var copy = text
        return copy.withUTF8 { Self.credentialFindings(in: $0, file: nil) }
    }

    /// Finds credentials in raw bytes, which need not be valid UTF-8.
    public func detectCredentials(bytes: [UInt8]) -> [SecurityFinding] {
        bytes.withUnsafeBufferPointer { Self.credentialFindings(in: $0, file: nil) }
    }

    static func credentialFindings(in bytes: UnsafeBufferPointer<UInt8>, file: String?) -> [SecurityFinding] {
        let matches = SecurityCredentialRules.scan(bytes, mode: .detection)
        guard !matches.isEmpty else { return [] }
        var locator = SecurityLineLocator(bytes: bytes)
        return matches.map { match in
            let position = locator.locate(match.secret.lowerBound)
            return SecurityFinding(
                ruleID: match.ruleID,
                severity: match.severity,
                message: "\(match.description) found: revoke it and load it from the environment or a secret store",
                file: file,
                line: position.line,
                column: position.column,
                byteRange: match.secret,
                snippet: SecurityLineLocator.redactedSnippet(
                    bytes, lineStart: position.lineStart, secret: match.secret),
                confidence: match.confidence
            )
        }
    }

    // MARK: - SQL injection

    /// Whether `value` reads as an SQL-injection attempt, by tokenizing it as SQL (libinjection-style),
    /// not by keyword matching: "Please select a size" and "O'Brien" pass, `' OR '1'='1`, `UN/**/ION SELECT`,
    /// `%27%20OR%201=1` and `1; DROP TABLE users` do not.
    ///
    /// Parameterized queries are the defence; this is defence in depth for logging and blocking.
    public func detectSQLInjection(_ value: String) -> SQLInjectionAnalysis {
        SecuritySQLInjectionDetector.analyze(value)
    }
}

/// Turns byte offsets into 1-based lines and columns, walking forward once for increasing offsets.
struct SecurityLineLocator {
    let bytes: UnsafeBufferPointer<UInt8>
    private var scanned = 0
    private var line = 1
    private var lineStart = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func locate(_ offset: Int) -> (line: Int, column: Int, lineStart: Int) {
        if offset < scanned {
            scanned = 0
            line = 1
            lineStart = 0
        }
        while scanned < offset && scanned < bytes.count {
            if bytes[scanned] == 0x0A {
                line += 1
                lineStart = scanned + 1
            }
            scanned += 1
        }
        return (line, offset - lineStart + 1, lineStart)
    }

    /// The line holding `secret`, with the secret replaced by the marker, at most ~200 characters around it.
    static func redactedSnippet(_ bytes: UnsafeBufferPointer<UInt8>, lineStart: Int, secret: Range<Int>) -> String {
        var lineEnd = secret.upperBound
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A, lineEnd - secret.upperBound < 100 { lineEnd += 1 }
        let start = max(lineStart, secret.lowerBound - 100)
        let before = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<secret.lowerBound]), as: UTF8.self)
        let after = String(decoding: UnsafeBufferPointer(rebasing: bytes[secret.upperBound..<lineEnd]), as: UTF8.self)
        let text = before + SecretRedactor.marker + after
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
