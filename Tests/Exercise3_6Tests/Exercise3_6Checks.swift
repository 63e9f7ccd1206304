import Exercise3_6
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 3.6, batch optimisation over 500 repositories. Run them with
/// `swift test --disable-swift-testing --filter Exercise3_6Tests`.
///
/// The in-process mock GitHub holds every `GET /repos/...` response for 2 ms (real time: the only checks of
/// the lab that wait, about 3 seconds in all) and records in its journal how many requests were in flight
/// when each arrived.
final class Exercise3_6Checks: XCTestCase {
    func test1_sequentialFetchesOneRepositoryAtATime() async throws {
        let rig = try await BatchRig.make()
        let mark = await rig.journalMark()
        let names = Array(rig.names.prefix(100))
        let report = try await rig.optimizer.run(names, strategy: .sequential)
        XCTAssertEqual(report.succeeded.count, 100, "Every repository should be fetched. Run `lab hint 3.6`.")
        let requests = await rig.repoRequests(since: mark)
        XCTAssertEqual(requests.count, 100, "One request per repository. Run `lab hint 3.6`.")
        XCTAssertEqual(
            BatchRig.maxInFlight(requests), 1, "Sequential means one request at a time. Run `lab hint 3.6`.")
    }

    func test2_parallelReachesButNeverExceedsTheWorkers() async throws {
        let rig = try await BatchRig.make()
        let mark = await rig.journalMark()
        let report = try await rig.optimizer.run(rig.names, strategy: .parallel(maxConcurrency: 8))
        XCTAssertEqual(report.succeeded.count, 500, "Every repository should be fetched. Run `lab hint 3.6`.")
        let requests = await rig.repoRequests(since: mark)
        XCTAssertEqual(
            BatchRig.maxInFlight(requests), 8,
            "With 8 workers GitHub should see 8 requests in flight at once, never more. Run `lab hint 3.6`.")
    }

    func test3_batchedRunsBoundedBatches() async throws {
        let rig = try await BatchRig.make()
        let mark = await rig.journalMark()
        let names = Array(rig.names.prefix(200))
        let report = try await rig.optimizer.run(names, strategy: .batched(size: 50, maxConcurrency: 5))
        XCTAssertEqual(report.succeeded.count, 200, "Every repository should be fetched. Run `lab hint 3.6`.")
        let requests = await rig.repoRequests(since: mark)
        XCTAssertEqual(
            BatchRig.maxInFlight(requests), 5,
            "Batches of 50 with 5 workers: 5 requests in flight at most. "
                + "Run `lab hint 3.6`.")
    }

    func test4_comparisonHasARowPerStrategyAndRecommendsFromTheMeasurements() async throws {
        let rig = try await BatchRig.make()
        let mark = await rig.journalMark()
        let report = try await rig.optimizer.compare(rig.names, workerCounts: [2, 10], batchSizes: [25, 100])
        print(report)
        let workers = report.recommendedWorkers
        XCTAssertEqual(
            report.rows.map(\.strategy),
            [
                .sequential, .parallel(maxConcurrency: 2), .parallel(maxConcurrency: 10),
                .batched(size: 25, maxConcurrency: workers), .batched(size: 100, maxConcurrency: workers),
            ],
            "Rows: sequential, parallel per worker count, batched per batch size with the best worker count. "
                + "Run `lab hint 3.6`.")
        XCTAssertTrue(
            report.rows.allSatisfy { $0.succeeded == 500 && $0.failed == 0 },
            "Every run should fetch all 500. "
                + "Run `lab hint 3.6`.")
        let parallel = report.rows[1...2]
        let fastestParallel = parallel.min { $0.duration < $1.duration }
        XCTAssertEqual(
            .parallel(maxConcurrency: workers), fastestParallel?.strategy,
            "The recommended worker count should be the fastest parallel run's. Run `lab hint 3.6`.")
        let batched = report.rows[3...4]
        let fastestBatched = batched.min { $0.duration < $1.duration }
        XCTAssertEqual(
            .batched(size: report.recommendedBatchSize, maxConcurrency: workers), fastestBatched?.strategy,
            "The recommended batch size should be the fastest batched run's. Run `lab hint 3.6`.")
        let requests = await rig.repoRequests(since: mark)
        XCTAssertEqual(requests.count, 2_500, "Five runs of 500 requests. Run `lab hint 3.6`.")
        XCTAssertLessThanOrEqual(
            BatchRig.maxInFlight(requests), 10, "No run may exceed its worker count. Run `lab hint 3.6`.")
    }
}

/// A mock GitHub with 500 repositories whose repository reads take 2 ms, a client on it, and the optimizer.
struct BatchRig {
    let mock: MockGitHub
    let client: GitHubClient
    let optimizer: BatchOptimizer
    let names: [String]

    static func make(repos: Int = 500, maxConcurrent: Int = 100, seed: UInt64 = 36) async throws -> BatchRig {
        let mock = MockGitHub(
            configuration: .init(
                seed: seed, fixture: .standard(repos: repos), userLimit: 10_000_000, maxConcurrent: maxConcurrent,
                pointsPerMinute: 10_000_000, journalCapacity: 100_000))
        try await mock.setFaultPlan(
            MockFaultPlan(rules: [
                .init(
                    id: "latency", match: .init(method: "GET", path: "/repos/*/*"),
                    action: .init(type: "latency", fixed: 2))
            ]))
        let found = await mock.token(for: "mona")
        let token = try XCTUnwrap(found)
        // Nothing in the client waits: no retries, no rate-limit waits, a limiter with room for everything.
        let client = try GitHubClient(
            token: token, rateLimitConfig: RateLimitConfig(maxRequestsPerHour: 10_000_000, burstSize: 100_000),
            retryPolicy: RetryPolicy(maxRetries: 0),
            transport: MockGitHubTransport(mock: mock, delayClock: ContinuousClock()), clock: ManualClock(),
            maxRateLimitWaits: 0)
        let names = try await client.listRepos(org: "moko-lab").collect().map(\.name)
        return BatchRig(
            mock: mock, client: client, optimizer: BatchOptimizer(client: client, org: "moko-lab"), names: names)
    }

    func journalMark() async -> Int { await mock.journalEntries().count }

    /// The repository reads the mock received after `mark`.
    func repoRequests(since mark: Int) async -> [MockJournalEntry] {
        await mock.journalEntries().dropFirst(mark).filter { $0.path.hasPrefix("/repos/") }
    }

    /// The most requests in flight when any of `requests` arrived, as the transport counted them.
    static func maxInFlight(_ requests: [MockJournalEntry]) -> Int {
        requests.compactMap { $0.secondary["inFlight"] }.max() ?? 0
    }
}
