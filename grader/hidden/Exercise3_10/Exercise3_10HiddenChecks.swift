import Exercise3_10
import ExerciseSupport
import MockGitHub
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 3.10: random thresholds and timeouts, exact timeout edges, counts that must
/// reset. Comparisons use `XCTAssertTrue` (no values printed); unexpected errors are concealed.
final class Exercise3_10HiddenChecks: XCTestCase {
    /// A breaker on a manual clock around the mock GitHub.
    private struct Rig {
        let github: HiddenRepositoryAPI
        let clock = ManualClock()
        let breaker: CircuitBreaker<ManualClock>
        let configuration: CircuitBreakerConfiguration

        init(
            failureThreshold: Int, timeout: Duration, successThreshold: Int, github: HiddenRepositoryAPI
        ) throws {
            configuration = try CircuitBreakerConfiguration(
                failureThreshold: failureThreshold, timeout: timeout, successThreshold: successThreshold)
            breaker = CircuitBreaker(configuration: configuration, clock: clock)
            self.github = github
        }

        /// A call that must reach GitHub and fail with its 503.
        func fail(_ step: String) async throws {
            do {
                _ = try await breaker.call { try await github.repositoryName() }
                XCTFail("A call during an outage did not fail (\(step)). Run `lab hint 3.10`.")
            } catch let error as HiddenUpstreamError {
                XCTAssertTrue(
                    error.status == 503, "The operation's error was not rethrown unchanged. Run `lab hint 3.10`.")
            } catch {
                throw HiddenCheckFailure.concealing(error, while: step, exercise: "3.10")
            }
        }

        /// A call that must reach GitHub and succeed.
        func succeed(_ step: String) async throws {
            do {
                _ = try await breaker.call { try await github.repositoryName() }
            } catch {
                throw HiddenCheckFailure.concealing(error, while: step, exercise: "3.10")
            }
        }

        /// A call that must be rejected; returns `retryAfter`.
        func reject(_ step: String) async throws -> Duration? {
            do {
                _ = try await breaker.call { try await github.repositoryName() }
                XCTFail("An open circuit let a call through (\(step)). Run `lab hint 3.10`.")
                return nil
            } catch let error as CircuitOpenError {
                return error.retryAfter
            } catch {
                throw HiddenCheckFailure.concealing(error, while: step, exercise: "3.10")
            }
        }

        func open() async throws {
            try await github.startOutage()
            for _ in 0..<configuration.failureThreshold { try await fail("opening the circuit") }
            XCTAssertTrue(
                breaker.state == .open, "The circuit did not open at the failure threshold. Run `lab hint 3.10`.")
        }
    }

    private static func randomRig(_ random: inout CheckRandomGenerator, minimumFailures: Int = 1) async throws -> Rig {
        try Rig(
            failureThreshold: Int.random(in: minimumFailures...8, using: &random),
            timeout: .milliseconds(Int.random(in: 500...120_000, using: &random)),
            successThreshold: Int.random(in: 1...4, using: &random),
            github: try await HiddenRepositoryAPI.make())
    }

    func test1_opensExactlyAtARandomThreshold() async throws {
        var random = CheckRandomGenerator(seed: 31_001)
        for _ in 0..<6 {
            let rig = try await Self.randomRig(&random)
            try await rig.github.startOutage()
            for failure in 1...rig.configuration.failureThreshold {
                try await rig.fail("failing below the threshold")
                let expected: CircuitState = failure < rig.configuration.failureThreshold ? .closed : .open
                XCTAssertTrue(
                    rig.breaker.state == expected,
                    "The circuit did not open exactly at the failure threshold. Run `lab hint 3.10`.")
            }
        }
    }

    func test2_aSuccessResetsTheConsecutiveFailureCount() async throws {
        var random = CheckRandomGenerator(seed: 31_002)
        for _ in 0..<5 {
            let rig = try await Self.randomRig(&random, minimumFailures: 2)
            let below = rig.configuration.failureThreshold - 1
            for _ in 0..<3 {
                try await rig.github.startOutage()
                for _ in 0..<below { try await rig.fail("failing below the threshold") }
                try await rig.github.endOutage()
                try await rig.succeed("a success between failures")
            }
            XCTAssertTrue(
                rig.breaker.state == .closed,
                "Failures separated by successes opened the circuit: only consecutive failures count. "
                    + "Run `lab hint 3.10`.")
            try await rig.github.startOutage()
            for _ in 0..<rig.configuration.failureThreshold { try await rig.fail("consecutive failures") }
            XCTAssertTrue(
                rig.breaker.state == .open, "Consecutive failures did not open the circuit. Run `lab hint 3.10`.")
        }
    }

    func test3_openRejectsWithoutCallingUntilExactlyTheTimeout() async throws {
        var random = CheckRandomGenerator(seed: 31_003)
        for _ in 0..<5 {
            let rig = try await Self.randomRig(&random)
            try await rig.open()
            let requests = await rig.github.requestCount()
            let timeout = rig.configuration.timeout
            let first = try await rig.reject("just after opening")
            XCTAssertTrue(first == timeout, "retryAfter was not the whole timeout after opening. Run `lab hint 3.10`.")
            rig.clock.advance(by: timeout - .milliseconds(1))
            let last = try await rig.reject("one millisecond before the timeout")
            XCTAssertTrue(last == .milliseconds(1), "retryAfter was not the time left. Run `lab hint 3.10`.")
            let during = await rig.github.requestCount()
            XCTAssertTrue(during == requests, "An open circuit called GitHub. Run `lab hint 3.10`.")
            rig.clock.advance(by: .milliseconds(1))
            XCTAssertTrue(
                rig.breaker.state == .halfOpen, "The circuit was not half-open at the timeout. Run `lab hint 3.10`.")
            try await rig.github.endOutage()
            try await rig.succeed("the first trial call")
            let after = await rig.github.requestCount()
            XCTAssertTrue(after == requests + 1, "The trial call did not reach GitHub once. Run `lab hint 3.10`.")
        }
    }

