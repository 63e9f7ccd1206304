import Exercise3_5
import ExerciseSupport
import Foundation
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 3.5.
///
/// The mock drops a few generated reads with a 502 (the client retries them, and GitHub charges each
/// attempt), so a quota computed from the cache's counters instead of measured no longer matches. Comparisons
/// use `XCTAssertTrue`; errors escaping the trainee's code go through `HiddenCheckFailure.concealing`.
final class Exercise3_5HiddenChecks: XCTestCase {
    struct Lab {
        let mock: MockGitHub
        let clock: ManualClock
        let connection: GitHubConnection
        let repositories: [String]

        static func make(_ random: inout CheckRandomGenerator, faults: Int) async throws -> Lab {
            let mock = MockGitHub(configuration: .init(seed: random.next(), fixture: .standard(repos: 60)))
            guard let token = await mock.token(for: "mona") else {
                throw HiddenCheckFailure("no token", exercise: "3.5")
            }
            let clock = ManualClock()
            let all = await mock.dumpState().repos.filter { $0.ownerLogin == "moko-lab" }.map(\.name)
            let names = Array(all.shuffled(using: &random).prefix(Int.random(in: 20...50, using: &random)))
            // Spaced out, so the breaker never sees several failures in a row.
            let nth = (0..<faults).map { $0 * 17 + Int.random(in: 1...10, using: &random) }
            if faults > 0 {
                try await mock.setFaultPlan(
                    MockFaultPlan(rules: [
                        .init(
                            id: "drop", match: .init(method: "GET", path: "/repos/moko-lab/*"), when: .init(nth: nth),
                            action: .init(type: "status", status: 502))
                    ]))
            }
            return Lab(
                mock: mock, clock: clock,
                connection: GitHubConnection(token: token, transport: MockGitHubTransport(mock: mock), clock: clock),
                repositories: names)
        }

        func reads() async -> [MockJournalEntry] {
            await mock.journalEntries().filter { $0.method == "GET" && $0.path.hasPrefix("/repos/moko-lab/") }
        }

        func charged() async -> Int { await mock.journalEntries().filter(\.rate.counted).count }

        /// `used` of the mock's only rate-limit bucket, read through the admin API.
        func bucketUsed() async throws -> Int {
            let response = await mock.handle(
                MockRequest(
                    method: "GET", target: "/__mock/ratelimit", headers: [("Authorization", "Bearer mock-admin")]))
            guard case .object(let buckets) = try MockJSON.parse(response.body), buckets.count == 1 else { return -1 }
            return buckets[0].1["used"]?.intValue ?? -1
        }
    }

    func test1_quotaIsMeasuredEvenWhenReadsAreRetried() async throws {
        var random = CheckRandomGenerator(seed: 3_501)
        for round in 0..<4 {
            let caching = round % 2 == 1
            let lab = try await Lab.make(&random, faults: 3)
            let passes = Int.random(in: 2...4, using: &random)
            let (repositories, connection) = (lab.repositories, lab.connection)
            let run: FetchRun
            do {
                run = try await lab.clock.run {
                    try await CachingExperiment.fetchRepeatedly(
                        owner: "moko-lab", repositories: repositories, passes: passes, caching: caching,
                        connection: connection)
                }
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "Fetching generated repositories", exercise: "3.5")
            }
            let reads = await lab.reads()
            let charged = await lab.charged()
            let used = try await lab.bucketUsed()
            XCTAssertTrue(
                run.quotaUsed == charged && run.quotaUsed == used,
                "`quotaUsed` did not match the mock's rate-limit counter when some reads were retried: measure it "
                    + "with GitHub's counter, do not compute it. Run `lab hint 3.5`.")
            XCTAssertTrue(
                run.fetches == passes * repositories.count && run.passes == passes && run.caching == caching,
                "`fetches`, `passes` or `caching` were wrong. Run `lab hint 3.5`.")
            XCTAssertTrue(
                run.cacheHits == reads.filter { $0.status == 304 }.count
                    && run.cacheMisses == reads.filter { $0.status == 200 }.count,
                "Hits and misses did not match the 304 and 200 answers in the mock's journal. Run `lab hint 3.5`.")
            let conditional = reads.filter { $0.headers["if-none-match"] != nil }.count
            XCTAssertTrue(
                caching ? conditional >= (passes - 1) * repositories.count : conditional == 0,
                "The run with caching did not revalidate every repeated read, or the run without caching sent "
                    + "conditional requests. Run `lab hint 3.5`.")
        }
    }

    func test2_theComparisonAgreesWithTheJournal() async throws {
        var random = CheckRandomGenerator(seed: 3_502)
        for _ in 0..<3 {
            let lab = try await Lab.make(&random, faults: 4)
            let passes = Int.random(in: 2...4, using: &random)
            let (repositories, connection) = (lab.repositories, lab.connection)
            let report: CachingReport
            do {
                report = try await lab.clock.run {
                    try await CachingExperiment.compare(
                        owner: "moko-lab", repositories: repositories, passes: passes, connection: connection)
                }
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "Comparing generated runs", exercise: "3.5")
            }
            let reads = await lab.reads()
            let charged = await lab.charged()
            let notModified = reads.filter { $0.status == 304 }.count
            XCTAssertTrue(
                !report.uncached.caching && report.cached.caching && report.uncached.cacheHits == 0,
                "The report's first run should be without caching and the second with it. Run `lab hint 3.5`.")
            XCTAssertTrue(
                report.requestsSaved == notModified && report.cached.cacheHits == notModified,
                "`requestsSaved` did not equal the 304s the mock served. Run `lab hint 3.5`.")
            XCTAssertTrue(
                report.uncached.quotaUsed + report.cached.quotaUsed == charged
                    && report.quotaSaved == report.uncached.quotaUsed - report.cached.quotaUsed,
                "The runs' quota did not add up to what the mock charged, or `quotaSaved` was not their difference. "
                    + "Run `lab hint 3.5`.")
            XCTAssertTrue(
                abs(report.hitRate - Double(notModified) / Double(report.cached.fetches)) < 1e-9,
                "`hitRate` was not the cached run's 304s over its fetches. Run `lab hint 3.5`.")
        }
    }

    func test3_badArgumentsSendNothing() async throws {
        var random = CheckRandomGenerator(seed: 3_503)
        let lab = try await Lab.make(&random, faults: 0)
        let connection = lab.connection
        let name = lab.repositories[0]
        for (repositories, passes) in [([name], 0), ([], 2), ([name, name], 2), ([name], -1)] {
            do {
                _ = try await lab.clock.run {
                    try await CachingExperiment.compare(
                        owner: "moko-lab", repositories: repositories, passes: passes, connection: connection)
                }
                XCTFail(
                    "Bad arguments (no passes, no repositories or a repeated one) were accepted. Run `lab hint 3.5`.")
            } catch is CachingExperimentError {
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "Comparing with bad arguments", exercise: "3.5")
            }
        }
        let journal = await lab.mock.journalEntries()
        XCTAssertTrue(journal.isEmpty, "Bad arguments still sent requests to GitHub. Run `lab hint 3.5`.")
    }
}
