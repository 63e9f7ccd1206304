import Exercise1_8
import ExerciseSupport
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 1.8.
///
/// Each check plants a seeded random set of problems (tokens, keys, risky permissions, SQL-injection lines
/// among harmless ones) in files at random depths of a temporary directory and knows how many of each
/// severity it planted. Messages never show the generated files, tokens or expected counts: comparisons use
/// `XCTAssertTrue` and errors from the trainee's code are rethrown through `HiddenCheckFailure.concealing`.
final class Exercise1_8HiddenChecks: XCTestCase {
    private var directories: [TemporaryDirectory] = []

    override func tearDown() {
        for directory in directories { directory.remove() }
        directories = []
        super.tearDown()
    }

    func test1_randomProjectsCountsMatchThePlantedFindings() throws {
        var random = CheckRandomGenerator(seed: 18_001)
        for _ in 0..<8 {
            let project = try makeProject(using: &random)
            let summary = try Self.scan(project.url)
            let counts = try Self.counts(of: summary)
            XCTAssertTrue(
                counts == project.expectedCounts,
                "The counts by severity of a generated project do not match what was planted. Run `lab hint 1.8`.")
            XCTAssertTrue(
                summary.findings.count == project.expectedCounts.values.reduce(0, +),
                "The number of findings of a generated project does not match what was planted. "
                    + "Run `lab hint 1.8`.")
            XCTAssertTrue(
                summary.filesScanned == project.fileCount,
                "`filesScanned` of a generated project is not the directory scan's count. Run `lab hint 1.8`.")
        }
    }

