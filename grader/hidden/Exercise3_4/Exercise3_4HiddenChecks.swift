import Exercise3_4
import ExerciseSupport
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

/// Hidden checks for Exercise 3.4.
///
/// Steps and systems get generated names; comparisons use `XCTAssertTrue` and errors escaping the trainee's
/// code go through `HiddenCheckFailure.concealing`, so no generated name reaches the output.
final class Exercise3_4HiddenChecks: XCTestCase {
    struct SystemDown: Error, CustomStringConvertible {
        var system: String
        var description: String { "\(system) refused the call" }
    }

    /// A fake system recording every call in a shared ledger (`+name:entry`, `-name:entry`).
    actor FakeSystem {
        let name: String
        let ledger: TestRecorder<String>
        private(set) var entries: [String] = []
        var failAdd = false
        var failRemove = false

        init(_ name: String, ledger: TestRecorder<String>) {
            self.name = name
            self.ledger = ledger
        }

        func set(failAdd: Bool = false, failRemove: Bool = false) {
            self.failAdd = failAdd
            self.failRemove = failRemove
        }

        func add(_ entry: String) throws {
            if failAdd { throw SystemDown(system: name) }
            entries.append(entry)
            ledger.append("+\(name)")
        }

        func remove(_ entry: String) throws {
            ledger.append("-\(name)")
            if failRemove { throw SystemDown(system: name) }
            entries.removeAll { $0 == entry }
        }
    }

    struct Step: SagaStep {
        var name: String
        var run: @Sendable () async throws -> Void
        var undo: @Sendable () async throws -> Void
        func execute() async throws { try await run() }
        func compensate() async throws { try await undo() }
    }

    /// The mock GitHub (a repository step) plus `count - 1` fake systems, in a generated order.
    struct World {
        let mock: MockGitHub
        let client: GitHubClient
        let clock: ManualClock
        let ledger: TestRecorder<String>
        let fakes: [FakeSystem]
        let repo: String
        let steps: [any SagaStep]

        static func make(fakeCount: Int, githubPosition: Int, random: inout CheckRandomGenerator) async throws -> World
        {
            let mock = MockGitHub(configuration: .init(seed: random.next(), fixture: .standard(repos: 2)))
            guard let token = await mock.token(for: "mona") else {
                throw HiddenCheckFailure("no token", exercise: "3.4")
            }
            let clock = ManualClock()
            let client = try GitHubClient(
                token: token, transport: MockGitHubTransport(mock: mock), clock: clock, mutationSpacing: .zero)
            let ledger = TestRecorder<String>()
            let repo = "svc-" + random.word(length: 6)
            let fakes = (0..<fakeCount).map { FakeSystem("sys\($0)_" + random.word(length: 4), ledger: ledger) }
            var steps: [any SagaStep] = fakes.map { fake in
                Step(
                    name: "step_" + fake.name, run: { try await fake.add(repo) }, undo: { try await fake.remove(repo) })
            }
            steps.insert(
                Step(
                    name: "step_github",
                    run: {
                        _ = try await client.createRepo(org: "moko-lab", NewRepository(name: repo))
                        ledger.append("+github")
                    },
                    undo: {
                        ledger.append("-github")
                        try await client.deleteRepo(owner: "moko-lab", repo: repo)
                    }),
                at: min(githubPosition, steps.count))
            return World(
                mock: mock, client: client, clock: clock, ledger: ledger, fakes: fakes, repo: repo, steps: steps)
        }

        /// The system name of a step (`github` or a fake's name).
        func system(of step: any SagaStep) -> String { String(step.name.dropFirst("step_".count)) }

        func fail(at position: Int) async throws {
            let name = system(of: steps[position])
            if name == "github" {
                try await mock.setFaultPlan(
                    .burst(method: "POST", path: "/orgs/*/repos", status: 502, occurrences: 1...1))
            } else {
                await fakes.first { $0.name == name }?.set(failAdd: true)
            }
        }

        func everythingIsUndone() async -> Bool {
            let repoGone = await !mock.dumpState().repos.contains { $0.name == repo }
            var fakesEmpty = true
            for fake in fakes {
                let entries = await fake.entries
                if !entries.isEmpty { fakesEmpty = false }
            }
            return repoGone && fakesEmpty
        }
    }

