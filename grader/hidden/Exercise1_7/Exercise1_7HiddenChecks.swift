import Exercise1_7
import ExerciseSupport
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 1.7.
///
/// Messages never show the generated durations or outcomes: comparisons use `XCTAssertTrue`, and errors from
/// the trainee's code are rethrown through `HiddenCheckFailure.concealing`.
final class Exercise1_7HiddenChecks: XCTestCase {
    private struct Failure: Error {}

    func test1_randomOperationsGiveTheRightCountsRateAndHistogram() async throws {
        var random = CheckRandomGenerator(seed: 1_701)
        for _ in 0..<4 {
            let plan = (0..<Int.random(in: 5...30, using: &random)).map { _ in
                (
                    milliseconds: Int64.random(in: 1...12_000, using: &random),
                    fails: Int.random(in: 0..<3, using: &random) == 0
                )
            }
            let text = try await run(plan)
            let errors = Double(plan.filter(\.fails).count)
            let total = Double(plan.count)
            XCTAssertTrue(
                (text.value("operations_total", ["status": "success"]) ?? 0) == total - errors
                    && (text.value("operations_total", ["status": "error"]) ?? 0) == errors,
                "`operations_total` by status was wrong for generated operations. Run `lab hint 1.7`.")
            XCTAssertTrue(
                abs((text.value("error_rate") ?? -1) - errors / total) < 1e-9,
                "`error_rate` was not the share (0 to 1) of failed generated operations. Run `lab hint 1.7`.")
            let seconds = plan.map { Double($0.milliseconds) / 1_000 }
            XCTAssertTrue(
                text.value("operation_duration_seconds_count") == total
                    && abs((text.value("operation_duration_seconds_sum") ?? -1) - seconds.reduce(0, +)) < 1e-6,
                "The duration histogram's count or sum (in seconds, every operation) was wrong. Run `lab hint 1.7`.")
            let buckets = text.buckets("operation_duration_seconds")
            let expected = MetricsCollector.defaultBuckets.map { bound in Double(seconds.filter { $0 <= bound }.count) }
            XCTAssertTrue(
                buckets.map(\.le) == MetricsCollector.defaultBuckets + [.infinity]
                    && buckets.map(\.count) == expected + [total],
                "The duration histogram's buckets were wrong for generated durations. Run `lab hint 1.7`.")
        }
    }

    func test2_whenEverythingFailsTheErrorRateIsOne() async throws {
        let text = try await run([(300, true), (20, true), (4_000, true)])
        XCTAssertTrue(
            text.value("error_rate") == 1 && text.value("operations_total", ["status": "error"]) == 3
                && (text.value("operations_total", ["status": "success"]) ?? 0) == 0,
            "When every operation fails, the counts and the error rate were wrong. Run `lab hint 1.7`.")
        XCTAssertTrue(
            text.value("operation_duration_seconds_count") == 3, "Failed operations were not timed. Run `lab hint 1.7`."
        )
    }

    func test3_whenNothingFailsTheErrorRateIsZero() async throws {
        let text = try await run([(10, false), (20, false)])
        XCTAssertTrue(
            text.value("error_rate") == 0 && text.value("operations_total", ["status": "success"]) == 2,
            "When no operation fails, the counts and the error rate were wrong. Run `lab hint 1.7`.")
        XCTAssertTrue(
            ["operations_total", "error_rate", "operation_duration_seconds"].allSatisfy {
                !(text.help[$0] ?? "").isEmpty
            },
            "A metric has no help text. Run `lab hint 1.7`.")
    }

    // MARK: Helpers

    private func run(_ plan: [(milliseconds: Int64, fails: Bool)]) async throws -> PrometheusText {
        let clock = ManualClock()
        let operations = plan.enumerated().map { index, step in
            TimedOperation(name: "op\(index)") {
                clock.advance(by: .milliseconds(step.milliseconds))
                if step.fails { throw Failure() }
            }
        }
        let metrics = MetricsCollector(service: "exercise1_7_hidden")
        let export: String
        do {
            export = try await OperationMetrics.run(operations, metrics: metrics, clock: clock)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "Running generated operations", exercise: "1.7")
        }
        do {
            return try PrometheusText.parse(export)
        } catch {
            throw HiddenCheckFailure("The export is not valid Prometheus text", exercise: "1.7")
        }
    }
}
