import ArgumentParser
import Exercise2_1
import ExerciseSupport
import Foundation
import Logging
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import Synchronization
import XCTest

/// Hidden checks for Exercise 2.1: generated organizations (name, size, starting settings), failures and
/// reruns, dry runs after partial runs, invalid names, transient and persistent 5xx, and `initialize`.
final class Exercise2_1HiddenChecks: XCTestCase {
    func test1_generatedOrganizationsOfTwoOrThreePagesAreFullyUpdated() async throws {
        var random = CheckRandomGenerator(seed: 2_101)
        for _ in 0..<2 {
            let world = try await Exercise2_1HiddenWorld(
                repos: Int.random(in: 101...260, using: &random), random: &random)
            defer { world.remove() }
            let (code, output) = try await world.run(["--org", world.org, "--json"])
            let repos = await world.repos()
            XCTAssertTrue(
                code == .success, "A clean run over a generated organization did not exit 0. Run `lab hint 2.1`.")
            XCTAssertTrue(
                repos.allSatisfy { $0.hasIssues && !$0.hasWiki && !$0.hasProjects },
                "A repository of a multi-page organization was not updated. Run `lab hint 2.1`.")
            XCTAssertTrue(
                output.contains("\"total\" : \(repos.count)") && output.contains("\"updated\" : \(repos.count)"),
                "The JSON summary did not count every repository. Run `lab hint 2.1`.")
            let violations = await world.mock.violations().map(\.rule)
            XCTAssertTrue(
                !violations.contains("constructed-page-url"),
                "The pages were built by hand instead of following the `Link` header. Run `lab hint 2.1`.")
        }
    }

    func test2_dryRunAfterAPartialRunChangesNothingAndMarksNothing() async throws {
        var random = CheckRandomGenerator(seed: 2_102)
        let world = try await Exercise2_1HiddenWorld(repos: Int.random(in: 60...140, using: &random), random: &random)
        defer { world.remove() }
        let names = await world.repos().map(\.name)
        let done = names.filter { _ in Bool.random(using: &random) }
        try world.checkpoint.markCompleted(done)
        let before = await world.repos()
        let (code, output) = try await world.run(["--org", world.org, "--dry-run", "--json"])
        XCTAssertTrue(code == .success, "A dry run did not exit 0. Run `lab hint 2.1`.")
        let mutations = await world.mock.journalEntries().filter { $0.method != "GET" }
        XCTAssertTrue(mutations.isEmpty, "A dry run sent a mutating request. Run `lab hint 2.1`.")
        let after = await world.repos()
        XCTAssertTrue(
            after.map(\.version) == before.map(\.version), "A dry run changed a repository. Run `lab hint 2.1`.")
        XCTAssertTrue(
            try world.checkpoint.getState().completedCount == done.count,
            "A dry run marked repositories completed in the checkpoint. Run `lab hint 2.1`.")
        XCTAssertTrue(
            output.contains("\"dry_run\" : true") && output.contains("\"skipped\" : \(done.count)")
                && output.contains("\"updated\" : \(names.count - done.count)"),
            "The dry run's summary should count what would be updated and what is skipped. Run `lab hint 2.1`.")
        let start = try world.audit.records().first { $0.eventType == .event && $0.name == "start" }
        XCTAssertTrue(
            start?.details["dry_run"] == .bool(true),
            "The `start` event did not record the dry run. Run `lab hint 2.1`.")
    }

