import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

@Suite("MetricsCollector")
struct MetricsCollectorTests {
    @Test func countsPerLabelSetIndependentlyOfLabelOrder() throws {
        let metrics = MetricsCollector(service: "test")
        try metrics.increment("jobs_total", labels: ["queue": "a", "outcome": "ok"])
        try metrics.increment("jobs_total", by: 2, labels: ["outcome": "ok", "queue": "a"])
        try metrics.increment("jobs_total", labels: ["queue": "b", "outcome": "ok"])
        #expect(metrics.getCounter("jobs_total", labels: ["queue": "a", "outcome": "ok"]) == 3)
        #expect(metrics.getCounter("jobs_total", labels: ["queue": "b", "outcome": "ok"]) == 1)
        #expect(metrics.getCounter("jobs_total", labels: ["queue": "c"]) == nil)
    }

    @Test func treatsEmptyLabelValuesAsAbsent() throws {
        let metrics = MetricsCollector(service: "test")
        try metrics.increment("jobs_total", labels: ["queue": ""])
        try metrics.increment("jobs_total")
        #expect(metrics.getCounter("jobs_total") == 2)
        #expect(metrics.exportPrometheus() == "# TYPE jobs_total counter\njobs_total 2\n")
    }

    @Test func gaugesGoUpAndDown() throws {
        let metrics = MetricsCollector(service: "test")
        try metrics.setGauge("error_rate", 0.25)
        try metrics.adjustGauge("error_rate", by: -0.5)
        #expect(metrics.getGauge("error_rate") == -0.25)
    }

