import XCTest

@testable import GraderKit

/// Runs the exercise runner against a stand-in test bundle (a shell script printing XCTest's lines) that
/// crashes or hangs, so the crash, timeout, re-run and not_run rules are checked without a Swift build.
final class ExerciseRunnerTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("grader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func runner(bundle script: String, wallSeconds: Int) throws -> ExerciseRunner {
        let workspace = Workspace(instructorRoot: root, directory: root.appendingPathComponent("ws"))
        try FileManager.default.createDirectory(
            at: workspace.testBundle.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(("#!/bin/sh\n" + script).utf8).write(to: workspace.testBundle)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: workspace.testBundle.path)
        return ExerciseRunner(
            workspace: workspace, sandbox: Sandbox(mode: .none, prlimit: nil, tool: nil),
            limits: Rubric.Limits(exerciseWallSeconds: wallSeconds), hide: [],
            logDirectory: root.appendingPathComponent("logs"))
    }

    private let allocation = ItemAllocation(
        item: Rubric.Item(id: "Exercise1_1", kind: .exercise, criterion: "a", points: 3), pendingReason: nil,
        checks: (1...3).map {
            CheckAllocation(
                check: CheckID(className: "Exercise1_1HiddenChecks", method: "test\($0)"), criterion: "a",
                points: Points(1), hidden: true)
        })

    func test_aCrashCostsTheRunningCheckAndTheRestRunAgain() throws {
        let runner = try runner(
            bundle: """
                case "$1" in
                *"/"*)
                    echo "Test Case 'Exercise1_1HiddenChecks.test3' started at now"
                    echo "Test Case 'Exercise1_1HiddenChecks.test3' passed (0.001 seconds)" ;;
                *)
                    echo "Test Case 'Exercise1_1HiddenChecks.test1' started at now"
                    echo "x.swift:1: error: Exercise1_1HiddenChecks.test1 : XCTAssertTrue failed - The total was wrong."
                    echo "Test Case 'Exercise1_1HiddenChecks.test1' failed (0.001 seconds)"
                    echo "Test Case 'Exercise1_1HiddenChecks.test2' started at now"
                    kill -SEGV $$ ;;
                esac
                """, wallSeconds: 30)
        let results = runner.run(allocation)
        XCTAssertEqual(results.map(\.status), [.fail, .error, .pass])
        XCTAssertEqual(results[0].message, "The total was wrong.")
        XCTAssertTrue(results[1].message?.contains("signal 11") ?? false)
        XCTAssertEqual(results.map(\.points).sum(), Points(1))
    }

    func test_aHangIsATimeoutAndChecksThatNeverRanAreNotRun() throws {
        let runner = try runner(
            bundle: """
                echo "Test Case 'Exercise1_1HiddenChecks.test1' started at now"
                exec sleep 30
                """, wallSeconds: 1)
        let started = Date()
        let results = runner.run(allocation)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(results.map(\.status), [.timeout, .notRun, .notRun])
        XCTAssertEqual(results.map(\.points).sum(), .zero)
    }

    func test_aBundleThatCannotStartIsAnInfrastructureError() throws {
        let runner = try runner(bundle: "", wallSeconds: 5)
        try FileManager.default.removeItem(at: runner.workspace.testBundle)
        let results = runner.run(allocation)
        XCTAssertEqual(results.map(\.status), [.error, .error, .error])
        XCTAssertTrue(results.allSatisfy(\.infrastructure))
    }
}
