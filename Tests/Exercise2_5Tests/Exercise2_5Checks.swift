import Exercise2_5
import Foundation
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 2.5, the buggy sweep. Run them with `swift test --disable-swift-testing --filter
/// Exercise2_5Tests`.
///
/// One check per bug: the checks that still fail name the bugs that remain.
final class Exercise2_5Checks: XCTestCase {
    func test1_librariesAreSetUpOnceForTheWholeRun() async throws {
        let world = try await Exercise2_5World()
        defer { world.remove() }
        let report = try await world.sweep()
        XCTAssertEqual(report.processed, 12, "All 12 repositories should be processed. Run `lab hint 2.5`.")
        XCTAssertEqual(
            world.clientsMade.value, 1,
            "Bug 1 (libraries not initialised): the sweep should make ONE client, before the work, and use it "
                + "for every request; a client per repository has its own rate limiter. Run `lab hint 2.5`.")
    }

    func test2_everyRepositoryIsInTheAuditLog() async throws {
        let world = try await Exercise2_5World()
        defer { world.remove() }
        _ = try await world.sweep()
        let logged = try world.auditRecords().filter { $0.eventType == .event && $0.name == "repo_processed" }
        XCTAssertEqual(
            Set(logged.compactMap { $0.details["repo"]?.stringValue }), Set(world.names),
            "Bug 2 (no audit logging): each processed repository should have a `repo_processed` event with its "
                + "name under `repo`. Run `lab hint 2.5`.")
    }

    func test3_completedRepositoriesAreNotProcessedAgain() async throws {
        let world = try await Exercise2_5World()
        defer { world.remove() }
        let done = Array(world.names.prefix(4))
        let checkpoint = try Checkpoint(
            name: RepositorySweep.checkpointName, directory: world.state.url, wallClock: world.clock)
        try checkpoint.markCompleted(done)
        let report = try await world.sweep()
        let patched = await world.patchedRepos()
        XCTAssertEqual(
            patched, Set(world.names.dropFirst(4)),
            "Bug 3 (no checkpoint check): the 4 repositories an earlier run completed should not be updated "
                + "again, the 8 others should. Run `lab hint 2.5`.")
        XCTAssertEqual(
            report, SweepReport(processed: 8, skipped: 4),
            "The report should count 8 processed and 4 skipped. Run `lab hint 2.5`.")
    }

    func test4_metricsUseTheNamesTheDashboardsRead() async throws {
        let world = try await Exercise2_5World()
        defer { world.remove() }
        try await world.failUpdates(of: ["repo-003", "repo-007"])
        let report = try await world.sweep()
        XCTAssertEqual(
            report, SweepReport(processed: 10, failed: 2), "10 updates should succeed and 2 fail. Run `lab hint 2.5`.")
        XCTAssertEqual(
            world.metrics.getCounter("repos_processed_success"), 10,
            "Bug 4 (wrong metric name): count successes in `repos_processed_success`. Run `lab hint 2.5`.")
        XCTAssertEqual(
            world.metrics.getCounter("repos_processed_failure"), 2,
            "Bug 4 (wrong metric name): count failures in `repos_processed_failure`. Run `lab hint 2.5`.")
    }

    func test5_theRunIsOneAuditTransaction() async throws {
        let world = try await Exercise2_5World()
        defer { world.remove() }
        _ = try await world.sweep()
        let records = try world.auditRecords()
        let start = records.first { $0.eventType == .transactionStart && $0.name == "process_repositories" }
        let end = records.first { $0.eventType == .transactionEnd && $0.name == "process_repositories" }
        XCTAssertNotNil(
            start,
            "Bug 5 (no transaction): the run should be an audit transaction named `process_repositories`. "
                + "Run `lab hint 2.5`.")
        XCTAssertNotNil(end, "Bug 5 (no transaction): the transaction should end in the log. Run `lab hint 2.5`.")
        XCTAssertEqual(end?.outcome, .success, "The transaction should end with success. Run `lab hint 2.5`.")
        let outside = records.filter { $0.eventType == .event && $0.transactionID != start?.transactionID }
        XCTAssertEqual(
            outside.map(\.name), [],
            "Every event of the run should be logged inside the transaction. Run `lab hint 2.5`.")
    }
}

/// The mock with 12 repositories, a counting client factory, temporary audit and state directories.
struct Exercise2_5World {
    static let org = "moko-lab"

    /// mona's token (an admin of moko-lab).
    static func token(of mock: MockGitHub) async throws -> String {
        guard let token = await mock.token(for: "mona") else {
            throw Exercise2_5CheckFailure(description: "the mock has no token for mona")
        }
        return token
    }

    let mock: MockGitHub
    let clock = ManualClock()
    let audit: TemporaryDirectory
    let state: TemporaryDirectory
    let metrics = MetricsCollector(service: "repository_sweep")
    let clientsMade = LockedValue(0)
    let names = (1...12).map { "repo-" + String(1_000 + $0).dropFirst() }
    let token: String

    init() async throws {
        var fixture = MockFixture.standard(repos: 0)
        fixture.orgs[0].repos = names.map { .init(name: $0) }
        mock = MockGitHub(configuration: .init(seed: 25, fixture: fixture))
        token = try await Self.token(of: mock)
        audit = try TemporaryDirectory(prefix: "exercise2_5-audit")
        state = try TemporaryDirectory(prefix: "exercise2_5-state")
    }

    func remove() {
        audit.remove()
        state.remove()
    }

    var toolkit: Toolkit {
        let mock = mock
        let clock = clock
        let token = token
        let clientsMade = clientsMade
        return Toolkit(
            makeClient: {
                clientsMade.withLock { $0 += 1 }
                return try GitHubClient(
                    token: token, baseURL: URL(string: "https://api.github.com"),
                    retryPolicy: RetryPolicy(jitter: .none), transport: MockGitHubTransport(mock: mock), clock: clock,
                    environment: [:], mutationSpacing: .zero)
            },
            auditDirectory: audit.url, stateDirectory: state.url, metrics: metrics, wallClock: clock)
    }

    /// Runs the sweep, moving the manual clock whenever the client waits.
    func sweep() async throws -> SweepReport {
        let sweep = RepositorySweep(org: Self.org, toolkit: toolkit)
        return try await clock.run { try await sweep.run() }
    }

    func auditRecords() throws -> [AuditRecord] {
        try AuditLogger(service: RepositorySweep.auditService, directory: audit.url, wallClock: clock).records()
    }

    /// The repositories that received a successful PATCH.
    func patchedRepos() async -> Set<String> {
        Set(
            await mock.journalEntries().filter { $0.method == "PATCH" && $0.status == 200 }.compactMap {
                $0.path.split(separator: "/").last.map(String.init)
            })
    }

    /// Makes the PATCH of each named repository fail with 422.
    func failUpdates(of repos: [String]) async throws {
        try await mock.setFaultPlan(
            MockFaultPlan(
                rules: repos.map { name in
                    .init(
                        id: "fail-\(name)", match: .init(method: "PATCH", path: "/repos/\(Self.org)/\(name)"),
                        action: .init(
                            type: "status", status: 422, body: .object([("message", .string("Validation Failed"))])))
                }))
    }
}

/// A check's own failure.
struct Exercise2_5CheckFailure: Error, CustomStringConvertible {
    var description: String
}
