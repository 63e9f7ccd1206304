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
        var summary = BatchSummary(total: items.count)
        try metrics.setGauge("batch_items_total", Double(items.count))
        for (index, item) in items.enumerated() {
            try Task.checkCancellation()
            if try checkpoint.isCompleted(item.id) {
                summary.completed += 1
                summary.skipped += 1
            } else if try checkpoint.isFailed(item.id), !retryFailed {
                summary.failed += 1
                summary.failedItems.append(item.id)
            } else {
                do {
                    let result = try await worker.process(item)
                    try checkpoint.markCompleted(item.id, result: result)
                    try metrics.increment("items_processed_success")
                    summary.completed += 1
                } catch is CancellationError {
                    // An interruption is not the item's failure: leave it unrecorded so the rerun does it.
                    throw CancellationError()
                } catch {
                    if try checkpoint.isFailed(item.id) { try checkpoint.incrementRetryCount(item.id) }
                    try checkpoint.markFailed(item.id, error: error)
                    try metrics.increment("items_processed_failure")
                    summary.failed += 1
                    summary.failedItems.append(item.id)
                }
            }
            try metrics.setGauge("batch_progress", Double(index + 1) / Double(items.count))
        }
        return summary
    }
}
