import ExerciseSupport
import MokoEnterprise

/// Processes a batch item by item, recording each outcome in a checkpoint so that a rerun skips what is
/// done, and reporting progress through metrics.
///
/// Metrics (service of the given collector):
/// - `items_processed_success`, `items_processed_failure`: counters, one per item processed in this run;
/// - `batch_items_total`: gauge, the size of the batch;
/// - `batch_progress`: gauge, the fraction of the batch whose outcome is known (1.0 at the end).
public struct CheckpointedBatch: Sendable {
    /// Where outcomes are recorded; it survives the process.
    public let checkpoint: Checkpoint
    /// Where progress is counted.
    public let metrics: MetricsCollector

    /// Creates a batch runner.
    public init(checkpoint: Checkpoint, metrics: MetricsCollector) {
        self.checkpoint = checkpoint
        self.metrics = metrics
    }

    /// Processes every item that is not already completed.
    ///
    /// - Completed items (from an earlier run) are skipped: never processed twice.
    /// - Items that failed earlier are skipped and still count as failed, unless `retryFailed` is set:
    ///   then they are processed again (and only they, with the items never tried).
    /// - A failure is recorded (`markFailed`) and the batch goes on; an interruption (`CancellationError`)
    ///   stops the batch at once without recording the interrupted item, so a rerun picks it up.
    ///
    /// - Parameters:
    ///   - items: the whole batch, in order.
    ///   - retryFailed: whether to process again the items that failed in an earlier run.
    ///   - worker: does the work for one item.
    /// - Returns: the totals; `completed + failed == items.count`.
    /// - Throws: `CancellationError` when interrupted; checkpoint and metrics errors.
    public func process(
        _ items: [BatchItem], retryFailed: Bool, worker: some ItemWorker
    ) async throws
        -> BatchSummary
    {
        // TODO: set the gauge `batch_items_total`, then for each item, in order:
        //   - completed in the checkpoint → count it completed and skipped, do not process it;
        //   - failed in the checkpoint and `retryFailed` is false → count it failed, do not process it;
        //   - otherwise `worker.process(item)`: on success `markCompleted` (with the result) and count
        //     `items_processed_success`; on an error `markFailed` and count `items_processed_failure`, and go
        //     on with the next item. A `CancellationError` is an interruption, not a failure: rethrow it
        //     without marking anything.
        //   After each item set the gauge `batch_progress` to (items handled) / (batch size).
        throw Unimplemented("processing the batch (CheckpointedBatch.process(_:retryFailed:worker:))", exercise: "2.4")
    }
}
