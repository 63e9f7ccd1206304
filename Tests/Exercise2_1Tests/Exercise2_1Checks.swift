import ArgumentParser
import Exercise2_1
import ExerciseSupport
import Foundation
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import Synchronization
import XCTest

/// Checks for Exercise 2.1, the migrated `manage-repositories`: the curriculum's verification checklist,
/// run against the in-process mock GitHub server. Run them with
/// `swift test --disable-swift-testing --filter Exercise2_1Tests`.
///
/// The organization `moko-lab` has 130 repositories (two pages), all with issues off and wiki and projects
/// on. The checks build the `ManagerState` themselves (a client on the mock, a manual clock, temporary
/// folders) and run `validateInputs` then `execute`, as the framework does.
final class Exercise2_1Checks: XCTestCase {
    func test1_everyRepositoryOfAMultiPageOrganizationGetsThePolicy() async throws {
        let world = try await Exercise2_1World()
        defer { world.remove() }
        let (code, _) = try await world.run(["--org", "moko-lab"])
        XCTAssertEqual(code, .success, "The run should succeed (exit 0). Run `lab hint 2.1`.")
        let repos = await world.repos()
        XCTAssertEqual(repos.count, 130, "The mock organization should have 130 repositories.")
        let compliant = repos.filter { $0.hasIssues && !$0.hasWiki && !$0.hasProjects }
        XCTAssertEqual(
            compliant.count, 130,
            "All 130 repositories (two pages of the list) should get has_issues=true, has_wiki=false, "
                + "has_projects=false; the legacy script only saw the first page. Run `lab hint 2.1`.")
    }

    func test2_dryRunMakesNoMutatingRequest() async throws {
        let world = try await Exercise2_1World()
        defer { world.remove() }
        let (code, output) = try await world.run(["--org", "moko-lab", "--dry-run"])
        XCTAssertEqual(code, .success, "A dry run should succeed (exit 0). Run `lab hint 2.1`.")
        let mutations = await world.mock.journalEntries().filter { $0.method != "GET" }
        XCTAssertEqual(mutations.count, 0, "`--dry-run` must not send any PATCH. Run `lab hint 2.1`.")
        XCTAssertTrue(
            output.contains("Would update: 130"),
            "The dry run's summary should say 130 repositories would be updated. Run `lab hint 2.1`.")
        XCTAssertEqual(
            try world.checkpoint.getState().completedCount, 0,
            "A dry run must not mark repositories completed, or the real run would skip them. Run `lab hint 2.1`.")
    }

    func test3_aRerunSkipsTheRepositoriesAnInterruptedRunCompleted() async throws {
        let world = try await Exercise2_1World()
        defer { world.remove() }
        let names = await world.repos().map(\.name)
        let done = Array(names.prefix(40))
        try world.checkpoint.markCompleted(done)
        let (code, output) = try await world.run(["--org", "moko-lab"])
        XCTAssertEqual(code, .success, "The rerun should succeed. Run `lab hint 2.1`.")
        let patched = Set(
            await world.mock.journalEntries().filter { $0.method == "PATCH" }.compactMap {
                $0.path.split(separator: "/").last.map(String.init)
            })
        XCTAssertEqual(
            patched, Set(names.dropFirst(40)),
            "The 40 repositories the checkpoint has as completed should not be updated again, the 90 others "
                + "should. Run `lab hint 2.1`.")
        XCTAssertTrue(
            output.contains("Skipped (already done): 40"), "The summary should count 40 skipped. Run `lab hint 2.1`.")
    }

    func test4_countersCarryTheOrganizationLabel() async throws {
        let world = try await Exercise2_1World()
        defer { world.remove() }
        let names = await world.repos().map(\.name)
        try await world.failUpdates(of: [names[3], names[77], names[120]])
        _ = try await world.run(["--org", "moko-lab"])
        XCTAssertEqual(
            world.metrics.getCounter("repos_updated_success", labels: ["org": "moko-lab"]), 127,
            "`repos_updated_success{org=\"moko-lab\"}` should count the 127 updates. Run `lab hint 2.1`.")
        XCTAssertEqual(
            world.metrics.getCounter("repos_updated_failure", labels: ["org": "moko-lab"]), 3,
            "`repos_updated_failure{org=\"moko-lab\"}` should count the 3 failures. Run `lab hint 2.1`.")
    }

