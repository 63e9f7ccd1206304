import ExerciseSupport
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
    /// - Parameters:
    ///   - state: the state to save.
    ///   - itemID: the item (non-empty).
    /// - Throws: ``StateRecoveryError`` for an empty id or an unreadable or unwritable file; nothing changes.
    public func saveState(_ state: ItemState, for itemID: String) throws {
        // TODO: reject an empty item id (`StateRecoveryError(.invalidName, ...)`); read every item's state from
        // `stateFile` (a JSON object `[String: ItemState]`, empty when the file does not exist yet), set this
        // item's, and write the whole object back atomically (`Data.write(to:options: .atomic)`). Hold
        // `fileLock` while you read and write.
        throw Unimplemented("saving a checkpoint (StateRecoveryManager.saveState(_:for:))", exercise: "3.1")
    }

    /// The saved state of one item.
    ///
    /// - Parameter itemID: the item (non-empty).
    /// - Returns: its state, or `nil` when nothing was saved for it (or there is no checkpoint file yet).
    /// - Throws: ``StateRecoveryError`` for an empty id or an unreadable file.
    public func loadState(for itemID: String) throws -> ItemState? {
        // TODO: read `stateFile` (no file: nil) and return this item's entry; a file that does not decode is a
        // `StateRecoveryError(.unreadableStateFile, ...)`.
        throw Unimplemented("loading a checkpoint (StateRecoveryManager.loadState(for:))", exercise: "3.1")
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
        // TODO: validate the input; load the item's state (or start from `ItemState()`); run the steps from
        // `completedSteps` on, passing each the outputs so far; after each success append its output, count it
        // and save the state; when a step throws, save `lastError` and throw `StepFailed`.
        throw Unimplemented("resuming the process (StateRecoveryManager.process(itemID:steps:))", exercise: "3.1")
    }
}
