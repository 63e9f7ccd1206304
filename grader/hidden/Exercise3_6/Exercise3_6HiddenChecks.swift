import Exercise3_6
import ExerciseSupport
import Logging
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 3.6: random worker counts and batch shapes observed by the mock, a
/// recommendation that must skip runs with failures, a bad grid, and missing repositories. The mock holds
/// each repository read for 2 ms of real time; the whole class waits about 2 seconds.
final class Exercise3_6HiddenChecks: XCTestCase {
    private struct Rig {
        let mock: MockGitHub
        let optimizer: BatchOptimizer
        let names: [String]

        static func make(repos: Int, maxConcurrent: Int = 100, seed: UInt64) async throws -> Rig {
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
            let client = try GitHubClient(
                token: token, rateLimitConfig: RateLimitConfig(maxRequestsPerHour: 10_000_000, burstSize: 100_000),
                retryPolicy: RetryPolicy(maxRetries: 0),
                logger: Logger(label: "exercise-3.6-hidden") { _ in SwiftLogNoOpLogHandler() },
                transport: MockGitHubTransport(mock: mock, delayClock: ContinuousClock()), clock: ManualClock(),
                maxRateLimitWaits: 0)
            let names = try await client.listRepos(org: "moko-lab").collect().map(\.name)
            return Rig(mock: mock, optimizer: BatchOptimizer(client: client, org: "moko-lab"), names: names)
        }

        func mark() async -> Int { await mock.journalEntries().count }

        func requests(since mark: Int) async -> [MockJournalEntry] {
            await mock.journalEntries().dropFirst(mark).filter { $0.path.hasPrefix("/repos/") }
        }

        func run(_ names: [String], _ strategy: BatchStrategy) async throws -> BatchReport<String> {
            do {
                return try await optimizer.run(names, strategy: strategy)
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "a measured run", exercise: "3.6")
            }
        }
    }

    private static func maxInFlight(_ requests: [MockJournalEntry]) -> Int {
        requests.compactMap { $0.secondary["inFlight"] }.max() ?? 0
    }

    func test1_parallelConcurrencyReachesButNeverExceedsRandomWorkerCounts() async throws {
        var random = CheckRandomGenerator(seed: 3_601)
        let rig = try await Rig.make(repos: 160, seed: 61)
        for _ in 0..<3 {
            let workers = Int.random(in: 2...16, using: &random)
            let mark = await rig.mark()
            let report = try await rig.run(rig.names, .parallel(maxConcurrency: workers))
            let requests = await rig.requests(since: mark)
            XCTAssertTrue(
                report.succeeded.count == rig.names.count && requests.count == rig.names.count,
                "A parallel run did not fetch every repository exactly once. Run `lab hint 3.6`.")
            XCTAssertTrue(
                Self.maxInFlight(requests) == workers,
                "The mock did not see exactly the configured number of requests in flight at the peak. "
                    + "Run `lab hint 3.6`.")
        }
    }

    func test2_batchedConcurrencyIsBoundedByBatchSizeAndWorkers() async throws {
        var random = CheckRandomGenerator(seed: 3_602)
        let rig = try await Rig.make(repos: 150, seed: 62)
        for _ in 0..<3 {
            let size = Int.random(in: 3...40, using: &random)
            let workers = Int.random(in: 2...12, using: &random)
            let mark = await rig.mark()
            let report = try await rig.run(rig.names, .batched(size: size, maxConcurrency: workers))
            let requests = await rig.requests(since: mark)
            XCTAssertTrue(
                report.succeeded.count == rig.names.count && requests.count == rig.names.count,
                "A batched run did not fetch every repository exactly once. Run `lab hint 3.6`.")
            XCTAssertTrue(
                Self.maxInFlight(requests) == min(size, workers),
                "A batched run's concurrency was not bounded by its batch size and workers. Run `lab hint 3.6`.")
        }
    }

    func test3_theRecommendationSkipsRunsWithFailures() async throws {
        // GitHub here allows 6 requests in flight: more gets a secondary rate limit (a failed item).
        let rig = try await Rig.make(repos: 120, maxConcurrent: 6, seed: 63)
        let mark = await rig.mark()
        let report: OptimizationReport
        do {
            report = try await rig.optimizer.compare(rig.names, workerCounts: [3, 12], batchSizes: [6, 30])
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "comparing strategies", exercise: "3.6")
        }
        XCTAssertTrue(report.rows.count == 5, "The report did not have one row per run. Run `lab hint 3.6`.")
        XCTAssertTrue(
            report.rows.count == 5 && report.rows[2].failed > 0,
            "The run with too many workers should show its failed items. Run `lab hint 3.6`.")
        XCTAssertTrue(
            report.recommendedWorkers == 3,
            "The recommendation chose a worker count whose run had failures. Run `lab hint 3.6`.")
        XCTAssertTrue(
            report.rows.count == 5 && report.rows[3...].allSatisfy { $0.isComplete },
            "The batched runs did not use the recommended worker count (they had failures). Run `lab hint 3.6`.")
        let batched = report.rows.count == 5 ? Array(report.rows[3...]) : []
        let fastest = batched.filter(\.isComplete).min { $0.duration < $1.duration }
        XCTAssertTrue(
            fastest?.strategy == .batched(size: report.recommendedBatchSize, maxConcurrency: 3),
            "The recommended batch size was not the fastest complete batched run's. Run `lab hint 3.6`.")
        let requests = await rig.requests(since: mark)
        XCTAssertTrue(requests.count == 5 * 120, "The comparison did not run each strategy once. Run `lab hint 3.6`.")
    }

    func test4_aBadGridIsRefusedBeforeAnyRequest() async throws {
        let rig = try await Rig.make(repos: 5, seed: 64)
        for (workers, sizes) in [([Int](), [10]), ([4], [Int]()), ([0], [10]), ([4], [-2])] {
            let mark = await rig.mark()
            do {
                _ = try await rig.optimizer.compare(rig.names, workerCounts: workers, batchSizes: sizes)
                XCTFail("A bad grid was accepted. Run `lab hint 3.6`.")
            } catch is InvalidGrid {
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "comparing with a bad grid", exercise: "3.6")
            }
            let requests = await rig.requests(since: mark)
            XCTAssertTrue(requests.isEmpty, "A bad grid still caused requests. Run `lab hint 3.6`.")
        }
    }

    func test5_missingRepositoriesAreFailedItemsNotErrors() async throws {
        var random = CheckRandomGenerator(seed: 3_605)
        let rig = try await Rig.make(repos: 40, seed: 65)
        let missing = (0..<Int.random(in: 2...6, using: &random)).map { _ in "gone-" + random.word(length: 8) }
        let report = try await rig.run(rig.names + missing, .parallel(maxConcurrency: 4))
        XCTAssertTrue(
            report.succeeded.count == rig.names.count && Set(report.failed.map(\.id)) == Set(missing),
            "Missing repositories should be the run's failed items, the rest succeeded. Run `lab hint 3.6`.")
    }
}
