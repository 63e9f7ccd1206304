import Foundation

/// Replaces values that look like credentials with a marker, before they are written anywhere.
///
/// The audit logger, the dead letter queue and error reports call ``redact(_:)`` on every free-text
/// value they persist. The rules are the credential rules of ``SecurityValidator``.
public enum SecretRedactor {
    /// The text written in place of a credential.
    public static let marker = "[REDACTED]"

    /// Returns `text` with every credential-looking value replaced by ``marker``.
    ///
    /// Keeps the key of a `key = value` assignment so the record still says *what* was redacted.
    public static func redact(_ text: String) -> String {
        guard mayContainSecret(text) else { return text }
        var result = text
        for pattern in patterns {
            result = result.replacing(pattern.regex) { match in pattern.replacement(match) }
        }
        return result
    }

    /// A cheap pre-filter: most text holds none of the prefixes and keywords the rules need.
    static func mayContainSecret(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return keywords.contains { lowered.contains($0) }
    }

    private static let keywords = [
        "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "akia", "asia", "abia", "acca", "a3t",
        "private key", "xox", "sk_", "rk_", "password", "passwd", "secret", "token", "api_key", "apikey",
        "api-key", "authorization", "bearer", "credential",
    ]

    private struct Pattern: @unchecked Sendable {
        // Sendable by construction: the regexes are built once from literals and never mutated.
        var regex: Regex<AnyRegexOutput>
        var replacement: (Regex<AnyRegexOutput>.Match) -> String
    }

    private static let patterns: [Pattern] = {
        func whole(_ source: String) -> Pattern? {
            guard let regex = try? Regex(source) else { return nil }
            return Pattern(regex: regex) { _ in marker }
        }
        func keepingKey(_ source: String) -> Pattern? {
            guard let regex = try? Regex(source) else { return nil }
            return Pattern(regex: regex) { match in
                let key = match.output.count > 1 ? match.output[1].substring.map(String.init) ?? "" : ""
                return key + marker
            }
        }
        return [
            whole(
                #"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"#
                    + #"-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"#
            ),
            whole(#"github_pat_[0-9A-Za-z_]{82}"#),
            whole(#"gh[pousr]_[0-9A-Za-z]{36}"#),
            whole(#"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b"#),
            whole(#"xox[baprs]-[0-9A-Za-z-]{10,}"#),
            whole(#"\b(?:sk|rk)_(?:test|live|prod)_[0-9A-Za-z]{10,99}"#),
            keepingKey(
                #"(?i)((?:authorization|bearer)\s*[:=]?\s*(?:bearer\s+|token\s+|basic\s+)?)[A-Za-z0-9._~+/=-]{8,}"#
            ),
            keepingKey(
                #"(?i)((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|credential)s?["']?\s*[:=]\s*["']?)[^\s"',;&]{4,}"#
            ),
        ].compactMap { $0 }
    }()
}
