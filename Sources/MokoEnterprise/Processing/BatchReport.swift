/// One item that failed in a batch run.
public struct BatchFailure<ID: Hashable & Sendable>: Sendable, CustomStringConvertible {
    /// The item's id.
    public var id: ID
    /// Why it failed.
    public var error: any Error

    /// Creates a failure record.
    public init(id: ID, error: any Error) {
        self.id = id
        self.error = error
    }

    /// `id: error`.
    public var description: String { "\(id): \(error)" }
}

/// The outcome of one batch run: which items succeeded, failed or were skipped, and how long it took.
///
/// Every input item is in exactly one of ``succeeded``, ``failed`` and ``skipped``.
public struct BatchReport<ID: Hashable & Sendable>: Sendable, CustomStringConvertible {
    /// The strategy used.
    public var strategy: BatchStrategy
    /// The ids of the items that succeeded, in completion order.
    public var succeeded: [ID]
    /// The items that failed, with their errors, in completion order.
    public var failed: [BatchFailure<ID>]
    /// The ids of the items never run or cancelled (after a fail-fast stop).
    public var skipped: [ID]
    /// The run's duration on the processor's clock.
    public var duration: Duration
    /// The most items that were in flight at once.
    public var peakInFlight: Int

    /// Creates a report.
    public init(
        strategy: BatchStrategy, succeeded: [ID] = [], failed: [BatchFailure<ID>] = [], skipped: [ID] = [],
        duration: Duration = .zero, peakInFlight: Int = 0
    ) {
        self.strategy = strategy
        self.succeeded = succeeded
        self.failed = failed
        self.skipped = skipped
        self.duration = duration
        self.peakInFlight = peakInFlight
    }

    /// The number of items the run saw.
    public var total: Int { succeeded.count + failed.count + skipped.count }

    /// Whether every item succeeded.
    public var isComplete: Bool { failed.isEmpty && skipped.isEmpty }

    /// Items finished (succeeded or failed) per second of ``duration``; 0 when the duration is zero.
    public var throughput: Double {
        let seconds = duration.inSeconds
        return seconds > 0 ? Double(succeeded.count + failed.count) / seconds : 0
    }

    /// `parallel(8): 98 succeeded, 2 failed, 0 skipped in 1.2 seconds`.
    public var description: String {
        "\(strategy): \(succeeded.count) succeeded, \(failed.count) failed, \(skipped.count) skipped in \(duration)"
    }
}

/// Progress of a batch run, passed to the progress callback after each item finishes.
public struct BatchProgress: Sendable, Hashable {
    /// Items finished so far (succeeded + failed).
    public var completed: Int
    /// Items that succeeded so far.
    public var succeeded: Int
    /// Items that failed so far.
    public var failed: Int
    /// The number of items, when known up front (`nil` for streams).
    public var total: Int?

    /// Creates a progress value.
    public init(completed: Int, succeeded: Int, failed: Int, total: Int?) {
        self.completed = completed
        self.succeeded = succeeded
        self.failed = failed
        self.total = total
    }

    /// `completed / total`, or `nil` when the total is unknown.
    public var fractionCompleted: Double? {
        guard let total, total > 0 else { return nil }
        return Double(completed) / Double(total)
    }
}

/// The same items run under several strategies, side by side.
public struct BatchComparison<ID: Hashable & Sendable>: Sendable, CustomStringConvertible {
    /// One report per strategy, in the order the strategies were given.
    public var reports: [BatchReport<ID>]

    /// Creates a comparison.
    public init(reports: [BatchReport<ID>]) { self.reports = reports }

    /// The report with the shortest duration among runs that completed every item (else among all runs).
    public var fastest: BatchReport<ID>? {
        let complete = reports.filter(\.isComplete)
        return (complete.isEmpty ? reports : complete).min { $0.duration < $1.duration }
    }

    /// A Markdown table: strategy, succeeded, failed, skipped, duration, throughput, speed-up over the first.
    public var description: String {
        var lines = [
            "| strategy | succeeded | failed | skipped | duration | items/s | speed-up |",
            "|---|---:|---:|---:|---|---:|---:|",
        ]
        let baseline = reports.first?.duration ?? .zero
        for report in reports {
            let speedUp = report.duration > .zero ? baseline / report.duration : 0
            lines.append(
                "| \(report.strategy) | \(report.succeeded.count) | \(report.failed.count) | \(report.skipped.count) "
                    + "| \(report.duration) | \(Self.format(report.throughput)) | \(Self.format(speedUp))× |")
        }
        return lines.joined(separator: "\n")
    }

    private static func format(_ value: Double) -> String {
        String((value * 100).rounded() / 100)
    }
}
