/// The lookup key of one series as the caller gave it: hashing the label dictionary is order-free, so
/// no label string is built or sorted on the hot path.
struct MetricsSeriesKey: Hashable, Sendable {
    var name: String
    var labels: [String: String]

    /// The key with empty label values removed (an empty value means "absent" in Prometheus).
    var normalized: MetricsSeriesKey {
        guard labels.values.contains(where: \.isEmpty) else { return self }
        return MetricsSeriesKey(name: name, labels: labels.filter { !$0.value.isEmpty })
    }
}

/// One family's registration: its type, histogram bounds and how many series it holds.
struct MetricsFamilyState: Sendable {
    var type: MetricType
    var buckets: [Double]?
    var seriesCount: Int
}

/// One series: its value and everything the export needs, rendered once when the series is created.
struct MetricsSlot: Sendable {
    var type: MetricType
    var name: String
    /// Label pairs sorted by name, empty values removed.
    var labels: [(name: String, value: String)]
    /// Counter total or gauge value.
    var value: Double = 0
    /// Histogram bounds and per-bucket (non-cumulative) counts.
    var bounds: [Double] = []
    var bucketCounts: [UInt64] = []
    var sum: Double = 0
    var count: UInt64 = 0
    var removed = false
    /// `name{labels}` (or `name` without labels) for counters and gauges; for histograms the prefixes of
    /// each `_bucket` line (including `+Inf` last), then `_sum` and `_count`.
    var renderedPrefixes: [String] = []

    mutating func observe(_ observation: Double) {
        count &+= 1
        sum += observation
        // Bounds are few (about 11): a linear scan beats a binary search here.
        var bucket = 0
        while bucket < bounds.count, observation > bounds[bucket] { bucket += 1 }
        if bucket < bucketCounts.count { bucketCounts[bucket] &+= 1 }
    }

    var histogramSnapshot: MetricsSnapshot.Histogram {
        var cumulative: [UInt64] = []
        cumulative.reserveCapacity(bounds.count)
        var running: UInt64 = 0
        for index in bounds.indices {
            running &+= bucketCounts[index]
            cumulative.append(running)
        }
        return MetricsSnapshot.Histogram(upperBounds: bounds, cumulativeCounts: cumulative, sum: sum, count: count)
    }
}

/// Everything a ``MetricsCollector`` holds; always accessed under its mutex.
struct MetricsCollectorState: Sendable {
    /// Keys as callers gave them (and their normalized form) to slot indices.
    var index: [MetricsSeriesKey: Int] = [:]
    /// Recently used caller values to slot indices, checked before ``index`` (see ``MetricsSeriesCache``).
    var recent = MetricsSeriesCache()
    var slots: [MetricsSlot] = []
    var families: [String: MetricsFamilyState] = [:]
    var help: [String: String] = [:]
    var errors: [MetricsError] = []
    var droppedErrorCount = 0
    /// Live slot indices in export order; nil when a series was added or removed since the last export.
    var exportOrder: [Int]?
    /// Changes when slots are invalidated (reset), so handles know their slot index is stale.
    var generation = 0

    static let maximumRecordedErrors = 100

    // MARK: Validation

