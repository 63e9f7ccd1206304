// MUTANT times-only-successful-operations: records a duration only when the operation succeeded.
// Caught by Exercise1_7HiddenChecks.test1_randomOperationsGiveTheRightCountsRateAndHistogram.

import MokoEnterprise

/// Runs operations and measures them: how many, how many failed, how long each took.
public enum OperationMetrics {
    /// Counter: operations run, labelled `status` = `success` or `error`.
    public static let operationsTotal = "operations_total"
    /// Gauge: the share of operations that failed, from 0 to 1.
    public static let errorRate = "error_rate"
    /// Histogram: each operation's duration in seconds (the collector's default buckets).
    public static let duration = "operation_duration_seconds"

    /// Runs every operation in order, records the three metrics in `metrics`, and returns the Prometheus
    /// export. A failing operation is counted, not rethrown: the run goes on.
    ///
    /// - Parameters:
    ///   - operations: the operations to run.
    ///   - metrics: the collector to record in.
    ///   - clock: the clock that measures durations.
    /// - Returns: `metrics.exportPrometheus()` after the last operation.
    /// - Throws: ``MetricsError`` when a metric cannot be recorded.
    public static func run(
        _ operations: [TimedOperation], metrics: MetricsCollector, clock: some Clock<Duration>
    ) async throws -> String {
        // Help texts become the export's `# HELP` lines: what a dashboard author reads first.
        try metrics.describe(operationsTotal, help: "Operations run, by outcome.")
        try metrics.describe(errorRate, help: "Share of operations that failed (0 to 1).")
        try metrics.describe(duration, help: "Duration of each operation in seconds.")

        var total = 0
        var errors = 0
        for operation in operations {
            let start = clock.now
            var failed = false
            do {
                try await operation.work()
            } catch {
                failed = true  // counted below; one failing operation does not stop the others
            }
            // Failures are timed too: a slow timeout is exactly what the histogram must show.
            let elapsed = start.duration(to: clock.now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if !failed { try metrics.recordHistogram(duration, seconds) }

            // One counter with a label, not two counters: `sum(operations_total)` is the total, and the
            // error ratio is a query away.
            total += 1
            if failed { errors += 1 }
            try metrics.increment(operationsTotal, labels: ["status": failed ? "error" : "success"])
            // Prometheus base units: a ratio from 0 to 1, never a percentage.
            try metrics.setGauge(errorRate, Double(errors) / Double(total))
        }
        return metrics.exportPrometheus()
    }
}
