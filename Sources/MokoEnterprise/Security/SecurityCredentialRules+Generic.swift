extension SecurityCredentialRules {
    /// A keyword of the generic rule and how it may be used.
    private struct Keyword {
        var text: StaticString
        /// Must start a word segment (`api_key`, `apiKey`, `key=`), not sit inside one (`monkey`).
        var needsBoundary: Bool
        /// Quoted values after it are secrets even with spaces-free low-ish entropy (passwords).
        var isPasswordLike: Bool
        /// Used when redacting; for `api`/`access` only as `api_key`/`access_key`.
        var redacts: Bool
    }

    private static let keywords: [Keyword] = [
        Keyword(text: "password", needsBoundary: false, isPasswordLike: true, redacts: true),
        Keyword(text: "passwd", needsBoundary: false, isPasswordLike: true, redacts: true),
        Keyword(text: "pwd", needsBoundary: true, isPasswordLike: true, redacts: true),
        Keyword(text: "secret", needsBoundary: false, isPasswordLike: true, redacts: true),
        Keyword(text: "token", needsBoundary: false, isPasswordLike: false, redacts: true),
        Keyword(text: "credential", needsBoundary: false, isPasswordLike: true, redacts: true),
        Keyword(text: "creds", needsBoundary: true, isPasswordLike: true, redacts: true),
        Keyword(text: "authorization", needsBoundary: true, isPasswordLike: false, redacts: true),
        Keyword(text: "bearer", needsBoundary: true, isPasswordLike: false, redacts: true),
        Keyword(text: "api", needsBoundary: true, isPasswordLike: false, redacts: false),
        Keyword(text: "access", needsBoundary: true, isPasswordLike: false, redacts: false),
        Keyword(text: "auth", needsBoundary: true, isPasswordLike: false, redacts: false),
        Keyword(text: "key", needsBoundary: true, isPasswordLike: false, redacts: false),
    ]

    /// The keyword starting at `start`, trying only those with its first letter.
    private static func keyword(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Keyword? {
        let candidates: Range<Int>
        switch lower(bytes[start]) {
        case UInt8(ascii: "p"): candidates = 0..<3
        case UInt8(ascii: "s"): candidates = 3..<4
        case UInt8(ascii: "t"): candidates = 4..<5
        case UInt8(ascii: "c"): candidates = 5..<7
        case UInt8(ascii: "a"): candidates = 7..<8
        case UInt8(ascii: "b"): candidates = 8..<9
        case UInt8(ascii: "k"): candidates = 12..<13
        default: return nil
        }
        guard start + 3 <= bytes.count else { return nil }
        if candidates == 7..<8 {
            // authorization, api, access, auth: in that order, so the longest wins.
            if hasPrefixFolded(bytes, start, "authorization") { return keywords[7] }
            if hasPrefixFolded(bytes, start, "api") { return keywords[9] }
            if hasPrefixFolded(bytes, start, "access") { return keywords[10] }
            if hasPrefixFolded(bytes, start, "auth") { return keywords[11] }
            return nil
        }
        for index in candidates where hasPrefixFolded(bytes, start, keywords[index].text) { return keywords[index] }
        return nil
    }

    /// Lower-cased values containing one of these are placeholders, not secrets.
    private static let stopwords: [[UInt8]] = [
        "example", "changeme", "change_me", "change-me", "xxx", "placeholder", "dummy", "sample", "redacted",
        "your_", "your-", "yourtoken", "yourkey", "yoursecret", "yourpassword", "fake", "todo", "fixme", "insert",
        "replace", "undefined", "null", "none", "****", "<", "${", "{{", "test", "foobar", "notasecret",
    ].map { Array($0.utf8) }

    @inline(__always)
    private static func isQuote(_ byte: UInt8) -> Bool {
        byte == 0x22 || byte == 0x27 || byte == 0x60
    }

    @inline(__always)
    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    private static func isSegmentStart(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        guard start > 0 else { return true }
        let previous = bytes[start - 1]
        if !isUpper(previous) && !isLower(previous) { return true }
        // camelCase: `apiKey`, `accessToken`.
        return isLower(previous) && isUpper(bytes[start])
    }

    /// The generic keyword rule: `<identifier with keyword> <assignment> <value>`.
    static func genericMatch(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, mode: Mode) -> Match? {
        guard let keyword = keyword(bytes, at: start) else { return nil }
        if keyword.needsBoundary && !isSegmentStart(bytes, start) { return nil }
        var cursor = start + keyword.text.utf8CodeUnitCount
        if mode == .redaction && !keyword.redacts {
            // `api_key`, `api-key`, `apikey`, `access_key`: the same key names the old redactor covered.
            var probe = cursor
            if probe < bytes.count, bytes[probe] == 0x5F || bytes[probe] == 0x2D { probe += 1 }
            guard hasPrefixFolded(bytes, probe, "key") else { return nil }
        }
        // The rest of the identifier, then a closing quote of a JSON/YAML key.
        cursor += run(bytes, from: cursor, limit: 40) { isWord($0) || $0 == 0x2E || $0 == 0x2D }
        cursor += run(bytes, from: cursor, limit: 3) { isBlank($0) || isQuote($0) }
        guard cursor < bytes.count else { return nil }
        // Assignment operator: =, :=, ::=, =>, ?=, : (not ==, not ::).
        let operatorStart = cursor
        switch bytes[cursor] {
        case UInt8(ascii: "="):
            if cursor + 1 < bytes.count, bytes[cursor + 1] == UInt8(ascii: "=") { return nil }
            cursor += cursor + 1 < bytes.count && bytes[cursor + 1] == UInt8(ascii: ">") ? 2 : 1
        case UInt8(ascii: ":"):
            cursor += 1
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") { cursor += 1 }
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "=") { cursor += 1 }
            if cursor - operatorStart == 2, bytes[operatorStart + 1] == UInt8(ascii: ":") { return nil }
        case UInt8(ascii: "?"):
            guard cursor + 1 < bytes.count, bytes[cursor + 1] == UInt8(ascii: "=") else { return nil }
            cursor += 2
        default:
            // `Bearer abc...` needs no operator when redacting.
            guard mode == .redaction, keyword.text.utf8CodeUnitCount == 6, hasPrefixFolded(bytes, start, "bearer"),
                operatorStart > start + 5, isBlank(bytes[operatorStart - 1])
            else { return nil }
        }
        // Spaces and an opening quote.
        var quote: UInt8?
        var skipped = 0
        while skipped < 5, cursor < bytes.count {
            let byte = bytes[cursor]
            if isBlank(byte) {
                cursor += 1
            } else if quote == nil, isQuote(byte) {
                quote = byte
                cursor += 1
            } else {
                break
            }
            skipped += 1
        }
        // Authorization schemes are not the secret: skip to the credential after them.
        for scheme: StaticString in ["bearer ", "basic ", "token "] where hasPrefixFolded(bytes, cursor, scheme) {
            cursor += scheme.utf8CodeUnitCount
            cursor += run(bytes, from: cursor, limit: 5, isBlank)
            break
        }
        switch mode {
        case .detection:
            return detectionValue(bytes, from: cursor, quote: quote, keyword: keyword)
        case .redaction:
            return redactionValue(bytes, from: cursor, quote: quote)
        }
    }

    private static func detectionValue(
        _ bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        quote: UInt8?,
        keyword: Keyword
    ) -> Match? {
        // [\w.=+/~-]{10,150} followed by a terminator.
        let length = run(bytes, from: start, limit: 151) {
            isWord($0) || $0 == 0x2E || $0 == 0x3D || $0 == 0x2B || $0 == 0x2F || $0 == 0x7E || $0 == 0x2D
        }
        let end = start + length
        if (10...150).contains(length), isTerminator(bytes, end),
            isPlausibleSecret(bytes, start..<end, quoted: quote != nil),
            entropy(bytes, start..<end) >= 3.5
        {
            return Match(
                ruleID: "generic-api-key", severity: .high, description: "secret assigned to a credential-like key",
                secret: start..<end, confidence: .heuristic)
        }
        // A quoted password may hold punctuation the class above stops at.
        guard keyword.isPasswordLike, let quote else { return nil }
        var close = start
        let limit = min(bytes.count, start + 151)
        while close < limit, bytes[close] != quote, bytes[close] > 0x20, bytes[close] != 0x7F { close += 1 }
        guard close < bytes.count, bytes[close] == quote, (8...150).contains(close - start) else { return nil }
        let range = start..<close
        guard !containsStopword(bytes, range), entropy(bytes, range) >= 3.0,
            range.contains(where: { !isUpper(bytes[$0]) && !isLower(bytes[$0]) })
        else { return nil }
        return Match(
            ruleID: "generic-password", severity: .high, description: "password assigned in clear text",
            secret: range, confidence: .heuristic)
    }

    private static func redactionValue(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, quote: UInt8?) -> Match? {
        if hasPrefix(bytes, start, "[REDACTED]") { return nil }
        var end = start
        let limit = min(bytes.count, start + 512)
        if let quote {
            while end < limit, bytes[end] != quote, bytes[end] != 0x0A { end += 1 }
        } else {
            while end < limit {
                let byte = bytes[end]
                if byte <= 0x20 || isQuote(byte) || byte == 0x2C || byte == 0x3B || byte == 0x26 || byte == 0x29
                    || byte == 0x7D || byte == 0x5D || byte == 0x3C || byte == 0x3E
                {
                    break
                }
                end += 1
            }
        }
        guard end - start >= 3 else { return nil }
        return Match(
            ruleID: "generic-api-key", severity: .high, description: "value of a credential-like key",
            secret: start..<end, confidence: .heuristic)
    }

    private static func isTerminator(_ bytes: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        guard end < bytes.count else { return true }
        switch bytes[end] {
        case 0x20, 0x09, 0x0A, 0x0D, 0x22, 0x27, 0x60, 0x3B, 0x2C, 0x29, 0x7D, 0x5D, 0x3E, 0x26, 0x5C:
            return true
        default:
            return false
        }
    }

    private static func containsStopword(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        let lowered = range.map { lower(bytes[$0]) }
        for word in stopwords where word.count <= lowered.count {
            let first = word[0]
            var index = 0
            while index + word.count <= lowered.count {
                if lowered[index] == first, lowered[index..<(index + word.count)].elementsEqual(word) { return true }
                index += 1
            }
        }
        return false
    }

    /// Drops identifier-like values, member paths, file paths and placeholders.
    private static func isPlausibleSecret(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, quoted: Bool
    ) -> Bool {
        let first = bytes[range.lowerBound]
        if first == UInt8(ascii: "/") || first == UInt8(ascii: ".") || first == UInt8(ascii: "~") { return false }
        // ^[a-zA-Z_.-]+$: a word or identifier, not a secret.
        if range.allSatisfy({
            isUpper(bytes[$0]) || isLower(bytes[$0]) || bytes[$0] == 0x5F || bytes[$0] == 0x2E
                || bytes[$0] == 0x2D
        }) {
            return false
        }
        // `minimum_length=12`: an `=` before the end is an expression; base64 pads only at the end.
        var index = range.lowerBound
        while index < range.upperBound - 1 {
            if bytes[index] == 0x3D, bytes[index + 1] != 0x3D { return false }
            index += 1
        }
        // `self.config.token2` unquoted is code, not a literal.
        if !quoted, range.contains(where: { bytes[$0] == 0x2E }),
            range.allSatisfy({ isWord(bytes[$0]) || bytes[$0] == 0x2E })
        {
            return false
        }
        return !containsStopword(bytes, range)
    }
}
