/// SQL-injection detection by tokenizing, libinjection-style: the input is lexed as SQL in three quote
/// contexts (pasted bare, inside `'…'`, inside `"…"`), words are mapped to token classes, and rules look
/// for token *sequences* that only make sense as an attack (breaking out of a string into a tautology,
/// `UNION SELECT`, a stacked statement, truncating the query with a comment, calling a timing function).
///
/// Single keywords never match on their own, so "Please select a size", "O'Brien", "drop-down menu",
/// "Union Station" or "black or white" are not flagged. Inputs are URL-decoded (up to three times, so
/// double encoding is seen through) and inline comments are read both as nothing (`UN/**/ION`) and as a
/// space (`UNION/**/SELECT`); MySQL's `/*!50000 … */` is read as code.
enum SecuritySQLInjectionDetector {
    /// Only this many bytes of an input are analysed (a longer value is refused by length checks first).
    static let maximumAnalysedBytes = 262_144

    struct Token {
        var kind: UInt8
        /// Lower-cased text for words (≤ 24 bytes) and operators; empty otherwise.
        var text: [UInt8]
    }

    private static let statements: Set<[UInt8]> = Set(
        [
            "select", "insert", "update", "delete", "drop", "create", "alter", "truncate", "exec", "execute",
            "declare", "shutdown", "waitfor", "grant", "revoke", "merge",
        ].map { Array($0.utf8) })

    private static let keywords: Set<[UInt8]> = Set(
        [
            "from", "where", "into", "table", "order", "group", "by", "having", "limit", "offset", "values", "set",
            "delay", "like", "rlike", "regexp", "is", "null", "all", "distinct", "case", "when", "then", "else",
            "end", "as", "in", "between", "exists", "not", "outfile", "dumpfile",
        ].map { Array($0.utf8) })

    private static let functions: Set<[UInt8]> = Set(
        [
            "sleep", "benchmark", "pg_sleep", "load_file", "char", "chr", "concat", "concat_ws", "version", "user",
            "database", "substring", "substr", "ascii", "extractvalue", "updatexml", "if", "count", "md5", "hex",
            "unhex", "cast", "convert", "group_concat", "current_user", "system_user", "randomblob",
            "sqlite_version", "xp_cmdshell", "ord", "mid", "length", "iif", "exp", "floor", "rand",
        ].map { Array($0.utf8) })

    static let timingFunctions: Set<[UInt8]> = Set(
        ["sleep", "benchmark", "pg_sleep", "load_file", "extractvalue", "updatexml", "xp_cmdshell"].map {
            Array($0.utf8)
        })

    // MARK: - Entry point

    static func analyze(_ input: String) -> SQLInjectionAnalysis {
        var bytes = Array(input.utf8.prefix(maximumAnalysedBytes))
        var variants: [[UInt8]] = [bytes]
        for _ in 0..<3 {
            guard let decoded = percentDecoded(bytes), decoded != bytes else { break }
            variants.append(decoded)
            bytes = decoded
        }
        var firstNormalized: [UInt8]?
        for variant in variants {
            for joinComments in [true, false] {
                let normalized = normalizeComments(variant, join: joinComments)
                if firstNormalized == nil { firstNormalized = normalized }
                for context in [SQLInjectionAnalysis.Context.none, .singleQuote, .doubleQuote] {
                    let tokens = tokenize(normalized, context: context)
                    let rules = match(tokens, context: context)
                    if !rules.isEmpty {
                        return SQLInjectionAnalysis(
                            isInjection: true, matchedRules: rules, fingerprint: fingerprint(tokens), context: context,
                            score: 5 * rules.count, normalizedInput: String(decoding: normalized, as: UTF8.self))
                    }
                }
            }
        }
        return SQLInjectionAnalysis(
            isInjection: false, matchedRules: [], fingerprint: nil, context: nil, score: 0,
            normalizedInput: String(decoding: firstNormalized ?? [], as: UTF8.self))
    }

    static func fingerprint(_ tokens: [Token]) -> String {
        String(decoding: tokens.prefix(8).map(\.kind), as: UTF8.self)
    }

