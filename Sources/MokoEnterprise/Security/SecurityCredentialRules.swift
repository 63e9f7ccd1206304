import Foundation

/// The credential rules shared by ``SecurityValidator/detectCredentials(_:)``, directory scans and
/// ``SecretRedactor``: one source of truth.
///
/// The rules port gitleaks v8's GitHub, AWS, private-key, Slack, Stripe, GitLab, npm, Google and JWT
/// rules and its generic keyword rule. Matching is hand-written over UTF-8 bytes in one pass: each byte
/// is checked against a table of rule-starting bytes, and only candidate positions run a matcher. There
/// is no regex, nothing allocates per byte, and invalid UTF-8 is just bytes.
enum SecurityCredentialRules {
    /// Detection is precise (entropy, placeholders, stopwords); redaction also takes short and
    /// low-entropy values after a secret-like key, since hiding too much in a log costs little.
    enum Mode {
        case detection
        case redaction
    }

    /// One match: the rule and the byte range of the secret value (what gets redacted).
    struct Match: Sendable, Equatable {
        var ruleID: String
        var severity: SecuritySeverity
        var description: String
        var secret: Range<Int>
        var confidence: CredentialConfidence
    }

    // MARK: - Byte classes

    @inline(__always) static func isWord(_ byte: UInt8) -> Bool {
        // Branch-light: letters by case-folding, then digits and `_`.
        let folded = byte | 0x20
        return (folded >= 0x61 && folded <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
    }
    @inline(__always) static func isAlnum(_ byte: UInt8) -> Bool { byte != 0x5F && isWord(byte) }
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    @inline(__always) static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte | 0x20 : byte }

    /// Byte pairs at which some rule may start, indexed by `first << 8 | second`: vendor prefixes exactly
    /// (`gh`, `AK`, `--`, `xo`, `sk` ...) and the keyword rule's first two letters in any case. Checking a
    /// pair instead of a byte skips almost all ordinary text with one table load.
    private static let startPairs: [Bool] = {
        var table = [Bool](repeating: false, count: 65_536)
        let exact = [
            "gh", "gi", "gl", "AK", "AS", "AB", "AC", "A3", "AI", "--", "xo", "xa", "ho", "sk", "rk", "ey",
        ]
        for pair in exact {
            let bytes = Array(pair.utf8)
            table[Int(bytes[0]) << 8 | Int(bytes[1])] = true
        }
        let folded = ["pa", "pw", "se", "to", "cr", "au", "ap", "ac", "be", "ke", "np"]
        for pair in folded {
            let bytes = Array(pair.utf8)
            for first in [bytes[0], bytes[0] & ~0x20] {
                for second in [bytes[1], bytes[1] & ~0x20] { table[Int(first) << 8 | Int(second)] = true }
            }
        }
        return table
    }()

    // MARK: - Scanning

