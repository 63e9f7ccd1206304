import XCTest

@testable import GraderKit

final class XCTestLogTests: XCTestCase {
    func test_readsPassesFailuresMessagesAndTheCheckACrashInterrupted() {
        let output = """
            Test Suite 'Selected tests' started at 2026-12-07 03:00:00.000
            Test Case 'Exercise1_3Checks.test1_greets' started at 2026-12-07 03:00:00.001
            Test Case 'Exercise1_3Checks.test1_greets' passed (0.002 seconds)
            Test Case 'Exercise1_3HiddenChecks.test2_upper' started at 2026-12-07 03:00:00.003
            /w/grader/hidden/Exercise1_3/X.swift:12: error: Exercise1_3HiddenChecks.test2_upper : XCTAssertTrue failed - The greeting was wrong. Run `lab hint 1.3`.
            Test Case 'Exercise1_3HiddenChecks.test2_upper' failed (0.010 seconds)
            Test Case 'Exercise1_3HiddenChecks.test3_crash' started at 2026-12-07 03:00:00.020
            Fatal error: Unexpectedly found nil while unwrapping an Optional value
            """
        let log = XCTestLog(parsing: output)
        let greets = CheckID(className: "Exercise1_3Checks", method: "test1_greets")
        let upper = CheckID(className: "Exercise1_3HiddenChecks", method: "test2_upper")
        XCTAssertEqual(log.results[greets]?.passed, true)
        XCTAssertEqual(log.results[upper]?.passed, false)
        XCTAssertEqual(
            log.results[upper]?.messages, ["XCTAssertTrue failed - The greeting was wrong. Run `lab hint 1.3`."])
        XCTAssertEqual(log.results[upper]?.seconds, 0.01)
        XCTAssertEqual(log.unfinished, CheckID(className: "Exercise1_3HiddenChecks", method: "test3_crash"))
    }

    func test_buildErrorsAreAttributedToTheirExerciseAndHiddenErrorsAreConcealed() {
        let log = """
            /ws/Exercises/Exercise1_3/Greet.swift:4:9: error: cannot find 'x' in scope
            /ws/grader/hidden/Exercise1_4/Exercise1_4HiddenChecks.swift:20:5: error: value of type 'Settings' has no member 'secretInput'
            /ws/Tests/Exercise1_5Tests/Exercise1_5Checks.swift:3:1: error: missing argument
            /ws/Sources/MokoEnterprise/A.swift:1:1: error: core
            """
        let culprits = Builder.attribute(
            log, workspace: URL(fileURLWithPath: "/ws"), exercises: ["Exercise1_3", "Exercise1_4", "Exercise1_5"])
        XCTAssertEqual(Set(culprits.keys), ["Exercise1_3", "Exercise1_4", "Exercise1_5"])
        XCTAssertEqual(
            culprits["Exercise1_3"], "Exercises/Exercise1_3/Greet.swift:4:9: error: cannot find 'x' in scope")
        XCTAssertFalse(culprits["Exercise1_4"]?.contains("secretInput") ?? true)
    }

    func test_processRunnerKillsAHangAtTheWallLimitAndReportsSignals() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let hang = try ProcessRunner.run(
            ["/bin/sh", "-c", "echo started; exec sleep 30"], directory: directory, environment: [:],
            wallSeconds: 0.5, outputBytes: 1_000, logFile: directory.appendingPathComponent("hang.log"))
        XCTAssertEqual(hang.ending, .timedOut)
        XCTAssertEqual(hang.output, "started\n")
        let crash = try ProcessRunner.run(
            ["/bin/sh", "-c", "kill -SEGV $$"], directory: directory, environment: [:], wallSeconds: 10,
            outputBytes: 1_000, logFile: directory.appendingPathComponent("crash.log"))
        XCTAssertEqual(crash.ending, .signalled(11))
        let chatty = try ProcessRunner.run(
            ["/bin/sh", "-c", "exec yes"], directory: directory, environment: [:],
            wallSeconds: 10, outputBytes: 10_000,
            logFile: directory.appendingPathComponent("chatty.log"))
        XCTAssertEqual(chatty.ending, .outputLimit)
    }

    func test_bubblewrapHidesTheGivenFoldersAndKeepsOnlyLoopback() {
        let sandbox = Sandbox(mode: .bwrap, prlimit: "/usr/bin/prlimit", tool: "/usr/bin/bwrap")
        let line = sandbox.wrap(
            ["/w/.build/debug/T.xctest", "F"], limits: Rubric.Limits(),
            hide: [URL(fileURLWithPath: "/work/main"), URL(fileURLWithPath: "/")],
            readOnly: [URL(fileURLWithPath: "/work/main/.build-grader/workspace/.build")], environment: ["HOME": "/tmp"]
        )
        XCTAssertEqual(Array(line.prefix(2)), ["/usr/bin/prlimit", "--cpu=300"])
        XCTAssertTrue(line.contains("--unshare-all"))
        XCTAssertTrue(line.contains { $0.hasPrefix("--fsize=") }, "every written file is size-limited")
        let joined = line.joined(separator: " ")
        XCTAssertTrue(joined.contains("--tmpfs /work/main --ro-bind /work/main/.build-grader/workspace/.build"))
        XCTAssertFalse(joined.contains("--tmpfs / "), "never hides the root folder")
        XCTAssertEqual(Array(line.suffix(2)), ["/w/.build/debug/T.xctest", "F"])
    }
}
