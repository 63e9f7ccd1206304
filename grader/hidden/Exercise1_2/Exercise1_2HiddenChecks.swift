import Exercise1_2
import ExerciseSupport
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 1.2.
///
/// Messages never show the generated titles or counts: comparisons use `XCTAssertTrue`, and errors from the
/// trainee's code are rethrown through `HiddenCheckFailure.concealing`.
final class Exercise1_2HiddenChecks: XCTestCase {
    private struct Scenario {
        var mock: MockGitHub
        var clock: ManualClock
        var client: GitHubClient
        var owner: String
        var repo: String
        var titles: [String]
    }

    func test1_randomRepositoriesListEveryIssueOnceWhateverTheState() async throws {
        var random = CheckRandomGenerator(seed: 1_201)
        for count in [1, 99, 100, 101, 200, Int.random(in: 201...350, using: &random)] {
            var titles: [(String, Bool)] = []
            for index in 0..<count {
                // Titles repeat on purpose now and then: two issues may share a title and both must appear.
                let title =
                    index > 0 && Int.random(in: 0..<10, using: &random) == 0
                    ? titles[Int.random(in: 0..<index, using: &random)].0
                    : random.word(length: Int.random(in: 4...12, using: &random)) + " " + random.word(length: 5)
                titles.append((title, Bool.random(using: &random)))
            }
            let scenario = try await makeScenario(titles, seed: UInt64(count), random: &random)
            let listed = try await listConcealed(scenario)
            XCTAssertTrue(
                listed.sorted() == scenario.titles.sorted(),
                "A generated repository's issues (open and closed, over several pages) were not each listed "
                    + "exactly once. Run `lab hint 1.2`.")
        }
    }

    func test2_anEmptyRepositoryGivesNoTitles() async throws {
        var random = CheckRandomGenerator(seed: 1_202)
        let scenario = try await makeScenario([], seed: 3, random: &random)
        let listed = try await listConcealed(scenario)
        XCTAssertTrue(listed.isEmpty, "A repository without issues should give no titles. Run `lab hint 1.2`.")
        let journal = await scenario.mock.journalEntries()
        XCTAssertTrue(journal.count == 1, "An empty repository needs exactly one request. Run `lab hint 1.2`.")
    }

    func test3_everyPageIsRequestedOnceAndSucceeds() async throws {
        var random = CheckRandomGenerator(seed: 1_203)
        for count in [150, Int.random(in: 301...420, using: &random)] {
            let titles = (0..<count).map { index in ("Issue \(index) " + random.word(length: 4), index % 3 == 0) }
            let scenario = try await makeScenario(titles, seed: 9, random: &random)
            _ = try await listConcealed(scenario)
            let journal = await scenario.mock.journalEntries()
            let pages = journal.map { "\($0.method) \($0.path)?\($0.query)" }
            XCTAssertTrue(Set(pages).count == pages.count, "A page was requested more than once. Run `lab hint 1.2`.")
            XCTAssertTrue(
                journal.allSatisfy { $0.method == "GET" && $0.status == 200 },
                "Some requests were not successful GETs. Run `lab hint 1.2`.")
            let violations = await scenario.mock.violations()
            XCTAssertTrue(
                violations.isEmpty,
                "The mock GitHub reported client violations (e.g. page URLs built by hand instead of following "
                    + "`Link`). Run `lab hint 1.2`.")
        }
    }

    func test4_theClientIsLimitedTo1000PerHourAndSpendsItsBudget() async throws {
        var random = CheckRandomGenerator(seed: 1_204)
        let scenario = try await makeScenario([("One", false), ("Two", true)], seed: 5, random: &random)
        let limiter = scenario.client.rateLimiter
        XCTAssertTrue(
            limiter.config.maxRequestsPerHour == 1_000,
            "The client's rate limiter does not allow 1000 requests per hour. Run `lab hint 1.2`.")
        let before = limiter.status.availableTokens
        _ = try await listConcealed(scenario)
        XCTAssertTrue(
            limiter.status.availableTokens < before,
            "Listing did not go through the rate-limited client. Run `lab hint 1.2`.")
    }

    // MARK: Helpers

    private func makeScenario(
        _ issues: [(String, Bool)], seed: UInt64, random: inout CheckRandomGenerator
    )
        async throws -> Scenario
    {
        let mock = MockGitHub(configuration: .init(seed: seed, fixture: .standard(repos: 4)))
        let repos = await mock.dumpState().repos
        let repository = try XCTUnwrap(repos.randomElement(using: &random))
        // Interleave open and closed issues in their numbering, as a real repository's history would.
        for (title, closed) in issues {
            try await mock.addIssues(
                owner: repository.ownerLogin, repo: repository.name, titles: [title], closed: closed)
        }
        let mona = await mock.token(for: "mona")
        let token = try XCTUnwrap(mona)
        let clock = ManualClock()
        let client: GitHubClient
        do {
            client = try IssueTitles.makeClient(token: token, transport: MockGitHubTransport(mock: mock), clock: clock)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "Creating the client", exercise: "1.2")
        }
        return Scenario(
            mock: mock, clock: clock, client: client, owner: repository.ownerLogin, repo: repository.name,
            titles: issues.map(\.0))
    }

    private func listConcealed(_ scenario: Scenario) async throws -> [String] {
        do {
            return try await scenario.clock.run {
                try await IssueTitles.listTitles(owner: scenario.owner, repo: scenario.repo, client: scenario.client)
            }
        } catch {
            throw HiddenCheckFailure.concealing(
                error, while: "Listing a generated repository's issues", exercise: "1.2")
        }
    }
}