    func test5_theAuditHoldsStartAndCompleteWithTotals() async throws {
        let world = try await Exercise2_1World()
        defer { world.remove() }
        let names = await world.repos().map(\.name)
        try await world.failUpdates(of: [names[10]])
        _ = try await world.run(["--org", "moko-lab"])
        let records = try world.audit.records()
        let transaction = records.first { $0.eventType == .transactionStart && $0.name == "manage_repositories" }
        XCTAssertNotNil(
            transaction, "The run should be an audit transaction `manage_repositories`. Run `lab hint 2.1`.")
        let events = records.filter { $0.eventType == .event && $0.transactionID == transaction?.transactionID }
        let start = events.first { $0.name == "start" }
        XCTAssertEqual(
            start?.details["organization"], .string("moko-lab"),
            "The `start` event should name the organization. "
                + "Run `lab hint 2.1`.")
        XCTAssertEqual(
            start?.details["dry_run"], .bool(false), "The `start` event should say dry_run. Run `lab hint 2.1`.")
        let complete = events.first { $0.name == "complete" }
        XCTAssertEqual(
            [complete?.details["total"], complete?.details["success"], complete?.details["failure"]],
            [.int(130), .int(129), .int(1)],
            "The `complete` event should hold total, success and failure. Run `lab hint 2.1`.")
    }

    func test6_anInvalidOrganizationIsRejectedBeforeAnyRequest() async throws {
        let world = try await Exercise2_1World()
        defer { world.remove() }
        let (code, _) = try await world.run(["--org", "moko-lab/../admin"])
        XCTAssertEqual(code, .usage, "An invalid organization name should exit 64. Run `lab hint 2.1`.")
        let requests = await world.mock.journalEntries()
        XCTAssertEqual(requests.count, 0, "No request should be sent for an invalid organization. Run `lab hint 2.1`.")
    }

    func test7_aTransient502IsRetried() async throws {
        let world = try await Exercise2_1World()
        defer { world.remove() }
        let name = await world.repos()[5].name
        try await world.mock.setFaultPlan(
            MockFaultPlan(rules: [
                .init(
                    id: "blip", match: .init(method: "PATCH", path: "/repos/moko-lab/\(name)"), times: 1,
                    action: .init(type: "status", status: 502))
            ]))
        let (code, _) = try await world.run(["--org", "moko-lab"])
        XCTAssertEqual(code, .success, "A single 502 should be retried, not fail the run. Run `lab hint 2.1`.")
        let statuses = await world.mock.journalEntries().filter {
            $0.method == "PATCH" && $0.path.hasSuffix("/\(name)")
        }
        .map(\.status)
        XCTAssertEqual(statuses, [502, 200], "The repository should be updated on the retry. Run `lab hint 2.1`.")
    }

    func test8_exitCodeIsOneWhenAnyRepositoryFailed() async throws {
        let world = try await Exercise2_1World()
        defer { world.remove() }
        let names = await world.repos().map(\.name)
        try await world.failUpdates(of: [names[42]])
        let (code, output) = try await world.run(["--org", "moko-lab"])
        XCTAssertTrue(
            output.contains("Updated: 129") && output.contains("Failed: 1"),
            "Every other repository should still be updated and the summary printed. Run `lab hint 2.1`.")
        XCTAssertEqual(code, .failure, "A failed repository should make the run exit 1. Run `lab hint 2.1`.")
    }

    func test9_initializeSetsUpTheLibrariesFromTheEnvironment() async throws {
        let folder = try TemporaryDirectory(prefix: "exercise2_1-init")
        defer { folder.remove() }
        let manager = try RepositoryManager.parse([
            "--org", "moko-lab", "--state-dir", folder.appending("state").path, "--audit-dir",
            folder.appending("audit").path,
        ])
        let environment = ["GITHUB_TOKEN": "ghp_exercise21token", "GITHUB_API_URL": "http://127.0.0.1:9/api"]
        let context = try CLIContext(
            options: manager.standardOptions, commandName: "manage-repositories", environment: environment,
            wallClock: ManualClock(), output: { _ in })
        let state = try await manager.initialize(context)
        XCTAssertEqual(
            state.client.baseURL.absoluteString, "http://127.0.0.1:9/api",
            "The client should use GITHUB_API_URL from the context's environment. Run `lab hint 2.1`.")
        XCTAssertEqual(
            [state.audit.service, state.metrics.service],
            [RepositoryManager.auditService, RepositoryManager.auditService],
            "The audit logger and the metrics should use the service name `repository_manager`. Run `lab hint 2.1`.")
        XCTAssertEqual(
            state.audit.directory.standardizedFileURL.path, folder.appending("audit").standardizedFileURL.path,
            "The audit log should live in `--audit-dir`. Run `lab hint 2.1`.")
        XCTAssertEqual(
            [state.checkpoint.name, state.checkpoint.fileURL.deletingLastPathComponent().standardizedFileURL.path],
            [RepositoryManager.checkpointName, folder.appending("state").standardizedFileURL.path],
            "The checkpoint `repository_updates` should live in `--state-dir`. Run `lab hint 2.1`.")
        do {
            let bare = try CLIContext(
                options: manager.standardOptions, commandName: "manage-repositories", environment: [:],
                wallClock: ManualClock(), output: { _ in })
            _ = try await manager.initialize(bare)
            XCTFail("Without GITHUB_TOKEN, initialize should fail (exit 78). Run `lab hint 2.1`.")
        } catch let error as CLIError {
            XCTAssertEqual(
                CliFramework.exitCode(for: error), .configuration,
                "A missing GITHUB_TOKEN should exit 78. Run `lab hint 2.1`.")
        }
    }
}

