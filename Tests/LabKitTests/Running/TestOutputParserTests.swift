import LabKit
import Testing

/// The fixtures are real `swift test --disable-swift-testing` outputs (Swift 6.3.1, Linux) with the lab's
/// folder replaced by `/LAB`.
@Suite struct TestOutputParserTests {
    @Test func skeletonRunHasFourFailingChecksInOrderWithTheirMessages() throws {
        let report = TestOutputParser.parse(try fixture("skeleton-1_3"))
        #expect(
            report.checks.map(\.method) == [
                "test1_printsHelloWithTheGivenName", "test2_uppercaseFlagPrintsTheGreetingInCapitals",
                "test3_missingNameIsAUsageErrorWithExitCode64", "test4_runsThroughTheFrameworkAndExitsWithZero",
            ])
        #expect(report.checks.allSatisfy { $0.className == "Exercise1_3Checks" && $0.status == .failed })
        #expect(report.ran.count == 4 && report.passed.isEmpty)
        let first = try #require(report.failed.first)
        #expect(first.failures.count == 1)
        #expect(first.failures[0].hasPrefix("threw error \"`greet --name Ada` was rejected: Unknown option '--name'."))
        #expect(first.location == "<EXPR>:0")
        #expect(report.checks[2].location == "/LAB/Tests/Exercise1_3Tests/Exercise1_3Checks.swift:30")
        #expect(
            report.checks[2].failures == [
                "failed - `greet` without `--name` was accepted; `--name` must be required. Run `lab hint 1.3`."
            ])
        #expect(report.diagnostics.isEmpty && report.buildErrors.isEmpty && report.crash == nil)
    }

    @Test func compileErrorsKeepTheirExcerptsAndNewlines() throws {
        let report = TestOutputParser.parse(try fixture("compile-error"))
        #expect(report.checks.isEmpty)
        #expect(report.compileErrors.count == 2)
        let first = report.compileErrors[0]
        #expect(first.path == "/LAB/Exercises/Exercise1_3/Greet.swift" && first.line == 5 && first.column == 26)
        #expect(first.message == "cannot convert value of type 'String' to specified type 'Int'")
        #expect(first.excerpt.first == "3 | ")
        #expect(
            first.excerpt.contains(
                "  |                          `- error: cannot convert value of type 'String' to specified type 'Int'"))
        #expect(first.excerpt.last == "7 |     }")
        #expect(report.compileErrors[1].message == "cannot find 'nam' in scope")
        // `error: fatalError` is SwiftPM's summary of the same failure, not a second error.
        #expect(report.buildErrors.isEmpty)
    }

    @Test func aCrashEndsTheRunAndLeavesTheCrashingCheckUnfinished() throws {
        let report = TestOutputParser.parse(try fixture("crash"))
        #expect(report.checks.map(\.status) == [.failed, .failed, .passed, .unfinished])
        #expect(report.crash == "Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range")
        #expect(report.ran.count == 3)
        #expect(
            report.checks[0].failures == [
                "XCTAssertEqual failed: (\"Hello, Ada\") is not equal to (\"Hello, Ada!\") - should greet with `!`. "
                    + "Run `lab hint 1.3`."
            ])
        // A message on two lines stays on two lines; what the check printed before it is not part of it.
        #expect(
            report.checks[1].failures == [
                "threw error \"the first line of the explanation\nand its second line. Run `lab hint 1.3`.\""
            ])
    }

    @Test func aFilterThatMatchesNothingRunsNothingThoughItExitsZero() throws {
        let report = TestOutputParser.parse(try fixture("nomatch-1_3"))
        #expect(report.checks.isEmpty && report.ran.isEmpty && report.diagnostics.isEmpty && report.buildErrors.isEmpty)
    }

    @Test func solutionRunPassesEveryCheck() throws {
        let report = TestOutputParser.parse(try fixture("solution-1_3"))
        #expect(report.ran.count == 4 && report.passed.count == 4 && report.failed.isEmpty)
    }

    @Test func aFailureRecordedTwiceKeepsBothMessages() throws {
        let report = TestOutputParser.parse(try fixture("mutant-1_3"))
        let hidden = report.checks(ofClass: "Exercise1_3HiddenChecks")
        #expect(hidden.count == 6)
        #expect(hidden.filter { $0.status == .failed }.map(\.method).contains("test4_blankNameIsAUsageError"))
        let caught = try #require(hidden.first { $0.method == "test4_blankNameIsAUsageError" })
        #expect(caught.failures.count == 2)
    }

    @Test func aLinkErrorIsABuildError() {
        let report = TestOutputParser.parse(
            "[5/9] Linking lab\nerror: link command failed with exit code 1 (use -v to see invocation)\n")
        #expect(report.buildErrors == ["link command failed with exit code 1 (use -v to see invocation)"])
    }

    @Test(arguments: [
        ("test1_printsHelloWithTheGivenName", "prints hello with the given name"),
        ("test12_opensAfterFiveFailures", "opens after five failures"),
        ("testRollsBack", "rolls back"),
        ("test3_missing_name", "missing name"),
    ])
    func methodNamesReadAsSentences(method: String, words: String) {
        #expect(CheckResult(className: "C", method: method, status: .passed).readableName == words)
    }
}
