import ArgumentParser
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
        guard items >= 1 else { throw ValidationError("--items must be at least 1.") }
        guard failEvery >= 0 else { throw ValidationError("--fail-every must be 0 or more.") }
    }

    /// Runs the batch and prints the summary; throws ``CLIError/failure(_:)`` (exit 1) while items failed.
    public func execute(_ context: CLIContext, state: Void) async throws {
        let batch = BatchItem.numbered(items)
        let failing = Set(
            batch.enumerated().filter { failEvery > 0 && ($0.offset + 1) % failEvery == 0 }.map(\.element.id))
        // The checkpoint lives in --state-dir, not in a temporary folder: that is what lets a rerun resume.
        let checkpoint = try Checkpoint(
            name: Self.checkpointName, directory: URL(fileURLWithPath: stateDir, isDirectory: true),
            wallClock: context.wallClock)
        let metrics = MetricsCollector(service: "batch_processor")
        let summary = try await CheckpointedBatch(checkpoint: checkpoint, metrics: metrics)
            .process(batch, retryFailed: retryFailed, worker: SimulatedWorker(failing: failing))
        context.logger.info(
            "Batch finished", metadata: ["completed": "\(summary.completed)", "failed": "\(summary.failed)"])
        try context.output(summary, text: summary.reportLines.joined(separator: "\n"))
        if summary.failed > 0 {
            throw CLIError.failure("\(summary.failed) items failed; run again with --retry-failed to retry them.")
        }
    }
}
