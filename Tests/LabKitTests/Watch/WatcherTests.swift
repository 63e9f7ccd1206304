import Foundation
import LabKit
import MokoEnterpriseTestSupport
import Synchronization
import Testing

/// Counts waits and, on each, lets the test change files.
final class ScriptedWaiter: ChangeWaiting {
    private let waits = Mutex(0)
    let onWait: @Sendable (Int) throws -> Void

    init(onWait: @escaping @Sendable (Int) throws -> Void) {
        self.onWait = onWait
    }

    var count: Int { waits.withLock { $0 } }

    func waitForChange(in folder: URL, since snapshot: FolderSnapshot) async throws {
        let number = waits.withLock {
            $0 += 1
            return $0
        }
        try onWait(number)
    }
}

@Suite struct WatcherTests {
    static let failing = ProcessOutcome(
        exitCode: 1,
        output: """
            Test Case 'Exercise1_3Checks.test1_a' started at 2026-01-01 00:00:00.000
            /x/Checks.swift:3: error: Exercise1_3Checks.test1_a : XCTAssertTrue failed - wrong
            Test Case 'Exercise1_3Checks.test1_a' failed (0.001 seconds)
            """)

    static func passing(_ id: String) -> ProcessOutcome {
        let names = ["test1_a", "test2_b", "test3_c", "test4_d"]
        return ProcessOutcome(
            exitCode: 0,
            output: names.map {
                "Test Case '\(id)Checks.\($0)' started at 2026\nTest Case '\(id)Checks.\($0)' passed (0.001 seconds)"
            }
            .joined(separator: "\n"))
    }

    @Test func rerunsOnEachSaveAndMovesOnWhenTheExercisePasses() async throws {
        let fake = try FakeLab()
        let runner = CheckRunner(runs: [Self.failing, Self.passing("Exercise1_3"), Self.passing("Exercise1_4")])
        let waiter = ScriptedWaiter { _ in }
        let output = TextBuffer()
        let watcher = Watcher(tester: ExerciseTester(lab: fake.lab, runner: runner), waiter: waiter)
        try await watcher.watch(from: "1.3", output: output)
        #expect(
            runner.invocations.filter { $0.program == "swift" }.map { $0.environment["LAB_ONLY"] } == [
                "Exercise1_3", "Exercise1_3", "Exercise1_4",
            ])
        #expect(
            runner.checkRuns.map(\.arguments) == [
                ["Exercise1_3Tests.Exercise1_3Checks"], ["Exercise1_3Tests.Exercise1_3Checks"],
                ["Exercise1_4Tests.Exercise1_4Checks"],
            ])
        #expect(waiter.count == 1)
        #expect(output.text.contains("Moving on to 1.4 Common utilities."))
        #expect(output.text.contains("Every exercise from here on passes."))
        #expect(try ProgressStore(lab: fake.lab).load().status(of: "Exercise1_4") == .passing)
    }

    @Test func cancellationEndsTheWatch() async throws {
        let fake = try FakeLab()
        let runner = CheckRunner(runs: [Self.failing, Self.failing])
        let waiter = ScriptedWaiter { number in if number == 2 { throw CancellationError() } }
        let watcher = Watcher(tester: ExerciseTester(lab: fake.lab, runner: runner), waiter: waiter)
        await #expect(throws: CancellationError.self) { try await watcher.watch(from: nil, output: TextBuffer()) }
        #expect(runner.checkRuns.count == 2)
    }

    @Test func pollingSeesASaveWithoutFileEvents() async throws {
        let fake = try FakeLab()
        let folder = fake.directory.appending("Exercises/Exercise1_3")
        let clock = ManualClock()
        let waiter = FileChangeWaiter(clock: clock, interval: .milliseconds(500), useFileEvents: false)
        let snapshot = FolderSnapshot(of: folder)
        let waiting = Task { try await waiter.waitForChange(in: folder, since: snapshot) }
        #expect(await clock.waitForSleepers())
        clock.advance(by: .milliseconds(500))  // nothing changed: it polls again
        #expect(await clock.waitForSleepers())
        try fake.write("Exercises/Exercise1_3/New.swift", "let saved = 1\n")
        clock.advance(by: .milliseconds(500))
        try await waiting.value
    }
}
