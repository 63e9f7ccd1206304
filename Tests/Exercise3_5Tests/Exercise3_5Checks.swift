import Exercise3_5
import Foundation
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 3.5, the ETag cache measured against the mock GitHub's journal and rate-limit counter.
/// Run them with `swift test --disable-swift-testing --filter Exercise3_5Tests`.
final class Exercise3_5Checks: XCTestCase {
    /// The mock with 100 repositories and a connection to it on a manual clock.
    struct Lab {
        let mock: MockGitHub
        let clock: ManualClock
        let connection: GitHubConnection
        let repositories: [String]

        static func make() async throws -> Lab {
            let mock = MockGitHub(configuration: .init(seed: 35, fixture: .standard(repos: 100)))
            let maybeToken = await mock.token(for: "mona")
            let token = try XCTUnwrap(maybeToken, "The mock should have a token for mona.")
            let clock = ManualClock()
            let names = await mock.dumpState().repos.filter { $0.ownerLogin == "moko-lab" }.map(\.name)
            return Lab(
                mock: mock, clock: clock,
                connection: GitHubConnection(token: token, transport: MockGitHubTransport(mock: mock), clock: clock),
                repositories: names)
        }

        func fetch(passes: Int, caching: Bool) async throws -> FetchRun {
            let (repositories, connection) = (repositories, connection)
            return try await clock.run {
                try await CachingExperiment.fetchRepeatedly(
                    owner: "moko-lab", repositories: repositories, passes: passes, caching: caching,
                    connection: connection)
            }
        }

        /// The repository reads the mock answered.
        func repositoryReads() async -> [MockJournalEntry] {
            await mock.journalEntries().filter { $0.method == "GET" && $0.path.hasPrefix("/repos/moko-lab/") }
        }

        /// Requests the mock's rate-limit counter charged.
        func chargedRequests() async -> Int {
            await mock.journalEntries().filter(\.rate.counted).count
        }
    }

    func test1_theCachedRunSendsConditionalRequestsAfterTheFirstPass() async throws {
        let lab = try await Lab.make()
        XCTAssertEqual(lab.repositories.count, 100, "The mock should hold 100 repositories.")
        _ = try await lab.fetch(passes: 3, caching: true)
        let reads = await lab.repositoryReads()
        XCTAssertEqual(reads.count, 300, "Each of the 100 repositories should be read 3 times. Run `lab hint 3.5`.")
        XCTAssertEqual(
            reads.prefix(100).filter { $0.headers["if-none-match"] == nil }.count, 100,
            "The first pass has nothing cached: its requests are plain GETs. Run `lab hint 3.5`.")
        XCTAssertEqual(
            reads.dropFirst(100).filter { $0.headers["if-none-match"] != nil && $0.status == 304 }.count, 200,
            "Passes 2 and 3 should send `If-None-Match` and get `304 Not Modified`: turn the client's caching on "
                + "(`RateLimitConfig(enableCaching: true)`). Run `lab hint 3.5`.")
    }

    func test2_hitsAndMissesMatchTheMocksJournal() async throws {
        let lab = try await Lab.make()
        let run = try await lab.fetch(passes: 3, caching: true)
        let reads = await lab.repositoryReads()
        XCTAssertEqual(run.fetches, 300, "`fetches` should be passes × repositories. Run `lab hint 3.5`.")
        XCTAssertEqual(
            run.cacheHits, reads.filter { $0.status == 304 }.count,
            "`cacheHits` should equal the 304s in the mock's journal. Run `lab hint 3.5`.")
        XCTAssertEqual(
            run.cacheMisses, reads.filter { $0.status == 200 }.count,
            "`cacheMisses` should equal the full (200) responses in the mock's journal. Run `lab hint 3.5`.")
    }

    func test3_quotaUsedMatchesTheMocksRateLimitCounter() async throws {
        let uncachedLab = try await Lab.make()
        let uncached = try await uncachedLab.fetch(passes: 3, caching: false)
        let chargedUncached = await uncachedLab.chargedRequests()
        XCTAssertEqual(
            uncached.quotaUsed, chargedUncached,
            "Without caching, `quotaUsed` should equal what the mock's rate-limit counter charged. "
                + "Run `lab hint 3.5`.")
        XCTAssertEqual(uncached.quotaUsed, 300, "Without caching every read costs quota. Run `lab hint 3.5`.")
        let cachedLab = try await Lab.make()
        let cached = try await cachedLab.fetch(passes: 3, caching: true)
        let chargedCached = await cachedLab.chargedRequests()
        XCTAssertEqual(
            cached.quotaUsed, chargedCached,
            "With caching, `quotaUsed` should equal what the mock's rate-limit counter charged (304s are free). "
                + "Run `lab hint 3.5`.")
    }

    func test4_theReportComparesBothRuns() async throws {
        let lab = try await Lab.make()
        let (repositories, connection) = (lab.repositories, lab.connection)
        let report = try await lab.clock.run {
            try await CachingExperiment.compare(
                owner: "moko-lab", repositories: repositories, passes: 3, connection: connection)
        }
        let reads = await lab.repositoryReads()
        let charged = await lab.chargedRequests()
        let notModified = reads.filter { $0.status == 304 }.count
        XCTAssertEqual(
            report.requestsSaved, notModified,
            "`requestsSaved` should equal the 304s the mock served. Run `lab hint 3.5`.")
        XCTAssertEqual(
            report.uncached.quotaUsed + report.cached.quotaUsed, charged,
            "The two runs' quota should add up to what the mock charged. Run `lab hint 3.5`.")
        XCTAssertEqual(
            report.quotaSaved, report.uncached.quotaUsed - report.cached.quotaUsed,
            "`quotaSaved` is the uncached run's quota minus the cached run's. Run `lab hint 3.5`.")
        XCTAssertEqual(report.quotaSaved, 200, "Caching should save the quota of passes 2 and 3. Run `lab hint 3.5`.")
        XCTAssertEqual(
            report.hitRate, Double(notModified) / Double(report.cached.fetches), accuracy: 1e-9,
            "`hitRate` is the cached run's hits over its fetches. Run `lab hint 3.5`.")
    }
}
