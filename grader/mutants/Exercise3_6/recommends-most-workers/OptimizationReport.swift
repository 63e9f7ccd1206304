import MokoEnterprise

/// One strategy's measured run.
///
/// Provided: not part of the exercise.
public struct StrategyMeasurement: Sendable, Hashable {
    /// The strategy that ran.
    public var strategy: BatchStrategy
    /// Items that succeeded.
    public var succeeded: Int
    /// Items that failed.
    public var failed: Int
    /// The run's duration on the optimizer's clock.
    public var duration: Duration
    /// Items finished per second.
    public var throughput: Double
    /// The most items in flight at once, as the batch processor counted them.
    public var peakInFlight: Int

    /// Creates a measurement.
    public init(
        strategy: BatchStrategy, succeeded: Int, failed: Int, duration: Duration, throughput: Double, peakInFlight: Int
    ) {
        self.strategy = strategy
        self.succeeded = succeeded
        self.failed = failed
        self.duration = duration
        self.throughput = throughput
        self.peakInFlight = peakInFlight
    }

    /// The measurement of a batch processor's report.
    public init(_ report: BatchReport<String>) {
        self.init(
            strategy: report.strategy, succeeded: report.succeeded.count, failed: report.failed.count,
            duration: report.duration, throughput: report.throughput, peakInFlight: report.peakInFlight)
    }

    /// Whether every item succeeded.
    public var isComplete: Bool { failed == 0 }
}

/// Every strategy measured on the same items, and the configuration the measurements recommend.
///
/// Provided: not part of the exercise.
public struct OptimizationReport: Sendable, Hashable, CustomStringConvertible {
    /// One row per run: sequential, then parallel per worker count, then batched per batch size.
    public var rows: [StrategyMeasurement]
    /// The recommended number of workers.
    public var recommendedWorkers: Int
    /// The recommended batch size.
    public var recommendedBatchSize: Int

    /// Creates a report.
    public init(rows: [StrategyMeasurement], recommendedWorkers: Int, recommendedBatchSize: Int) {
        self.rows = rows
        self.recommendedWorkers = recommendedWorkers
        self.recommendedBatchSize = recommendedBatchSize
    }

    /// A Markdown table, one row per strategy, and the recommendation.
    public var description: String {
        var lines = [
            "| strategy | succeeded | failed | duration | items/s | peak in flight |", "|---|---:|---:|---|---:|---:|",
        ]
        for row in rows {
            lines.append(
                "| \(row.strategy) | \(row.succeeded) | \(row.failed) | \(row.duration) | "
                    + "\(Int(row.throughput.rounded())) | \(row.peakInFlight) |")
        }
        lines.append("")
        lines.append("Recommended: batches of \(recommendedBatchSize) with \(recommendedWorkers) workers.")
        return lines.joined(separator: "\n")
    }
}