    func test2_summaryTextOfRandomProjects() throws {
        var random = CheckRandomGenerator(seed: 18_002)
        for _ in 0..<5 {
            let project = try makeProject(using: &random)
            let summary = try Self.scan(project.url)
            let text: String
            do {
                text = try summary.text()
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "ScanSummary.text()", exercise: "1.8")
            }
            let expected =
                (["Security scan: \(project.expectedCounts.values.reduce(0, +)) findings"]
                + [SecuritySeverity.critical, .high, .medium, .low].map {
                    "\($0.rawValue): \(project.expectedCounts[$0] ?? 0)"
                }).joined(separator: "\n")
            XCTAssertTrue(
                text == expected,
                "The summary text of a generated project is not the total line followed by CRITICAL, HIGH, MEDIUM "
                    + "and LOW counts. Run `lab hint 1.8`.")
        }
    }

    func test3_findingsAreMostSevereFirstAndNeverHoldASecret() throws {
        var random = CheckRandomGenerator(seed: 18_003)
        for _ in 0..<5 {
            let project = try makeProject(using: &random)
            let summary = try Self.scan(project.url)
            let severities = summary.findings.map(\.severity)
            XCTAssertTrue(
                severities == severities.sorted(by: >), "The findings are not most severe first. Run `lab hint 1.8`.")
            XCTAssertTrue(
                summary.findings.allSatisfy { $0.file != nil },
                "A finding does not name its file. Run `lab hint 1.8`.")
            for secret in project.secrets {
                XCTAssertFalse(
                    summary.findings.contains { $0.snippet.contains(secret) || $0.message.contains(secret) },
                    "A finding's snippet or message holds a planted secret: redact it. Run `lab hint 1.8`.")
            }
        }
    }

    func test4_anEmptyDirectoryListsEverySeverityAsZero() throws {
        let directory = try TemporaryDirectory(prefix: "exercise-1-8-hidden")
        directories.append(directory)
        let summary = try Self.scan(directory.url)
        XCTAssertTrue(
            try Self.counts(of: summary) == [.critical: 0, .high: 0, .medium: 0, .low: 0],
            "The counts of an empty directory should hold every severity, each 0. Run `lab hint 1.8`.")
        let text: String
        do {
            text = try summary.text()
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "ScanSummary.text()", exercise: "1.8")
        }
        XCTAssertTrue(
            text == "Security scan: 0 findings\nCRITICAL: 0\nHIGH: 0\nMEDIUM: 0\nLOW: 0",
            "The summary of an empty directory should still list every severity, each 0. Run `lab hint 1.8`.")
    }

    func test5_requestLogLineNumbersCountBlankAndCRLFLines() throws {
        let directory = try TemporaryDirectory(prefix: "exercise-1-8-hidden")
        directories.append(directory)
        let log = directory.appending("access.log")
        let lines = ["", "page=2", "\(Self.injections[0])", "", "O'Brien", Self.injections[1], ""]
        try Data(lines.joined(separator: "\r\n").utf8).write(to: log)
        let findings: [SecurityFinding]
        do {
            findings = try SecurityScan.sqlInjectionFindings(inLog: log)
        } catch {
            throw HiddenCheckFailure.concealing(
                error, while: "SecurityScan.sqlInjectionFindings(inLog:validator:)", exercise: "1.8")
        }
        XCTAssertTrue(
            findings.map(\.line) == [3, 6],
            "In a log with blank lines and CRLF line ends, the SQL-injection findings do not carry the right "
                + "1-based line numbers. Run `lab hint 1.8`.")
        XCTAssertTrue(
            findings.allSatisfy { $0.severity == .critical && $0.ruleID == SecurityScan.sqlInjectionRuleID },
            "An SQL-injection finding is not CRITICAL with rule `sql-injection`. Run `lab hint 1.8`.")
    }

    func test6_requestLogsDeepInSubfoldersAreRead() throws {
        let directory = try TemporaryDirectory(prefix: "exercise-1-8-hidden")
        directories.append(directory)
        let nested = directory.appending("services/billing/logs/requests.log")
        try FileManager.default.createDirectory(
            at: nested.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("ok\n\(Self.injections[2])\n".utf8).write(to: nested)
        try Data("\(Self.injections[3])\nfine\n".utf8).write(to: directory.appending("top.log"))
        try Data("\(Self.injections[4])\n".utf8).write(to: directory.appending("notes.txt"))
        let summary = try Self.scan(directory.url)
        XCTAssertTrue(
            summary.findings.filter { $0.ruleID == SecurityScan.sqlInjectionRuleID }.count == 2,
            "Every `*.log` file, at any depth, should be checked for SQL injection, and only `*.log` files. "
                + "Run `lab hint 1.8`.")
        XCTAssertTrue(
            try Self.counts(of: summary) == [.critical: 2, .high: 0, .medium: 0, .low: 0],
            "The counts of a project with nested request logs are wrong. Run `lab hint 1.8`.")
    }

    func test7_aPathThatIsNotADirectoryIsAScanError() throws {
        let directory = try TemporaryDirectory(prefix: "exercise-1-8-hidden")
        directories.append(directory)
        let file = directory.appending("plain.txt")
        try Data("hello\n".utf8).write(to: file)
        for target in [file, directory.appending("missing")] {
            do {
                _ = try SecurityScan.scan(target)
                XCTFail("Scanning a path that is not a directory did not throw. Run `lab hint 1.8`.")
            } catch is SecurityScanError {
                // Expected.
            } catch {
                throw HiddenCheckFailure.concealing(
                    error, while: "Scanning a path that is not a directory (expected SecurityScanError)",
                    exercise: "1.8")
            }
        }
    }

    // MARK: - Generated projects

    /// Lines that the library reads as SQL injection.
    private static let injections = [
        "' OR '1'='1", "1; DROP TABLE users", "admin'--", "1 UNION SELECT username, password FROM users",
        "' OR 1=1 --", "%27%20OR%201=1", "1' AND SLEEP(5)--",
    ]

    /// Request parameters that are not SQL injection.
    private static let harmless = [
        "O'Brien", "Please select a size", "swift training", "page=2", "42", "order by date", "drop-down menu",
        "it's fine", "union station",
    ]

    private static let alphanumerics = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

    /// A generated project and what was planted in it.
    private struct Project {
        var url: URL
        var expectedCounts: [SecuritySeverity: Int]
        var fileCount: Int
        var secrets: [String]
    }

    private func makeProject(using random: inout CheckRandomGenerator) throws -> Project {
        let directory = try TemporaryDirectory(prefix: "exercise-1-8-hidden")
        directories.append(directory)
        var counts: [SecuritySeverity: Int] = [.critical: 0, .high: 0, .medium: 0, .low: 0]
        var secrets: [String] = []
        var files: [(name: String, lines: [String], mode: Int)] = []

        func filler(_ random: inout CheckRandomGenerator) -> String {
            (0..<Int.random(in: 2...7, using: &random)).map { _ in
                random.word(length: Int.random(in: 2...8, using: &random))
            }.joined(separator: " ")
        }

        // Text files with credentials planted among harmless lines.
        for index in 0..<Int.random(in: 1...4, using: &random) {
            var lines = (0..<Int.random(in: 1...5, using: &random)).map { _ in filler(&random) }
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                let secret: String
                let line: String
                switch Int.random(in: 0..<4, using: &random) {
                case 0:
                    let prefix = ["p", "o", "u", "s", "r"][Int.random(in: 0..<5, using: &random)]
                    secret = "gh" + prefix + "_" + random.word(length: 36, alphabet: Self.alphanumerics)
                    line = "github_token: \(secret)"
                    counts[.critical, default: 0] += 1
                case 1:
                    secret = "AK" + "IA" + random.word(length: 16, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                    line = "aws_access_key_id = \(secret)"
                    counts[.critical, default: 0] += 1
                case 2:
                    let label = ["RSA ", "EC ", "OPENSSH ", ""][Int.random(in: 0..<4, using: &random)]
                    let body = (0..<Int.random(in: 2...5, using: &random)).map { _ in
                        random.word(length: 64, alphabet: Self.alphanumerics + "+/")
                    }
                    secret = body[0]
                    line = (["-----BEGIN \(label)" + "PRIVATE KEY-----"] + body + ["-----END \(label)PRIVATE KEY-----"])
                        .joined(separator: "\n")
                    counts[.critical, default: 0] += 1
                default:
                    secret = "AI" + "za" + random.word(length: 35, alphabet: Self.alphanumerics + "_-")
                    line = "maps_api_key: \"\(secret)\""
                    counts[.high, default: 0] += 1
                }
                secrets.append(secret)
                lines.insert(line, at: Int.random(in: 0...lines.count, using: &random))
            }
            files.append(("notes\(index).txt", lines, 0o644))
        }
        // Request logs, some with SQL injection.
        for index in 0..<Int.random(in: 0...3, using: &random) {
            var lines: [String] = []
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                if Int.random(in: 0..<3, using: &random) == 0 {
                    lines.append(Self.injections[Int.random(in: 0..<Self.injections.count, using: &random)])
                    counts[.critical, default: 0] += 1
                } else {
                    lines.append(Self.harmless[Int.random(in: 0..<Self.harmless.count, using: &random)])
                }
            }
            files.append(("requests\(index).log", lines, 0o644))
        }
        // Risky permissions on harmless files.
        for index in 0..<Int.random(in: 0...4, using: &random) {
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                files.append(("shared\(index).sh", ["echo \(random.word(length: 5))"], 0o666))
                counts[.high, default: 0] += 1
            case 1:
                files.append(("deploy\(index).key", [filler(&random)], 0o640))
                counts[.medium, default: 0] += 1
            case 2:
                files.append((".env.stage\(index)", ["LOG_LEVEL=debug"], 0o644))
                counts[.high, default: 0] += 1
            default:
                files.append(("tool\(index).sh", ["echo \(random.word(length: 5))"], 0o4755))
                counts[.medium, default: 0] += 1
            }
        }
        // A clean file, always.
        files.append(("README.md", [filler(&random)], 0o644))

        let folders = ["", "src/", "config/", "src/lib/", "deploy/env/", "services/api/logs/"]
        for file in files {
            let folder = folders[Int.random(in: 0..<folders.count, using: &random)]
            let url = directory.appending(folder + file.name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data((file.lines.joined(separator: "\n") + "\n").utf8).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: file.mode], ofItemAtPath: url.path)
        }
        return Project(url: directory.url, expectedCounts: counts, fileCount: files.count, secrets: secrets)
    }

    // MARK: - Calling the trainee's code

    private static func scan(_ url: URL) throws -> ScanSummary {
        do {
            return try SecurityScan.scan(url)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "SecurityScan.scan(_:validator:)", exercise: "1.8")
        }
    }

    private static func counts(of summary: ScanSummary) throws -> [SecuritySeverity: Int] {
        do {
            return try summary.countsBySeverity()
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "ScanSummary.countsBySeverity()", exercise: "1.8")
        }
    }
}
