import Foundation

/// One step of a multi-step process: a name and the work it does for one item. Provided: not part of the
/// exercise.
public struct ProcessStep: Sendable {
    /// What the step is called in errors and reports, e.g. `validate`.
    public var name: String
    /// Does the step's work for one item.
    ///
    /// It receives the item's id and the outputs of the steps before it, in order (so step 3 gets the
    /// outputs of steps 1 and 2), and returns its own output.
    public var action: @Sendable (_ itemID: String, _ previousOutputs: [String]) async throws -> String

    /// Creates a step.
    ///
    /// - Parameters:
    ///   - name: the step's name.
    ///   - action: the step's work; it returns the step's output.
    public init(
        _ name: String,
        action: @escaping @Sendable (_ itemID: String, _ previousOutputs: [String]) async throws -> String
    ) {
        self.name = name
        self.action = action
    }
}

/// What the checkpoint remembers about one item: how far it got and what the finished steps produced.
public struct ItemState: Codable, Sendable, Equatable {
    /// How many steps have finished, counted from the first (0 before any step finished).
    public var completedSteps: Int
    /// The outputs of the finished steps, in order (always `completedSteps` of them).
    public var outputs: [String]
    /// The description of the error that stopped the last run, or `nil` when nothing has failed since.
    public var lastError: String?

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - completedSteps: how many steps have finished.
    ///   - outputs: their outputs, in order.
    ///   - lastError: the last failure's description, if any.
    public init(completedSteps: Int = 0, outputs: [String] = [], lastError: String? = nil) {
        self.completedSteps = completedSteps
        self.outputs = outputs
        self.lastError = lastError
    }
}

/// A step threw: the checkpoint keeps every step before it, and the next run starts again at this step.
public struct StepFailed: Error, CustomStringConvertible {
    /// The item being processed.
    public var itemID: String
    /// The failed step's position, from 0.
    public var stepIndex: Int
    /// The failed step's name.
    public var stepName: String
    /// What the step threw.
    public var underlying: any Error

    /// Creates the error.
    public init(itemID: String, stepIndex: Int, stepName: String, underlying: any Error) {
        self.itemID = itemID
        self.stepIndex = stepIndex
        self.stepName = stepName
        self.underlying = underlying
    }

    /// `item 'a1' failed at step 3 (publish): <error>; rerun to resume at that step`.
    public var description: String {
        "item '\(itemID)' failed at step \(stepIndex + 1) (\(stepName)): \(underlying); rerun to resume at that step"
    }
}

/// Bad input or an unusable checkpoint file: nothing was run and nothing was written.
public struct StateRecoveryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Kind: String, Sendable, Equatable {
        /// The process name or an item id is empty or unusable.
        case invalidName
        /// The process has no steps.
        case noSteps
        /// The checkpoint file exists but cannot be read as checkpoint data.
        case unreadableStateFile
        /// The saved state does not fit the process (more steps done than it has, or outputs missing).
        case stateDoesNotMatchProcess
        /// The checkpoint file cannot be written.
        case unwritableStateFile
    }

    /// The kind of problem.
    public var kind: Kind
    /// What is wrong and what to do.
    public var message: String

    /// Creates the error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
