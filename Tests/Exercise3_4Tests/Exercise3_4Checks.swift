import Exercise3_4
import Foundation
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

// MokoEnterprise (used here to drive the mock GitHub) has its own saga types: these names mean the exercise's.
typealias SagaStep = Exercise3_4.SagaStep
typealias SagaFailed = Exercise3_4.SagaFailed
typealias SagaOrchestrator = Exercise3_4.SagaOrchestrator
typealias SagaDefinitionError = Exercise3_4.SagaDefinitionError

/// Checks for Exercise 3.4, a saga across the mock GitHub and three in-process systems (CI, monitoring,
/// chat). Run them with `swift test --disable-swift-testing --filter Exercise3_4Tests`.
final class Exercise3_4Checks: XCTestCase {
    struct SystemDown: Error, CustomStringConvertible {
        var system: String
        var description: String { "\(system) is unavailable" }
    }

    /// A fake system that keeps a set of things and can be told to fail its next `add`.
    actor FakeSystem {
        let name: String
        private(set) var entries: [String] = []
        private var failNextAdd = false

        init(_ name: String) { self.name = name }

        func failNext() { failNextAdd = true }

        func add(_ entry: String) throws {
            if failNextAdd {
                failNextAdd = false
                throw SystemDown(system: name)
            }
            entries.append(entry)
        }

        func remove(_ entry: String) { entries.removeAll { $0 == entry } }
    }

    /// A saga step made of two closures.
    struct Step: SagaStep {
        var name: String
        var run: @Sendable () async throws -> Void
        var undo: @Sendable () async throws -> Void
        func execute() async throws { try await run() }
        func compensate() async throws { try await undo() }
    }

    /// The four systems and the onboarding saga's steps over them.
    struct World {
        let mock: MockGitHub
        let client: GitHubClient
        let clock: ManualClock
        let ci = FakeSystem("ci")
        let monitoring = FakeSystem("monitoring")
        let chat = FakeSystem("chat")
        let repo = "payments-service"

        static func make() async throws -> World {
            let mock = MockGitHub(configuration: .init(seed: 34, fixture: .standard(repos: 3)))
            let maybeToken = await mock.token(for: "mona")
            let token = try XCTUnwrap(maybeToken, "The mock should have a token for mona.")
            let clock = ManualClock()
            let client = try GitHubClient(
                token: token, transport: MockGitHubTransport(mock: mock), clock: clock, mutationSpacing: .zero)
            return World(mock: mock, client: client, clock: clock)
        }

        var steps: [any SagaStep] {
            let (client, repo, ci, monitoring, chat) = (client, repo, ci, monitoring, chat)
            return [
                Step(
                    name: "create_github_repo",
                    run: { _ = try await client.createRepo(org: "moko-lab", NewRepository(name: repo)) },
                    undo: { try await client.deleteRepo(owner: "moko-lab", repo: repo) }),
                Step(
                    name: "create_ci_pipeline", run: { try await ci.add(repo) }, undo: { await ci.remove(repo) }),
                Step(
                    name: "setup_monitoring", run: { try await monitoring.add(repo) },
                    undo: { await monitoring.remove(repo) }),
                Step(
                    name: "notify_team", run: { try await chat.add("New repo: \(repo)") },
                    undo: { try await chat.add("Repo creation failed: \(repo)") }),
            ]
        }

        /// Makes the step at `position` fail: the mock answers the create with a 503, a fake throws.
        func failStep(at position: Int) async throws {
            switch position {
            case 0:
                try await mock.setFaultPlan(
                    .burst(method: "POST", path: "/orgs/*/repos", status: 503, occurrences: 1...1))
            case 1: await ci.failNext()
            case 2: await monitoring.failNext()
            default: await chat.failNext()
            }
        }

        func repoExists() async -> Bool {
            await mock.dumpState().repos.contains { $0.fullName == "moko-lab/\(repo)" }
        }
    }

    static let names = ["create_github_repo", "create_ci_pipeline", "setup_monitoring", "notify_team"]