    func test4_closesAfterExactlyTheSuccessThresholdAndStartsCountingAfresh() async throws {
        var random = CheckRandomGenerator(seed: 31_004)
        for _ in 0..<5 {
            let rig = try await Self.randomRig(&random)
            try await rig.open()
            try await rig.github.endOutage()
            rig.clock.advance(by: rig.configuration.timeout)
            for success in 1...rig.configuration.successThreshold {
                try await rig.succeed("a trial call")
                let expected: CircuitState = success < rig.configuration.successThreshold ? .halfOpen : .closed
                XCTAssertTrue(
                    rig.breaker.state == expected,
                    "The circuit did not close exactly at the success threshold. Run `lab hint 3.10`.")
            }
            // Closed again: the old failures are forgotten, the full threshold is needed to reopen.
            try await rig.github.startOutage()
            for failure in 1...rig.configuration.failureThreshold {
                try await rig.fail("failing after recovery")
                let expected: CircuitState = failure < rig.configuration.failureThreshold ? .closed : .open
                XCTAssertTrue(
                    rig.breaker.state == expected,
                    "After closing, the circuit did not need the full failure threshold to reopen. "
                        + "Run `lab hint 3.10`.")
            }
        }
    }

    func test5_aFailedTrialCallReopensAtOnceWithAFreshTimeout() async throws {
        var random = CheckRandomGenerator(seed: 31_005)
        for _ in 0..<5 {
            let rig = try await Self.randomRig(&random, minimumFailures: 2)
            try await rig.open()
            rig.clock.advance(by: rig.configuration.timeout + .seconds(Int.random(in: 0...50, using: &random)))
            try await rig.fail("a failing trial call")
            XCTAssertTrue(
                rig.breaker.state == .open, "A failed trial call did not reopen the circuit. Run `lab hint 3.10`.")
            let requests = await rig.github.requestCount()
            rig.clock.advance(by: rig.configuration.timeout - .milliseconds(1))
            let left = try await rig.reject("just before the fresh timeout")
            XCTAssertTrue(
                left == .milliseconds(1),
                "The timeout after reopening did not start at the reopening. "
                    + "Run `lab hint 3.10`.")
            let after = await rig.github.requestCount()
            XCTAssertTrue(after == requests, "A reopened circuit called GitHub. Run `lab hint 3.10`.")
        }
    }

    func test6_trialSuccessesDoNotCarryOverAReopening() async throws {
        let rig = try Rig(failureThreshold: 2, timeout: .seconds(5), successThreshold: 2, github: try await .make())
        try await rig.open()
        try await rig.github.endOutage()
        rig.clock.advance(by: .seconds(5))
        try await rig.succeed("the first trial call")
        try await rig.github.startOutage()
        try await rig.fail("a failing second trial call")
        try await rig.github.endOutage()
        rig.clock.advance(by: .seconds(5))
        try await rig.succeed("the first trial call of the next half-open period")
        XCTAssertTrue(
            rig.breaker.state == .halfOpen,
            "A trial success from before a reopening was still counted. Run `lab hint 3.10`.")
    }
}

/// What the mock GitHub answered when it was not 200.
struct HiddenUpstreamError: Error, Equatable {
    var status: Int
}

/// A GitHub call on the in-process mock with an outage switch.
struct HiddenRepositoryAPI: Sendable {
    let mock: MockGitHub
    let token: String

    static func make() async throws -> HiddenRepositoryAPI {
        let fixture = MockFixture(
            users: [MockFixture.User(login: "mona")],
            orgs: [
                MockFixture.Org(login: "moko-lab", members: ["mona": "admin"], repos: [MockFixture.Repo(name: "api")])
            ])
        let mock = MockGitHub(configuration: .init(seed: 3_100, fixture: fixture))
        let found = await mock.token(for: "mona")
        let token = try XCTUnwrap(found)
        return HiddenRepositoryAPI(mock: mock, token: token)
    }

    func repositoryName() async throws -> String {
        let response = await mock.handle(
            MockRequest(
                method: "GET", target: "/repos/moko-lab/api",
                headers: [("Authorization", "Bearer \(token)"), ("User-Agent", "exercise-3.10-hidden")]))
        guard response.status == 200 else { throw HiddenUpstreamError(status: response.status) }
        return "api"
    }

    func startOutage() async throws {
        try await mock.setFaultPlan(
            MockFaultPlan(rules: [
                .init(id: "outage", match: .init(path: "/repos/**"), action: .init(type: "status", status: 503))
            ]))
    }

    func endOutage() async throws {
        try await mock.setFaultPlan(MockFaultPlan())
    }

    func requestCount() async -> Int {
        await mock.journalEntries().count
    }
}
