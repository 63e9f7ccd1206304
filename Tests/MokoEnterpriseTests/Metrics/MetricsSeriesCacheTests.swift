import CoreMetrics
import MokoEnterprise
import Testing

@Suite("MetricsSeriesCache")
struct MetricsSeriesCacheTests {
    @Test func aReusedLabelsDictionaryMutatedAfterUseCountsTheNewSeries() throws {
        let metrics = MetricsCollector(service: "test")
        var labels = ["method": "GET", "code": "200"]
        for _ in 0..<20 { try metrics.increment("requests_total", labels: labels) }
        labels["code"] = "500"
        for _ in 0..<3 { try metrics.increment("requests_total", labels: labels) }
        #expect(metrics.getCounter("requests_total", labels: ["method": "GET", "code": "200"]) == 20)
        #expect(metrics.getCounter("requests_total", labels: ["method": "GET", "code": "500"]) == 3)
    }

    @Test func aCachedSeriesThatIsDestroyedStartsAgainFromZero() throws {
        let metrics = MetricsCollector(service: "test")
        let labels = ["queue": "a"]
        let counter = Counter(label: "jobs_total", dimensions: [("queue", "a")], factory: metrics.factory)
        for _ in 0..<20 { try metrics.increment("jobs_total", labels: labels) }
        counter.destroy()
        #expect(metrics.getCounter("jobs_total", labels: labels) == nil)
        try metrics.increment("jobs_total", by: 2, labels: labels)
        #expect(metrics.getCounter("jobs_total", labels: labels) == 2)
        #expect(metrics.exportPrometheus().contains("jobs_total{queue=\"a\"} 2\n"))
    }

    @Test func manyReusedLabelSetsStayDistinct() throws {
        let metrics = MetricsCollector(service: "test")
        let labelSets = (0..<200).map { ["id": "\($0)", "route": "/items/\($0 % 7)"] }
        for round in 1...3 {
            for labels in labelSets { try metrics.increment("hits_total", labels: labels) }
            for labels in labelSets { try metrics.setGauge("depth", Double(round), labels: labels) }
        }
        for labels in labelSets {
            #expect(metrics.getCounter("hits_total", labels: labels) == 3)
            #expect(metrics.getGauge("depth", labels: labels) == 3)
        }
        #expect(throws: MetricsError.self) { try metrics.setGauge("hits_total", 1, labels: labelSets[0]) }
    }
}