    func test1_aSagaWithoutFailuresRunsEveryStepAcrossAllSystems() async throws {
        let world = try await World.make()
        let events = TestRecorder<SagaAuditEvent>()
        let orchestrator = SagaOrchestrator(name: "onboard_repository") { events.append($0) }
        let steps = world.steps
        let result = try await world.clock.run { try await orchestrator.execute(steps) }
        XCTAssertEqual(result.completed, Self.names, "Every step should complete, in order. Run `lab hint 3.4`.")
        let repoExists = await world.repoExists()
        XCTAssertTrue(repoExists, "The repository should exist on the mock GitHub. Run `lab hint 3.4`.")
        let (pipelines, monitored, messages) = (
            await world.ci.entries, await world.monitoring.entries, await world.chat.entries
        )
        XCTAssertEqual(pipelines, [world.repo], "The CI pipeline should exist. Run `lab hint 3.4`.")
        XCTAssertEqual(monitored, [world.repo], "Monitoring should watch the repository. Run `lab hint 3.4`.")
        XCTAssertEqual(messages, ["New repo: \(world.repo)"], "The team should be notified once. Run `lab hint 3.4`.")
    }

    func test2_theAuditTrailRecordsEachStepAndTheSagaOutcome() async throws {
        let world = try await World.make()
        let events = TestRecorder<SagaAuditEvent>()
        let orchestrator = SagaOrchestrator(name: "onboard_repository") { events.append($0) }
        let steps = world.steps
        _ = try await world.clock.run { try await orchestrator.execute(steps) }
        let expected =
            Self.names.flatMap {
                [
                    SagaAuditEvent(.stepStart, saga: "onboard_repository", step: $0),
                    SagaAuditEvent(.stepComplete, saga: "onboard_repository", step: $0),
                ]
            } + [SagaAuditEvent(.sagaComplete, saga: "onboard_repository")]
        XCTAssertEqual(
            events.values, expected,
            "Audit `step_start` before and `step_complete` after each step, then `saga_complete`. "
                + "Run `lab hint 3.4`.")
    }

    func test3_aFailureAtEachPositionCompensatesExactlyTheCompletedStepsInReverse() async throws {
        for position in 0..<4 {
            let world = try await World.make()
            try await world.failStep(at: position)
            let events = TestRecorder<SagaAuditEvent>()
            let orchestrator = SagaOrchestrator(name: "onboard_repository") { events.append($0) }
            let steps = world.steps
            do {
                _ = try await world.clock.run { try await orchestrator.execute(steps) }
                XCTFail("Step \(position + 1) fails, so `execute` should throw `SagaFailed`. Run `lab hint 3.4`.")
            } catch let error as SagaFailed {
                XCTAssertEqual(
                    error.failedStep, Self.names[position],
                    "`SagaFailed` should name the failed step. Run `lab hint 3.4`.")
                XCTAssertEqual(
                    error.compensated, Array(Self.names[..<position].reversed()),
                    "A failure at step \(position + 1) should compensate exactly the completed steps, newest first. "
                        + "Run `lab hint 3.4`.")
            }
            let compensations = events.values.filter { $0.kind == .stepCompensated }.compactMap(\.step)
            XCTAssertEqual(
                compensations, Array(Self.names[..<position].reversed()),
                "Audit `step_compensated` for each compensated step, newest first. Run `lab hint 3.4`.")
            let repoExists = await world.repoExists()
            XCTAssertFalse(repoExists, "After the saga failed the repository should be gone. Run `lab hint 3.4`.")
            let (pipelines, monitored) = (await world.ci.entries, await world.monitoring.entries)
            XCTAssertEqual(pipelines, [], "After the saga failed no CI pipeline should be left. Run `lab hint 3.4`.")
            XCTAssertEqual(monitored, [], "After the saga failed nothing should be monitored. Run `lab hint 3.4`.")
        }
    }

    func test4_aFailedSagaEndsWithSagaFailedCarryingTheError() async throws {
        let world = try await World.make()
        try await world.failStep(at: 2)
        let events = TestRecorder<SagaAuditEvent>()
        let orchestrator = SagaOrchestrator(name: "onboard_repository") { events.append($0) }
        let steps = world.steps
        do {
            _ = try await world.clock.run { try await orchestrator.execute(steps) }
            XCTFail("Monitoring fails, so `execute` should throw `SagaFailed`. Run `lab hint 3.4`.")
        } catch is SagaFailed {}
        XCTAssertEqual(
            events.values.last,
            SagaAuditEvent(
                .sagaFailed, saga: "onboard_repository", step: "setup_monitoring", error: "monitoring is unavailable"),
            "The last audit event should be `saga_failed` naming the failed step and the error's description. "
                + "Run `lab hint 3.4`.")
        XCTAssertFalse(
            events.values.contains { $0.kind == .stepComplete && $0.step == "setup_monitoring" },
            "A step that failed must not be audited as `step_complete`. Run `lab hint 3.4`.")
    }
}
