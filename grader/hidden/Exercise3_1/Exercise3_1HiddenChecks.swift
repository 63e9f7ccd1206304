import Exercise3_1
import ExerciseSupport
import Foundation
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 3.1.
///
/// Comparisons use `XCTAssertTrue` (it prints no values), and errors from the trainee's code are rethrown
/// through `HiddenCheckFailure.concealing`, so no generated item id or step name reaches the output.
final class Exercise3_1HiddenChecks: XCTestCase {
    struct InjectedFailure: Error, CustomStringConvertible {
        var step: String
        var description: String { "injected failure in \(step)" }
    }

    /// Steps with generated names that keep a side-effect ledger and fail when told to (once per entry).
    final class Steps: Sendable {
        let names: [String]
        let attempts = TestRecorder<String>()
        let effects = TestRecorder<String>()
        /// `item#step` keys that fail on their next call.
        let failing = LockedValue<Set<String>>([])

        init(names: [String]) { self.names = names }

        var steps: [ProcessStep] {
            names.enumerated().map { index, name in
                ProcessStep(name) { itemID, previous in
                    self.attempts.append("\(itemID)#\(index)")
                    if self.failing.withLock({ $0.remove("\(itemID)#\(index)") != nil }) {
                        throw InjectedFailure(step: name)
                    }
                    self.effects.append("\(itemID)#\(index)")
                    return (previous.last ?? itemID) + "|" + name
                }
            }
        }

