import MokoEnterprise
import Testing

@Suite("SecurityValidator.validateInput")
struct SecurityInputValidationTests {
    let validator = SecurityValidator()

    @Test(arguments: [
        ("snake_case", true), ("_private", true), ("camelCase2", true), ("2fast", false), ("has-dash", false),
        ("", false), ("spa ce", false), ("ünicode", false), (String(repeating: "a", count: 256), false),
    ])
    func identifiers(value: String, valid: Bool) {
        #expect(validator.isValidInput(value, type: .identifier) == valid)
    }

    @Test(arguments: [
        ("mokoconsulting-tech", true), ("a", true), ("A1-b2-C3", true), (String(repeating: "a", count: 39), true),
        (String(repeating: "a", count: 40), false), ("-leading", false), ("trailing-", false), ("double--dash", false),
        ("under_score", false), ("dot.name", false), ("", false), ("naïve", false),
    ])
    func githubOrganizations(value: String, valid: Bool) {
        #expect(validator.isValidInput(value, type: .githubOrganization) == valid)
    }

    @Test(arguments: [
        ("MokoStandards", true), ("repo.name_with-all.3", true), (".github", true), ("-dash-start", true),
        (".", false), ("..", false), ("project.git", false), ("has space", false), ("slash/name", false),
        (String(repeating: "r", count: 100), true), (String(repeating: "r", count: 101), false), ("", false),
    ])
    func githubRepositories(value: String, valid: Bool) {
        #expect(validator.isValidInput(value, type: .githubRepository) == valid)
    }

    @Test(arguments: [
        ("dev@example.com", true), ("first.last+tag@sub.example.co.uk", true), ("o'brien@example.ie", true),
        ("no-at-sign.example.com", false), ("two@@example.com", false), (".dot@example.com", false),
        ("dot.@example.com", false), ("a..b@example.com", false), ("user@localhost", false),
        ("user@-bad.com", false), ("user@exa_mple.com", false), ("user@example.c", false), ("@example.com", false),
        ("user name@example.com", false),
    ])
    func emails(value: String, valid: Bool) {
        #expect(validator.isValidInput(value, type: .email) == valid)
    }

    @Test(arguments: [
        ("https://api.github.com/repos/a/b", true), ("http://localhost:8080/x?y=1", true), ("https://[::1]:443/", true),
        ("ftp://example.com/file", false), ("javascript:alert(1)", false), ("https://", false),
        ("/relative/path", false),
        ("https://user:pass@example.com/", false), ("https://exa mple.com", false), ("https://-bad-.com", false),
        ("file:///etc/passwd", false),
    ])
    func urls(value: String, valid: Bool) {
        #expect(validator.isValidInput(value, type: .url) == valid)
    }

    @Test(arguments: [
        ("1.2.3", true), ("0.0.0", true), ("10.20.30-rc.1+build.5", true), ("1.0.0-alpha-1.beta", true),
        ("1.0.0+20130313144700", true), ("v1.2.3", false), ("1.2", false), ("01.2.3", false), ("1.2.3-01", false),
        ("1.2.3-", false), ("1.2.3+", false), ("1.2.3-a..b", false), ("1.2.x", false), ("1.2.3.4", false),
    ])
    func semanticVersions(value: String, valid: Bool) {
        #expect(validator.isValidInput(value, type: .semver) == valid)
    }

    @Test func customPatternsMatchTheWholeValue() {
        let type = SecurityInputType.custom(pattern: "[A-Z]{3}-[0-9]{4}")
        #expect(validator.isValidInput("ABC-1234", type: type))
        #expect(!validator.isValidInput("xABC-1234", type: type))
        #expect(!validator.isValidInput("ABC-12345", type: type))
    }

    @Test func errorsSayWhatIsWrong() throws {
        let error = try #require(throws: InputValidationError.self) {
            try validator.validateInput("-my-org", type: .githubOrganization)
        }
        #expect(error.code == .invalidFormat)
        #expect(error.description == "invalid GitHub organization name: must not start with a hyphen")
        let reserved = try #require(throws: InputValidationError.self) {
            try validator.validateInput("x.git", type: .githubRepository)
        }
        #expect(reserved.code == .reserved)
        let pattern = try #require(throws: InputValidationError.self) {
            try validator.validateInput("x", type: .custom(pattern: "(unclosed"))
        }
        #expect(pattern.code == .invalidPattern)
        let control = try #require(throws: InputValidationError.self) {
            try validator.validateInput("abc\u{0}", type: .identifier)
        }
        #expect(control.code == .invalidCharacter)
    }

    @Test func validInputIsReturnedUnchanged() throws {
        #expect(try validator.validateInput("1.2.3", type: .semver) == "1.2.3")
    }
}
