import Exercise3_10
import MockGitHub
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 3.10, a circuit breaker around a GitHub call. Run them with
/// `swift test --disable-swift-testing --filter Exercise3_10Tests`.
///
/// The breaker uses the curriculum's settings: it opens after 3 consecutive failures, stays open 30 seconds
/// and closes after 2 successful trial calls. The GitHub call goes to the in-process mock; time is a
/// `ManualClock` that only the checks move.
final class Exercise3_10Checks: XCTestCase {
    private func makeBreaker(clock: ManualClock) throws -> CircuitBreaker<ManualClock> {
        CircuitBreaker(
            configuration: try CircuitBreakerConfiguration(
                failureThreshold: 3, timeout: .seconds(30), successThreshold: 2),
            clock: clock)
    }

    /// Calls the mock through the breaker and expects GitHub's 503 to come back as `UpstreamError`.
    private func failingCall(_ breaker: CircuitBreaker<ManualClock>, _ github: MockRepositoryAPI) async throws {
        do {
            _ = try await breaker.call { try await github.repositoryName("api") }
            XCTFail("During the outage the call should fail with the mock's error. Run `lab hint 3.10`.")
        } catch let error as UpstreamError {
            XCTAssertEqual(
                error.status, 503, "The operation's error should be rethrown unchanged. Run `lab hint 3.10`.")
        }
    }

    /// Calls through the breaker and expects a rejection; returns its `retryAfter`.
    private func rejectedCall(
        _ breaker: CircuitBreaker<ManualClock>, _ github: MockRepositoryAPI
    ) async throws
        -> Duration?
    {
        do {
            _ = try await breaker.call { try await github.repositoryName("api") }
            XCTFail("The circuit is open: `call` should throw CircuitOpenError. Run `lab hint 3.10`.")
            return nil
        } catch let error as CircuitOpenError {
            return error.retryAfter
        }
    }

    private func open(_ breaker: CircuitBreaker<ManualClock>, _ github: MockRepositoryAPI) async throws {
        try await github.startOutage()
        for _ in 0..<3 { try await failingCall(breaker, github) }
    }

    func test1_callsGoThroughWhileClosed() async throws {
        let github = try await MockRepositoryAPI.make()
        let breaker = try makeBreaker(clock: ManualClock())
        let name = try await breaker.call { try await github.repositoryName("api") }
        XCTAssertEqual(name, "api", "`call` should return what the operation returns. Run `lab hint 3.10`.")
        XCTAssertEqual(breaker.state, .closed, "A breaker starts closed. Run `lab hint 3.10`.")
        let requests = await github.requestCount()
        XCTAssertEqual(requests, 1, "One call through the breaker should be one request. Run `lab hint 3.10`.")
    }

    func test2_opensAfterThreeConsecutiveFailures() async throws {
        let github = try await MockRepositoryAPI.make()
        let breaker = try makeBreaker(clock: ManualClock())
        try await github.startOutage()
        for failure in 1...3 {
            try await failingCall(breaker, github)
            XCTAssertEqual(
                breaker.state, failure < 3 ? .closed : .open,
                "After \(failure) consecutive failure(s) the circuit should be \(failure < 3 ? "closed" : "open") "
                    + "(threshold 3). Run `lab hint 3.10`.")
        }
    }

    func test3_rejectsWithoutCallingGitHubWhileOpen() async throws {
        let github = try await MockRepositoryAPI.make()
        let clock = ManualClock()
        let breaker = try makeBreaker(clock: clock)
        try await open(breaker, github)
        let before = await github.requestCount()
        let retryAfter = try await rejectedCall(breaker, github)
        XCTAssertEqual(
            retryAfter, .seconds(30), "Just after opening, retryAfter should be the whole timeout. Run `lab hint 3.10`."
        )
        clock.advance(by: .seconds(10))
        let later = try await rejectedCall(breaker, github)
        XCTAssertEqual(later, .seconds(20), "retryAfter should be the time left. Run `lab hint 3.10`.")
        let after = await github.requestCount()
        XCTAssertEqual(
            after, before, "While open, the breaker must not call GitHub at all. Run `lab hint 3.10`.")
    }

