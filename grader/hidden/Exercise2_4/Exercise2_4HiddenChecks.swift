import ArgumentParser
import Exercise2_4
import ExerciseSupport
import Foundation
import Logging
import MokoEnterprise
import MokoEnterpriseTestSupport
import Synchronization
import XCTest

/// Hidden checks for Exercise 2.4: generated batch sizes, failure sets and interruption points, several
/// interruptions in a row, retries that fail again, and the command's edges.
final class Exercise2_4HiddenChecks: XCTestCase {
    func test1_generatedBatchesEndWithEveryItemCompletedOrFailed() async throws {
        var random = CheckRandomGenerator(seed: 2_401)
        for _ in 0..<4 {
            let world = try Exercise2_4HiddenWorld()
            defer { world.remove() }
            let items = BatchItem.numbered(Int.random(in: 100...180, using: &random))
            let failing = Exercise2_4HiddenWorld.pick(from: items, probability: 0.15, using: &random)
            let worker = SimulatedWorker(failing: failing)
            let summary = try await world.process(items, retryFailed: false, worker: worker)
            let failedIDs = items.map(\.id).filter { failing.contains($0) }
            XCTAssertTrue(
                summary
                    == BatchSummary(
                        total: items.count, completed: items.count - failing.count, failed: failing.count,
                        failedItems: failedIDs),
                "The summary of a generated batch was wrong. Run `lab hint 2.4`.")
            XCTAssertTrue(
                worker.processedIDs == items.map(\.id),
                "Every item should be processed once, in order. Run `lab hint 2.4`.")
            let state = try world.checkpoint.getState()
            XCTAssertTrue(
                Set(state.completedItems).union(state.failedItems) == Set(items.map(\.id))
                    && Set(state.failedItems) == failing,
                "The checkpoint lost an item or recorded a wrong outcome. Run `lab hint 2.4`.")
            XCTAssertTrue(
                try items.allSatisfy {
                    try world.checkpoint.result(for: $0.id)
                        == (failing.contains($0.id) ? nil : "done:\($0.payload * 2)")
                },
                "A completed item's result was not stored in the checkpoint. Run `lab hint 2.4`.")
        }
    }

    func test2_severalInterruptionsNeverRedoAnItemNorLoseOne() async throws {
        var random = CheckRandomGenerator(seed: 2_402)
        for _ in 0..<3 {
            let world = try Exercise2_4HiddenWorld()
            defer { world.remove() }
            let items = BatchItem.numbered(Int.random(in: 100...150, using: &random))
            let failing = Exercise2_4HiddenWorld.pick(from: items, probability: 0.1, using: &random)
            var calls: [String] = []
            var finished: BatchSummary?
            var runs = 0
            while finished == nil && runs < 10 {
                runs += 1
                let worker = SimulatedWorker(
                    failing: failing, interruptAfter: runs < 4 ? Int.random(in: 1...40, using: &random) : nil)
                do {
                    finished = try await world.process(items, retryFailed: false, worker: worker)
                } catch is CancellationError {
                    let state = try world.checkpoint.getState()
                    let known = Set(state.completedItems).union(state.failedItems)
                    XCTAssertTrue(
                        known == Set(worker.processedIDs).union(calls),
                        "After an interruption the checkpoint should hold exactly the items processed so far (the "
                            + "interrupted one is not marked). Run `lab hint 2.4`.")
                }
                calls += worker.processedIDs
            }
            XCTAssertTrue(
                calls.count == items.count && Set(calls).count == items.count,
                "Across interrupted runs every item should be processed exactly once. Run `lab hint 2.4`.")
            XCTAssertTrue(
                finished?.completed == items.count - failing.count && finished?.failed == failing.count
                    && finished?.failedItems == items.map(\.id).filter { failing.contains($0) },
                "The final summary after the resumes was wrong. Run `lab hint 2.4`.")
        }
    }

    func test3_retryFailedRetriesOnlyFailedItemsAndCountsRetries() async throws {
        var random = CheckRandomGenerator(seed: 2_403)
        let world = try Exercise2_4HiddenWorld()
        defer { world.remove() }
        let items = BatchItem.numbered(Int.random(in: 100...140, using: &random))
        let failing = Exercise2_4HiddenWorld.pick(from: items, probability: 0.2, using: &random)
        _ = try await world.process(items, retryFailed: false, worker: SimulatedWorker(failing: failing))
        let idle = SimulatedWorker()
        let skipped = try await world.process(items, retryFailed: false, worker: idle)
        XCTAssertTrue(
            idle.processedIDs.isEmpty && skipped.failed == failing.count,
            "Without retryFailed, failed items should be skipped and still counted as failed. Run `lab hint 2.4`.")
        let stillFailing = Set(failing.filter { _ in Bool.random(using: &random) })
        let retry = SimulatedWorker(failing: stillFailing)
        let summary = try await world.process(items, retryFailed: true, worker: retry)
        XCTAssertTrue(
            retry.processedIDs == items.map(\.id).filter { failing.contains($0) },
            "retryFailed should process exactly the failed items, in order. Run `lab hint 2.4`.")
        XCTAssertTrue(
            summary.failed == stillFailing.count && summary.completed == items.count - stillFailing.count
                && summary.skipped == items.count - failing.count,
            "The summary after a partly successful retry was wrong. Run `lab hint 2.4`.")
        XCTAssertTrue(
            try stillFailing.allSatisfy { try world.checkpoint.getRetryCount($0) >= 1 },
            "An item that failed again on retry should have its retry count incremented. Run `lab hint 2.4`.")
    }

