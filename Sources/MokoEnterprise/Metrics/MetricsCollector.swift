import Foundation
import Synchronization

/// Counters, gauges and histograms with labels, exported in the Prometheus text format.
///
/// ```swift
/// let metrics = MetricsCollector(service: "repo-sync")
/// metrics.describe("operations_total", help: "Operations attempted.")
/// try metrics.increment("operations_total", labels: ["outcome": "success"])
/// try metrics.setGauge("error_rate", 0.02)
/// let duration = try await metrics.timeOperation("sync", clock: ContinuousClock()) { try await sync() }
/// try metrics.writePrometheus(to: URL(fileURLWithPath: "metrics.prom"))
/// ```
///
/// The collector is a `Sendable` class whose state sits behind one `Mutex`: a labelled increment of an
/// existing series is one hash lookup and one addition. Anything that would make the export invalid (a
/// name used with two types, a histogram with other buckets, an invalid or reserved name) is refused
/// with a ``MetricsError``; nothing crashes. It is also a swift-metrics backend: see ``MetricsCollector/factory``.
public final class MetricsCollector: Sendable {
    /// The default histogram buckets (seconds): `.005 .01 .025 .05 .1 .25 .5 1 2.5 5 10`.
    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// The default maximum number of label sets per family.
    public static let defaultCardinalityLimit = 10_000

    /// The service this collector reports for.
    public let service: String

    /// The maximum number of label sets one family may hold.
    public let cardinalityLimit: Int

    let state: Mutex<MetricsCollectorState>

    /// Creates an empty collector.
    ///
    /// - Parameters:
    ///   - service: the service name, kept in ``getAllMetrics()``.
    ///   - cardinalityLimit: the maximum number of label sets per family (default 10,000); a new label set
    ///     beyond it is refused with ``MetricsError/cardinalityLimitExceeded(metric:limit:)``.
    public init(service: String, cardinalityLimit: Int = MetricsCollector.defaultCardinalityLimit) {
        self.service = service
        self.cardinalityLimit = max(1, cardinalityLimit)
        self.state = Mutex(MetricsCollectorState())
    }

    // MARK: - Registration

    /// Registers the help text of a family, shown in the export's `# HELP` line.
    ///
    /// May be called before or after the family's first sample; the last text wins.
    ///
    /// - Throws: ``MetricsError/invalidMetricName(_:)`` when `name` is not a valid metric name.
    public func describe(_ name: String, help: String) throws(MetricsError) {
        guard MetricsCollectorState.isValidMetricName(name) else { throw .invalidMetricName(name) }
        state.withLock { $0.help[name] = help }
    }

    // MARK: - Counters

    /// Adds `amount` to the counter `name` with `labels`, creating it at zero first if needed.
    ///
    /// - Parameters:
    ///   - name: the counter's name, conventionally ending in `_total`.
    ///   - amount: a non-negative amount (default 1).
    ///   - labels: the series' labels; empty values are treated as absent.
    /// - Throws: ``MetricsError`` when the name or a label is invalid, the name is registered with another
    ///   type, `amount` is negative or NaN, or the family's label-set limit is reached.
    public func increment(_ name: String, by amount: Double = 1, labels: [String: String] = [:]) throws(MetricsError) {
        guard amount >= 0 else { throw .invalidCounterIncrement(metric: name, amount: amount) }
        let limit = cardinalityLimit
        try state.withLock { state throws(MetricsError) in
            if let index = state.existingSlot(name: name, labels: labels), state.slots[index].type == .counter {
                state.slots[index].value += amount
                return
            }
            let key = MetricsSeriesKey(name: name, labels: labels)
            let index = try state.slot(for: key, type: .counter, buckets: nil, limit: limit)
            state.slots[index].value += amount
        }
    }

    /// The counter's current value, or nil when the series does not exist (or is not a counter).
    public func getCounter(_ name: String, labels: [String: String] = [:]) -> Double? {
        read(name, labels: labels, type: .counter)
    }

