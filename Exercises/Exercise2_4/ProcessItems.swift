import ArgumentParser
import ExerciseSupport
import Foundation
import MokoEnterprise

/// `process-items --state-dir <dir> [--items 120] [--fail-every N] [--retry-failed]`: processes a numbered
/// batch with a ``SimulatedWorker`` (every N-th item fails), checkpointed in `<dir>`, and prints the
/// summary. Exits 1 while failed items remain.
public struct ProcessItems: CLIApp {
    /// The command's name and help text.
    public static let configuration = CommandConfiguration(
        commandName: "process-items", abstract: "Processes a batch with checkpoints.")

    /// The name of the checkpoint in the state directory.
    public static let checkpointName = "batch_process"

    /// The library's shared flags (`--json` prints the summary as JSON).
    @OptionGroup public var standardOptions: StandardOptions

    /// Where the checkpoint lives between runs.
    @Option(help: ArgumentHelp("The folder of the checkpoint (kept between runs).", valueName: "dir"))
    public var stateDir: String

    /// How many items the batch has.
    @Option(help: "How many items to process.")
    public var items = 120

    /// Every N-th item fails (0: none).
    @Option(help: "Make every N-th item fail (0: none).")
    public var failEvery = 0

    /// Process again the items that failed in an earlier run.
    @Flag(help: "Retry the items that failed in an earlier run.")
    public var retryFailed = false

    /// Creates a command with default values; swift-argument-parser fills the options in.
    public init() {}

    /// Rejects an empty batch and a negative `--fail-every` (exit 64).
    public func validate() throws {
        // TODO: `--items` below 1 and a negative `--fail-every` are bad usage: throw `ValidationError`.
    }

    /// Runs the batch and prints the summary; throws ``CLIError/failure(_:)`` (exit 1) while items failed.
    public func execute(_ context: CLIContext, state: Void) async throws {
        // TODO: build `BatchItem.numbered(items)`; the failing ids are every `failEvery`-th item (the 10th,
        //   20th... for 10); open the checkpoint `Self.checkpointName` in `stateDir` (with the context's
        //   wall clock), run a `CheckpointedBatch` with a `SimulatedWorker(failing:)`, print the summary
        //   (`reportLines`, or JSON with `--json`) and end with `CLIError.failure` when items failed.
        throw Unimplemented("the command (ProcessItems.execute(_:state:))", exercise: "2.4")
    }
}
