import Foundation
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

@testable import Project

/// The reference capstone, run in-process through the CLI framework against the in-process mock GitHub
/// with a manual clock: no network, no real waiting.
final class ProjectTests: XCTestCase {
    func testNormalRunBringsEveryRepositoryInLine() async throws {
        let harness = try await ProjectHarness()
        let result = try await harness.run(["--org", "moko-lab", "--json"])
        XCTAssertEqual(result.code, .success, result.output)
        let report = try decodeReport(result.output)
        XCTAssertEqual(report.repositories.count, 6)
        XCTAssertTrue(report.repositories.allSatisfy { $0.status == .updated }, result.output)
        for repo in await harness.repos() {
            XCTAssertEqual([repo.hasIssues, repo.hasWiki, repo.hasProjects], [true, false, false], repo.name)
            XCTAssertNotNil(repo.protections[repo.defaultBranch], repo.name)
        }
        let teams = await harness.mock.dumpState().teams
        XCTAssertEqual(teams.first { $0.slug == "platform" }?.repoPermissions.count, 6)
        // State, metrics and report are where the contract says.
        let state = harness.directory.url
        XCTAssertTrue(FileManager.default.fileExists(atPath: state.appendingPathComponent("metrics.prom").path))
        let metrics = try String(contentsOf: state.appendingPathComponent("metrics.prom"), encoding: .utf8)
        XCTAssertTrue(metrics.contains("policy_repositories_total"), metrics)
        XCTAssertTrue(FileManager.default.fileExists(atPath: state.appendingPathComponent("report.json").path))
        XCTAssertFalse(result.output.contains(harness.token), "the token must never be printed")
        let files = try FileManager.default.contentsOfDirectory(atPath: state.path)
        for file in files {
            let data = try Data(contentsOf: state.appendingPathComponent(file))
            XCTAssertNil(
                data.range(of: Data(harness.token.utf8)), "the token must not be stored in \(file)")
        }
    }

    func testLaterRunsChangeNothingAndRevalidateWithETags() async throws {
        let harness = try await ProjectHarness()
        _ = try await harness.run(["--org", "moko-lab"])
        let mutationsBefore = await harness.mutations()
        let second = try await harness.run(["--org", "moko-lab", "--json"])
        XCTAssertEqual(second.code, .success, second.output)
        let report = try decodeReport(second.output)
        XCTAssertTrue(report.repositories.allSatisfy { $0.status == .compliant }, second.output)
        let mutationsAfter = await harness.mutations()
        XCTAssertEqual(mutationsAfter, mutationsBefore, "a compliant organisation needs no change")
        // The reads after each change left fresh ETags: the second run revalidates every repository.
        XCTAssertEqual(report.notModified, 12, "the second run should revalidate with If-None-Match")
        let third = try decodeReport(try await harness.run(["--org", "moko-lab", "--json"]).output)
        XCTAssertEqual(third.notModified, third.requests, "nothing changed: every read should be a 304")
        let violations = await harness.mock.violations()
        XCTAssertEqual(violations.map(\.rule), [], "the mock saw no protocol violation")
    }

    func testDryRunChangesNothing() async throws {
        let harness = try await ProjectHarness()
        let result = try await harness.run(["--org", "moko-lab", "--dry-run", "--json"])
        XCTAssertEqual(result.code, .success, result.output)
        let report = try decodeReport(result.output)
        XCTAssertTrue(report.dryRun)
        XCTAssertTrue(report.repositories.allSatisfy { $0.status == .wouldUpdate }, result.output)
        let mutations = await harness.mutations()
        XCTAssertEqual(mutations, 0, "a dry run must not send a mutating request")
    }