    func test4_metricsCountOnlyThisRunsWork() async throws {
        var random = CheckRandomGenerator(seed: 2_404)
        let world = try Exercise2_4HiddenWorld()
        defer { world.remove() }
        let items = BatchItem.numbered(Int.random(in: 100...160, using: &random))
        let failing = Exercise2_4HiddenWorld.pick(from: items, probability: 0.1, using: &random)
        let cut = Int.random(in: 20...60, using: &random)
        do {
            _ = try await world.process(
                items, retryFailed: false, worker: SimulatedWorker(failing: failing, interruptAfter: cut))
            XCTFail("An interrupted run did not rethrow the CancellationError. Run `lab hint 2.4`.")
        } catch is CancellationError {
            // Expected.
        }
        let progress = world.metrics.getGauge("batch_progress") ?? -1
        XCTAssertTrue(
            abs(progress - Double(cut) / Double(items.count)) < 1e-9,
            "`batch_progress` should be the fraction of items handled when the run stopped. Run `lab hint 2.4`.")
        let fresh = MetricsCollector(service: "batch_processor")
        _ = try await world.process(
            items, retryFailed: false, worker: SimulatedWorker(failing: failing), metrics: fresh)
        let failedAfterCut = items[cut...].filter { failing.contains($0.id) }.count
        XCTAssertTrue(
            fresh.getCounter("items_processed_success") == Double(items.count - cut - failedAfterCut)
                && (fresh.getCounter("items_processed_failure") ?? 0) == Double(failedAfterCut),
            "The counters should count the items processed in this run only (not the skipped ones). "
                + "Run `lab hint 2.4`.")
        XCTAssertTrue(
            fresh.getGauge("batch_progress") == 1.0 && fresh.getGauge("batch_items_total") == Double(items.count),
            "The progress gauges were wrong at the end of the run. Run `lab hint 2.4`.")
    }

    func test5_commandValidatesItsOptionsAndReportsInJSON() async throws {
        let world = try Exercise2_4HiddenWorld()
        defer { world.remove() }
        for bad in [["--items", "0"], ["--fail-every", "-3"]] {
            XCTAssertTrue(
                Exercise2_4HiddenWorld.exitCode(parsing: bad + ["--state-dir", world.directory.path]) == 64,
                "A bad `--items` or `--fail-every` should exit 64. Run `lab hint 2.4`.")
        }
        XCTAssertTrue(
            Exercise2_4HiddenWorld.exitCode(parsing: ["--items", "1", "--state-dir", world.directory.path]) == 0,
            "`--items 1` is valid and was rejected. Run `lab hint 2.4`.")
        let (code, text) = try await world.runCommand(["--items", "130", "--fail-every", "13", "--json"])
        XCTAssertTrue(code == .failure, "With failed items the command should exit 1. Run `lab hint 2.4`.")
        XCTAssertTrue(
            text.contains("\"failed\" : 10") && text.contains("\"completed\" : 120")
                && text.contains("\"total\" : 130"),
            "With `--json` the command should print the summary as JSON. Run `lab hint 2.4`.")
        let (again, _) = try await world.runCommand(["--items", "130", "--fail-every", "13"])
        XCTAssertTrue(again == .failure, "A rerun without --retry-failed should still exit 1. Run `lab hint 2.4`.")
        let (retried, retriedText) = try await world.runCommand(["--items", "130", "--retry-failed", "--json"])
        XCTAssertTrue(
            retried == .success && retriedText.contains("\"skipped\" : 120"),
            "A successful `--retry-failed` rerun should exit 0 and skip the completed items. Run `lab hint 2.4`.")
    }
}

struct Exercise2_4HiddenWorld {
    let directory: TemporaryDirectory
    let checkpoint: Checkpoint
    let metrics = MetricsCollector(service: "batch_processor")

    init() throws {
        directory = try TemporaryDirectory(prefix: "exercise2_4h")
        checkpoint = try Checkpoint(
            name: ProcessItems.checkpointName, directory: directory.url, durability: .normal, wallClock: ManualClock())
    }

    func remove() { directory.remove() }

    static func pick(
        from items: [BatchItem], probability: Double, using random: inout CheckRandomGenerator
    ) -> Set<String> {
        Set(items.filter { _ in Double.random(in: 0..<1, using: &random) < probability }.map(\.id))
    }

    /// Runs the batch; a `CancellationError` passes through, anything else is concealed.
    func process(
        _ items: [BatchItem], retryFailed: Bool, worker: SimulatedWorker, metrics chosen: MetricsCollector? = nil
    ) async throws -> BatchSummary {
        do {
            return try await CheckpointedBatch(checkpoint: checkpoint, metrics: chosen ?? metrics)
                .process(items, retryFailed: retryFailed, worker: worker)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "CheckpointedBatch.process", exercise: "2.4")
        }
    }

    static func exitCode(parsing arguments: [String]) -> Int32 {
        do {
            _ = try ProcessItems.parse(arguments)
            return 0
        } catch {
            return ProcessItems.exitCode(for: error).rawValue
        }
    }

    func runCommand(_ arguments: [String]) async throws -> (CLIExitCode, String) {
        let command: ProcessItems
        do {
            command = try ProcessItems.parse(arguments + ["--state-dir", directory.path])
        } catch {
            throw HiddenCheckFailure("Valid arguments were rejected", exercise: "2.4")
        }
        let output = Exercise2_4HiddenOutput()
        let context = try CLIContext(
            options: command.standardOptions, commandName: "process-items", environment: [:],
            wallClock: ManualClock(), logHandler: SwiftLogNoOpLogHandler(), output: { output.write($0) })
        let code = await CliFramework.run(command, context: context, interrupts: AsyncStream { $0.finish() })
        return (code, output.text)
    }
}

final class Exercise2_4HiddenOutput: Sendable {
    private let buffer = Mutex("")

    var text: String { buffer.withLock { $0 } }

    func write(_ text: String) { buffer.withLock { $0 += text } }
}