    // MARK: - Decoding and normalisation

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// One round of `%XX` and `+` decoding; nil when there is nothing to decode.
    static func percentDecoded(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.contains(where: { $0 == 0x25 || $0 == 0x2B }) else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x25, index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                let low = hexValue(bytes[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte == 0x2B ? 0x20 : byte)
                index += 1
            }
        }
        return output
    }

    /// Closed `/* … */` comments become nothing (`join`) or a space; `/*!NNNNN code */` becomes `code`.
    static func normalizeComments(_ bytes: [UInt8], join: Bool) -> [UInt8] {
        guard bytes.count >= 4, bytes.contains(0x2A) else { return bytes }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        var inVersioned = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x2F, index + 1 < bytes.count, bytes[index + 1] == 0x2A {
                if index + 2 < bytes.count, bytes[index + 2] == 0x21 {
                    // /*!50000select*/ → select
                    var cursor = index + 3
                    while cursor < bytes.count, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39 { cursor += 1 }
                    output.append(0x20)
                    inVersioned = true
                    index = cursor
                    continue
                }
                var close = index + 2
                while close + 1 < bytes.count, !(bytes[close] == 0x2A && bytes[close + 1] == 0x2F) { close += 1 }
                guard close + 1 < bytes.count else {
                    // Unclosed: keep it; the tokenizer reads it as a comment to the end.
                    output.append(contentsOf: bytes[index...])
                    return output
                }
                if !join { output.append(0x20) }
                index = close + 2
                continue
            }
            if inVersioned, byte == 0x2A, index + 1 < bytes.count, bytes[index + 1] == 0x2F {
                output.append(0x20)
                inVersioned = false
                index += 2
                continue
            }
            output.append(byte)
            index += 1
        }
        return output
    }

    // MARK: - Tokenizer

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x5F || byte == 0x24 || byte >= 0x80
    }

    private static func isOperatorByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x3D, 0x3C, 0x3E, 0x21, 0x2B, 0x2D, 0x2A, 0x2F, 0x25, 0x5E, 0x7C, 0x26, 0x7E, 0x3A: true
        default: false
        }
    }

    /// The end of a string body starting at `start`, closed by `quote` (doubled quotes and backslash
    /// escapes stay inside); nil when it is not closed.
    private static func stringEnd(_ bytes: [UInt8], from start: Int, quote: UInt8) -> Int? {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x5C {
                index += 2
                continue
            }
            if byte == quote {
                if index + 1 < bytes.count, bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return index
            }
            index += 1
        }
        return nil
    }

    static func tokenize(_ bytes: [UInt8], context: SQLInjectionAnalysis.Context) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        if context != .none {
            let quote: UInt8 = context == .singleQuote ? 0x27 : 0x22
            guard let end = stringEnd(bytes, from: 0, quote: quote) else {
                return [Token(kind: UInt8(ascii: "s"), text: [])]
            }
            tokens.append(Token(kind: UInt8(ascii: "s"), text: []))
            index = end + 1
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte <= 0x20 || byte == 0x7F {
                index += 1
                continue
            }
            if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0xA0 {
                index += 2
                continue
            }
            switch byte {
            case 0x27, 0x22:
                let end = stringEnd(bytes, from: index + 1, quote: byte)
                tokens.append(Token(kind: UInt8(ascii: "s"), text: []))
                index = (end ?? bytes.count) + 1
            case 0x60:
                var end = index + 1
                while end < bytes.count, bytes[end] != 0x60 { end += 1 }
                tokens.append(Token(kind: UInt8(ascii: "n"), text: []))
                index = end + 1
            case 0x23:
                tokens.append(Token(kind: UInt8(ascii: "c"), text: []))
                index = lineEnd(bytes, from: index)
            case 0x2D where index + 1 < bytes.count && bytes[index + 1] == 0x2D:
                tokens.append(Token(kind: UInt8(ascii: "c"), text: []))
                index = lineEnd(bytes, from: index)
            case 0x2F where index + 1 < bytes.count && bytes[index + 1] == 0x2A:
                tokens.append(Token(kind: UInt8(ascii: "c"), text: []))
                var close = index + 2
                while close + 1 < bytes.count, !(bytes[close] == 0x2A && bytes[close + 1] == 0x2F) { close += 1 }
                index = close + 2
            case 0x3B, 0x28, 0x29, 0x2C:
                tokens.append(Token(kind: byte, text: []))
                index += 1
            case 0x40:
                var end = index + 1
                while end < bytes.count, bytes[end] == 0x40 || isWordByte(bytes[end]) { end += 1 }
                tokens.append(Token(kind: UInt8(ascii: "v"), text: []))
                index = end
            case 0x30...0x39:
                var end = index + 1
                while end < bytes.count, isWordByte(bytes[end]) || bytes[end] == 0x2E { end += 1 }
                let isNumber = bytes[index..<end].allSatisfy {
                    ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x78 || $0 == 0x65 || ($0 >= 0x61 && $0 <= 0x66)
                }
                tokens.append(Token(kind: UInt8(ascii: isNumber ? "1" : "n"), text: []))
                index = end
            default:
                if isWordByte(byte) {
                    var end = index + 1
                    while end < bytes.count,
                        isWordByte(bytes[end])
                            || (bytes[end] == 0x2E && end + 1 < bytes.count && isWordByte(bytes[end + 1]))
                    {
                        end += 1
                    }
                    tokens.append(word(bytes, index..<end))
                    index = end
                } else if isOperatorByte(byte) {
                    var end = index + 1
                    while end < bytes.count, end - index < 3, isOperatorByte(bytes[end]),
                        !(bytes[end] == 0x2D && end + 1 < bytes.count && bytes[end + 1] == 0x2D)
                    {
                        end += 1
                    }
                    let text = Array(bytes[index..<end])
                    let isLogic = text == [0x7C, 0x7C] || text == [0x26, 0x26]
                    tokens.append(Token(kind: isLogic ? UInt8(ascii: "&") : UInt8(ascii: "o"), text: text))
                    index = end
                } else {
                    tokens.append(Token(kind: UInt8(ascii: "x"), text: []))
                    index += 1
                }
            }
        }
        // Functions: a known name directly followed by `(`.
        for position in tokens.indices where tokens[position].kind == UInt8(ascii: "n") {
            if position + 1 < tokens.count, tokens[position + 1].kind == 0x28, functions.contains(tokens[position].text)
            {
                tokens[position].kind = UInt8(ascii: "f")
            }
        }
        return tokens
    }

    private static func lineEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        return end
    }

    private static func word(_ bytes: [UInt8], _ range: Range<Int>) -> Token {
        guard range.count <= 24 else { return Token(kind: UInt8(ascii: "n"), text: []) }
        let text = bytes[range].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let kind: Character
        switch text {
        case Array("union".utf8): kind = "U"
        case Array("and".utf8), Array("or".utf8), Array("xor".utf8): kind = "&"
        case Array("true".utf8), Array("false".utf8): kind = "1"
        default:
            if statements.contains(text) {
                kind = "E"
            } else if keywords.contains(text) {
                kind = "k"
            } else {
                kind = "n"
            }
        }
        return Token(kind: kind.asciiValue ?? UInt8(ascii: "n"), text: text)
    }
}
