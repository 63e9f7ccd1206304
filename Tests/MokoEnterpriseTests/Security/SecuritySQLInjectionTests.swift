import MokoEnterprise
import Testing

@Suite("SecurityValidator.detectSQLInjection")
struct SecuritySQLInjectionTests {
    let validator = SecurityValidator()

    @Test(arguments: [
        "' OR '1'='1", "' OR 1=1--", "admin'--", "1; DROP TABLE users", "1 UNION SELECT username, password FROM users",
        "UN/**/ION SEL/**/ECT password FROM users", "1 /*!50000UNION*/ /*!50000SELECT*/ 1", "%27%20OR%201=1",
        "%2527%2520OR%25201%253D1", "1' AND SLEEP(5)--", "'; WAITFOR DELAY '0:0:5'--", "1' ORDER BY 3--",
        "') OR ('a'='a", "\" OR \"\"=\"", "1;SELECT pg_sleep(5)", "'; EXEC xp_cmdshell('dir')--",
    ])
    func flagsAttacks(payload: String) {
        let analysis = validator.detectSQLInjection(payload)
        #expect(analysis.isInjection, "not flagged: \(payload)")
        #expect(analysis.score >= 5)
        #expect(analysis.fingerprint != nil)
    }

    @Test(arguments: [
        "Please select a size", "O'Brien", "drop-down menu", "Union Station", "black or white",
        "I'll be there at 5; call me", "Select all that apply", "Drop me a line; update me later",
        "Tom's and Jerry's", "x = 1 or y = 2", "if a == 1 || b == 2 { }", "The union selected a new leader",
        "https://example.com/search?q=black%20or%20white", "{\"name\": \"O'Brien\", \"age\": 30}",
        "SELECT is a keyword", "5 or 6 people", "rock 'n' roll",
    ])
    func passesOrdinaryText(text: String) {
        let analysis = validator.detectSQLInjection(text)
        #expect(!analysis.isInjection, "flagged \(text): \(analysis.matchedRules) \(analysis.fingerprint ?? "")")
    }

    @Test func explainsWhatMatched() {
        let analysis = validator.detectSQLInjection("' OR 1=1--")
        #expect(analysis.matchedRules.contains("sqli-tautology"))
        #expect(analysis.context == .singleQuote)
        #expect(analysis.fingerprint?.hasPrefix("s&1o1") == true)
        #expect(analysis.severity == .critical)
        #expect(validator.detectSQLInjection("1 UNION SELECT 1").matchedRules == ["sqli-union-select"])
        #expect(validator.detectSQLInjection("1; DROP TABLE users").matchedRules == ["sqli-stacked-query"])
    }
}