    func test1_failuresAnywhereCompensateTheCompletedStepsInReverse() async throws {
        var random = CheckRandomGenerator(seed: 3_401)
        for _ in 0..<10 {
            let fakeCount = Int.random(in: 1...5, using: &random)
            let world = try await World.make(
                fakeCount: fakeCount, githubPosition: Int.random(in: 0...fakeCount, using: &random), random: &random)
            let failing = Int.random(in: 0..<world.steps.count, using: &random)
            try await world.fail(at: failing)
            let events = TestRecorder<SagaAuditEvent>()
            let sagaName = "saga_" + random.word(length: 5)
            let orchestrator = SagaOrchestrator(name: sagaName) { events.append($0) }
            let steps = world.steps
            do {
                _ = try await world.clock.run { try await orchestrator.execute(steps) }
                XCTFail("A saga with a failing step did not throw. Run `lab hint 3.4`.")
            } catch let error as SagaFailed {
                XCTAssertTrue(
                    error.failedStep == steps[failing].name, "`SagaFailed` named the wrong step. Run `lab hint 3.4`.")
                XCTAssertTrue(
                    error.compensated == steps[..<failing].reversed().map(\.name),
                    "`SagaFailed.compensated` was not the completed steps, newest first. Run `lab hint 3.4`.")
                XCTAssertTrue(
                    error.isFullyCompensated,
                    "A saga reported compensation failures where none happened. Run `lab hint 3.4`.")
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "A saga with a failing step", exercise: "3.4")
            }
            let completed = steps[..<failing].map { world.system(of: $0) }
            XCTAssertTrue(
                world.ledger.values == completed.map { "+" + $0 } + completed.reversed().map { "-" + $0 },
                "The systems did not see the completed steps done and then undone in reverse order (and nothing "
                    + "else). Run `lab hint 3.4`.")
            let everythingIsUndone = await world.everythingIsUndone()
            XCTAssertTrue(everythingIsUndone, "A failed saga left something behind in a system. Run `lab hint 3.4`.")
            var expected: [SagaAuditEvent] = []
            for step in steps[..<failing] {
                expected += [
                    SagaAuditEvent(.stepStart, saga: sagaName, step: step.name),
                    SagaAuditEvent(.stepComplete, saga: sagaName, step: step.name),
                ]
            }
            expected.append(SagaAuditEvent(.stepStart, saga: sagaName, step: steps[failing].name))
            expected += steps[..<failing].reversed().map {
                SagaAuditEvent(.stepCompensated, saga: sagaName, step: $0.name)
            }
            XCTAssertTrue(
                Array(events.values.dropLast()) == expected,
                "The audit events before `saga_failed` were not start/complete per completed step, start of the "
                    + "failed step, then one `step_compensated` per completed step, newest first. Run `lab hint 3.4`.")
            let last = events.values.last
            XCTAssertTrue(
                last?.kind == .sagaFailed && last?.saga == sagaName && last?.step == steps[failing].name
                    && (last?.error?.isEmpty == false),
                "The last audit event was not `saga_failed` with the failed step and the error. Run `lab hint 3.4`.")
        }
    }

    func test2_aCompensationThatThrowsDoesNotStopTheOthers() async throws {
        var random = CheckRandomGenerator(seed: 3_402)
        for _ in 0..<5 {
            let world = try await World.make(fakeCount: 4, githubPosition: 0, random: &random)
            // Steps 2 and 3 (fakes 1 and 2) complete, then fake 3 fails; fake 1's compensation throws.
            let brokenUndo = world.fakes[Int.random(in: 0...2, using: &random)]
            await brokenUndo.set(failRemove: true)
            try await world.fail(at: 4)
            let events = TestRecorder<SagaAuditEvent>()
            let orchestrator = SagaOrchestrator(name: "s") { events.append($0) }
            let steps = world.steps
            do {
                _ = try await world.clock.run { try await orchestrator.execute(steps) }
                XCTFail("A saga with a failing step did not throw. Run `lab hint 3.4`.")
            } catch let error as SagaFailed {
                XCTAssertTrue(
                    error.compensationFailures.map(\.step) == ["step_" + brokenUndo.name],
                    "`SagaFailed.compensationFailures` did not name exactly the compensation that threw. "
                        + "Run `lab hint 3.4`.")
                XCTAssertTrue(
                    error.compensated.count == 3 && !error.compensated.contains("step_" + brokenUndo.name),
                    "The other completed steps were not all compensated after one compensation threw. "
                        + "Run `lab hint 3.4`.")
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "A saga whose compensation throws", exercise: "3.4")
            }
            let undone = world.ledger.values.filter { $0.hasPrefix("-") }
            XCTAssertTrue(
                undone == ["-" + world.fakes[2].name, "-" + world.fakes[1].name, "-" + world.fakes[0].name, "-github"],
                "Every completed step's compensation was not attempted, newest first, after one threw. "
                    + "Run `lab hint 3.4`.")
            let repoGone = await !world.mock.dumpState().repos.contains { $0.name == world.repo }
            XCTAssertTrue(
                repoGone, "The repository was not deleted after a later compensation threw. Run `lab hint 3.4`.")
            XCTAssertTrue(
                events.values.filter { $0.kind == .compensationFailed }.map(\.step) == ["step_" + brokenUndo.name],
                "The compensation that threw was not audited as `compensation_failed`. Run `lab hint 3.4`.")
            XCTAssertTrue(
                events.values.last?.kind == .sagaFailed, "The saga did not end with `saga_failed`. Run `lab hint 3.4`.")
        }
    }

    func test3_successfulGeneratedSagasCompensateNothing() async throws {
        var random = CheckRandomGenerator(seed: 3_403)
        for _ in 0..<5 {
            let fakeCount = Int.random(in: 0...4, using: &random)
            let world = try await World.make(
                fakeCount: fakeCount, githubPosition: Int.random(in: 0...fakeCount, using: &random), random: &random)
            let events = TestRecorder<SagaAuditEvent>()
            let orchestrator = SagaOrchestrator(name: "ok") { events.append($0) }
            let steps = world.steps
            let result: SagaResult
            do {
                result = try await world.clock.run { try await orchestrator.execute(steps) }
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "A saga without failures", exercise: "3.4")
            }
            XCTAssertTrue(
                result.completed == steps.map(\.name) && result.saga == "ok",
                "A successful saga did not report every step completed, in order. Run `lab hint 3.4`.")
            XCTAssertTrue(
                world.ledger.values == steps.map { "+" + world.system(of: $0) },
                "A successful saga undid something or ran a step twice. Run `lab hint 3.4`.")
            let expectedKinds: [SagaAuditEvent.Kind] =
                steps.flatMap { _ in [SagaAuditEvent.Kind.stepStart, .stepComplete] } + [.sagaComplete]
            XCTAssertTrue(
                events.values.map(\.kind) == expectedKinds,
                "A successful saga's audit trail was not start/complete per step then `saga_complete`. "
                    + "Run `lab hint 3.4`.")
        }
    }

    func test4_invalidSagasAreRejectedBeforeAnythingRuns() async throws {
        var random = CheckRandomGenerator(seed: 3_404)
        let world = try await World.make(fakeCount: 2, githubPosition: 1, random: &random)
        let duplicate = world.steps + [world.steps[0]]
        let unnamed: [any SagaStep] = [Step(name: "", run: {}, undo: {})] + world.steps
        let invalid: [[any SagaStep]] = [[], duplicate, unnamed]
        for steps in invalid {
            let events = TestRecorder<SagaAuditEvent>()
            let orchestrator = SagaOrchestrator(name: "bad") { events.append($0) }
            do {
                _ = try await world.clock.run { try await orchestrator.execute(steps) }
                XCTFail("An empty saga, a nameless step or two steps with one name were accepted. Run `lab hint 3.4`.")
            } catch is SagaDefinitionError {
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "An invalid saga", exercise: "3.4")
            }
            XCTAssertTrue(events.values.isEmpty, "An invalid saga still produced audit events. Run `lab hint 3.4`.")
        }
        XCTAssertTrue(world.ledger.values.isEmpty, "An invalid saga still ran a step. Run `lab hint 3.4`.")
    }

    func test5_aFailureAtTheFirstStepCompensatesNothingAndKeepsTheError() async throws {
        var random = CheckRandomGenerator(seed: 3_405)
        let world = try await World.make(fakeCount: 3, githubPosition: 0, random: &random)
        try await world.fail(at: 0)
        let events = TestRecorder<SagaAuditEvent>()
        let orchestrator = SagaOrchestrator(name: "first") { events.append($0) }
        let steps = world.steps
        do {
            _ = try await world.clock.run { try await orchestrator.execute(steps) }
            XCTFail("A saga whose first step fails did not throw. Run `lab hint 3.4`.")
        } catch let error as SagaFailed {
            XCTAssertTrue(
                error.compensated.isEmpty, "A failure at the first step compensated something. Run `lab hint 3.4`.")
            XCTAssertTrue(
                (error.error as? GitHubAPIError)?.statusCode == 502,
                "`SagaFailed.error` was not the failed step's own error. Run `lab hint 3.4`.")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "A saga failing at its first step", exercise: "3.4")
        }
        XCTAssertTrue(
            world.ledger.values.isEmpty, "A failure at the first step still touched a system. Run `lab hint 3.4`.")
        XCTAssertTrue(
            events.values.map(\.kind) == [.stepStart, .sagaFailed],
            "A failure at the first step should give exactly `step_start` then `saga_failed`. Run `lab hint 3.4`.")
    }
}
