extension MetricsCollector {
    /// A counter series resolved once, for hot loops: ``increment(by:)`` skips hashing the labels.
    ///
    /// ```swift
    /// let requests = try metrics.counter("http_requests_total", labels: ["method": "GET"])
    /// for _ in work { requests.increment() }
    /// ```
    public struct CounterHandle: Sendable {
        let collector: MetricsCollector
        let key: MetricsSeriesKey
        let slot: Int
        let generation: Int

        /// Adds `amount` (non-negative; negative or NaN amounts are ignored) to the series.
        public func increment(by amount: Double = 1) {
            guard amount >= 0 else { return }
            let limit = collector.cardinalityLimit
            collector.state.withLock { state in
                if state.generation == generation, slot < state.slots.count, !state.slots[slot].removed {
                    state.slots[slot].value += amount
                } else {
                    // The collector was reset or the series destroyed since: register it again.
                    state.addRecording(key, amount: amount, limit: limit)
                }
            }
        }

        /// The series' current value.
        public var value: Double {
            collector.getCounter(key.name, labels: key.labels) ?? 0
        }
    }

    /// Registers the counter series `name` with `labels` (at zero if new) and returns a handle to it.
    ///
    /// - Throws: as ``increment(_:by:labels:)``.
    public func counter(_ name: String, labels: [String: String] = [:]) throws(MetricsError) -> CounterHandle {
        let key = MetricsSeriesKey(name: name, labels: labels)
        let limit = cardinalityLimit
        let (slot, generation) = try state.withLock { state throws(MetricsError) in
            (try state.slot(for: key, type: .counter, buckets: nil, limit: limit), state.generation)
        }
        return CounterHandle(collector: self, key: key, slot: slot, generation: generation)
    }
}