    /// All matches in `bytes`, sorted by position and not overlapping.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, mode: Mode) -> [Match] {
        startPairs.withUnsafeBufferPointer { table in
            var matches: [Match] = []
            let count = bytes.count
            var position = 0
            // Every rule needs at least two bytes.
            while position + 1 < count {
                let byte = bytes[position]
                guard table[Int(byte) << 8 | Int(bytes[position + 1])] else {
                    position += 1
                    continue
                }
                var found = specificMatch(bytes, at: position, first: byte, mode: mode)
                if found == nil, let generic = genericMatch(bytes, at: position, mode: mode) {
                    // A vendor token as the value of `token = …` is reported under its vendor rule.
                    let start = generic.secret.lowerBound
                    found =
                        start < count
                        ? specificMatch(bytes, at: start, first: bytes[start], mode: mode) ?? generic : generic
                }
                if let match = found {
                    matches.append(match)
                    position = max(position + 1, match.secret.upperBound)
                } else {
                    position += 1
                }
            }
            return matches
        }
    }

    /// Convenience for `String` input.
    static func scan(_ text: String, mode: Mode) -> [Match] {
        var copy = text
        return copy.withUTF8 { scan($0, mode: mode) }
    }

    /// Vendor-specific rules. In ``Mode/redaction`` the detection-only refinements (entropy thresholds,
    /// gitleaks' documentation-key allowlist, minimum key-body lengths, exact Slack bot-token digits) are
    /// dropped: a low-entropy or example token in a log is still hidden.
    private static func specificMatch(
        _ bytes: UnsafeBufferPointer<UInt8>,
        at start: Int,
        first: UInt8,
        mode: Mode
    ) -> Match? {
        let eager = mode == .redaction
        switch first {
        case UInt8(ascii: "g"): return gitHub(bytes, start, eager: eager) ?? gitLab(bytes, start)
        case UInt8(ascii: "A"): return aws(bytes, start, eager: eager) ?? googleAPIKey(bytes, start)
        case UInt8(ascii: "-"): return privateKey(bytes, start, eager: eager)
        case UInt8(ascii: "x"): return slack(bytes, start, eager: eager)
        case UInt8(ascii: "h"): return slackWebhook(bytes, start)
        case UInt8(ascii: "s"), UInt8(ascii: "r"): return stripe(bytes, start, eager: eager)
        case UInt8(ascii: "n"), UInt8(ascii: "N"): return npm(bytes, start)
        case UInt8(ascii: "e"): return jwt(bytes, start)
        default: return nil
        }
    }

    // MARK: - Helpers

    @inline(__always)
    static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard start + length <= bytes.count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<length where bytes[start + offset] != pointer[offset] { return false }
        return true
    }

    /// Case-insensitive `hasPrefix` for a lower-case ASCII literal.
    @inline(__always)
    static func hasPrefixFolded(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard start + length <= bytes.count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<length where lower(bytes[start + offset]) != pointer[offset] { return false }
        return true
    }

    /// How many bytes from `start` satisfy `predicate`, up to `limit`.
    @inline(__always)
    static func run(
        _ bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        limit: Int,
        _ predicate: (UInt8) -> Bool
    ) -> Int {
        var length = 0
        while length < limit, start + length < bytes.count, predicate(bytes[start + length]) { length += 1 }
        return length
    }

    @inline(__always)
    static func wordBoundaryBefore(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        start == 0 || !isWord(bytes[start - 1])
    }

    @inline(__always)
    static func wordBoundaryAfter(_ bytes: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        end >= bytes.count || !isWord(bytes[end])
    }

    /// Shannon entropy in bits per byte.
    static func entropy(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double {
        guard !range.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for index in range { counts[Int(bytes[index])] += 1 }
        let total = Double(range.count)
        var result = 0.0
        for count in counts where count > 0 {
            let probability = Double(count) / total
            result -= probability * log2(probability)
        }
        return result
    }

    // MARK: - GitHub

    private static func gitHub(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, eager: Bool) -> Match? {
        if hasPrefix(bytes, start, "github_pat_") {
            let length = run(bytes, from: start + 11, limit: 82, isWord)
            guard length == 82 else { return nil }
            return Match(
                ruleID: "github-fine-grained-pat", severity: .critical, description: "GitHub fine-grained access token",
                secret: start..<(start + 93), confidence: .patternOnly)
        }
        guard start + 40 <= bytes.count, bytes[start + 1] == UInt8(ascii: "h"), bytes[start + 3] == UInt8(ascii: "_")
        else { return nil }
        let rule: (String, String)
        switch bytes[start + 2] {
        case UInt8(ascii: "p"): rule = ("github-pat", "GitHub personal access token")
        case UInt8(ascii: "o"): rule = ("github-oauth", "GitHub OAuth access token")
        case UInt8(ascii: "u"), UInt8(ascii: "s"): rule = ("github-app-token", "GitHub App token")
        case UInt8(ascii: "r"): rule = ("github-refresh-token", "GitHub refresh token")
        default: return nil
        }
        guard run(bytes, from: start + 4, limit: 36, isAlnum) == 36 else { return nil }
        let secret = start..<(start + 40)
        guard eager || entropy(bytes, (start + 4)..<(start + 40)) >= 3 else { return nil }
        let confidence: CredentialConfidence =
            SecurityGitHubChecksum.isValid(bytes, body: (start + 4)..<(start + 40)) ? .verifiedFormat : .patternOnly
        return Match(ruleID: rule.0, severity: .critical, description: rule.1, secret: secret, confidence: confidence)
    }

    private static func gitLab(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Match? {
        guard hasPrefix(bytes, start, "glpat-") else { return nil }
        let length = run(bytes, from: start + 6, limit: 21) { isWord($0) || $0 == UInt8(ascii: "-") }
        guard length == 20 else { return nil }
        return Match(
            ruleID: "gitlab-pat", severity: .critical, description: "GitLab personal access token",
            secret: start..<(start + 26), confidence: .patternOnly)
    }

    // MARK: - AWS and Google

    private static func aws(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, eager: Bool) -> Match? {
        guard start + 20 <= bytes.count, wordBoundaryBefore(bytes, start) else { return nil }
        let prefixOK =
            hasPrefix(bytes, start, "AKIA") || hasPrefix(bytes, start, "ASIA") || hasPrefix(bytes, start, "ABIA")
            || hasPrefix(bytes, start, "ACCA")
            || (hasPrefix(bytes, start, "A3T") && (isUpper(bytes[start + 3]) || isDigit(bytes[start + 3])))
        guard prefixOK else { return nil }
        let body = run(bytes, from: start + 4, limit: 16) { isUpper($0) || ($0 >= 0x32 && $0 <= 0x37) }
        guard body == 16, wordBoundaryAfter(bytes, start + 20) else { return nil }
        // gitleaks' allowlist: AWS documentation keys end in EXAMPLE.
        if !eager, hasPrefix(bytes, start + 13, "EXAMPLE") { return nil }
        guard eager || entropy(bytes, start..<(start + 20)) >= 3 else { return nil }
        return Match(
            ruleID: "aws-access-token", severity: .critical, description: "AWS access key ID",
            secret: start..<(start + 20), confidence: .patternOnly)
    }

    private static func googleAPIKey(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Match? {
        guard hasPrefix(bytes, start, "AIza"), wordBoundaryBefore(bytes, start) else { return nil }
        let length = run(bytes, from: start + 4, limit: 36) { isWord($0) || $0 == UInt8(ascii: "-") }
        guard length == 35 else { return nil }
        return Match(
            ruleID: "gcp-api-key", severity: .high, description: "Google API key",
            secret: start..<(start + 39), confidence: .patternOnly)
    }

    // MARK: - Private keys

    private static func privateKey(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, eager: Bool) -> Match? {
        guard hasPrefix(bytes, start, "-----"), hasPrefixFolded(bytes, start + 5, "begin") else { return nil }
        // -----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----
        var cursor = start + 10
        let labelLimit = min(bytes.count, cursor + 112)
        var headerEnd: Int?
        while cursor < labelLimit {
            if hasPrefixFolded(bytes, cursor, "private key") {
                var end = cursor + 11
                if hasPrefixFolded(bytes, end, " block") { end += 6 }
                if hasPrefix(bytes, end, "-----") { headerEnd = end + 5 }
                break
            }
            let byte = lower(bytes[cursor])
            guard byte == 0x20 || isLower(byte) || isDigit(byte) || byte == 0x5F || byte == 0x2D else { return nil }
            cursor += 1
        }
        guard let headerEnd else { return nil }
        // [\s\S-]{64,}?KEY(?: BLOCK)?-----, searched within 64 KiB.
        let searchLimit = min(bytes.count, headerEnd + 65_536)
        var probe = headerEnd + (eager ? 0 : 64)
        while probe + 8 <= searchLimit {
            if bytes[probe] == UInt8(ascii: "K"), hasPrefix(bytes, probe, "KEY") {
                if hasPrefix(bytes, probe + 3, "-----") {
                    return keyMatch(start, probe + 8)
                }
                if hasPrefix(bytes, probe + 3, " BLOCK-----") {
                    return keyMatch(start, probe + 14)
                }
            }
            probe += 1
        }
        return nil
    }

    private static func keyMatch(_ start: Int, _ end: Int) -> Match {
        Match(
            ruleID: "private-key", severity: .critical, description: "private key", secret: start..<end,
            confidence: .patternOnly)
    }

    // MARK: - Slack

    private static func slack(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, eager: Bool) -> Match? {
        if hasPrefix(bytes, start, "xapp-") {
            guard start + 7 < bytes.count, isDigit(bytes[start + 5]), bytes[start + 6] == UInt8(ascii: "-") else {
                return nil
            }
            let length = run(bytes, from: start + 7, limit: 200) { isAlnum($0) || $0 == UInt8(ascii: "-") }
            guard length >= 20 else { return nil }
            return Match(
                ruleID: "slack-app-token", severity: .critical, description: "Slack app-level token",
                secret: start..<(start + 7 + length), confidence: .patternOnly)
        }
        guard hasPrefix(bytes, start, "xox"), start + 5 < bytes.count, bytes[start + 4] == UInt8(ascii: "-") else {
            return nil
        }
        let kind = bytes[start + 3]
        let tail = run(bytes, from: start + 5, limit: 300) { isAlnum($0) || $0 == UInt8(ascii: "-") }
        let end = start + 5 + tail
        switch kind {
        case UInt8(ascii: "b") where eager:
            guard tail >= 10 else { return nil }
            return Match(
                ruleID: "slack-bot-token", severity: .critical, description: "Slack bot token",
                secret: start..<end, confidence: .patternOnly)
        case UInt8(ascii: "b"):
            // xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*
            let first = run(bytes, from: start + 5, limit: 14, isDigit)
            guard (10...13).contains(first), start + 5 + first < bytes.count,
                bytes[start + 5 + first] == UInt8(ascii: "-")
            else { return nil }
            let second = run(bytes, from: start + 6 + first, limit: 14, isDigit)
            guard (10...13).contains(second) else { return nil }
            return Match(
                ruleID: "slack-bot-token", severity: .critical, description: "Slack bot token",
                secret: start..<end, confidence: .patternOnly)
        case UInt8(ascii: "p"), UInt8(ascii: "e"):
            guard tail >= 40 else { return nil }
            return Match(
                ruleID: "slack-user-token", severity: .critical, description: "Slack user token",
                secret: start..<end, confidence: .patternOnly)
        case UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "s"), UInt8(ascii: "r"):
            guard tail >= 20, (start + 5..<end).contains(where: { isDigit(bytes[$0]) }) else { return nil }
            return Match(
                ruleID: "slack-legacy-token", severity: .high, description: "Slack legacy token",
                secret: start..<end, confidence: .patternOnly)
        default:
            return nil
        }
    }

    private static func slackWebhook(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Match? {
        guard hasPrefix(bytes, start, "hooks.slack.com/") else { return nil }
        var cursor = start + 16
        if hasPrefix(bytes, cursor, "services/") {
            cursor += 9
        } else if hasPrefix(bytes, cursor, "workflows/") {
            cursor += 10
        } else if hasPrefix(bytes, cursor, "triggers/") {
            cursor += 9
        } else {
            return nil
        }
        let length = run(bytes, from: cursor, limit: 57) {
            isAlnum($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/")
        }
        guard (43...56).contains(length) else { return nil }
        return Match(
            ruleID: "slack-webhook-url", severity: .high, description: "Slack incoming webhook URL",
            secret: start..<(cursor + length), confidence: .patternOnly)
    }

    // MARK: - Stripe, npm, JWT

    private static func stripe(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, eager: Bool) -> Match? {
        guard start + 8 < bytes.count, bytes[start + 1] == UInt8(ascii: "k"), bytes[start + 2] == UInt8(ascii: "_"),
            wordBoundaryBefore(bytes, start)
        else { return nil }
        guard
            hasPrefix(bytes, start + 3, "test_") || hasPrefix(bytes, start + 3, "live_")
                || hasPrefix(bytes, start + 3, "prod_")
        else { return nil }
        let length = run(bytes, from: start + 8, limit: 100, isAlnum)
        guard (10...99).contains(length), wordBoundaryAfter(bytes, start + 8 + length) else { return nil }
        let secret = start..<(start + 8 + length)
        guard eager || entropy(bytes, secret) >= 2 else { return nil }
        let live = hasPrefix(bytes, start + 3, "live_")
        return Match(
            ruleID: "stripe-access-token", severity: live ? .critical : .high, description: "Stripe API key",
            secret: secret, confidence: .patternOnly)
    }

    private static func npm(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Match? {
        guard hasPrefixFolded(bytes, start, "npm_"), wordBoundaryBefore(bytes, start) else { return nil }
        let length = run(bytes, from: start + 4, limit: 37, isAlnum)
        guard length == 36 else { return nil }
        return Match(
            ruleID: "npm-access-token", severity: .critical, description: "npm access token",
            secret: start..<(start + 40), confidence: .patternOnly)
    }

    private static func jwt(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Match? {
        guard hasPrefix(bytes, start, "eyJ"), wordBoundaryBefore(bytes, start) else { return nil }
        let header = run(bytes, from: start, limit: 4_096) { isAlnum($0) || $0 == 0x2D || $0 == 0x5F }
        guard header >= 17, start + header < bytes.count, bytes[start + header] == UInt8(ascii: "."),
            hasPrefix(bytes, start + header + 1, "ey")
        else { return nil }
        let payloadStart = start + header + 1
        let payload = run(bytes, from: payloadStart, limit: 16_384) { isAlnum($0) || $0 == 0x2D || $0 == 0x5F }
        guard payload >= 17, payloadStart + payload < bytes.count, bytes[payloadStart + payload] == UInt8(ascii: ".")
        else { return nil }
        let signatureStart = payloadStart + payload + 1
        let signature = run(bytes, from: signatureStart, limit: 4_096) {
            isAlnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x3D
        }
        guard signature >= 10 else { return nil }
        return Match(
            ruleID: "jwt", severity: .high, description: "JSON Web Token",
            secret: start..<(signatureStart + signature), confidence: .patternOnly)
    }
}