    func testResumeSkipsRepositoriesFinishedBeforeAFailure() async throws {
        let harness = try await ProjectHarness()
        // repo-003's protection keeps failing (422: not retried) in the first run.
        try await harness.mock.setFaultPlan(
            MockFaultPlan(rules: [
                .init(
                    id: "fail", match: .init(method: "PUT", path: "/repos/moko-lab/repo-003/branches/*/protection"),
                    action: .init(
                        type: "status", status: 422, body: .object([("message", .string("Validation Failed"))])))
            ]))
        let first = try await harness.run(["--org", "moko-lab", "--json"])
        XCTAssertEqual(first.code, .failure, first.output)
        let firstReport = try decodeReport(first.output)
        XCTAssertEqual(firstReport.repositories.first { $0.repository == "repo-003" }?.status, .failed)
        // Compensated: repo-003's settings are back as they were.
        let repo3 = try await harness.repo("repo-003")
        XCTAssertEqual([repo3.hasIssues, repo3.hasWiki, repo3.hasProjects], [false, true, true])

        try await harness.mock.setFaultPlan(MockFaultPlan(rules: []))
        let journalBefore = await harness.mock.journalEntries().count
        let second = try await harness.run(["--org", "moko-lab", "--json"])
        XCTAssertEqual(second.code, .success, second.output)
        let report = try decodeReport(second.output)
        XCTAssertEqual(report.repositories.filter { $0.status == .skipped }.count, 5, second.output)
        XCTAssertEqual(report.repositories.first { $0.repository == "repo-003" }?.status, .updated)
        let resumed = await harness.mock.journalEntries().dropFirst(journalBefore)
        let touched = Set(
            resumed.filter { $0.method != "GET" }.compactMap {
                $0.path.split(separator: "/").first { $0.hasPrefix("repo-") }
            })
        XCTAssertEqual(touched, ["repo-003"], "the resumed run should change only the unfinished repository")
    }

    func testRepositoryThatKeepsFailingIsDeadLettered() async throws {
        let harness = try await ProjectHarness()
        try await harness.mock.setFaultPlan(
            MockFaultPlan(rules: [
                .init(
                    id: "fail", match: .init(method: "PATCH", path: "/repos/moko-lab/repo-002"),
                    action: .init(
                        type: "status", status: 422, body: .object([("message", .string("Validation Failed"))])))
            ]))
        // Two attempts per run; the default of three over runs parks it during the second run.
        let first = try await harness.run(["--org", "moko-lab", "--json"])
        XCTAssertEqual(first.code, .failure, first.output)
        XCTAssertEqual(
            try decodeReport(first.output).repositories.first { $0.repository == "repo-002" }?.status, .failed)
        let result = try await harness.run(["--org", "moko-lab", "--json"])
        XCTAssertEqual(result.code, .failure, result.output)
        let report = try decodeReport(result.output)
        XCTAssertEqual(report.repositories.first { $0.repository == "repo-002" }?.status, .deadLettered)
        XCTAssertEqual(report.repositories.filter { $0.status == .skipped }.count, 5)
        let dlq = try DeadLetterQueue(name: "policy-moko-lab", directory: harness.directory.url)
        XCTAssertEqual(try dlq.entries().map(\.itemID), ["repo-002"])
    }

    func testMaliciousOrganisationIsRejectedBeforeAnyRequest() async throws {
        let harness = try await ProjectHarness()
        for org in ["moko-lab/../admin", "x'; DROP TABLE repos;--", "", "a b"] {
            let result = try await harness.run(["--org", org])
            XCTAssertEqual(result.code, .usage, "--org \(org) should be a usage error")
        }
        let requests = await harness.mock.journalEntries().count
        XCTAssertEqual(requests, 0)
    }

    func testMaliciousConfigurationIsRejectedBeforeAnyRequest() async throws {
        let harness = try await ProjectHarness()
        let config = harness.directory.appending("policy.yaml")
        try Data("policy:\n  teams:\n    - slug: \"../../etc\"\n      permission: push\n".utf8).write(to: config)
        let result = try await harness.run(["--org", "moko-lab", "--config", config.path])
        XCTAssertEqual(result.code, .configuration, result.output)
        let typo = harness.directory.appending("typo.yaml")
        try Data("policy:\n  setings:\n    has_wiki: true\n".utf8).write(to: typo)
        let second = try await harness.run(["--org", "moko-lab", "--config", typo.path])
        XCTAssertEqual(second.code, .configuration, second.output)
        let requests = await harness.mock.journalEntries().count
        XCTAssertEqual(requests, 0)
    }

    func testParallelismStaysWithinConcurrency() async throws {
        let harness = try await ProjectHarness(repos: 9)
        let gauge = InFlightGauge(wrapping: MockGitHubTransport(mock: harness.mock))
        let result = try await harness.run(["--org", "moko-lab", "--concurrency", "3"], transport: gauge)
        XCTAssertEqual(result.code, .success, result.output)
        XCTAssertLessThanOrEqual(gauge.maximum, 3, "never more requests in flight than --concurrency")
        XCTAssertGreaterThanOrEqual(gauge.maximum, 2, "repositories should be processed in parallel")
        let tooMany = try await harness.run(["--org", "moko-lab", "--concurrency", "33"])
        XCTAssertEqual(tooMany.code, .usage)
    }

