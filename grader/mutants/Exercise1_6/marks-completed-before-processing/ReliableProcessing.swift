// MUTANT marks-completed-before-processing: marks the item completed before calling the service, so a broken
// item counts as done and a rerun skips it.
// Caught by Exercise1_6HiddenChecks.test2_aRerunAfterBrokenItemsDoesOnlyThoseItems.

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
    /// Retries handle the *transient* failures within one run; the checkpoint handles the *run* failing (a
    /// crash, a broken item, Ctrl-C): the next run skips what is done and retries what is not.
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
        var report = RunReport()
        for item in items {
            if try checkpoint.isCompleted(item) {
                report.skipped.append(item)
                continue
            }
            try checkpoint.markCompleted(item)
            do {
                // The waits between attempts sleep on `clock`, never on the real time: in the checks they pass
                // instantly on a manual clock, in production they are real seconds.
                let result = try await retryWithBackoff(policy: retryPolicy, clock: clock) {
                    try await service.process(item)
                }
                // Mark only after the work succeeded: a crash in between repeats this item, it never skips it.
                try checkpoint.markCompleted(item, result: result)
                report.completed.append(item)
            } catch let exhausted as RetryExhaustedError {
                // One broken item must not stop the batch: record why, and go on. It stays not-completed, so the
                // next run tries it again.
                try checkpoint.markFailed(item, error: exhausted.lastError)
                report.failed.append(item)
            }
        }
        return report
    }
}
