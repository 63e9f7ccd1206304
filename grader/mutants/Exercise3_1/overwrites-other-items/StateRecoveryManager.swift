// MUTANT overwrites-other-items: saveState writes a file with only the item being saved, so saving one item
// drops every other item's checkpoint.
// Caught by Exercise3_1HiddenChecks.test2_savingOneItemKeepsTheOthersAndSurvivesARestart.

import Foundation
import Synchronization

/// Runs a multi-step process per item with a checkpoint after every step, so that a rerun after a failure
/// (or a crash) resumes at the step that failed and never repeats a finished step.
///
/// The checkpoint is one JSON file per process (`<directory>/<name>.checkpoint.json`) holding an
/// ``ItemState`` per item. It lives on disk, not in memory: a new manager on the same directory (the
/// process restarted) continues where the old one stopped.
public final class StateRecoveryManager: Sendable {
    /// The process's name; it names the checkpoint file.
    public let name: String
    /// The folder that holds the checkpoint file.
    public let directory: URL
    /// Serialises the read-modify-write of the checkpoint file within this process.
    private let fileLock = Mutex(())

    /// Creates a manager.
    ///
    /// - Parameters:
    ///   - name: the process's name: letters, digits, `-`, `_` and `.` only.
    ///   - directory: the folder for the checkpoint file (it must exist).
    /// - Throws: ``StateRecoveryError`` (`.invalidName`) for an unusable name.
    public init(name: String, directory: URL) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !name.isEmpty, !name.hasPrefix("."), name.unicodeScalars.allSatisfy(allowed.contains) else {
            throw StateRecoveryError(
                .invalidName, "process name '\(name)' must be non-empty and use only letters, digits, '-', '_', '.'")
        }
        self.name = name
        self.directory = directory
    }

    /// The checkpoint file: `<directory>/<name>.checkpoint.json`.
    public var stateFile: URL { directory.appendingPathComponent("\(name).checkpoint.json") }

    /// Saves one item's state; the other items' states in the file are kept.
    ///
    /// The file is replaced atomically (written aside, then renamed), so a crash mid-write leaves the old
    /// checkpoint, never half a file.
    ///
    /// - Parameters:
    ///   - state: the state to save.
    ///   - itemID: the item (non-empty).
    /// - Throws: ``StateRecoveryError`` for an empty id or an unreadable or unwritable file; nothing changes.
    public func saveState(_ state: ItemState, for itemID: String) throws {
        try Self.validate(itemID: itemID)
        try fileLock.withLock { _ in
            let states = [itemID: state]
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            do {
                try encoder.encode(states).write(to: stateFile, options: .atomic)
            } catch {
                throw StateRecoveryError(
                    .unwritableStateFile, "cannot write the checkpoint \(stateFile.path): \(error.localizedDescription)"
                )
            }
        }
    }

    /// The saved state of one item.
    ///
    /// - Parameter itemID: the item (non-empty).
    /// - Returns: its state, or `nil` when nothing was saved for it (or there is no checkpoint file yet).
    /// - Throws: ``StateRecoveryError`` for an empty id or an unreadable file.
    public func loadState(for itemID: String) throws -> ItemState? {
        try Self.validate(itemID: itemID)
        return try fileLock.withLock { _ in try readStates()[itemID] }
    }

    /// Runs the steps for one item, starting after the last checkpoint, and saves a checkpoint after each.
    ///
    /// A step that throws stops the run: the checkpoint keeps the steps before it (and the error's
    /// description in ``ItemState/lastError``), and ``StepFailed`` is thrown. The next call runs that step
    /// again, giving it the saved outputs of the earlier steps, which do not run again. An item whose
    /// steps have all finished runs nothing.
    ///
    /// - Parameters:
    ///   - itemID: the item (non-empty).
    ///   - steps: the process, in order (at least one step).
    /// - Returns: the outputs of every step, in order.
    /// - Throws: ``StepFailed`` when a step throws; ``StateRecoveryError`` for bad input or a checkpoint that
    ///   does not fit `steps` (nothing runs then); `CancellationError` unchanged.
    public func process(itemID: String, steps: [ProcessStep]) async throws -> [String] {
        try Self.validate(itemID: itemID)
        guard !steps.isEmpty else { throw StateRecoveryError(.noSteps, "the process '\(name)' has no steps") }
        var state = try loadState(for: itemID) ?? ItemState()
        guard (0...steps.count).contains(state.completedSteps), state.outputs.count == state.completedSteps else {
            throw StateRecoveryError(
                .stateDoesNotMatchProcess,
                "the checkpoint of '\(itemID)' says \(state.completedSteps) steps finished with "
                    + "\(state.outputs.count) outputs, but '\(name)' has \(steps.count) steps; remove the item's "
                    + "state or run the process it was saved for")
        }
        // Resume: every step before `completedSteps` already ran and its output is in the checkpoint.
        for index in state.completedSteps..<steps.count {
            let step = steps[index]
            let output: String
            do {
                output = try await step.action(itemID, state.outputs)
            } catch is CancellationError {
                throw CancellationError()  // not a failure of the step: never recorded, never wrapped
            } catch {
                // The steps before this one stay checkpointed; remember why this run stopped.
                state.lastError = "\(error)"
                try saveState(state, for: itemID)
                throw StepFailed(itemID: itemID, stepIndex: index, stepName: step.name, underlying: error)
            }
            // Checkpoint *after* the step succeeded: a crash before this line reruns the step, never skips it.
            state.outputs.append(output)
            state.completedSteps = index + 1
            state.lastError = nil
            try saveState(state, for: itemID)
        }
        return state.outputs
    }

    // MARK: Helpers

    private static func validate(itemID: String) throws {
        guard !itemID.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StateRecoveryError(.invalidName, "an item id must not be empty")
        }
    }

    /// Every item's state from the file; empty when there is no file yet. Call it holding `fileLock`.
    private func readStates() throws -> [String: ItemState] {
        guard FileManager.default.fileExists(atPath: stateFile.path) else { return [:] }
        do {
            return try JSONDecoder().decode([String: ItemState].self, from: Data(contentsOf: stateFile))
        } catch {
            throw StateRecoveryError(
                .unreadableStateFile,
                "the checkpoint \(stateFile.path) is not checkpoint data (\(error)); fix or remove it")
        }
    }
}