    func testMissingTokenIsAConfigurationError() async throws {
        let harness = try await ProjectHarness()
        let result = try await harness.run(["--org", "moko-lab"], environment: [:])
        XCTAssertEqual(result.code, .configuration)
    }

    func testReportFormats() async throws {
        let harness = try await ProjectHarness()
        let csv = harness.directory.appending("out/report.csv")
        _ = try await harness.run(["--org", "moko-lab", "--format", "csv", "--report", csv.path, "--dry-run"])
        let text = try String(contentsOf: csv, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("repository,status,changes,error\n"), text)
        XCTAssertEqual(text.split(separator: "\n").count, 7)
        let bad = try await harness.run(["--org", "moko-lab", "--format", "pdf"])
        XCTAssertEqual(bad.code, .usage)
    }
}

/// A fresh mock organisation (six repositories out of line with the policy, team `platform`), a state
/// directory and a manual clock.
struct ProjectHarness {
    let mock: MockGitHub
    let token: String
    let directory: TemporaryDirectory
    let clock = ManualClock()

    init(repos: Int = 6) async throws {
        var fixture = MockFixture.standard(repos: 0)
        fixture.orgs[0].repos = (1...repos).map { .init(name: "repo-" + String(1_000 + $0).dropFirst()) }
        mock = MockGitHub(configuration: .init(seed: 31, fixture: fixture, mutationSpacing: 0))
        let token = await mock.token(for: "mona")
        self.token = try XCTUnwrap(token)
        var state = await mock.dumpState()
        for index in state.repos.indices {
            state.repos[index].hasIssues = false
            state.repos[index].hasWiki = true
            state.repos[index].hasProjects = true
        }
        try await mock.restoreState(state)
        directory = try TemporaryDirectory(prefix: "moko-project")
        try Data("policy:\n  teams:\n    - slug: platform\n      permission: push\n".utf8)
            .write(to: directory.appending("policy.yaml"))
    }

    /// Runs `moko-project` with `arguments` (plus `--state-dir` and the policy file) through the CLI
    /// framework, and returns its exit code and standard output.
    func run(
        _ arguments: [String], environment: [String: String]? = nil, transport: (any HTTPTransport)? = nil
    ) async throws -> (
        code: CLIExitCode, output: String
    ) {
        var full = arguments
        if !full.contains("--config") { full += ["--config", directory.appending("policy.yaml").path] }
        full += ["--state-dir", directory.path, "--quiet"]
        let command: MokoProject
        do {
            command = try MokoProject.parse(full)
        } catch {
            return (CliFramework.exitCode(for: error), "\(error)")
        }
        let output = OutputBuffer()
        let context = try CLIContext(
            options: command.standardOptions, commandName: "moko-project",
            environment: environment ?? ["GITHUB_TOKEN": token, "GITHUB_API_URL": "https://api.github.com"],
            wallClock: clock, output: { output.write($0) })
        let runtime = ProjectEnvironment(
            transport: transport ?? MockGitHubTransport(mock: mock), clock: ErasedClock(clock), mutationSpacing: .zero)
        let code = try await clock.run {
            await ProjectEnvironment.$current.withValue(runtime) {
                await CliFramework.run(command, context: context, interrupts: AsyncStream { $0.finish() })
            }
        }
        return (code, output.text)
    }

    func repos() async -> [MockGitHubState.Repo] { await mock.dumpState().repos }

    func repo(_ name: String) async throws -> MockGitHubState.Repo {
        let repos = await repos()
        return try XCTUnwrap(repos.first { $0.name == name })
    }

    /// Mutating requests the mock has answered so far.
    func mutations() async -> Int { await mock.journalEntries().filter { $0.method != "GET" }.count }
}

/// The `--json` summary a run printed.
func decodeReport(_ output: String) throws -> RunReport {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(RunReport.self, from: Data(output.utf8))
}

/// Collects what the command prints.
final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""

    func write(_ text: String) { lock.withLock { buffer += text } }
    var text: String { lock.withLock { buffer } }
}

/// A transport that counts the requests in flight (each one yields a few times so others can start).
final class InFlightGauge: HTTPTransport, @unchecked Sendable {
    private let wrapped: any HTTPTransport
    private let lock = NSLock()
    private var current = 0
    private var peak = 0

    init(wrapping transport: any HTTPTransport) { wrapped = transport }

    /// The most requests that were in flight at once.
    var maximum: Int { lock.withLock { peak } }

    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        lock.withLock {
            current += 1
            peak = max(peak, current)
        }
        defer { lock.withLock { current -= 1 } }
        for _ in 0..<5 { await Task.yield() }
        return try await wrapped.send(request)
    }
}
