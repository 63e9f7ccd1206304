import Exercise2_5
import ExerciseSupport
import Foundation
import Logging
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 2.5: generated organizations and failures, reruns, and each of the five fixes
/// again on its own.
final class Exercise2_5HiddenChecks: XCTestCase {
    func test1_oneClientPerRunWhateverTheSize() async throws {
        var random = CheckRandomGenerator(seed: 2_501)
        for _ in 0..<3 {
            let world = try await Exercise2_5HiddenWorld(random: &random)
            defer { world.remove() }
            _ = try await world.sweep()
            _ = try await world.sweep()
            XCTAssertTrue(
                world.clientsMade.value == 2,
                "Each run should make exactly one client (fix 1). Run `lab hint 2.5`.")
        }
    }

    func test2_everyOutcomeIsAudited() async throws {
        var random = CheckRandomGenerator(seed: 2_502)
        let world = try await Exercise2_5HiddenWorld(random: &random)
        defer { world.remove() }
        let failing = world.pick(probability: 0.25, using: &random)
        try await world.failUpdates(of: failing)
        _ = try await world.sweep()
        let events = try world.auditRecords().filter { $0.eventType == .event }
        let processed = Set(
            events.filter { $0.name == "repo_processed" }.compactMap { $0.details["repo"]?.stringValue })
        let failed = events.filter { $0.name == "repo_failed" }
        XCTAssertTrue(
            processed == Set(world.names).subtracting(failing),
            "Each updated repository should have one `repo_processed` event (fix 2). Run `lab hint 2.5`.")
        XCTAssertTrue(
            Set(failed.compactMap { $0.details["repo"]?.stringValue }) == failing
                && failed.allSatisfy { $0.outcome == .failure },
            "Each failed repository should have a `repo_failed` event with outcome failure (fix 2). "
                + "Run `lab hint 2.5`.")
    }

    func test3_aRerunProcessesOnlyWhatIsNotCompleted() async throws {
        var random = CheckRandomGenerator(seed: 2_503)
        let world = try await Exercise2_5HiddenWorld(random: &random)
        defer { world.remove() }
        let failing = world.pick(probability: 0.3, using: &random)
        try await world.failUpdates(of: failing)
        let first = try await world.sweep()
        try await world.failUpdates(of: [])
        let mark = await world.mock.journalEntries().count
        let second = try await world.sweep()
        let patched = Set(
            await world.mock.journalEntries().dropFirst(mark).filter { $0.method == "PATCH" }.compactMap {
                $0.path.split(separator: "/").last.map(String.init)
            })
        XCTAssertTrue(
            patched == failing,
            "A rerun should update only the repositories that did not complete (fix 3). Run `lab hint 2.5`.")
        XCTAssertTrue(
            first == SweepReport(processed: world.names.count - failing.count, failed: failing.count)
                && second == SweepReport(processed: failing.count, skipped: world.names.count - failing.count),
            "The reports of the two runs were wrong. Run `lab hint 2.5`.")
    }

    func test4_countersAddUpAcrossRuns() async throws {
        var random = CheckRandomGenerator(seed: 2_504)
        let world = try await Exercise2_5HiddenWorld(random: &random)
        defer { world.remove() }
        let failing = world.pick(probability: 0.2, using: &random)
        try await world.failUpdates(of: failing)
        _ = try await world.sweep()
        XCTAssertTrue(
            world.metrics.getCounter("repos_processed_success") == Double(world.names.count - failing.count)
                && (world.metrics.getCounter("repos_processed_failure") ?? 0) == Double(failing.count),
            "`repos_processed_success`/`repos_processed_failure` did not count the outcomes (fix 4). "
                + "Run `lab hint 2.5`.")
        try await world.failUpdates(of: [])
        _ = try await world.sweep()
        XCTAssertTrue(
            world.metrics.getCounter("repos_processed_success") == Double(world.names.count),
            "After the rerun, successes over both runs should equal the number of repositories (fix 4). "
                + "Run `lab hint 2.5`.")
        let families = world.metrics.getAllMetrics().families.map(\.name)
        XCTAssertTrue(
            !families.contains("repos"), "The old metric `repos` should be gone (fix 4). Run `lab hint 2.5`.")
    }

