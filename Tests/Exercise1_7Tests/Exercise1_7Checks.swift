import Exercise1_7
import ExerciseSupport
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 1.7, metrics with a Prometheus export. Run them with
/// `swift test --disable-swift-testing --filter Exercise1_7Tests`.
///
/// Five operations take 0.2 s, 0.7 s, 1.5 s, 3 s and 0.05 s on a manual clock; the second and the fourth fail.
final class Exercise1_7Checks: XCTestCase {
    private struct Failure: Error {}

    private func runScenario() async throws -> (export: String, metrics: MetricsCollector) {
        let clock = ManualClock()
        let plan: [(milliseconds: Int64, fails: Bool)] = [
            (200, false), (700, true), (1_500, false), (3_000, true), (50, false),
        ]
        let operations = plan.enumerated().map { index, step in
            TimedOperation(name: "operation \(index + 1)") {
                clock.advance(by: .milliseconds(step.milliseconds))
                if step.fails { throw Failure() }
            }
        }
        let metrics = MetricsCollector(service: "exercise1_7")
        let export = try await OperationMetrics.run(operations, metrics: metrics, clock: clock)
        return (export, metrics)
    }

    private func parse(_ export: String) throws -> PrometheusText {
        do {
            return try PrometheusText.parse(export)
        } catch {
            XCTFail("The export is not valid Prometheus text (\(error)). Run `lab hint 1.7`.")
            throw error
        }
    }

    func test1_exportIsValidPrometheusTextWithTheThreeMetrics() async throws {
        let (export, metrics) = try await runScenario()
        XCTAssertEqual(
            export, metrics.exportPrometheus(), "`run` should return `metrics.exportPrometheus()`. Run `lab hint 1.7`.")
        let text = try parse(export)
        XCTAssertEqual(
            text.types["operations_total"], "counter", "`operations_total` should be a counter. Run `lab hint 1.7`.")
        XCTAssertEqual(text.types["error_rate"], "gauge", "`error_rate` should be a gauge. Run `lab hint 1.7`.")
        XCTAssertEqual(
            text.types["operation_duration_seconds"], "histogram",
            "`operation_duration_seconds` should be a histogram. Run `lab hint 1.7`.")
    }

    func test2_operationsTotalCountsSuccessesAndErrors() async throws {
        let text = try parse(try await runScenario().export)
        XCTAssertEqual(
            text.value("operations_total", ["status": "success"]), 3,
            "`operations_total{status=\"success\"}` should count the three successful operations. Run `lab hint 1.7`.")
        XCTAssertEqual(
            text.value("operations_total", ["status": "error"]), 2,
            "`operations_total{status=\"error\"}` should count the two failed operations. Run `lab hint 1.7`.")
    }

    func test3_errorRateIsTheShareOfFailedOperations() async throws {
        let text = try parse(try await runScenario().export)
        let rate = try XCTUnwrap(text.value("error_rate"), "The export has no `error_rate`. Run `lab hint 1.7`.")
        XCTAssertEqual(
            rate, 0.4, accuracy: 1e-9, "2 of 5 operations failed: `error_rate` should be 0.4. Run `lab hint 1.7`.")
    }

    func test4_durationHistogramHoldsEveryOperationInSeconds() async throws {
        let text = try parse(try await runScenario().export)
        XCTAssertEqual(
            text.value("operation_duration_seconds_count"), 5,
            "Every operation, failed ones too, should be timed once. Run `lab hint 1.7`.")
        let sum = try XCTUnwrap(text.value("operation_duration_seconds_sum"), "The histogram has no `_sum`.")
        XCTAssertEqual(
            sum, 5.45, accuracy: 1e-9,
            "The durations should add up to 5.45 seconds (record seconds, not milliseconds). "
                + "Run `lab hint 1.7`.")
        let buckets = Dictionary(text.buckets("operation_duration_seconds").map { ($0.le, $0.count) }) { first, _ in
            first
        }
        XCTAssertEqual(buckets[0.25], 2, "Two operations took at most 0.25 s. Run `lab hint 1.7`.")
        XCTAssertEqual(buckets[1], 3, "Three operations took at most 1 s. Run `lab hint 1.7`.")
        XCTAssertEqual(buckets[2.5], 4, "Four operations took at most 2.5 s. Run `lab hint 1.7`.")
        XCTAssertEqual(buckets[5], 5, "All five operations took at most 5 s. Run `lab hint 1.7`.")
    }

    func test5_eachMetricHasAHelpText() async throws {
        let text = try parse(try await runScenario().export)
        for name in ["operations_total", "error_rate", "operation_duration_seconds"] {
            XCTAssertFalse(
                (text.help[name] ?? "").isEmpty,
                "`\(name)` has no `# HELP` line: describe it with `metrics.describe(_:help:)`. Run `lab hint 1.7`.")
        }
    }
}