    @Test func refusesNegativeCounterIncrements() throws {
        let metrics = MetricsCollector(service: "test")
        #expect(throws: MetricsError.invalidCounterIncrement(metric: "jobs_total", amount: -1)) {
            try metrics.increment("jobs_total", by: -1)
        }
        #expect(metrics.getCounter("jobs_total") == nil)
    }

    @Test func refusesSameNameWithAnotherType() throws {
        let metrics = MetricsCollector(service: "test")
        try metrics.increment("requests_total")
        #expect(throws: MetricsError.typeConflict(metric: "requests_total", registered: .counter, requested: .gauge)) {
            try metrics.setGauge("requests_total", 1)
        }
        #expect(throws: MetricsError.typeConflict(metric: "requests_total", registered: .counter, requested: .gauge)) {
            try metrics.setGauge("requests_total", 1, labels: ["other": "labels"])
        }
        #expect(metrics.getCounter("requests_total") == 1)
    }

    @Test func refusesNamesThatCollideWithHistogramSeries() throws {
        let metrics = MetricsCollector(service: "test")
        try metrics.recordHistogram("latency_seconds", 0.1)
        #expect(throws: MetricsError.self) { try metrics.increment("latency_seconds_count") }
        #expect(throws: MetricsError.self) { try metrics.setGauge("latency_seconds_bucket", 1) }
        try metrics.setGauge("size_sum", 1)
        #expect(throws: MetricsError.self) { try metrics.recordHistogram("size", 1) }
    }

    @Test func refusesHistogramBucketMismatch() throws {
        let metrics = MetricsCollector(service: "test")
        try metrics.recordHistogram("size_bytes", 10, buckets: [100, 1_000])
        #expect(
            throws: MetricsError.bucketMismatch(metric: "size_bytes", registered: [100, 1_000], requested: [1, 2])
        ) {
            try metrics.recordHistogram("size_bytes", 10, buckets: [1, 2])
        }
        #expect(
            throws: MetricsError.bucketMismatch(metric: "size_bytes", registered: [100, 1_000], requested: [1, 2])
        ) {
            try metrics.recordHistogram("size_bytes", 10, labels: ["new": "series"], buckets: [1, 2])
        }
        // Omitting buckets uses the registered ones.
        try metrics.recordHistogram("size_bytes", 500, labels: ["new": "series"])
        #expect(metrics.getHistogram("size_bytes", labels: ["new": "series"])?.upperBounds == [100, 1_000])
    }

    @Test(arguments: [[2.0, 1.0], [], [1, .infinity], [1, 1], [.nan]])
    func refusesInvalidBuckets(buckets: [Double]) {
        let metrics = MetricsCollector(service: "test")
        #expect(throws: MetricsError.invalidBuckets(metric: "h", buckets: buckets)) {
            try metrics.recordHistogram("h", 1, buckets: buckets)
        }
    }

    @Test(arguments: ["", "1abc", "with-dash", "spaced name", "ünicode", "a.b"])
    func refusesInvalidMetricNames(name: String) {
        let metrics = MetricsCollector(service: "test")
        #expect(throws: MetricsError.invalidMetricName(name)) { try metrics.increment(name) }
        #expect(throws: MetricsError.invalidMetricName(name)) { try metrics.describe(name, help: "x") }
    }

    @Test func acceptsColonsInMetricNames() throws {
        let metrics = MetricsCollector(service: "test")
        try metrics.setGauge("job:requests:rate5m", 1)
        #expect(metrics.getGauge("job:requests:rate5m") == 1)
    }

    @Test(arguments: ["__reserved", "1x", "has-dash", "quantile", "a:b", ""])
    func refusesInvalidLabelNames(label: String) {
        let metrics = MetricsCollector(service: "test")
        #expect(throws: MetricsError.invalidLabelName(metric: "x_total", label: label)) {
            try metrics.increment("x_total", labels: [label: "v"])
        }
    }

    @Test func refusesLeLabelOnHistogramsOnly() throws {
        let metrics = MetricsCollector(service: "test")
        #expect(throws: MetricsError.invalidLabelName(metric: "h", label: "le")) {
            try metrics.recordHistogram("h", 1, labels: ["le": "x"])
        }
        try metrics.increment("c_total", labels: ["le": "x"])
        #expect(metrics.getCounter("c_total", labels: ["le": "x"]) == 1)
    }

    @Test func capsLabelSetsPerFamily() throws {
        let metrics = MetricsCollector(service: "test", cardinalityLimit: 3)
        for id in 0..<3 { try metrics.increment("hits_total", labels: ["id": "\(id)"]) }
        #expect(throws: MetricsError.cardinalityLimitExceeded(metric: "hits_total", limit: 3)) {
            try metrics.increment("hits_total", labels: ["id": "3"])
        }
        try metrics.increment("hits_total", labels: ["id": "0"])
        #expect(metrics.getCounter("hits_total", labels: ["id": "0"]) == 2)
    }

    @Test func histogramsCountCumulativelyWithInfEqualToCount() throws {
        let metrics = MetricsCollector(service: "test")
        for value in [0.05, 0.1, 0.2, 0.7, 3.0, 99.0] {
            try metrics.recordHistogram("op_seconds", value, buckets: [0.1, 0.5, 1, 5])
        }
        let histogram = try #require(metrics.getHistogram("op_seconds"))
        #expect(histogram.cumulativeCounts == [2, 3, 4, 5])
        #expect(histogram.count == 6)
        #expect(histogram.sum == 0.05 + 0.1 + 0.2 + 0.7 + 3.0 + 99.0)
        let text = metrics.exportPrometheus()
        #expect(text.contains("op_seconds_bucket{le=\"+Inf\"} 6\n"))
        #expect(text.contains("op_seconds_count 6\n"))
    }

    @Test func timeOperationRecordsDurationAndSuccessWithTheInjectedClock() async throws {
        let metrics = MetricsCollector(service: "test")
        let clock = ManualClock()
        let value = try await metrics.timeOperation("sync", labels: ["repo": "a"], clock: clock) {
            clock.advance(by: .milliseconds(300))
            return 42
        }
        #expect(value == 42)
        let histogram = try #require(metrics.getHistogram("sync_duration_seconds", labels: ["repo": "a"]))
        #expect(histogram.count == 1)
        #expect(abs(histogram.sum - 0.3) < 1e-9)
        #expect(histogram.cumulativeCounts[MetricsCollector.defaultBuckets.firstIndex(of: 0.25) ?? 0] == 0)
        #expect(histogram.cumulativeCounts[MetricsCollector.defaultBuckets.firstIndex(of: 0.5) ?? 0] == 1)
        #expect(metrics.getCounter("sync_success_total", labels: ["repo": "a"]) == 1)
        #expect(metrics.getCounter("sync_failure_total", labels: ["repo": "a"]) == 0)
    }

    @Test func timeOperationCountsFailuresAndRethrows() async throws {
        struct Boom: Error {}
        let metrics = MetricsCollector(service: "test")
        let clock = ManualClock()
        await #expect(throws: Boom.self) {
            try await metrics.timeOperation("sync", clock: clock) { () async throws -> Int in throw Boom() }
        }
        #expect(metrics.getCounter("sync_failure_total") == 1)
        #expect(metrics.getCounter("sync_success_total") == 0)
        #expect(metrics.getHistogram("sync_duration_seconds")?.count == 1)
    }

    @Test func timeOperationReportsConflictsBeforeRunning() async throws {
        let metrics = MetricsCollector(service: "test")
        try metrics.setGauge("sync_failure_total", 1)
        let ran = LockedValue(false)
        await #expect(throws: MetricsError.self) {
            try await metrics.timeOperation("sync", clock: ManualClock()) { ran.withLock { $0 = true } }
        }
        #expect(ran.withLock { $0 } == false)
        #expect(metrics.getHistogram("sync_duration_seconds") == nil)
    }

    @Test func snapshotIsTypedAndSorted() throws {
        let metrics = MetricsCollector(service: "repo-sync")
        try metrics.describe("b_total", help: "B.")
        try metrics.increment("b_total", labels: ["x": "2"])
        try metrics.increment("b_total", labels: ["x": "1"])
        try metrics.setGauge("a", 5)
        let snapshot = metrics.getAllMetrics()
        #expect(snapshot.service == "repo-sync")
        #expect(snapshot.families.map(\.name) == ["a", "b_total"])
        #expect(snapshot.family("b_total")?.help == "B.")
        #expect(snapshot.family("b_total")?.series.map(\.labels) == [["x": "1"], ["x": "2"]])
        #expect(snapshot.value("a") == .gauge(5))
        #expect(snapshot.value("b_total", labels: ["x": "2"]) == .counter(1))
    }

    @Test func concurrentIncrementsAreNotLost() async throws {
        let metrics = MetricsCollector(service: "test")
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for _ in 0..<1_000 { try? metrics.increment("hits_total", labels: ["w": "\(worker % 2)"]) }
                }
            }
        }
        #expect(metrics.getCounter("hits_total", labels: ["w": "0"]) == 4_000)
        #expect(metrics.getCounter("hits_total", labels: ["w": "1"]) == 4_000)
    }

    @Test func writePrometheusReplacesTheFileAtomically() throws {
        let directory = try TemporaryDirectory(prefix: "metrics-write")
        defer { directory.remove() }
        let metrics = MetricsCollector(service: "test")
        try metrics.increment("a_total")
        let url = directory.appending("metrics.prom")
        try Data("old".utf8).write(to: url)
        try metrics.writePrometheus(to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == metrics.exportPrometheus())
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["metrics.prom"])
    }

    @Test func writePrometheusToMissingDirectoryThrowsAndLeavesNothing() throws {
        let directory = try TemporaryDirectory(prefix: "metrics-write")
        defer { directory.remove() }
        let metrics = MetricsCollector(service: "test")
        let url = directory.appending("missing/metrics.prom")
        #expect(throws: MetricsError.self) { try metrics.writePrometheus(to: url) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func counterHandlesIncrementTheSameSeriesAndSurviveReset() throws {
        let metrics = MetricsCollector(service: "test")
        let handle = try metrics.counter("jobs_total", labels: ["queue": "a"])
        handle.increment()
        handle.increment(by: 2)
        try metrics.increment("jobs_total", labels: ["queue": "a"])
        #expect(metrics.getCounter("jobs_total", labels: ["queue": "a"]) == 4)
        metrics.reset()
        try metrics.setGauge("other", 1)
        handle.increment()
        #expect(handle.value == 1)
        #expect(metrics.getGauge("other") == 1)
        #expect(throws: MetricsError.self) { try metrics.counter("other") }
    }
}
