import CoreMetrics
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

/// Where `promtool` is, if installed.
private enum MetricsPromtool {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin")
            .split(separator: ":")
        return directories.map { "\($0)/promtool" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let isCI = ProcessInfo.processInfo.environment["CI"] != nil

    /// Runs `promtool check metrics` on `text`; returns the exit status and output.
    static func check(_ text: String, promtool: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite("MetricsCollector Prometheus export")
struct MetricsPrometheusExportTests {
    private func sample() throws -> MetricsCollector {
        let metrics = MetricsCollector(service: "test")
        try metrics.describe("http_requests_total", help: "Requests.\nSecond line \\ done")
        try metrics.increment("http_requests_total", by: 2, labels: ["method": "POST", "code": "500"])
        try metrics.increment("http_requests_total", labels: ["method": "GET", "code": "200"])
        try metrics.setGauge("temperature_celsius", -3.5)
        try metrics.recordHistogram("latency_seconds", 0.25, buckets: [0.1, 0.5, 1])
        try metrics.recordHistogram("latency_seconds", 0.0625)
        try metrics.recordHistogram("latency_seconds", 2)
        return metrics
    }

    @Test func exportMatchesTheGoldenText() throws {
        let expected = """
            # HELP http_requests_total Requests.\\nSecond line \\\\ done
            # TYPE http_requests_total counter
            http_requests_total{code="200",method="GET"} 1
            http_requests_total{code="500",method="POST"} 2
            # TYPE latency_seconds histogram
            latency_seconds_bucket{le="0.1"} 1
            latency_seconds_bucket{le="0.5"} 2
            latency_seconds_bucket{le="1"} 2
            latency_seconds_bucket{le="+Inf"} 3
            latency_seconds_sum 2.3125
            latency_seconds_count 3
            # TYPE temperature_celsius gauge
            temperature_celsius -3.5

            """
        #expect(try sample().exportPrometheus() == expected)
    }

    @Test func escapesLabelValues() throws {
        let metrics = MetricsCollector(service: "test")
        try metrics.setGauge("g", 1, labels: ["path": "C:\\dir \"quoted\"\nnext ünï"])
        #expect(metrics.exportPrometheus() == "# TYPE g gauge\ng{path=\"C:\\\\dir \\\"quoted\\\"\\nnext ünï\"} 1\n")
    }

    @Test func histogramLabelsPutLeLast() throws {
        let metrics = MetricsCollector(service: "test")
        try metrics.recordHistogram("h", 1, labels: ["z": "1", "a": "2"], buckets: [1])
        #expect(
            metrics.exportPrometheus() == """
                # TYPE h histogram
                h_bucket{a="2",z="1",le="1"} 1
                h_bucket{a="2",z="1",le="+Inf"} 1
                h_sum{a="2",z="1"} 1
                h_count{a="2",z="1"} 1

                """)
    }

    @Test func outputIsByteStableWhateverTheInsertionOrder() throws {
        let first = MetricsCollector(service: "test")
        let second = MetricsCollector(service: "test")
        let series = (0..<50).map { ("family_\($0 % 7)_total", ["id": "\($0)", "kind": "\($0 % 3)"]) }
        for (name, labels) in series { try first.increment(name, labels: labels) }
        for (name, labels) in series.reversed() { try second.increment(name, labels: labels) }
        #expect(first.exportPrometheus() == second.exportPrometheus())
        #expect(first.exportPrometheus() == first.exportPrometheus())
        // Families are contiguous: each TYPE line appears once.
        let typeLines = first.exportPrometheus().split(separator: "\n").filter { $0.hasPrefix("# TYPE") }
        #expect(typeLines.count == 7)
        #expect(Set(typeLines).count == 7)
    }

    @Test func emptyCollectorExportsNothing() {
        #expect(MetricsCollector(service: "test").exportPrometheus() == "")
    }

    @Test(arguments: [
        (0.0, "0"), (1.0, "1"), (-2.0, "-2"), (100_000.0, "100000"), (1e6, "1e+06"), (1_234_567.0, "1.234567e+06"),
        (0.1, "0.1"), (0.0001, "0.0001"), (0.00001, "1e-05"), (123_456.5, "123456.5"), (1.5e300, "1.5e+300"),
        (-0.25, "-0.25"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"),
        (Double.leastNonzeroMagnitude, "5e-324"), (1e21, "1e+21"), (0.005, "0.005"), (2.5, "2.5"),
    ])
    func formatsFloatsLikeGo(value: Double, expected: String) throws {
        let metrics = MetricsCollector(service: "test")
        try metrics.setGauge("g", value)
        #expect(metrics.exportPrometheus() == "# TYPE g gauge\ng \(expected)\n")
    }

    @Test(
        .enabled(
            if: MetricsPromtool.path != nil || MetricsPromtool.isCI,
            "promtool is not installed (apt-get install prometheus); skipped outside CI"))
    func promtoolAcceptsTheExport() throws {
        guard let promtool = MetricsPromtool.path else {
            Issue.record("promtool is required when CI is set: apt-get install -y prometheus")
            return
        }
        let metrics = try sample()
        let awkward = ["quote \"x\"", "back\\slash", "new\nline", "ünïcödé ✓", "", "plain"]
        try metrics.describe("escaped_total", help: "Help with a \\ backslash\nand a newline.")
        try metrics.describe("escaped_ratio", help: "A gauge.")
        try metrics.describe("escaped_seconds", help: "A histogram.")
        try metrics.describe("temperature_celsius", help: "Temperature.")
        try metrics.describe("latency_seconds", help: "Latency.")
        for (index, value) in awkward.enumerated() {
            try metrics.increment("escaped_total", by: Double(index), labels: ["value": value, "n": "\(index)"])
            try metrics.setGauge("escaped_ratio", Double(index) / 7, labels: ["value": value])
            try metrics.recordHistogram("escaped_seconds", Double(index) * 0.3, labels: ["value": value])
        }
        try metrics.setGauge("escaped_ratio", .nan, labels: ["value": "nan"])
        try metrics.setGauge("escaped_ratio", .infinity, labels: ["value": "inf"])
        let text = metrics.exportPrometheus()
        let result = try MetricsPromtool.check(text, promtool: promtool)
        #expect(result.status == 0, "promtool said: \(result.output)\n--- export ---\n\(text)")
    }
}

@Suite("MetricsCollector swift-metrics backend")
struct MetricsSwiftMetricsBackendTests {
    @Test func swiftMetricsTypesLandInTheCollector() throws {
        let metrics = MetricsCollector(service: "test")
        let factory = metrics.factory
        let counter = Counter(label: "jobs_total", dimensions: [("queue", "default")], factory: factory)
        counter.increment(by: 3)
        let meter = Meter(label: "queue_depth", factory: factory)
        meter.set(7)
        meter.decrement(by: 2)
        let recorder = Recorder(label: "payload_bytes", factory: factory)
        recorder.record(0.3)
        let gauge = Gauge(label: "temperature", factory: factory)
        gauge.record(21.5)
        let timer = CoreMetrics.Timer(label: "request_seconds", dimensions: [("route", "/x")], factory: factory)
        timer.recordMilliseconds(250)
        #expect(metrics.getCounter("jobs_total", labels: ["queue": "default"]) == 3)
        #expect(metrics.getGauge("queue_depth") == 5)
        #expect(metrics.getGauge("temperature") == 21.5)
        #expect(metrics.getHistogram("payload_bytes")?.count == 1)
        let timing = try #require(metrics.getHistogram("request_seconds", labels: ["route": "/x"]))
        #expect(timing.count == 1)
        #expect(abs(timing.sum - 0.25) < 1e-9)
        #expect(metrics.errors.isEmpty)
    }

    @Test func sanitisesLabelsIntoValidNames() throws {
        let metrics = MetricsCollector(service: "test")
        Counter(label: "http.requests-total", dimensions: [("status.code", "200")], factory: metrics.factory)
            .increment()
        #expect(metrics.getCounter("http_requests_total", labels: ["status_code": "200"]) == 1)
    }

    @Test func conflictsAreRecordedNotCrashed() throws {
        let metrics = MetricsCollector(service: "test")
        try metrics.setGauge("jobs_total", 1)
        let counter = Counter(label: "jobs_total", factory: metrics.factory)
        counter.increment()
        #expect(metrics.getGauge("jobs_total") == 1)
        #expect(metrics.errors == [.typeConflict(metric: "jobs_total", registered: .gauge, requested: .counter)])
    }

    @Test func destroyRemovesTheSeries() throws {
        let metrics = MetricsCollector(service: "test")
        let counter = Counter(label: "temp_total", factory: metrics.factory)
        counter.increment()
        counter.destroy()
        #expect(metrics.getCounter("temp_total") == nil)
        #expect(metrics.exportPrometheus() == "")
    }
}