    // MARK: - Gauges

    /// Sets the gauge `name` with `labels` to `value`.
    ///
    /// - Throws: ``MetricsError`` when the name or a label is invalid, the name is registered with another
    ///   type, or the family's label-set limit is reached.
    public func setGauge(_ name: String, _ value: Double, labels: [String: String] = [:]) throws(MetricsError) {
        try updateGauge(name, labels: labels) { $0 = value }
    }

    /// Adds `amount` (which may be negative) to the gauge `name` with `labels`.
    ///
    /// - Throws: as ``setGauge(_:_:labels:)``.
    public func adjustGauge(_ name: String, by amount: Double, labels: [String: String] = [:]) throws(MetricsError) {
        try updateGauge(name, labels: labels) { $0 += amount }
    }

    /// The gauge's current value, or nil when the series does not exist (or is not a gauge).
    public func getGauge(_ name: String, labels: [String: String] = [:]) -> Double? {
        read(name, labels: labels, type: .gauge)
    }

    // MARK: - Histograms

    /// Records one observation in the histogram `name` with `labels`.
    ///
    /// - Parameters:
    ///   - name: the histogram's name, conventionally with a base unit suffix (`_seconds`, `_bytes`).
    ///   - value: the observation.
    ///   - labels: the series' labels (`le` is reserved).
    ///   - buckets: the upper bounds, finite and strictly increasing; nil means the bounds the family was
    ///     registered with, or ``defaultBuckets`` for a new family.
    /// - Throws: ``MetricsError`` when the name, a label or the buckets are invalid, the buckets differ
    ///   from the family's, the name is registered with another type, or the label-set limit is reached.
    public func recordHistogram(
        _ name: String,
        _ value: Double,
        labels: [String: String] = [:],
        buckets: [Double]? = nil
    ) throws(MetricsError) {
        let limit = cardinalityLimit
        try state.withLock { state throws(MetricsError) in
            let index: Int
            if let existing = state.existingSlot(name: name, labels: labels),
                state.slots[existing].type == .histogram
            {
                if let buckets, let family = state.families[name], family.buckets != buckets {
                    throw .bucketMismatch(metric: name, registered: family.buckets ?? [], requested: buckets)
                }
                index = existing
            } else {
                let key = MetricsSeriesKey(name: name, labels: labels)
                index = try state.slot(for: key, type: .histogram, buckets: buckets, limit: limit)
            }
            state.slots[index].observe(value)
        }
    }

    /// The histogram's state, or nil when the series does not exist (or is not a histogram).
    public func getHistogram(_ name: String, labels: [String: String] = [:]) -> MetricsSnapshot.Histogram? {
        let key = MetricsSeriesKey(name: name, labels: labels)
        return state.withLock { state in
            guard let index = state.lookup(key), state.slots[index].type == .histogram else { return nil }
            return state.slots[index].histogramSnapshot
        }
    }

    // MARK: - Timing