    func test4_halfOpenAfterTheTimeoutThenClosedAfterTwoSuccesses() async throws {
        let github = try await MockRepositoryAPI.make()
        let clock = ManualClock()
        let breaker = try makeBreaker(clock: clock)
        try await open(breaker, github)
        try await github.endOutage()
        clock.advance(by: .seconds(30))
        XCTAssertEqual(
            breaker.state, .halfOpen, "Once the 30 s timeout has passed the circuit is half-open. Run `lab hint 3.10`.")
        let before = await github.requestCount()
        _ = try await breaker.call { try await github.repositoryName("api") }
        XCTAssertEqual(
            breaker.state, .halfOpen,
            "One successful trial call is not enough to close (threshold 2). "
                + "Run `lab hint 3.10`.")
        _ = try await breaker.call { try await github.repositoryName("api") }
        XCTAssertEqual(breaker.state, .closed, "Two successful trial calls close the circuit. Run `lab hint 3.10`.")
        let after = await github.requestCount()
        XCTAssertEqual(after - before, 2, "Trial calls should reach GitHub. Run `lab hint 3.10`.")
    }

    func test5_reopensWhenATrialCallFails() async throws {
        let github = try await MockRepositoryAPI.make()
        let clock = ManualClock()
        let breaker = try makeBreaker(clock: clock)
        try await open(breaker, github)
        clock.advance(by: .seconds(30))
        try await failingCall(breaker, github)  // the outage goes on: the trial call fails
        XCTAssertEqual(
            breaker.state, .open, "A failed trial call should open the circuit again at once. Run `lab hint 3.10`.")
        let retryAfter = try await rejectedCall(breaker, github)
        XCTAssertEqual(
            retryAfter, .seconds(30), "Reopening starts a fresh 30 s timeout. Run `lab hint 3.10`.")
    }
}

/// What the mock GitHub answered when it was not 200.
struct UpstreamError: Error, Equatable {
    var status: Int
}

/// A GitHub call on the in-process mock (org `moko-lab`, repository `api`), with an outage switch.
struct MockRepositoryAPI: Sendable {
    let mock: MockGitHub
    let token: String

    static func make() async throws -> MockRepositoryAPI {
        let fixture = MockFixture(
            users: [MockFixture.User(login: "mona")],
            orgs: [
                MockFixture.Org(login: "moko-lab", members: ["mona": "admin"], repos: [MockFixture.Repo(name: "api")])
            ])
        let mock = MockGitHub(configuration: .init(seed: 310, fixture: fixture))
        let found = await mock.token(for: "mona")
        let token = try XCTUnwrap(found)
        return MockRepositoryAPI(mock: mock, token: token)
    }

    /// `GET /repos/moko-lab/<name>`: the repository's name, or `UpstreamError` with the status.
    func repositoryName(_ name: String) async throws -> String {
        let response = await mock.handle(
            MockRequest(
                method: "GET", target: "/repos/moko-lab/\(name)",
                headers: [("Authorization", "Bearer \(token)"), ("User-Agent", "exercise-3.10")]))
        guard response.status == 200 else { throw UpstreamError(status: response.status) }
        guard case .string(let returned)? = response.json?["name"] else { throw UpstreamError(status: 0) }
        return returned
    }

    /// Every repository request answers 503 from now on.
    func startOutage() async throws {
        try await mock.setFaultPlan(
            MockFaultPlan(rules: [
                .init(
                    id: "outage", match: .init(path: "/repos/**"), action: .init(type: "status", status: 503))
            ]))
    }

    /// GitHub answers normally again.
    func endOutage() async throws {
        try await mock.setFaultPlan(MockFaultPlan())
    }

    /// Requests the mock has received.
    func requestCount() async -> Int {
        await mock.journalEntries().count
    }
}