    func test3_afterFailuresARerunUpdatesOnlyWhatFailed() async throws {
        var random = CheckRandomGenerator(seed: 2_103)
        let world = try await Exercise2_1HiddenWorld(repos: Int.random(in: 101...160, using: &random), random: &random)
        defer { world.remove() }
        let names = await world.repos().map(\.name)
        let failing = Set(names.filter { _ in Double.random(in: 0..<1, using: &random) < 0.1 } + [names[0]])
        try await world.failUpdates(of: failing)
        let (first, _) = try await world.run(["--org", world.org])
        XCTAssertTrue(first == .failure, "A run with failed repositories should exit 1. Run `lab hint 2.1`.")
        try await world.failUpdates(of: [])
        let mark = await world.mock.journalEntries().count
        let (second, output) = try await world.run(["--org", world.org])
        let patched = Set(
            await world.mock.journalEntries().dropFirst(mark).filter { $0.method == "PATCH" }.compactMap {
                $0.path.split(separator: "/").last.map(String.init)
            })
        XCTAssertTrue(second == .success, "The rerun without faults should exit 0. Run `lab hint 2.1`.")
        XCTAssertTrue(
            patched == failing, "The rerun should update exactly the repositories that failed. Run `lab hint 2.1`.")
        XCTAssertTrue(
            output.contains("Skipped (already done): \(names.count - failing.count)"),
            "The rerun's summary should count the skipped repositories. Run `lab hint 2.1`.")
        let final = await world.repos()
        XCTAssertTrue(
            final.allSatisfy { $0.hasIssues && !$0.hasWiki && !$0.hasProjects },
            "After the rerun every repository should comply. Run `lab hint 2.1`.")
    }

    func test4_metricsAndAuditNameTheGeneratedOrganization() async throws {
        var random = CheckRandomGenerator(seed: 2_104)
        let world = try await Exercise2_1HiddenWorld(repos: Int.random(in: 30...90, using: &random), random: &random)
        defer { world.remove() }
        let names = await world.repos().map(\.name)
        let failing = Set(names.filter { _ in Double.random(in: 0..<1, using: &random) < 0.2 })
        try await world.failUpdates(of: failing)
        _ = try await world.run(["--org", world.org])
        let labels = ["org": world.org]
        XCTAssertTrue(
            world.metrics.getCounter("repos_updated_success", labels: labels) == Double(names.count - failing.count)
                && (world.metrics.getCounter("repos_updated_failure", labels: labels) ?? 0) == Double(failing.count),
            "The counters did not count the outcomes under the organization's label. Run `lab hint 2.1`.")
        let records = try world.audit.records()
        let updated = Set(
            records.filter { $0.name == "repository_updated" }.compactMap { $0.details["repo"]?.stringValue })
        let failed = Set(
            records.filter { $0.name == "repository_failed" }.compactMap { $0.details["repo"]?.stringValue })
        XCTAssertTrue(
            updated == Set(names).subtracting(failing) && failed == failing,
            "The audit trail should hold one event per repository outcome. Run `lab hint 2.1`.")
        let complete = records.first { $0.eventType == .event && $0.name == "complete" }
        XCTAssertTrue(
            complete?.details["organization"] == .string(world.org) && complete?.details["total"] == .int(names.count)
                && complete?.details["success"] == .int(names.count - failing.count)
                && complete?.details["failure"] == .int(failing.count),
            "The `complete` event did not hold the run's totals. Run `lab hint 2.1`.")
    }

    func test5_invalidOrganizationNamesAreRejectedAndAudited() async throws {
        var random = CheckRandomGenerator(seed: 2_105)
        let world = try await Exercise2_1HiddenWorld(repos: 5, random: &random)
        defer { world.remove() }
        let bad = [
            "-" + random.word(length: 5), random.word(length: 4) + "_x", "a/../" + random.word(length: 3),
            "two words", String(repeating: "a", count: 40), random.word(length: 3) + ";rm", "",
        ]
        for name in bad {
            let (code, _) = try await world.run(name.hasPrefix("-") ? ["--org=\(name)"] : ["--org", name])
            XCTAssertTrue(
                code == .usage, "An invalid organization name was not rejected with exit 64. Run `lab hint 2.1`.")
        }
        let requests = await world.mock.journalEntries()
        XCTAssertTrue(requests.isEmpty, "A request was sent for an invalid organization name. Run `lab hint 2.1`.")
        let security = try world.audit.records().filter { $0.eventType == .security && $0.outcome == .failure }
        XCTAssertTrue(
            security.count == bad.count,
            "Each rejected name should be a security event in the audit trail. Run `lab hint 2.1`.")
    }