        func expectedOutputs(_ itemID: String) -> [String] {
            names.indices.map { ([itemID] + names[...$0]).joined(separator: "|") }
        }
    }

    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory(prefix: "Exercise3_1Hidden")
    }

    override func tearDown() {
        directory?.remove()
    }

    func test1_randomFailuresAcrossSeveralItemsAndRestartsResumeExactly() async throws {
        var random = CheckRandomGenerator(seed: 3_101)
        for round in 0..<6 {
            let steps = Steps(names: (0..<5).map { _ in random.word(length: 6) })
            let items = (0..<Int.random(in: 2...4, using: &random)).map { _ in "i\(round)_" + random.word(length: 5) }
            // Each item fails at up to three increasing step positions, one failure per run.
            var plans: [String: [Int]] = [:]
            for item in items {
                let positions = Set(
                    (0..<Int.random(in: 1...3, using: &random)).map { _ in Int.random(in: 0..<5, using: &random) })
                plans[item] = positions.sorted()
            }
            for item in items {
                for position in plans[item] ?? [] {
                    steps.failing.withLock { _ = $0.insert("\(item)#\(position)") }
                    steps.attempts.removeAll()
                    let manager = try Self.manager(directory)
                    do {
                        _ = try await manager.process(itemID: item, steps: steps.steps)
                        XCTFail("A run with an injected failure did not throw. Run `lab hint 3.1`.")
                    } catch is StepFailed {
                    } catch {
                        throw HiddenCheckFailure.concealing(error, while: "A run with a failing step", exercise: "3.1")
                    }
                    let started = steps.attempts.values.first
                    let previous = (plans[item] ?? []).last { $0 < position } ?? 0
                    XCTAssertTrue(
                        started == "\(item)#\(previous)",
                        "A rerun after a restart did not start at the step that failed last time. Run `lab hint 3.1`.")
                }
            }
            for item in items {
                steps.attempts.removeAll()
                let outputs: [String]
                do {
                    outputs = try await Self.manager(directory).process(itemID: item, steps: steps.steps)
                } catch {
                    throw HiddenCheckFailure.concealing(error, while: "The final rerun", exercise: "3.1")
                }
                let resumeAt = (plans[item] ?? []).last ?? 5
                XCTAssertTrue(
                    steps.attempts.values == (resumeAt..<5).map { "\(item)#\($0)" },
                    "The final rerun did not resume at the last failed step, or called an earlier step. "
                        + "Run `lab hint 3.1`.")
                XCTAssertTrue(
                    outputs == steps.expectedOutputs(item),
                    "Resumed steps did not get the saved outputs of the earlier steps. Run `lab hint 3.1`.")
            }
            for item in items {
                XCTAssertTrue(
                    steps.effects.values.filter { $0.hasPrefix(item + "#") } == (0..<5).map { "\(item)#\($0)" },
                    "Across all runs a step's work was done more than once, or not at all. Run `lab hint 3.1`.")
            }
        }
    }

    func test2_savingOneItemKeepsTheOthersAndSurvivesARestart() async throws {
        var random = CheckRandomGenerator(seed: 3_102)
        var expected: [String: ItemState] = [:]
        do {
            let manager = try Self.manager(directory)
            for index in 0..<8 {
                let count = Int.random(in: 0...5, using: &random)
                let state = ItemState(
                    completedSteps: count, outputs: (0..<count).map { _ in random.word(length: 7) },
                    lastError: Bool.random(using: &random) ? random.word(length: 9) : nil)
                let item = "k\(index)-" + random.word(length: 4)
                try manager.saveState(state, for: item)
                expected[item] = state
            }
            let restarted = try Self.manager(directory)
            for (item, state) in expected {
                XCTAssertTrue(
                    try restarted.loadState(for: item) == state,
                    "A saved state was lost or changed when other items were saved, or after a restart. "
                        + "Run `lab hint 3.1`.")
            }
            XCTAssertTrue(
                try restarted.loadState(for: "never-saved") == nil,
                "An item that was never saved should have no state. Run `lab hint 3.1`.")
            let otherProcess = try StateRecoveryManager(name: "other-process", directory: directory.url)
            XCTAssertTrue(
                try otherProcess.loadState(for: expected.keys.sorted()[0]) == nil,
                "Two processes with different names shared one checkpoint. Run `lab hint 3.1`.")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "Saving and loading states", exercise: "3.1")
        }
    }

    func test3_badInputIsRejectedAndChangesNothing() async throws {
        let steps = Steps(names: ["a", "b", "c", "d", "e"])
        let manager = try Self.manager(directory)
        do {
            _ = try await manager.process(itemID: "good", steps: steps.steps)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "A run without failures", exercise: "3.1")
        }
        let before = try Data(contentsOf: manager.stateFile)
        steps.attempts.removeAll()
        for (itemID, stepList) in [("", steps.steps), ("  ", steps.steps), ("fresh", [])] {
            do {
                _ = try await manager.process(itemID: itemID, steps: stepList)
                XCTFail("An empty item id or an empty process was accepted. Run `lab hint 3.1`.")
            } catch let error as StateRecoveryError {
                XCTAssertTrue(
                    error.kind == .invalidName || error.kind == .noSteps,
                    "Bad input was reported with the wrong error kind. Run `lab hint 3.1`.")
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "A run with bad input", exercise: "3.1")
            }
        }
        do {
            try manager.saveState(ItemState(), for: "")
            XCTFail("Saving a state for an empty item id was accepted. Run `lab hint 3.1`.")
        } catch is StateRecoveryError {}
        XCTAssertTrue(steps.attempts.values.isEmpty, "Bad input still ran a step. Run `lab hint 3.1`.")
        XCTAssertTrue(
            (try Data(contentsOf: manager.stateFile)) == before, "Bad input changed the checkpoint. Run `lab hint 3.1`."
        )

        let corrupt = Data("{ not json".utf8)
        try corrupt.write(to: manager.stateFile)
        do {
            _ = try await manager.process(itemID: "good", steps: steps.steps)
            XCTFail("An unreadable checkpoint file was accepted. Run `lab hint 3.1`.")
        } catch let error as StateRecoveryError {
            XCTAssertTrue(
                error.kind == .unreadableStateFile,
                "An unreadable checkpoint was reported with the wrong error kind. Run `lab hint 3.1`.")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "A run over a corrupt checkpoint", exercise: "3.1")
        }
        XCTAssertTrue(steps.attempts.values.isEmpty, "A corrupt checkpoint still ran a step. Run `lab hint 3.1`.")
        XCTAssertTrue(
            (try Data(contentsOf: manager.stateFile)) == corrupt,
            "A corrupt checkpoint was overwritten instead of reported. Run `lab hint 3.1`.")
    }

    func test4_aStateThatDoesNotFitTheProcessIsRejected() async throws {
        let steps = Steps(names: ["a", "b", "c"])
        let manager = try Self.manager(directory)
        do {
            try manager.saveState(ItemState(completedSteps: 4, outputs: ["1", "2", "3", "4"]), for: "too-far")
            try manager.saveState(ItemState(completedSteps: 2, outputs: ["1"]), for: "missing-output")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "Saving states", exercise: "3.1")
        }
        for item in ["too-far", "missing-output"] {
            do {
                _ = try await manager.process(itemID: item, steps: steps.steps)
                XCTFail("A checkpoint that does not fit the process was used. Run `lab hint 3.1`.")
            } catch let error as StateRecoveryError {
                XCTAssertTrue(
                    error.kind == .stateDoesNotMatchProcess,
                    "A checkpoint that does not fit the process was reported with the wrong kind. Run `lab hint 3.1`.")
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "A run over a mismatched checkpoint", exercise: "3.1")
            }
        }
        XCTAssertTrue(steps.attempts.values.isEmpty, "A mismatched checkpoint still ran a step. Run `lab hint 3.1`.")
    }

    func test5_aFailureAtTheFirstStepSavesNoProgressAndTheErrorIsCleared() async throws {
        let steps = Steps(names: ["one", "two", "three", "four", "five"])
        steps.failing.withLock { $0 = ["x#0", "x#0"] }
        let manager = try Self.manager(directory)
        do {
            _ = try await manager.process(itemID: "x", steps: steps.steps)
            XCTFail("A failing first step did not throw. Run `lab hint 3.1`.")
        } catch let error as StepFailed {
            XCTAssertTrue(error.stepIndex == 0, "`StepFailed` named the wrong step. Run `lab hint 3.1`.")
            XCTAssertTrue(
                error.underlying is InjectedFailure, "`StepFailed` lost the step's error. Run `lab hint 3.1`.")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "A run failing at the first step", exercise: "3.1")
        }
        do {
            let state = try manager.loadState(for: "x")
            XCTAssertTrue(
                state?.completedSteps == 0 && state?.outputs == [] && state?.lastError == "injected failure in one",
                "A failure at the first step should save no progress but record the error. Run `lab hint 3.1`.")
            _ = try await manager.process(itemID: "x", steps: steps.steps)
            let finished = try manager.loadState(for: "x")
            XCTAssertTrue(
                finished?.completedSteps == 5 && finished?.lastError == nil,
                "After a successful rerun the checkpoint should be complete with no error. Run `lab hint 3.1`.")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "The rerun", exercise: "3.1")
        }
    }

    private static func manager(_ directory: TemporaryDirectory) throws -> StateRecoveryManager {
        try StateRecoveryManager(name: "hidden-process", directory: directory.url)
    }
}
