import Exercise1_8
import ExerciseSupport
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 1.8, a security scan with a summary by severity. Run them with
/// `swift test --disable-swift-testing --filter Exercise1_8Tests`.
///
/// Each check builds a small project in a temporary directory with known problems planted in it (the
/// tokens are generated, so no secret-looking literal lives in this file):
///
/// | File | Planted | Severity |
/// |---|---|---|
/// | `config/settings.yml` | a GitHub personal access token, an AWS access key ID | CRITICAL, CRITICAL |
/// | `.env` (mode 644) | a GitHub OAuth token; a secret file readable by everyone | CRITICAL, HIGH |
/// | `keys/deploy.pem` (mode 640) | a private key; a secret file readable by its group | CRITICAL, MEDIUM |
/// | `scripts/deploy.sh` (mode 666) | a file writable by everyone | HIGH |
/// | `logs/requests.log` | SQL injection on lines 3 and 5 | CRITICAL, CRITICAL |
/// | `README.md`, `src/App.swift` | nothing | |
final class Exercise1_8Checks: XCTestCase {
    private var fixture: TemporaryDirectory?

    override func tearDown() {
        fixture?.remove()
        super.tearDown()
    }

    func test1_scanFindsThePlantedCredentials() throws {
        let summary = try SecurityScan.scan(try makeFixture().url)
        let rules = summary.findings.map(\.ruleID)
        for rule in ["github-pat", "github-oauth", "aws-access-token", "private-key"] {
            XCTAssertTrue(
                rules.contains(rule),
                "The scan did not report the planted `\(rule)`: run `validator.scanDirectory(directory)` and keep "
                    + "its findings. Run `lab hint 1.8`.")
        }
    }

    func test2_requestLogLinesThatReadAsSQLInjectionAreReported() throws {
        let log = try makeFixture().appending("logs/requests.log")
        let findings = try SecurityScan.sqlInjectionFindings(inLog: log)
        XCTAssertEqual(
            findings.map(\.line), [3, 5],
            "Lines 3 (`' OR '1'='1`) and 5 (`1; DROP TABLE users`) of the log read as SQL injection; the others "
                + "do not. Line numbers start at 1. Run `lab hint 1.8`.")
        for finding in findings {
            XCTAssertEqual(
                finding.ruleID, SecurityScan.sqlInjectionRuleID,
                "An SQL-injection finding should have the rule id `sql-injection`. Run `lab hint 1.8`.")
            XCTAssertEqual(
                finding.severity, .critical, "An SQL-injection finding should be CRITICAL. Run `lab hint 1.8`.")
            XCTAssertEqual(
                finding.file.map { URL(fileURLWithPath: $0).lastPathComponent }, "requests.log",
                "An SQL-injection finding should name the log file (`file: file.path`). Run `lab hint 1.8`.")
        }
    }

    func test3_scanAddsPermissionProblemsAndRequestLogFindings() throws {
        let summary = try SecurityScan.scan(try makeFixture().url)
        let rules = summary.findings.map(\.ruleID)
        for rule in ["world-writable-file", "secret-file-world-readable", "secret-file-group-readable"] {
            XCTAssertTrue(
                rules.contains(rule),
                "The scan did not report the planted permission problem `\(rule)`. Run `lab hint 1.8`.")
        }
        XCTAssertEqual(
            rules.filter { $0 == SecurityScan.sqlInjectionRuleID }.count, 2,
            "The scan should include the two SQL-injection lines of `logs/requests.log` (a `*.log` file in a "
                + "sub-folder). Run `lab hint 1.8`.")
    }

    func test4_countsBySeverityMatchThePlantedFindings() throws {
        let summary = try SecurityScan.scan(try makeFixture().url)
        XCTAssertEqual(
            try summary.countsBySeverity(), [.critical: 6, .high: 2, .medium: 1, .low: 0],
            "The counts should match the planted findings (6 critical, 2 high, 1 medium), with LOW present as 0. "
                + "Run `lab hint 1.8`.")
        XCTAssertEqual(
            summary.findings.map(\.severity), summary.findings.map(\.severity).sorted(by: >),
            "The findings should be ordered most severe first. Run `lab hint 1.8`.")
        XCTAssertEqual(
            summary.filesScanned, 7, "The summary should keep the directory scan's `filesScanned`. Run `lab hint 1.8`.")
    }

    func test5_summaryTextListsEverySeverityMostSevereFirst() throws {
        let summary = try SecurityScan.scan(try makeFixture().url)
        XCTAssertEqual(
            try summary.text(), "Security scan: 9 findings\nCRITICAL: 6\nHIGH: 2\nMEDIUM: 1\nLOW: 0",
            "The summary should be the total line, then CRITICAL, HIGH, MEDIUM and LOW, one per line. "
                + "Run `lab hint 1.8`.")
    }

    func test6_aMissingDirectoryIsAClearError() throws {
        let missing = try makeFixture().appending("no-such-folder")
        do {
            let summary = try SecurityScan.scan(missing)
            XCTFail(
                "Scanning a missing directory returned \(summary.findings.count) findings; it should throw "
                    + "`SecurityScanError`. Run `lab hint 1.8`.")
        } catch let error as SecurityScanError {
            XCTAssertTrue(
                error.description.contains("no-such-folder"),
                "The error should name the missing directory. Run `lab hint 1.8`.")
        }
    }

    // MARK: - Fixture

    /// Builds the project described in the class comment and returns its directory.
    private func makeFixture() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "exercise-1-8")
        fixture = directory
        var random = CheckRandomGenerator(seed: 1_801)
        let alphanumerics = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        let personalToken = "gh" + "p_" + random.word(length: 36, alphabet: alphanumerics)
        let oauthToken = "gh" + "o_" + random.word(length: 36, alphabet: alphanumerics)
        let awsKey = "AK" + "IA" + random.word(length: 16, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let keyBody = (0..<4).map { _ in random.word(length: 64, alphabet: alphanumerics + "+/") }
        let privateKey =
            (["-----BEGIN RSA " + "PRIVATE KEY-----"] + keyBody + ["-----END RSA " + "PRIVATE KEY-----"])
            .joined(separator: "\n")

        let files: [(path: String, text: String, mode: Int)] = [
            (
                "config/settings.yml",
                "service: billing\nregion: eu-west-1\ngithub_token: \(personalToken)\n"
                    + "aws_access_key_id: \(awsKey)\nretries: 3\n", 0o644
            ),
            (".env", "GITHUB_TOKEN=\(oauthToken)\nLOG_LEVEL=debug\n", 0o644),
            ("keys/deploy.pem", privateKey + "\n", 0o640),
            ("scripts/deploy.sh", "#!/bin/sh\necho deploying\n", 0o666),
            (
                "logs/requests.log",
                "swift training\nO'Brien\n' OR '1'='1\nPlease select a size\n1; DROP TABLE users\n42\n", 0o644
            ),
            ("README.md", "# Billing\n\nThe billing service sends invoices every night.\n", 0o644),
            (
                "src/App.swift",
                "let token = ProcessInfo.processInfo.environment[\"GITHUB_TOKEN\"] ?? \"\"\nprint(token.isEmpty)\n",
                0o644
            ),
        ]
        for file in files {
            let url = directory.appending(file.path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.text.utf8).write(to: url)
            // Set the mode explicitly: the umask must not decide what the scan sees.
            try FileManager.default.setAttributes([.posixPermissions: file.mode], ofItemAtPath: url.path)
        }
        return directory
    }
}