    static func isValidMetricName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let valid =
                isASCIILetter(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
                || (!first && isASCIIDigit(byte))
            guard valid else { return false }
            first = false
        }
        return !first
    }

    static func isValidLabelName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let valid = isASCIILetter(byte) || byte == UInt8(ascii: "_") || (!first && isASCIIDigit(byte))
            guard valid else { return false }
            first = false
        }
        return !first && !name.hasPrefix("__")
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func isASCIIDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    static func areValidBuckets(_ buckets: [Double]) -> Bool {
        guard !buckets.isEmpty else { return false }
        for (offset, bound) in buckets.enumerated() {
            guard bound.isFinite else { return false }
            if offset > 0, bound <= buckets[offset - 1] { return false }
        }
        return true
    }

    // MARK: Lookup and registration

    /// The slot the caller's exact `(name, labels)` already designates, through ``recent`` then ``index``
    /// (no normalisation: a miss goes through ``slot(for:type:buckets:limit:)``).
    @inline(__always)
    mutating func existingSlot(name: String, labels: [String: String]) -> Int? {
        let position = MetricsSeriesCache.position(name: name, labels: labels)
        if let hit = recent.slot(at: position, name: name, labels: labels) { return hit }
        guard let found = index[MetricsSeriesKey(name: name, labels: labels)] else { return nil }
        recent.store(at: position, name: name, labels: labels, slot: found)
        return found
    }

    func lookup(_ key: MetricsSeriesKey) -> Int? {
        if let found = index[key] { return found }
        let normalized = key.normalized
        return normalized == key ? nil : index[normalized]
    }

    /// Throws when `key` cannot be used as `type`; changes nothing.
    func check(_ key: MetricsSeriesKey, type: MetricType, buckets: [Double]?, limit: Int) throws(MetricsError) {
        if let existing = lookup(key) {
            let slot = slots[existing]
            guard slot.type == type else {
                throw .typeConflict(metric: key.name, registered: slot.type, requested: type)
            }
            if type == .histogram, let buckets, buckets != slot.bounds {
                throw .bucketMismatch(metric: key.name, registered: slot.bounds, requested: buckets)
            }
            return
        }
        let name = key.name
        guard Self.isValidMetricName(name) else { throw .invalidMetricName(name) }
        for label in key.labels.keys {
            let reserved = label == "quantile" || (type == .histogram && label == "le")
            guard Self.isValidLabelName(label), !reserved else {
                throw .invalidLabelName(metric: name, label: label)
            }
        }
        if let family = families[name] {
            guard family.type == type else {
                throw .typeConflict(metric: name, registered: family.type, requested: type)
            }
            if type == .histogram, let buckets, let registered = family.buckets, registered != buckets {
                throw .bucketMismatch(metric: name, registered: registered, requested: buckets)
            }
            guard family.seriesCount < limit else { throw .cardinalityLimitExceeded(metric: name, limit: limit) }
        } else {
            try checkDerivedNames(name, type: type)
        }
        if type == .histogram, let buckets, !Self.areValidBuckets(buckets) {
            throw .invalidBuckets(metric: name, buckets: buckets)
        }
    }

    /// A histogram `x` exports `x_bucket`, `x_sum` and `x_count`: no other family may use those names.
    private func checkDerivedNames(_ name: String, type: MetricType) throws(MetricsError) {
        if type == .histogram {
            for suffix in ["_bucket", "_sum", "_count"] {
                if let other = families[name + suffix] {
                    throw .typeConflict(metric: name + suffix, registered: other.type, requested: .histogram)
                }
            }
        }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if let other = families[base], other.type == .histogram {
                throw .typeConflict(metric: name, registered: .histogram, requested: type)
            }
        }
    }

    /// The slot of `key`, created (after ``check(_:type:buckets:limit:)``) when missing.
    mutating func slot(
        for key: MetricsSeriesKey,
        type: MetricType,
        buckets: [Double]?,
        limit: Int
    ) throws(MetricsError) -> Int {
        try check(key, type: type, buckets: buckets, limit: limit)
        if let existing = lookup(key) {
            index[key] = existing
            return existing
        }
        let normalized = key.normalized
        let bounds =
            type == .histogram ? (buckets ?? families[key.name]?.buckets ?? MetricsCollector.defaultBuckets) : nil
        var slot = MetricsSlot(
            type: type,
            name: key.name,
            labels: normalized.labels.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        )
        if let bounds {
            slot.bounds = bounds
            slot.bucketCounts = Array(repeating: 0, count: bounds.count + 1)
        }
        slot.renderedPrefixes = MetricsPrometheusFormat.prefixes(for: slot)
        let position = slots.count
        slots.append(slot)
        index[normalized] = position
        if normalized != key { index[key] = position }
        families[key.name, default: MetricsFamilyState(type: type, buckets: bounds, seriesCount: 0)].seriesCount += 1
        exportOrder = nil
        return position
    }

    /// Removes the series of `key`, and its family when it was the last one.
    mutating func remove(_ key: MetricsSeriesKey) {
        guard let position = lookup(key) else { return }
        let name = slots[position].name
        slots[position].removed = true
        index = index.filter { $0.value != position }
        recent.removeAll()
        if var family = families[name] {
            family.seriesCount -= 1
            families[name] = family.seriesCount > 0 ? family : nil
        }
        exportOrder = nil
    }

    // MARK: Updates that cannot throw (swift-metrics path, after an await)

    mutating func record(_ error: MetricsError) {
        if errors.count < Self.maximumRecordedErrors {
            errors.append(error)
        } else {
            droppedErrorCount += 1
        }
    }

    mutating func addRecording(_ key: MetricsSeriesKey, amount: Double, limit: Int) {
        do throws(MetricsError) {
            let position = try slot(for: key, type: .counter, buckets: nil, limit: limit)
            slots[position].value += amount
        } catch {
            record(error)
        }
    }

    mutating func observeRecording(_ key: MetricsSeriesKey, value: Double, limit: Int) {
        do throws(MetricsError) {
            let position = try slot(for: key, type: .histogram, buckets: nil, limit: limit)
            slots[position].observe(value)
        } catch {
            record(error)
        }
    }

    // MARK: Export order

    /// Live slots sorted by family name, then by label set; cached until a series is added or removed.
    mutating func sortedSlotIndices() -> [Int] {
        if let exportOrder { return exportOrder }
        let live = slots.indices.filter { !slots[$0].removed }
        let sorted = live.sorted { left, right in
            let a = slots[left]
            let b = slots[right]
            if a.name != b.name { return a.name < b.name }
            return Self.labelsPrecede(a.labels, b.labels)
        }
        exportOrder = sorted
        return sorted
    }

    private static func labelsPrecede(
        _ left: [(name: String, value: String)],
        _ right: [(name: String, value: String)]
    ) -> Bool {
        for (a, b) in zip(left, right) {
            if a.name != b.name { return a.name < b.name }
            if a.value != b.value { return a.value < b.value }
        }
        return left.count < right.count
    }

    mutating func sortedFamilies() -> [MetricsSnapshot.Family] {
        var result: [MetricsSnapshot.Family] = []
        for position in sortedSlotIndices() {
            let slot = slots[position]
            if result.last?.name != slot.name {
                result.append(
                    MetricsSnapshot.Family(name: slot.name, type: slot.type, help: help[slot.name], series: []))
            }
            let value: MetricsSnapshot.Value
            switch slot.type {
            case .counter: value = .counter(slot.value)
            case .gauge: value = .gauge(slot.value)
            case .histogram: value = .histogram(slot.histogramSnapshot)
            }
            let labels = Dictionary(slot.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
            result[result.count - 1].series.append(MetricsSnapshot.Series(labels: labels, value: value))
        }
        return result
    }
}
