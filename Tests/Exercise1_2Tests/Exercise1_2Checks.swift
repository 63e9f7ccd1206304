import Exercise1_2
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 1.2, listing every issue through a rate-limited client. Run them with
/// `swift test --disable-swift-testing --filter Exercise1_2Tests`.
///
/// Each check seeds an in-process mock GitHub with a repository and its issues; the client talks to it
/// through `MockGitHubTransport` on a `ManualClock`.
final class Exercise1_2Checks: XCTestCase {
    /// A mock with one repository holding `open` open and `closed` closed issues, and a client made by
    /// `IssueTitles.makeClient`.
    private struct Scenario {
        var mock: MockGitHub
        var clock: ManualClock
        var client: GitHubClient
        var owner: String
        var repo: String
        var titles: [String]
    }

    private func makeScenario(open: Int, closed: Int = 0) async throws -> Scenario {
        let mock = MockGitHub(configuration: .init(seed: 12, fixture: .standard(repos: 1)))
        let repos = await mock.dumpState().repos
        let repository = try XCTUnwrap(repos.first)
        let openTitles = (0..<open).map { "Open issue \($0 + 1)" }
        let closedTitles = (0..<closed).map { "Closed issue \($0 + 1)" }
        try await mock.addIssues(owner: repository.ownerLogin, repo: repository.name, titles: openTitles)
        try await mock.addIssues(
            owner: repository.ownerLogin, repo: repository.name, titles: closedTitles, closed: true)
        let mona = await mock.token(for: "mona")
        let token = try XCTUnwrap(mona)
        let clock = ManualClock()
        let client = try IssueTitles.makeClient(token: token, transport: MockGitHubTransport(mock: mock), clock: clock)
        return Scenario(
            mock: mock, clock: clock, client: client, owner: repository.ownerLogin, repo: repository.name,
            titles: openTitles + closedTitles)
    }

    private func listTitles(_ scenario: Scenario) async throws -> [String] {
        // Any wait of the client (rate limiter, backoff) passes at once on the manual clock.
        try await scenario.clock.run {
            try await IssueTitles.listTitles(owner: scenario.owner, repo: scenario.repo, client: scenario.client)
        }
    }

    func test1_clientIsLimitedTo1000RequestsPerHour() async throws {
        let scenario = try await makeScenario(open: 1)
        XCTAssertEqual(
            scenario.client.rateLimiter.config.maxRequestsPerHour, 1_000,
            "The client's rate limiter should allow 1000 requests per hour: pass a `RateLimitConfig`. "
                + "Run `lab hint 1.2`.")
    }

    func test2_listsTheIssuesOfASmallRepository() async throws {
        let scenario = try await makeScenario(open: 5)
        let titles = try await listTitles(scenario)
        let journal = await scenario.mock.journalEntries()
        XCTAssertFalse(
            journal.isEmpty,
            "No request reached the mock GitHub: create the client with the `transport` you are given. "
                + "Run `lab hint 1.2`.")
        XCTAssertEqual(
            titles.sorted(), scenario.titles.sorted(), "Every issue's title should be listed. Run `lab hint 1.2`.")
    }

    func test3_listsEveryIssueOfAMultiPageRepositoryExactlyOnce() async throws {
        let scenario = try await makeScenario(open: 250)
        let titles = try await listTitles(scenario)
        XCTAssertEqual(
            titles.count, 250,
            "The repository has 250 issues (three pages of 100): follow every page, once. Run `lab hint 1.2`.")
        XCTAssertEqual(
            titles.sorted(), scenario.titles.sorted(),
            "Every issue should be listed exactly once. Run `lab hint 1.2`.")
    }

    func test4_closedIssuesAreListedToo() async throws {
        let scenario = try await makeScenario(open: 3, closed: 2)
        let titles = try await listTitles(scenario)
        XCTAssertEqual(
            titles.sorted(), scenario.titles.sorted(),
            "Closed issues are missing: GitHub lists only open issues unless you ask for `state: \"all\"`. "
                + "Run `lab hint 1.2`.")
    }

    func test5_noPageIsRequestedTwice() async throws {
        let scenario = try await makeScenario(open: 230, closed: 20)
        _ = try await listTitles(scenario)
        let requests = await scenario.mock.journalEntries().filter { $0.method == "GET" }.map {
            "\($0.path)?\($0.query)"
        }
        XCTAssertGreaterThanOrEqual(
            requests.count, 3, "250 issues take at least three pages of 100. Run `lab hint 1.2`.")
        XCTAssertEqual(
            Set(requests).count, requests.count,
            "A page was requested more than once: \(requests). Iterate the list once. Run `lab hint 1.2`.")
    }
}