    func test6_transient502sAreRetriedAndPersistentOnesFailTheRun() async throws {
        var random = CheckRandomGenerator(seed: 2_106)
        let world = try await Exercise2_1HiddenWorld(repos: 40, random: &random)
        defer { world.remove() }
        let names = await world.repos().map(\.name)
        // Never two flaky repositories side by side, nor next to the one that is down: five failures in a row
        // would open the client's circuit breaker.
        let flaky = Array(Set((0..<5).map { _ in names[2 * Int.random(in: 1..<20, using: &random)] })).sorted()
        var rules = flaky.map { name in
            MockFaultPlan.Rule(
                id: "flaky-\(name)", match: .init(method: "PATCH", path: "/repos/\(world.org)/\(name)"), times: 2,
                action: .init(type: "status", status: 502))
        }
        rules.append(
            .init(
                id: "down", match: .init(method: "PATCH", path: "/repos/\(world.org)/\(names[0])"),
                action: .init(type: "status", status: 503)))
        try await world.mock.setFaultPlan(MockFaultPlan(rules: rules))
        let (code, output) = try await world.run(["--org", world.org])
        XCTAssertTrue(
            code == .failure, "A repository that keeps failing should make the run exit 1. Run `lab hint 2.1`.")
        let repos = await world.repos()
        XCTAssertTrue(
            repos.filter { $0.name != names[0] }.allSatisfy { $0.hasIssues && !$0.hasWiki },
            "Repositories with two transient 502s should be updated on a retry. Run `lab hint 2.1`.")
        XCTAssertTrue(
            output.contains("Failed: 1") && output.contains("Updated: \(names.count - 1)"),
            "Only the repository that kept failing should count as failed. Run `lab hint 2.1`.")
        XCTAssertTrue(
            try world.checkpoint.isFailed(names[0]),
            "The failed repository should be failed in the checkpoint. Run `lab hint 2.1`.")
    }

    func test7_initializeUsesTheFlagsAndTheEnvironment() async throws {
        var random = CheckRandomGenerator(seed: 2_107)
        let folder = try TemporaryDirectory(prefix: "exercise2_1h-init")
        defer { folder.remove() }
        let stateDir = folder.appending(random.word(length: 6)).path
        let auditDir = folder.appending(random.word(length: 6)).path
        let manager = try Exercise2_1HiddenWorld.parse(["--org", "x", "--state-dir", stateDir, "--audit-dir", auditDir])
        let url = "http://127.0.0.1:\(Int.random(in: 2_000...9_000, using: &random))/" + random.word(length: 4)
        let context = try CLIContext(
            options: manager.standardOptions, commandName: "manage-repositories",
            environment: ["GITHUB_TOKEN": "ghp_" + random.word(length: 20), "GITHUB_API_URL": url],
            wallClock: ManualClock(), logHandler: SwiftLogNoOpLogHandler(), output: { _ in })
        let state: ManagerState
        do {
            state = try await manager.initialize(context)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "RepositoryManager.initialize", exercise: "2.1")
        }
        XCTAssertTrue(
            state.client.baseURL.absoluteString == url, "The client did not use GITHUB_API_URL. Run `lab hint 2.1`.")
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: state.audit.databaseURL.path)
                && state.audit.directory.standardizedFileURL.path
                    == URL(fileURLWithPath: auditDir).standardizedFileURL.path,
            "The audit log was not opened in `--audit-dir`. Run `lab hint 2.1`.")
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: state.checkpoint.fileURL.path)
                && state.checkpoint.fileURL.deletingLastPathComponent().standardizedFileURL.path
                    == URL(fileURLWithPath: stateDir).standardizedFileURL.path,
            "The checkpoint was not opened in `--state-dir`. Run `lab hint 2.1`.")
    }
}

