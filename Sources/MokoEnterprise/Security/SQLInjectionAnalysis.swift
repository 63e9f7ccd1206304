/// What ``SecurityValidator/detectSQLInjection(_:)`` concluded about one input.
public struct SQLInjectionAnalysis: Sendable, Hashable {
    /// Whether the input reads as an injection attempt.
    public var isInjection: Bool
    /// The rules that matched, e.g. `sqli-tautology`, `sqli-union-select`, `sqli-stacked-query`.
    public var matchedRules: [String]
    /// The token-class fingerprint (first 8 tokens) of the reading that matched, e.g. `s&1o1c` for
    /// `' OR 1=1--`: `s` string, `n` word, `k` keyword, `E` statement, `U` union, `&` logic, `o` operator,
    /// `1` number, `c` comment, `f` function, `v` variable, `;` `(` `)` `,` themselves.
    public var fingerprint: String?
    /// The quote context the input was read in when it matched: none, or inside `'…'` or `"…"`.
    public var context: Context?
    /// An OWASP CRS-style anomaly score: 5 (critical) per matched rule.
    public var score: Int
    /// The input after URL-decoding and comment normalisation, as analysed.
    public var normalizedInput: String

    /// The quote context the input is assumed to be pasted into.
    public enum Context: String, Sendable, Hashable {
        /// Directly into SQL: `WHERE id = <input>`.
        case none
        /// Into a single-quoted string: `WHERE name = '<input>'`.
        case singleQuote
        /// Into a double-quoted string: `WHERE name = "<input>"`.
        case doubleQuote
    }

    /// A severity for reports: critical when it is an injection, nil otherwise.
    public var severity: SecuritySeverity? { isInjection ? .critical : nil }
}