    func test5_eachRunIsOneCompleteTransaction() async throws {
        var random = CheckRandomGenerator(seed: 2_505)
        let world = try await Exercise2_5HiddenWorld(random: &random)
        defer { world.remove() }
        _ = try await world.sweep()
        _ = try await world.sweep()
        let records = try world.auditRecords()
        let starts = records.filter { $0.eventType == .transactionStart && $0.name == "process_repositories" }
        let ends = records.filter { $0.eventType == .transactionEnd && $0.name == "process_repositories" }
        XCTAssertTrue(
            starts.count == 2 && ends.count == 2 && Set(starts.map(\.transactionID)) == Set(ends.map(\.transactionID)),
            "Each run should be one `process_repositories` transaction that starts and ends (fix 5). "
                + "Run `lab hint 2.5`.")
        let ids = Set(starts.compactMap(\.transactionID))
        XCTAssertTrue(
            records.filter { $0.eventType == .event }.allSatisfy { $0.transactionID.map(ids.contains) ?? false },
            "Every event should be logged inside a run's transaction (fix 5). Run `lab hint 2.5`.")
        XCTAssertTrue(
            zip(starts, ends).allSatisfy { $0.seq < $1.seq },
            "A transaction ended before it started. Run `lab hint 2.5`.")
    }
}

struct Exercise2_5HiddenWorld {
    static let org = "moko-lab"

    let mock: MockGitHub
    let clock = ManualClock()
    let audit: TemporaryDirectory
    let state: TemporaryDirectory
    let metrics = MetricsCollector(service: "repository_sweep")
    let clientsMade = LockedValue(0)
    let names: [String]
    let token: String

    init(random: inout CheckRandomGenerator) async throws {
        let count = Int.random(in: 15...40, using: &random)
        var names: [String] = []
        for index in 0..<count {
            names.append(random.word(length: Int.random(in: 3...9, using: &random)) + "-\(index)")
        }
        self.names = names
        var fixture = MockFixture.standard(repos: 0)
        fixture.orgs[0].repos = names.map { .init(name: $0) }
        mock = MockGitHub(configuration: .init(seed: random.next(), fixture: fixture))
        guard let token = await mock.token(for: "mona") else {
            throw HiddenCheckFailure("The mock has no token for mona", exercise: "2.5")
        }
        self.token = token
        audit = try TemporaryDirectory(prefix: "exercise2_5h-audit")
        state = try TemporaryDirectory(prefix: "exercise2_5h-state")
    }

    func remove() {
        audit.remove()
        state.remove()
    }

    func pick(probability: Double, using random: inout CheckRandomGenerator) -> Set<String> {
        Set(names.filter { _ in Double.random(in: 0..<1, using: &random) < probability })
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
                    retryPolicy: RetryPolicy(jitter: .none),
                    logger: Logger(label: "hidden") { _ in SwiftLogNoOpLogHandler() },
                    transport: MockGitHubTransport(mock: mock), clock: clock, environment: [:], mutationSpacing: .zero)
            },
            auditDirectory: audit.url, stateDirectory: state.url, metrics: metrics, wallClock: clock)
    }

    func sweep() async throws -> SweepReport {
        let sweep = RepositorySweep(org: Self.org, toolkit: toolkit)
        do {
            return try await clock.run { try await sweep.run() }
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "RepositorySweep.run", exercise: "2.5")
        }
    }

    func auditRecords() throws -> [AuditRecord] {
        try AuditLogger(service: RepositorySweep.auditService, directory: audit.url, wallClock: clock).records()
    }

    func failUpdates(of repos: Set<String>) async throws {
        try await mock.setFaultPlan(
            MockFaultPlan(
                rules: repos.sorted().map { name in
                    .init(
                        id: "fail-\(name)", match: .init(method: "PATCH", path: "/repos/\(Self.org)/\(name)"),
                        action: .init(
                            type: "status", status: 422, body: .object([("message", .string("Validation Failed"))])))
                }))
    }
}