struct Exercise2_1HiddenWorld {
    let org: String
    let mock: MockGitHub
    let clock = ManualClock()
    let folder: TemporaryDirectory
    let client: GitHubClient
    let audit: AuditLogger
    let checkpoint: Checkpoint
    let metrics = MetricsCollector(service: RepositoryManager.auditService)

    init(repos: Int, random: inout CheckRandomGenerator) async throws {
        org = random.word(length: Int.random(in: 3...10, using: &random)) + "-" + random.word(length: 3)
        let fixture = MockFixture(
            users: [MockFixture.User(login: "mona")],
            orgs: [MockFixture.Org(login: org, members: ["mona": "admin"], generatedRepos: repos)])
        // No secondary limits: hundreds of PATCHes in one frozen mock minute would exceed the points budget.
        mock = MockGitHub(configuration: .init(seed: random.next(), fixture: fixture, secondaryLimits: false))
        guard let token = await mock.token(for: "mona") else {
            throw HiddenCheckFailure("The mock has no token for mona", exercise: "2.1")
        }
        client = try GitHubClient(
            token: token, baseURL: URL(string: "https://api.github.com"), retryPolicy: RetryPolicy(jitter: .none),
            logger: Logger(label: "hidden") { _ in SwiftLogNoOpLogHandler() },
            transport: MockGitHubTransport(mock: mock), clock: clock, environment: [:], mutationSpacing: .zero)
        folder = try TemporaryDirectory(prefix: "exercise2_1h")
        audit = try AuditLogger(
            service: RepositoryManager.auditService, directory: folder.appending("audit"), wallClock: clock,
            durability: .normal)
        checkpoint = try Checkpoint(
            name: RepositoryManager.checkpointName, directory: folder.appending("state"), durability: .normal,
            wallClock: clock)
        var state = await mock.dumpState()
        for index in state.repos.indices {
            state.repos[index].hasIssues = Bool.random(using: &random)
            state.repos[index].hasWiki = true
            state.repos[index].hasProjects = Bool.random(using: &random)
        }
        try await mock.restoreState(state)
    }

    func remove() { folder.remove() }

    func repos() async -> [MockGitHubState.Repo] {
        await mock.dumpState().repos.filter { $0.ownerLogin == org }.sorted { $0.id < $1.id }
    }

    func failUpdates(of names: Set<String>) async throws {
        try await mock.setFaultPlan(
            MockFaultPlan(
                rules: names.sorted().map { name in
                    .init(
                        id: "fail-\(name)", match: .init(method: "PATCH", path: "/repos/\(org)/\(name)"),
                        action: .init(
                            type: "status", status: 422, body: .object([("message", .string("Validation Failed"))])))
                }))
    }

    static func parse(_ arguments: [String]) throws -> RepositoryManager {
        do {
            return try RepositoryManager.parse(arguments)
        } catch {
            throw HiddenCheckFailure("Valid arguments were rejected", exercise: "2.1")
        }
    }

    /// Runs `validateInputs` and `execute` as the framework does; logs are discarded (they name generated
    /// repositories).
    func run(_ arguments: [String]) async throws -> (CLIExitCode, String) {
        let manager = try Self.parse(arguments)
        let output = Exercise2_1HiddenOutput()
        let context = try CLIContext(
            options: manager.standardOptions, commandName: "manage-repositories", environment: [:], wallClock: clock,
            logHandler: SwiftLogNoOpLogHandler(), output: { output.write($0) })
        let state = ManagerState(client: client, audit: audit, metrics: metrics, checkpoint: checkpoint)
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

final class Exercise2_1HiddenOutput: Sendable {
    private let buffer = Mutex("")

    var text: String { buffer.withLock { $0 } }

    func write(_ text: String) { buffer.withLock { $0 += text } }
}
