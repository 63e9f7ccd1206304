import ExerciseSupport
import MokoEnterprise

/// What one run did with each item.
public struct RunReport: Sendable, Equatable {
    /// Items processed in this run, in order.
    public var completed: [String] = []
    /// Items skipped because an earlier run had completed them, in order.
    public var skipped: [String] = []
    /// Items that still failed after every retry, in order.
    public var failed: [String] = []

    /// Creates a report.
    public init(completed: [String] = [], skipped: [String] = [], failed: [String] = []) {
        self.completed = completed
        self.skipped = skipped
        self.failed = failed
    }
}

/// Processes items through an unreliable service, reliably: retries with backoff, and a checkpoint so that a
/// rerun does only what is left.
public enum ReliableProcessing {
    /// How each item is retried: up to 5 retries after the first call, waits from 1 s doubling up to 30 s,
    /// with full jitter. (The service fails an item at most 4 times in a row unless it is broken for good.)
    public static let retryPolicy = RetryPolicy(maxRetries: 5, baseDelay: .seconds(1), maxDelay: .seconds(30))

    /// Processes every item not yet completed in `checkpoint`, in order.
    ///
    /// - Parameters:
    ///   - items: the items, e.g. repository names.
    ///   - service: the unreliable service that processes one item.
    ///   - checkpoint: remembers completed and failed items across runs.
    ///   - clock: the clock every backoff wait goes through.
    /// - Returns: what happened to each item.
    /// - Throws: the checkpoint's store errors; an item that keeps failing is reported, not thrown.
    public static func run(
        _ items: [String], service: FlakyService, checkpoint: Checkpoint, clock: some Clock<Duration>
    ) async throws -> RunReport {
        // TODO: for each item: skip it (report.skipped) when the checkpoint says it is completed; otherwise call
        // `service.process(item)` through `retryWithBackoff(policy: retryPolicy, clock: clock) { ... }`, then
        // mark it completed in the checkpoint with the result (report.completed). When the retries are used up
        // (`RetryExhaustedError`), mark it failed in the checkpoint (report.failed) and go on with the next item.
        throw Unimplemented("the reliable run (ReliableProcessing.run(_:service:checkpoint:clock:))", exercise: "1.6")
    }
}
