/// A consistent, typed copy of everything a ``MetricsCollector`` holds, taken under one lock.
///
/// Families are sorted by name and series by label set, in the same order as the Prometheus export.
public struct MetricsSnapshot: Sendable, Equatable {
    /// The collector's service name.
    public var service: String
    /// Every metric family, sorted by name.
    public var families: [Family]

    /// One metric family: a name, a type, optional help text and its series.
    public struct Family: Sendable, Equatable {
        /// The family name, e.g. `http_requests_total`.
        public var name: String
        /// The family's type.
        public var type: MetricType
        /// The help text registered with ``MetricsCollector/describe(_:help:)``, if any.
        public var help: String?
        /// The series, sorted by label set.
        public var series: [Series]
    }

    /// One labelled series of a family.
    public struct Series: Sendable, Equatable {
        /// The labels, without empty values.
        public var labels: [String: String]
        /// The value.
        public var value: Value
    }

    /// The value of a series.
    public enum Value: Sendable, Equatable {
        /// A counter's total.
        case counter(Double)
        /// A gauge's current value.
        case gauge(Double)
        /// A histogram's state.
        case histogram(Histogram)
    }

    /// A histogram's buckets (cumulative, like the export), sum and count.
    public struct Histogram: Sendable, Equatable {
        /// Upper bounds and the number of observations less than or equal to each, in increasing order,
        /// not including `+Inf` (that count is ``count``).
        public var buckets: [(upperBound: Double, count: UInt64)] {
            get { zip(upperBounds, cumulativeCounts).map { ($0, $1) } }
            set {
                upperBounds = newValue.map(\.upperBound)
                cumulativeCounts = newValue.map(\.count)
            }
        }
        /// The bucket upper bounds.
        public var upperBounds: [Double]
        /// The cumulative counts, one per upper bound.
        public var cumulativeCounts: [UInt64]
        /// The sum of all observations.
        public var sum: Double
        /// The number of observations.
        public var count: UInt64
    }

    /// The family called `name`, if any.
    public func family(_ name: String) -> Family? {
        families.first { $0.name == name }
    }

    /// The value of the series `name` with exactly `labels`, if any.
    public func value(_ name: String, labels: [String: String] = [:]) -> Value? {
        let wanted = labels.filter { !$0.value.isEmpty }
        return family(name)?.series.first { $0.labels == wanted }?.value
    }
}
