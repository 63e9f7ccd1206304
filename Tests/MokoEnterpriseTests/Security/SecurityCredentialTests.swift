import MokoEnterprise
import Testing

@Suite("SecurityValidator.detectCredentials and SecretRedactor")
struct SecurityCredentialTests {
    let validator = SecurityValidator()

    /// A fake GitHub token body with a correct CRC32/base62 checksum (generated for this test).
    static let validGitHubToken = "ghp_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123" + "4WLnuK"
    static let fakeGitHubToken = "ghp_" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz9Xc8"

    @Test(arguments: [
        ("token = \(fakeGitHubToken)", "github-pat"),
        ("gho_" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz9Xc8", "github-oauth"),
        ("ghs_" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz9Xc8", "github-app-token"),
        ("ghr_" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz9Xc8", "github-refresh-token"),
        ("github_pat_" + String(repeating: "A1b2C3d4E5f6", count: 7).prefix(82), "github-fine-grained-pat"),
        ("aws_access_key_id=AKIAZ7VQ3MXK2PL4RT6Y", "aws-access-token"),
        ("xoxb-1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "slack-bot-token"),
        ("STRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc", "stripe-access-token"),
        ("glpat-Ab3De6Gh9Jk2Mn5Pq8St", "gitlab-pat"),
        ("client_secret = \"Zq8mL2vN9kP4xR7tW1yB5cD3\"", "generic-api-key"),
        ("db_password: \"Tr0ub4dor&3xQ!\"", "generic-password"),
    ])
    func detectsVendorAndGenericRules(text: String, rule: String) throws {
        let findings = validator.detectCredentials(text)
        #expect(findings.map(\.ruleID) == [rule])
        let finding = try #require(findings.first)
        #expect(finding.snippet.contains(SecretRedactor.marker))
        #expect(finding.line == 1)
    }

    @Test func detectsMultiLinePrivateKeys() throws {
        let body = String(repeating: "MIIEowIBAAKCAQEAx3Zq8mL2vN9kP4xR7tW1yB5cD3\n", count: 4)
        let text = "config:\n-----BEGIN RSA PRIVATE KEY-----\n\(body)-----END RSA PRIVATE KEY-----\n"
        let finding = try #require(validator.detectCredentials(text).first)
        #expect(finding.ruleID == "private-key")
        #expect(finding.severity == .critical)
        #expect(finding.line == 2)
        #expect(!finding.snippet.contains("MIIE"))
    }

    @Test func allowlistsAWSExampleKeysAndPlaceholders() {
        let text = """
            aws_access_key_id = AKIAIOSFODNN7EXAMPLE
            api_key = "your-api-key-here"
            token: <your-token>
            password = "changeme"
            secret: ${{ secrets.DEPLOY_KEY }}
            api_key = os.environ["API_KEY"]
            auth_token = self.config.auth_token
            access_token = "xxxxxxxxxxxxxxxxxxxxxxxx"
            public_key = "ssh_public_key_name"
            """
        #expect(validator.detectCredentials(text).isEmpty)
    }

    @Test func marksAValidGitHubChecksumAsVerified() throws {
        let verified = try #require(validator.detectCredentials(Self.validGitHubToken).first)
        #expect(verified.confidence == .verifiedFormat)
        let unverified = try #require(validator.detectCredentials(Self.fakeGitHubToken).first)
        #expect(unverified.confidence == .patternOnly)
    }

    @Test func reportsLineColumnAndByteRange() throws {
        let text = "first line\n  key: x\n  token = \(Self.fakeGitHubToken)\n"
        let finding = try #require(validator.detectCredentials(text).first)
        #expect(finding.line == 3)
        #expect(finding.column == 11)
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[finding.byteRange], as: UTF8.self) == Self.fakeGitHubToken)
        #expect(finding.snippet == "token = [REDACTED]")
    }

    @Test func redactorHidesSecretsButKeepsKeys() {
        #expect(SecretRedactor.redact("password=hunter2 user=bob") == "password=[REDACTED] user=bob")
        #expect(SecretRedactor.redact("Authorization: Bearer abc.def.ghi") == "Authorization: Bearer [REDACTED]")
        #expect(SecretRedactor.redact("push failed for \(Self.fakeGitHubToken)") == "push failed for [REDACTED]")
        #expect(SecretRedactor.redact("{\"api_key\": \"short\"}") == "{\"api_key\": \"[REDACTED]\"}")
        #expect(SecretRedactor.redact("AWS key AKIAZ7VQ3MXK2PL4RT6Y leaked") == "AWS key [REDACTED] leaked")
    }

    @Test func redactorLeavesOrdinaryTextAlone() {
        for text in ["Please select a size", "O'Brien's order #42 shipped", "keyboard: mechanical", "monkey = banana"] {
            #expect(SecretRedactor.redact(text) == text)
        }
    }

    @Test func redactionIsIdempotent() {
        let once = SecretRedactor.redact("token=\(Self.fakeGitHubToken) password: 'p@ss word'")
        #expect(SecretRedactor.redact(once) == once)
        #expect(!once.contains("Zx9Qw8"))
        #expect(!once.contains("p@ss"))
    }
}
