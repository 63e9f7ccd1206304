import Foundation
import LabKit
import MokoEnterpriseTestSupport
import Testing

@Suite struct VerifierTests {
    static let visible = [
        "test1_printsHelloWithTheGivenName", "test2_uppercaseFlagPrintsTheGreetingInCapitals",
        "test3_missingNameIsAUsageErrorWithExitCode64", "test4_runsThroughTheFrameworkAndExitsWithZero",
    ]

    static func run(_ results: [(String, String, Bool)]) -> String {
        results.map { className, method, passed in
            "Test Case '\(className).\(method)' started at 2026\n"
                + (passed ? "" : "/x.swift:1: error: \(className).\(method) : XCTAssertTrue failed - no\n")
                + "Test Case '\(className).\(method)' \(passed ? "passed" : "failed") (0.001 seconds)"
        }.joined(separator: "\n")
    }

    static func all(_ passed: Bool, hidden hiddenPassed: Bool? = nil) -> String {
        run(
            visible.map { ("Exercise1_3Checks", $0, passed) } + [
                ("Exercise1_3HiddenChecks", "test1_more", hiddenPassed ?? passed)
            ])
    }

    @Test func aSoundExercisePassesWithItsRuns() throws {
        let fake = try FakeLab()
        let runner = RecordingRunner([
            .init(exitCode: 1, output: Self.all(false)), .init(exitCode: 0, output: Self.all(true)),
            .init(exitCode: 1, output: Self.run([("Exercise1_3HiddenChecks", "test1_more", false)])),
        ])
        let verifier = Verifier(
            lab: fake.lab, runner: runner, configuration: .init(skeletonScratchPath: ".s", solutionsScratchPath: ".o"))
        let result = try verifier.verify(try verifier.exerciseIDs(["1.3"]), log: TextBuffer())
        #expect(result.violations == [])
        #expect(result.exitCode == 0)
        #expect(
            result.rows == [
                .init(
                    id: "Exercise1_3", skeletonPassed: 0, skeletonRan: 5, solutionVisiblePassed: 4,
                    solutionHiddenPassed: 1,
                    solutionFailed: 0, mutantsCaught: 1, mutants: 1, problems: [])
            ])
        #expect(
            result.table.contains("| Exercise1_3  |      0 / 5      |    4 |    1 |    0 |      1 / 1     | ok     |"))
        let invocations = runner.invocations
        #expect(
            invocations.map(\.environment) == [
                ["LAB_ONLY": "Exercise1_3"], ["LAB_ONLY": "Exercise1_3", "LAB_SOLUTIONS": "1"],
                ["LAB_ONLY": "Exercise1_3", "LAB_SOLUTIONS": "1", "LAB_MUTANT": "Exercise1_3/wrong"],
            ])
        #expect(
            invocations[0].arguments == [
                "test", "--scratch-path", ".s", "--disable-swift-testing", "--filter",
                #"^(Exercise1_3(Hidden)?Tests\.)"#,
            ])
        #expect(invocations[2].arguments.suffix(2) == ["--filter", #"^Exercise1_3HiddenTests\."#])
        #expect(invocations[2].arguments[2] == ".o")
        #expect(
            FileManager.default.fileExists(
                atPath: fake.directory.appending(".build-verify-logs/mutant-Exercise1_3-wrong.log").path))
    }

    @Test func skippedMutantsAreNotRunButTheirHeadersAreStillRequired() throws {
        let fake = try FakeLab()
        let runner = RecordingRunner([
            .init(exitCode: 1, output: Self.all(false)), .init(exitCode: 0, output: Self.all(true)),
        ])
        let verifier = Verifier(
            lab: fake.lab, runner: runner,
            configuration: .init(skeletonScratchPath: ".s", solutionsScratchPath: ".o", runMutants: false))
        let result = try verifier.verify(try verifier.exerciseIDs(["1.3"]), log: TextBuffer())
        #expect(result.violations == [])
        #expect(runner.invocations.count == 2)  // the skeleton and the solution runs, no mutant run
        #expect(result.table.contains("|   skip / 1     | ok     |"))
    }

    @Test func eachRunHasALogsFolderOfItsOwn() throws {
        let date = Date(timeIntervalSince1970: 1_797_559_200)
        let first = Verifier.Configuration.runLogsFolder(date: date, processID: 41)
        let second = Verifier.Configuration.runLogsFolder(date: date, processID: 42)
        #expect(first == ".build-verify-logs/20261218T020000Z-41")  // UTC, whatever the local time zone
        #expect(first != second)

        let fake = try FakeLab()
        let logs = try TemporaryDirectory(prefix: "verify-logs")
        let runner = RecordingRunner([
            .init(exitCode: 1, output: Self.all(false)), .init(exitCode: 0, output: Self.all(true)),
            .init(exitCode: 1, output: Self.run([("Exercise1_3HiddenChecks", "test1_more", false)])),
        ])
        let verifier = Verifier(
            lab: fake.lab, runner: runner,
            configuration: .init(skeletonScratchPath: ".s", solutionsScratchPath: ".o", logsFolder: logs.path + "/run"))
        _ = try verifier.verify(try verifier.exerciseIDs(["1.3"]), log: TextBuffer())
        for log in ["skeletons.log", "solutions.log", "mutant-Exercise1_3-wrong.log"] {
            #expect(FileManager.default.fileExists(atPath: logs.path + "/run/" + log))
        }
        #expect(!FileManager.default.fileExists(atPath: fake.directory.appending(".build-verify-logs").path))
    }

    @Test func eachBrokenPromiseIsAViolation() throws {
        let fake = try FakeLab()
        let runner = RecordingRunner([
            // A check passes on the skeleton; the solution fails its hidden check; the mutant survives.
            .init(exitCode: 1, output: Self.all(false, hidden: true)),
            .init(exitCode: 1, output: Self.all(true, hidden: false)),
            .init(exitCode: 0, output: Self.run([("Exercise1_3HiddenChecks", "test1_more", true)])),
        ])
        let verifier = Verifier(lab: fake.lab, runner: runner)
        let result = try verifier.verify(["Exercise1_3"], log: TextBuffer())
        let violations = result.violations.joined(separator: "\n")
        #expect(violations.contains("1 check(s) pass on the skeleton: Exercise1_3HiddenChecks.test1_more"))
        #expect(violations.contains("1 check(s) fail on the solution: test1_more"))
        #expect(violations.contains("mutant wrong is not caught by any hidden check"))
        #expect(violations.contains("the solutions run exited 1"))
        #expect(result.exitCode == 1 && result.table.contains("FAIL"))
    }

    @Test func aRunThatBuildsNothingIsCountedNotAssumed() throws {
        let fake = try FakeLab()
        let compileError = try fixture("compile-error").replacingOccurrences(of: "/LAB", with: fake.directory.path)
        let runner = RecordingRunner([
            .init(exitCode: 1, output: compileError), .init(exitCode: 0, output: "Executed 0 tests"),
            .init(exitCode: 1, output: compileError),
        ])
        let result = try Verifier(lab: fake.lab, runner: runner).verify(["Exercise1_3"], log: TextBuffer())
        let violations = result.violations.joined(separator: "\n")
        #expect(
            violations.contains(
                "0 of 5 checks ran on the skeleton (see .build-verify-logs/skeletons.log) — Exercises/Exercise1_3/Greet.swift:5:26: error: cannot convert"
            ))
        #expect(violations.contains("0 of 4 visible checks passed on the solution"))
        #expect(violations.contains("mutant wrong: 0 of 1 hidden checks ran"))
    }

    @Test func unknownExercisesAreUsageErrors() throws {
        let fake = try FakeLab()
        let verifier = Verifier(lab: fake.lab, runner: RecordingRunner([]))
        #expect(try verifier.exerciseIDs([]) == ["Exercise1_3", "Exercise1_4"])
        #expect(throws: LabError.self) { try verifier.exerciseIDs(["3.4"]) }
    }
}
