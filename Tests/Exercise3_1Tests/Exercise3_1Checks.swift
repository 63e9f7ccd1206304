import Exercise3_1
import Foundation
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 3.1, a five-step process with a checkpoint after each step. Run them with
/// `swift test --disable-swift-testing --filter Exercise3_1Tests`.
final class Exercise3_1Checks: XCTestCase {
    /// A step failure the checks inject.
    struct InjectedFailure: Error, CustomStringConvertible {
        var step: String
        var description: String { "injected failure in \(step)" }
    }

    /// Five steps that write a side-effect ledger: `attempts` gets every call, `effects` only the calls
    /// that succeeded (the step's real work). Each output chains the previous one, so a step that gets the
    /// wrong earlier outputs produces a wrong result.
    final class FiveSteps: Sendable {
        static let names = ["fetch", "validate", "transform", "publish", "notify"]
        let attempts = TestRecorder<String>()
        let effects = TestRecorder<String>()
        /// Step indices that fail on their next call (once each).
        let failing = LockedValue<Set<Int>>([])

        var steps: [ProcessStep] {
            Self.names.enumerated().map { index, name in
                ProcessStep(name) { itemID, previous in
                    self.attempts.append("\(itemID):\(name)")
                    if self.failing.withLock({ $0.remove(index) != nil }) { throw InjectedFailure(step: name) }
                    self.effects.append("\(itemID):\(name)")
                    return (previous.last ?? itemID) + ">" + name
                }
            }
        }

        static func expectedOutputs(_ itemID: String) -> [String] {
            names.indices.map { index in ([itemID] + names[...index]).joined(separator: ">") }
        }
    }

    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory(prefix: "Exercise3_1Checks")
    }

    override func tearDown() {
        directory?.remove()
    }

    func test1_allFiveStepsRunOnceWhenNothingFails() async throws {
        let process = FiveSteps()
        let manager = try StateRecoveryManager(name: "onboarding", directory: directory.url)
        let outputs = try await manager.process(itemID: "repo-1", steps: process.steps)
        XCTAssertEqual(
            process.effects.values, FiveSteps.names.map { "repo-1:\($0)" },
            "Every step should run once, in order. Run `lab hint 3.1`.")
        XCTAssertEqual(
            outputs, FiveSteps.expectedOutputs("repo-1"),
            "`process` should return every step's output, each step given the outputs before it. "
                + "Run `lab hint 3.1`.")
        XCTAssertEqual(
            try manager.loadState(for: "repo-1"),
            ItemState(completedSteps: 5, outputs: FiveSteps.expectedOutputs("repo-1")),
            "After the run the checkpoint should say all five steps finished, with their outputs. "
                + "Run `lab hint 3.1`.")
    }

    func test2_aFailureKeepsTheCheckpointOfTheStepsBeforeIt() async throws {
        let process = FiveSteps()
        process.failing.withLock { $0 = [2] }
        let manager = try StateRecoveryManager(name: "onboarding", directory: directory.url)
        do {
            _ = try await manager.process(itemID: "repo-1", steps: process.steps)
            XCTFail("Step 3 throws, so `process` should throw `StepFailed`. Run `lab hint 3.1`.")
        } catch let error as StepFailed {
            XCTAssertEqual(error.stepIndex, 2, "`StepFailed` should name step 3 (index 2). Run `lab hint 3.1`.")
            XCTAssertEqual(error.stepName, "transform", "`StepFailed` should name the step. Run `lab hint 3.1`.")
        }
        let state = try XCTUnwrap(
            try manager.loadState(for: "repo-1"),
            "A checkpoint should be saved after each finished step. Run `lab hint 3.1`.")
        XCTAssertEqual(
            state.completedSteps, 2, "Steps 1 and 2 finished: the checkpoint should say 2. Run `lab hint 3.1`.")
        XCTAssertEqual(
            state.outputs, Array(FiveSteps.expectedOutputs("repo-1").prefix(2)),
            "The checkpoint should keep the outputs of the finished steps. Run `lab hint 3.1`.")
        XCTAssertEqual(
            state.lastError, "injected failure in transform",
            "The checkpoint should record why the run stopped (the error's description). Run `lab hint 3.1`.")
    }

    func test3_afterARestartTheRerunResumesAtTheFailedStepForEveryStep() async throws {
        for failing in 0..<5 {
            let process = FiveSteps()
            process.failing.withLock { $0 = [failing] }
            let itemID = "item-\(failing)"
            let first = try StateRecoveryManager(name: "onboarding", directory: directory.url)
            do {
                _ = try await first.process(itemID: itemID, steps: process.steps)
                XCTFail("Step \(failing + 1) throws, so `process` should throw. Run `lab hint 3.1`.")
            } catch is StepFailed {}
            process.attempts.removeAll()
            // A new manager on the same directory: the process restarted and only the file remembers.
            let restarted = try StateRecoveryManager(name: "onboarding", directory: directory.url)
            let outputs = try await restarted.process(itemID: itemID, steps: process.steps)
            XCTAssertEqual(
                process.attempts.values, FiveSteps.names[failing...].map { "\(itemID):\($0)" },
                "After a failure at step \(failing + 1) and a restart, the rerun should start at step "
                    + "\(failing + 1) and call no earlier step. Run `lab hint 3.1`.")
            XCTAssertEqual(
                process.effects.values, FiveSteps.names.map { "\(itemID):\($0)" },
                "Across both runs every step's work should be done exactly once. Run `lab hint 3.1`.")
            XCTAssertEqual(
                outputs, FiveSteps.expectedOutputs(itemID),
                "The resumed steps should get the saved outputs of the steps before them. Run `lab hint 3.1`.")
        }
    }

    func test4_aFinishedItemRunsNoStepAgain() async throws {
        let process = FiveSteps()
        let manager = try StateRecoveryManager(name: "onboarding", directory: directory.url)
        _ = try await manager.process(itemID: "repo-1", steps: process.steps)
        process.attempts.removeAll()
        let outputs = try await manager.process(itemID: "repo-1", steps: process.steps)
        XCTAssertEqual(process.attempts.values, [], "A finished item should run no step again. Run `lab hint 3.1`.")
        XCTAssertEqual(
            outputs, FiveSteps.expectedOutputs("repo-1"),
            "A finished item should return its saved outputs. Run `lab hint 3.1`.")
    }
}
