import ExerciseSupport
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
        // TODO: give each of the three metrics a help text (`metrics.describe`). Then for each operation: read
        // `clock.now`, run `operation.work()` (catch its error), and record
        //   - the duration in seconds in the histogram `duration` (failed operations too),
        //   - one increment of `operationsTotal` with the label `status` = "success" or "error",
        //   - the gauge `errorRate` = errors / all operations so far.
        // Return the Prometheus export.
        throw Unimplemented("the measured run (OperationMetrics.run(_:metrics:clock:))", exercise: "1.7")
    }
}
