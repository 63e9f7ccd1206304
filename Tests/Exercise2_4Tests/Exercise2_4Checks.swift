import ArgumentParser
import Exercise2_4
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Synchronization
import XCTest

/// Checks for Exercise 2.4, batch processing with checkpoints. Run them with
/// `swift test --disable-swift-testing --filter Exercise2_4Tests`.
///
/// A batch of 120 items where every 10th fails; the `SimulatedWorker` records which items it was asked to
/// process, and can simulate an interruption after a number of items.
final class Exercise2_4Checks: XCTestCase {
    private let items = BatchItem.numbered(120)
    private var everyTenth: [String] { stride(from: 9, to: 120, by: 10).map { items[$0].id } }

    func test1_processesEveryItemAndRecordsFailures() async throws {
        let world = try Exercise2_4World()
        defer { world.remove() }
        let summary = try await world.batch().process(
            items, retryFailed: false, worker: SimulatedWorker(failing: Set(everyTenth)))
        XCTAssertEqual(
            summary, BatchSummary(total: 120, completed: 108, failed: 12, failedItems: everyTenth),
            "108 items should complete and the 12 seeded ones fail. Run `lab hint 2.4`.")
        let state = try world.checkpoint.getState()
        XCTAssertEqual(
            [state.completedCount, state.failedCount], [108, 12],
            "The checkpoint should record 108 completed and 12 failed items. Run `lab hint 2.4`.")
    }

    func test2_anInterruptedRunResumesWithoutRedoingCompletedItems() async throws {
        let world = try Exercise2_4World()
        defer { world.remove() }
        let first = SimulatedWorker(failing: Set(everyTenth), interruptAfter: 50)
        do {
            _ = try await world.batch().process(items, retryFailed: false, worker: first)
            XCTFail("The worker was interrupted: `process` should rethrow the CancellationError. Run `lab hint 2.4`.")
        } catch is CancellationError {
            // Expected: the run stopped.
        }
        let second = SimulatedWorker(failing: Set(everyTenth))
        let summary = try await world.batch().process(items, retryFailed: false, worker: second)
        XCTAssertEqual(
            second.processedIDs, items[50...].map(\.id),
            "The second run should process exactly the 70 items the first did not reach. Run `lab hint 2.4`.")
        XCTAssertEqual(
            summary, BatchSummary(total: 120, completed: 108, skipped: 45, failed: 12, failedItems: everyTenth),
            "After the resume, 108 items should be completed (45 of them skipped) and 12 failed. "
                + "Run `lab hint 2.4`.")
    }

    func test3_retryFailedRetriesOnlyTheFailedItems() async throws {
        let world = try Exercise2_4World()
        defer { world.remove() }
        _ = try await world.batch().process(
            items, retryFailed: false, worker: SimulatedWorker(failing: Set(everyTenth)))
        let without = SimulatedWorker()
        let unchanged = try await world.batch().process(items, retryFailed: false, worker: without)
        XCTAssertEqual(
            without.processedIDs, [], "Without `--retry-failed` nothing should be processed again. Run `lab hint 2.4`.")
        XCTAssertEqual(unchanged.failed, 12, "The failed items should still count as failed. Run `lab hint 2.4`.")
        let retry = SimulatedWorker()
        let summary = try await world.batch().process(items, retryFailed: true, worker: retry)
        XCTAssertEqual(
            retry.processedIDs, everyTenth,
            "`--retry-failed` should process the 12 failed items and nothing else. Run `lab hint 2.4`.")
        XCTAssertEqual(
            summary, BatchSummary(total: 120, completed: 120, skipped: 108),
            "After a successful retry every item should be completed. Run `lab hint 2.4`.")
    }

    func test4_metricsTrackProgress() async throws {
        let world = try Exercise2_4World()
        defer { world.remove() }
        _ = try await world.batch().process(
            items, retryFailed: false, worker: SimulatedWorker(failing: Set(everyTenth)))
        XCTAssertEqual(
            world.metrics.getCounter("items_processed_success"), 108,
            "`items_processed_success` should count the completed items. Run `lab hint 2.4`.")
        XCTAssertEqual(
            world.metrics.getCounter("items_processed_failure"), 12,
            "`items_processed_failure` should count the failed items. Run `lab hint 2.4`.")
        XCTAssertEqual(
            world.metrics.getGauge("batch_items_total"), 120, "`batch_items_total` should be 120. Run `lab hint 2.4`.")
        XCTAssertEqual(
            world.metrics.getGauge("batch_progress"), 1.0,
            "`batch_progress` should reach 1.0 at the end. Run `lab hint 2.4`.")
    }

    func test5_commandPrintsTheSummaryAndExitsOneWhileItemsFail() async throws {
        let world = try Exercise2_4World()
        defer { world.remove() }
        let (code, text) = try await world.runCommand(["--fail-every", "10"])
        XCTAssertEqual(code, .failure, "With failed items the command should exit 1. Run `lab hint 2.4`.")
        XCTAssertTrue(
            text.contains("  Total: 120\n") && text.contains("  Failed: 12\n"),
            "The command should print the summary report (`reportLines`). Run `lab hint 2.4`.")
        let (retryCode, retryText) = try await world.runCommand(["--retry-failed"])
        XCTAssertEqual(retryCode, .success, "After a successful retry the command should exit 0. Run `lab hint 2.4`.")
        XCTAssertTrue(
            retryText.contains("  Completed: 120\n") && retryText.contains("  Skipped (already completed): 108\n"),
            "The rerun should complete the 12 failed items and skip the others. Run `lab hint 2.4`.")
    }
}

/// A checkpoint in a temporary directory and a metrics collector.
struct Exercise2_4World {
    let directory: TemporaryDirectory
    let checkpoint: Checkpoint
    let metrics = MetricsCollector(service: "batch_processor")

    init() throws {
        directory = try TemporaryDirectory(prefix: "exercise2_4")
        checkpoint = try Checkpoint(
            name: ProcessItems.checkpointName, directory: directory.url, durability: .normal, wallClock: ManualClock())
    }

    func remove() { directory.remove() }

    func batch() -> CheckpointedBatch { CheckpointedBatch(checkpoint: checkpoint, metrics: metrics) }

    /// Runs `process-items` through the framework on this directory; returns the exit code and the output.
    func runCommand(_ arguments: [String]) async throws -> (CLIExitCode, String) {
        let command: ProcessItems
        do {
            command = try ProcessItems.parse(arguments + ["--state-dir", directory.path])
        } catch {
            throw Exercise2_4CheckFailure(
                "`process-items \(arguments.joined(separator: " "))` was rejected: \(ProcessItems.message(for: error)). "
                    + "Run `lab hint 2.4`.")
        }
        let output = Exercise2_4Output()
        let context = try CLIContext(
            options: command.standardOptions, commandName: "process-items", environment: [:],
            wallClock: ManualClock(), output: { output.write($0) })
        let code = await CliFramework.run(command, context: context, interrupts: AsyncStream { $0.finish() })
        return (code, output.text)
    }
}

/// Collects what the command writes.
final class Exercise2_4Output: Sendable {
    private let buffer = Mutex("")

    var text: String { buffer.withLock { $0 } }

    func write(_ text: String) { buffer.withLock { $0 += text } }
}

/// A check's own failure.
struct Exercise2_4CheckFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