    /// Runs `body`, records its duration in seconds in the histogram `<name>_duration_seconds`, and counts
    /// the outcome in `<name>_success_total` or `<name>_failure_total`.
    ///
    /// The three series are registered before `body` runs, so a naming conflict is reported without
    /// running the operation, and the outcome counters start at zero in the export.
    ///
    /// - Parameters:
    ///   - name: the operation's metric prefix, e.g. `sync_repository`.
    ///   - labels: labels for all three series.
    ///   - clock: the clock that measures the duration.
    ///   - body: the operation.
    /// - Returns: what `body` returned.
    /// - Throws: a ``MetricsError`` before running `body`, or whatever `body` throws (counted as a failure).
    nonisolated(nonsending) public func timeOperation<C: Clock, T>(
        _ name: String,
        labels: [String: String] = [:],
        clock: C,
        _ body: () async throws -> T
    ) async throws -> T where C.Duration == Duration {
        let durationKey = MetricsSeriesKey(name: name + "_duration_seconds", labels: labels)
        let successKey = MetricsSeriesKey(name: name + "_success_total", labels: labels)
        let failureKey = MetricsSeriesKey(name: name + "_failure_total", labels: labels)
        let limit = cardinalityLimit
        try state.withLock { state throws(MetricsError) in
            // Validate all three before touching any, so a conflict leaves nothing half-registered.
            try state.check(durationKey, type: .histogram, buckets: nil, limit: limit)
            try state.check(successKey, type: .counter, buckets: nil, limit: limit)
            try state.check(failureKey, type: .counter, buckets: nil, limit: limit)
            _ = try state.slot(for: durationKey, type: .histogram, buckets: nil, limit: limit)
            _ = try state.slot(for: successKey, type: .counter, buckets: nil, limit: limit)
            _ = try state.slot(for: failureKey, type: .counter, buckets: nil, limit: limit)
        }
        let start = clock.now
        let result: Result<T, any Error>
        do {
            result = .success(try await body())
        } catch {
            result = .failure(error)
        }
        let elapsed = start.duration(to: clock.now)
        let seconds = elapsed.inSeconds
        state.withLock { state in
            // Registered above; `reset()` may have run meanwhile, so these recreate the series if needed.
            state.observeRecording(durationKey, value: seconds, limit: limit)
            state.addRecording(result.isSuccess ? successKey : failureKey, amount: 1, limit: limit)
        }
        return try result.get()
    }

    /// Like ``timeOperation(_:labels:clock:_:)`` measured with `ContinuousClock`.
    nonisolated(nonsending) public func timeOperation<T>(
        _ name: String,
        labels: [String: String] = [:],
        _ body: () async throws -> T
    ) async throws -> T {
        try await timeOperation(name, labels: labels, clock: ContinuousClock(), body)
    }

    // MARK: - Reading

    /// A typed copy of every family and series, sorted like the export.
    public func getAllMetrics() -> MetricsSnapshot {
        let families = state.withLock { $0.sortedFamilies() }
        return MetricsSnapshot(service: service, families: families)
    }

    /// The conflicts recorded on the swift-metrics path, where throwing is impossible (oldest first,
    /// at most 100; see ``droppedErrorCount`` for the rest).
    public var errors: [MetricsError] {
        state.withLock { $0.errors }
    }

    /// How many recorded conflicts did not fit in ``errors``.
    public var droppedErrorCount: Int {
        state.withLock { $0.droppedErrorCount }
    }

    /// Removes every series and help text (registered types go with them).
    public func reset() {
        state.withLock { state in
            let generation = state.generation + 1
            state = MetricsCollectorState()
            state.generation = generation
        }
    }

    // MARK: - Internals

    private func updateGauge(
        _ name: String,
        labels: [String: String],
        _ update: (inout Double) -> Void
    ) throws(MetricsError) {
        let limit = cardinalityLimit
        try state.withLock { state throws(MetricsError) in
            if let index = state.existingSlot(name: name, labels: labels), state.slots[index].type == .gauge {
                update(&state.slots[index].value)
                return
            }
            let key = MetricsSeriesKey(name: name, labels: labels)
            let index = try state.slot(for: key, type: .gauge, buckets: nil, limit: limit)
            update(&state.slots[index].value)
        }
    }

    private func read(_ name: String, labels: [String: String], type: MetricType) -> Double? {
        let key = MetricsSeriesKey(name: name, labels: labels)
        return state.withLock { state in
            guard let index = state.lookup(key), state.slots[index].type == type else { return nil }
            return state.slots[index].value
        }
    }

    /// Records a conflict seen on a path that cannot throw.
    func recordError(_ error: MetricsError) {
        state.withLock { $0.record(error) }
    }
}

extension Result {
    fileprivate var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
