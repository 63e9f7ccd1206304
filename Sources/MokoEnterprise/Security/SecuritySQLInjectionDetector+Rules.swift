extension SecuritySQLInjectionDetector {
    private static let comparisons: Set<[UInt8]> = Set(
        ["=", "<", ">", "<=", ">=", "<>", "!=", "<=>", "like", "rlike", "regexp"].map { Array($0.utf8) })

    private static func kind(_ tokens: [Token], _ index: Int) -> UInt8? {
        index < tokens.count ? tokens[index].kind : nil
    }

    private static func isWord(_ tokens: [Token], _ index: Int, _ words: String...) -> Bool {
        guard index < tokens.count else { return false }
        return words.contains { tokens[index].text == Array($0.utf8) }
    }

    /// The index of the next token after `index` that is not a comment (or an opening parenthesis, when
    /// `parentheses` is true).
    private static func next(_ tokens: [Token], after index: Int, skippingParentheses parentheses: Bool = false) -> Int
    {
        var position = index + 1
        while position < tokens.count,
            tokens[position].kind == UInt8(ascii: "c") || (parentheses && tokens[position].kind == 0x28)
        {
            position += 1
        }
        return position
    }

    private static func isLiteral(_ kind: UInt8?) -> Bool {
        kind == UInt8(ascii: "1") || kind == UInt8(ascii: "s")
    }

    /// The rules matched by a token sequence read in `context`.
    static func match(_ tokens: [Token], context: SQLInjectionAnalysis.Context) -> [String] {
        var rules: [String] = []
        func add(_ rule: String) {
            if !rules.contains(rule) { rules.append(rule) }
        }
        // Where the input breaks out of the string it was pasted into (after any closing parentheses).
        var breakout: Int?
        if context != .none, tokens.count > 1 {
            var position = 1
            while position < tokens.count, tokens[position].kind == 0x29 { position += 1 }
            breakout = position
        }
        if let start = breakout, start < tokens.count {
            checkBreakout(tokens, at: start, add: add)
        }
        for index in tokens.indices {
            let current = tokens[index].kind
            switch current {
            case UInt8(ascii: "U"):
                var after = next(tokens, after: index, skippingParentheses: true)
                if isWord(tokens, after, "all", "distinct") {
                    after = next(tokens, after: after, skippingParentheses: true)
                }
                if isWord(tokens, after, "select") { add("sqli-union-select") }
            case 0x3B:
                if isStatement(tokens, at: next(tokens, after: index)) { add("sqli-stacked-query") }
            case UInt8(ascii: "&"):
                if isTautology(tokens, logic: index, atBreakout: false) { add("sqli-tautology") }
                let after = next(tokens, after: index, skippingParentheses: true)
                if isWord(tokens, after, "select"), kind(tokens, index + 1) == 0x28 { add("sqli-subquery") }
                if kind(tokens, after) == UInt8(ascii: "f"), timingFunctions.contains(tokens[after].text) {
                    add("sqli-function-call")
                }
            case UInt8(ascii: "f"):
                if tokens[index].text == Array("xp_cmdshell".utf8) { add("sqli-dangerous-procedure") }
            case UInt8(ascii: "n"):
                if tokens[index].text == Array("xp_cmdshell".utf8) { add("sqli-dangerous-procedure") }
            case UInt8(ascii: "E"):
                if tokens[index].text == Array("waitfor".utf8),
                    isWord(tokens, next(tokens, after: index), "delay", "time")
                {
                    add("sqli-time-delay")
                }
            case UInt8(ascii: "k"):
                if tokens[index].text == Array("into".utf8), isWord(tokens, index + 1, "outfile", "dumpfile") {
                    add("sqli-file-write")
                }
            default:
                break
            }
        }
        return rules
    }

    /// Rules that only apply right after breaking out of the surrounding string: `'--`, `' OR 1--`,
    /// `' ORDER BY 3--`, `' + (SELECT …)`, `' AND SLEEP(5)`.
    private static func checkBreakout(_ tokens: [Token], at start: Int, add: (String) -> Void) {
        let first = tokens[start].kind
        switch first {
        case UInt8(ascii: "c"):
            add("sqli-comment-truncation")
        case UInt8(ascii: "&"):
            if isTautology(tokens, logic: start, atBreakout: true) { add("sqli-tautology") }
            // ' OR 1--, ' OR true#, ' OR 'x'
            let operand = next(tokens, after: start, skippingParentheses: true)
            let after = operand + 1
            if isLiteral(kind(tokens, operand)),
                after >= tokens.count || tokens[after].kind == UInt8(ascii: "c") || tokens[after].kind == 0x3B
                    || tokens[after].kind == 0x29
            {
                add("sqli-tautology")
            }
            // ' AND email IS NULL; --
            if kind(tokens, operand) == UInt8(ascii: "n"), isWord(tokens, after, "is") { add("sqli-tautology") }
            if kind(tokens, operand) == UInt8(ascii: "f") { add("sqli-function-call") }
            if isWord(tokens, operand, "select") { add("sqli-subquery") }
        case UInt8(ascii: "k"):
            if isWord(tokens, start, "order", "group"), isWord(tokens, start + 1, "by") { add("sqli-order-by-probe") }
            if isWord(tokens, start, "having") { add("sqli-order-by-probe") }
        case UInt8(ascii: "o"):
            let after = next(tokens, after: start, skippingParentheses: true)
            if isWord(tokens, after, "select") || kind(tokens, after) == UInt8(ascii: "f") { add("sqli-subquery") }
        default:
            break
        }
    }

    /// `<logic> A <comparison> B` with literal operands (or, right after a breakout, `A = A`).
    private static func isTautology(_ tokens: [Token], logic: Int, atBreakout: Bool) -> Bool {
        let left = next(tokens, after: logic, skippingParentheses: true)
        let comparison = left + 1
        let right = next(tokens, after: comparison, skippingParentheses: true)
        guard right < tokens.count, comparisons.contains(tokens[comparison].text) else { return false }
        let leftKind = tokens[left].kind
        let rightKind = tokens[right].kind
        if isLiteral(leftKind) && isLiteral(rightKind) { return true }
        guard atBreakout else { return false }
        let operands: Set<UInt8> = [
            UInt8(ascii: "1"), UInt8(ascii: "s"), UInt8(ascii: "n"), UInt8(ascii: "f"),
            UInt8(ascii: "v"),
        ]
        guard operands.contains(leftKind), operands.contains(rightKind) else { return false }
        if isLiteral(leftKind) || isLiteral(rightKind) { return true }
        return leftKind == UInt8(ascii: "n") && tokens[left].text == tokens[right].text && !tokens[left].text.isEmpty
    }

    /// Whether a statement starts at `index` with the shape of real SQL, not an English verb.
    private static func isStatement(_ tokens: [Token], at index: Int) -> Bool {
        guard index < tokens.count, tokens[index].kind == UInt8(ascii: "E") else { return false }
        let following = next(tokens, after: index)
        switch String(decoding: tokens[index].text, as: UTF8.self) {
        case "drop", "create", "alter":
            return isWord(
                tokens, following, "table", "database", "schema", "view", "user", "procedure", "function", "index",
                "trigger", "login")
        case "delete":
            return isWord(tokens, following, "from")
        case "insert":
            return isWord(tokens, following, "into")
        case "update":
            return isWord(tokens, following + 1, "set")
        case "select":
            guard following < tokens.count else { return false }
            let kind = tokens[following].kind
            if [UInt8(ascii: "1"), UInt8(ascii: "f"), UInt8(ascii: "v"), UInt8(ascii: "s"), 0x28].contains(kind) {
                return true
            }
            if tokens[following].text == [0x2A] { return true }
            return isWord(tokens, following + 1, "from")
        case "truncate":
            return isWord(tokens, following, "table")
        case "exec", "execute":
            guard following < tokens.count else { return false }
            let text = tokens[following].text
            return text.starts(with: Array("xp_".utf8)) || text.starts(with: Array("sp_".utf8))
                || text.starts(with: Array("master".utf8)) || tokens[following].kind == UInt8(ascii: "s")
                || tokens[following].kind == 0x28
        case "shutdown":
            return following >= tokens.count || tokens[following].kind == 0x3B
        case "waitfor":
            return isWord(tokens, following, "delay", "time")
        case "declare":
            return kind(tokens, following) == UInt8(ascii: "v")
        case "grant", "revoke":
            return isWord(tokens, following, "all", "select", "insert", "update", "delete", "execute")
        default:
            return false
        }
    }
}