/// The mock organization, a client on a manual clock, and the manager's libraries in temporary folders.
struct Exercise2_1World {
    static let org = "moko-lab"

    let mock: MockGitHub
    let clock = ManualClock()
    let folder: TemporaryDirectory
    let client: GitHubClient
    let audit: AuditLogger
    let checkpoint: Checkpoint
    let metrics = MetricsCollector(service: RepositoryManager.auditService)

    init(repos: Int = 130) async throws {
        // No secondary limits: the mock's clock is frozen, so every PATCH of a run falls in one "minute".
        mock = MockGitHub(configuration: .init(seed: 21, fixture: .standard(repos: repos), secondaryLimits: false))
        guard let token = await mock.token(for: "mona") else {
            throw Exercise2_1CheckFailure(description: "the mock has no token for mona")
        }
        client = try GitHubClient(
            token: token, baseURL: URL(string: "https://api.github.com"), retryPolicy: RetryPolicy(jitter: .none),
            transport: MockGitHubTransport(mock: mock), clock: clock, environment: [:], mutationSpacing: .zero)
        folder = try TemporaryDirectory(prefix: "exercise2_1")
        audit = try AuditLogger(
            service: RepositoryManager.auditService, directory: folder.appending("audit"), wallClock: clock,
            durability: .normal)
        checkpoint = try Checkpoint(
            name: RepositoryManager.checkpointName, directory: folder.appending("state"), durability: .normal,
            wallClock: clock)
        var state = await mock.dumpState()
        for index in state.repos.indices {
            state.repos[index].hasIssues = false
            state.repos[index].hasWiki = true
            state.repos[index].hasProjects = true
        }
        try await mock.restoreState(state)
    }

    func remove() { folder.remove() }

    var state: ManagerState { ManagerState(client: client, audit: audit, metrics: metrics, checkpoint: checkpoint) }

    /// The organization's repositories as the mock stores them, in id order.
    func repos() async -> [MockGitHubState.Repo] {
        await mock.dumpState().repos.filter { $0.ownerLogin == Self.org }.sorted { $0.id < $1.id }
    }

    /// Makes every PATCH of the named repositories fail with 422.
    func failUpdates(of names: [String]) async throws {
        try await mock.setFaultPlan(
            MockFaultPlan(
                rules: names.map { name in
                    .init(
                        id: "fail-\(name)", match: .init(method: "PATCH", path: "/repos/\(Self.org)/\(name)"),
                        action: .init(
                            type: "status", status: 422, body: .object([("message", .string("Validation Failed"))])))
                }))
    }

    /// Parses `arguments`, then runs `validateInputs` and `execute` as the framework would; returns the exit
    /// code and what was printed. An `Unimplemented` is rethrown so the check shows where to work.
    func run(_ arguments: [String]) async throws -> (CLIExitCode, String) {
        let manager: RepositoryManager
        do {
            manager = try RepositoryManager.parse(arguments)
        } catch {
            throw Exercise2_1CheckFailure(
                description: "`manage-repositories \(arguments.joined(separator: " "))` was rejected: "
                    + "\(RepositoryManager.message(for: error)). Run `lab hint 2.1`.")
        }
        let output = Exercise2_1Output()
        let context = try CLIContext(
            options: manager.standardOptions, commandName: "manage-repositories", environment: [:],
            wallClock: clock, output: { output.write($0) })
        let state = state
        do {
            try manager.validateInputs(context, state: state)
            try await clock.run { try await manager.execute(context, state: state) }
            return (.success, output.text)
        } catch let error as Unimplemented {
            throw error
        } catch {
            return (CliFramework.exitCode(for: error), output.text)
        }
    }
}

/// Collects what the command writes.
final class Exercise2_1Output: Sendable {
    private let buffer = Mutex("")

    var text: String { buffer.withLock { $0 } }

    func write(_ text: String) { buffer.withLock { $0 += text } }
}

/// A check's own failure.
struct Exercise2_1CheckFailure: Error, CustomStringConvertible {
    var description: String
}
