import CoreMetrics

extension MetricsCollector {
    /// A swift-metrics backend that records into this collector.
    ///
    /// ```swift
    /// MetricsSystem.bootstrap(collector.factory)   // once, in the executable
    /// Counter(label: "jobs_total", dimensions: [("queue", "default")]).increment()
    /// ```
    ///
    /// Counters become counters; meters and non-aggregating recorders become gauges; aggregating recorders
    /// become histograms with ``defaultBuckets``; timers become histograms in seconds. Labels that are not
    /// valid Prometheus names are sanitised (invalid characters become `_`). A conflict (the label already
    /// used with another type) cannot be thrown through swift-metrics: it is recorded in ``errors`` and that
    /// handler's samples are dropped.
    public var factory: MetricsCollectorFactory { MetricsCollectorFactory(collector: self) }
}

/// The swift-metrics `MetricsFactory` of a ``MetricsCollector``; get one from ``MetricsCollector/factory``.
public struct MetricsCollectorFactory: MetricsFactory, Sendable {
    /// The collector that receives every sample.
    public let collector: MetricsCollector

    /// Creates a factory recording into `collector`.
    public init(collector: MetricsCollector) {
        self.collector = collector
    }

    /// Makes a counter handler.
    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        MetricsCollectorHandler(collector: collector, key: key(label, dimensions), type: .counter)
    }

    /// Makes a floating-point counter handler.
    public func makeFloatingPointCounter(
        label: String,
        dimensions: [(String, String)]
    ) -> any FloatingPointCounterHandler {
        MetricsCollectorHandler(collector: collector, key: key(label, dimensions), type: .counter)
    }

    /// Makes a meter handler (a gauge).
    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        MetricsCollectorHandler(collector: collector, key: key(label, dimensions), type: .gauge)
    }

    /// Makes a recorder handler: a histogram when `aggregate`, a gauge otherwise.
    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        MetricsCollectorHandler(
            collector: collector, key: key(label, dimensions), type: aggregate ? .histogram : .gauge)
    }

    /// Makes a timer handler (a histogram of seconds).
    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        MetricsCollectorHandler(collector: collector, key: key(label, dimensions), type: .histogram, isTimer: true)
    }

    /// Removes the counter's series.
    public func destroyCounter(_ handler: any CounterHandler) { destroy(handler) }

    /// Removes the floating-point counter's series.
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { destroy(handler) }

    /// Removes the meter's series.
    public func destroyMeter(_ handler: any MeterHandler) { destroy(handler) }

    /// Removes the recorder's series.
    public func destroyRecorder(_ handler: any RecorderHandler) { destroy(handler) }

    /// Removes the timer's series.
    public func destroyTimer(_ handler: any TimerHandler) { destroy(handler) }

    private func destroy(_ handler: AnyObject) {
        guard let handler = handler as? MetricsCollectorHandler else { return }
        let key = handler.key
        collector.state.withLock { $0.remove(key) }
    }

    private func key(_ label: String, _ dimensions: [(String, String)]) -> MetricsSeriesKey {
        var labels: [String: String] = [:]
        for (name, value) in dimensions { labels[Self.sanitize(name, allowColon: false)] = value }
        return MetricsSeriesKey(name: Self.sanitize(label, allowColon: true), labels: labels)
    }

    /// Replaces characters Prometheus does not allow in names with `_`, and prefixes a leading digit.
    static func sanitize(_ name: String, allowColon: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count + 1)
        for byte in name.utf8 {
            let isLetter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            let isDigit = byte >= 0x30 && byte <= 0x39
            let allowed = isLetter || isDigit || byte == UInt8(ascii: "_") || (allowColon && byte == UInt8(ascii: ":"))
            bytes.append(allowed ? byte : UInt8(ascii: "_"))
        }
        if let first = bytes.first, first >= 0x30 && first <= 0x39 { bytes.insert(UInt8(ascii: "_"), at: 0) }
        if bytes.isEmpty { bytes = Array("_".utf8) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// One swift-metrics handler: a series of the collector, registered when made.
///
/// `@unchecked Sendable` is safe: every stored property is a `let` of a `Sendable` type; all mutation
/// happens in the collector under its mutex.
final class MetricsCollectorHandler: CounterHandler, FloatingPointCounterHandler, MeterHandler, RecorderHandler,
    TimerHandler, @unchecked Sendable
{
    let collector: MetricsCollector
    let key: MetricsSeriesKey
    let type: MetricType
    let isTimer: Bool
    /// False when registration failed: samples are dropped (the conflict is in `collector.errors`).
    let isRegistered: Bool

    init(collector: MetricsCollector, key: MetricsSeriesKey, type: MetricType, isTimer: Bool = false) {
        self.collector = collector
        self.key = key
        self.type = type
        self.isTimer = isTimer
        let limit = collector.cardinalityLimit
        self.isRegistered = collector.state.withLock { state in
            do throws(MetricsError) {
                _ = try state.slot(for: key, type: type, buckets: nil, limit: limit)
                return true
            } catch {
                state.record(error)
                return false
            }
        }
    }

    private func update(_ body: (inout MetricsSlot) -> Void) {
        guard isRegistered else { return }
        let limit = collector.cardinalityLimit
        collector.state.withLock { state in
            do throws(MetricsError) {
                let position = try state.slot(for: key, type: type, buckets: nil, limit: limit)
                body(&state.slots[position])
            } catch {
                state.record(error)
            }
        }
    }

    func increment(by amount: Int64) {
        update { $0.value += Double(max(0, amount)) }
    }

    func increment(by amount: Double) {
        update { slot in
            if slot.type == .counter {
                if amount >= 0 { slot.value += amount }
            } else {
                slot.value += amount
            }
        }
    }

    func decrement(by amount: Double) {
        update { $0.value -= amount }
    }

    func reset() {
        update { $0.value = 0 }
    }

    func set(_ value: Int64) {
        update { $0.value = Double(value) }
    }

    func set(_ value: Double) {
        update { $0.value = value }
    }

    func record(_ value: Int64) {
        record(Double(value))
    }

    func record(_ value: Double) {
        update { slot in
            if slot.type == .histogram {
                slot.observe(value)
            } else {
                slot.value = value
            }
        }
    }

    func recordNanoseconds(_ duration: Int64) {
        update { $0.observe(Double(duration) / 1e9) }
    }
}
