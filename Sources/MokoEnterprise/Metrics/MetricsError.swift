/// Why the ``MetricsCollector`` refused a registration or an update.
///
/// Every case names the metric and says what to do. The collector never crashes on a conflict: the
/// typed API throws one of these, and the swift-metrics backend path records it in
/// ``MetricsCollector/errors`` and drops the sample.
public enum MetricsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The metric name does not match `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    case invalidMetricName(String)
    /// A label name does not match `[a-zA-Z_][a-zA-Z0-9_]*`, starts with the reserved `__`, or is reserved
    /// for the metric's type (`le` on histograms, `quantile`).
    case invalidLabelName(metric: String, label: String)
    /// The name is already registered with another type (or collides with a histogram's `_bucket`,
    /// `_sum` or `_count` series).
    case typeConflict(metric: String, registered: MetricType, requested: MetricType)
    /// A histogram was used with bucket bounds that differ from the ones it was registered with.
    case bucketMismatch(metric: String, registered: [Double], requested: [Double])
    /// Histogram bucket bounds must be finite, strictly increasing and non-empty.
    case invalidBuckets(metric: String, buckets: [Double])
    /// A counter can only go up: the increment was negative or not a number.
    case invalidCounterIncrement(metric: String, amount: Double)
    /// The family already holds its maximum number of label sets.
    case cardinalityLimitExceeded(metric: String, limit: Int)
    /// The export could not be written.
    case writeFailed(path: String, reason: String)

    /// A sentence saying what failed and what to do.
    public var description: String {
        switch self {
        case .invalidMetricName(let name):
            return "metric name '\(name)' is invalid: use [a-zA-Z_:][a-zA-Z0-9_:]*"
        case .invalidLabelName(let metric, let label):
            return "label name '\(label)' of metric '\(metric)' is invalid or reserved: use [a-zA-Z_][a-zA-Z0-9_]*, "
                + "not starting with '__', and not 'le' (histograms) or 'quantile'"
        case .typeConflict(let metric, let registered, let requested):
            return "metric '\(metric)' is registered as \(registered.rawValue) and cannot be used as "
                + "\(requested.rawValue): pick another name"
        case .bucketMismatch(let metric, let registered, let requested):
            return "histogram '\(metric)' has buckets \(registered), not \(requested): use the same buckets everywhere"
        case .invalidBuckets(let metric, let buckets):
            return "histogram '\(metric)' buckets \(buckets) must be finite, strictly increasing and non-empty"
        case .invalidCounterIncrement(let metric, let amount):
            return "counter '\(metric)' cannot be incremented by \(amount): counters only go up; use a gauge"
        case .cardinalityLimitExceeded(let metric, let limit):
            return "metric '\(metric)' already has \(limit) label sets: remove unbounded label values (ids, paths)"
        case .writeFailed(let path, let reason):
            return "cannot write metrics to \(path): \(reason)"
        }
    }
}

/// The Prometheus type of a metric family.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    /// A value that only goes up (or resets to zero).
    case counter
    /// A value that goes up and down.
    case gauge
    /// Observations counted in cumulative buckets, with their sum and count.
    case histogram
}
