import Exercise1_6
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 1.6, retry and checkpointing around a service that fails half of the time. Run them
/// with `swift test --disable-swift-testing --filter Exercise1_6Tests`.
final class Exercise1_6Checks: XCTestCase {
    private var directory: TemporaryDirectory?
    private let items = (1...10).map { "repo-\($0)" }

    override func tearDown() {
        directory?.remove()
        super.tearDown()
    }

    private func makeCheckpoint(clock: ManualClock) throws -> Checkpoint {
        let directory = try TemporaryDirectory(prefix: "exercise1_6")
        self.directory = directory
        return try Checkpoint(name: "exercise1_6", directory: directory.url, wallClock: clock)
    }

    /// Runs the trainee's code; every backoff wait on `clock` passes at once.
    private func run(
        _ items: [String], _ service: FlakyService, _ checkpoint: Checkpoint, _ clock: ManualClock
    )
        async throws -> RunReport
    {
        try await clock.run {
            try await ReliableProcessing.run(items, service: service, checkpoint: checkpoint, clock: clock)
        }
    }

    func test1_everyItemCompletesAlthoughHalfTheCallsFail() async throws {
        let clock = ManualClock()
        let checkpoint = try makeCheckpoint(clock: clock)
        let service = FlakyService(seed: 16)
        let report = try await run(items, service, checkpoint, clock)
        XCTAssertGreaterThan(service.failureCount, 0, "The service should have failed some calls.")
        XCTAssertEqual(report.completed, items, "Every item should complete, in order. Run `lab hint 1.6`.")
        XCTAssertEqual(
            service.processedItems, items,
            "Each item should be processed successfully exactly once. Run `lab hint 1.6`."
        )
        for item in items {
            XCTAssertTrue(
                try checkpoint.isCompleted(item),
                "`\(item)` is not marked completed in the checkpoint. Run `lab hint 1.6`.")
        }
    }

    func test2_eachFailedCallIsFollowedByABackoffWaitOnTheClock() async throws {
        let clock = ManualClock()
        let checkpoint = try makeCheckpoint(clock: clock)
        let service = FlakyService(seed: 16)
        _ = try await run(items, service, checkpoint, clock)
        XCTAssertEqual(
            clock.requestedSleeps.count, service.failureCount,
            "Each failed call should be followed by one backoff wait on the clock you were given "
                + "(`retryWithBackoff(policy:clock:)`). Run `lab hint 1.6`.")
        XCTAssertGreaterThan(
            clock.now.offset, .zero, "The backoff waits should take (virtual) time. Run `lab hint 1.6`.")
    }

    func test3_aSecondRunSkipsTheCompletedItems() async throws {
        let clock = ManualClock()
        let checkpoint = try makeCheckpoint(clock: clock)
        let service = FlakyService(seed: 16)
        _ = try await run(items, service, checkpoint, clock)
        let callsAfterFirstRun = service.calls.count
        let second = try await run(items, service, checkpoint, clock)
        XCTAssertEqual(
            second, RunReport(skipped: items),
            "A second run should skip every item the first one completed. Run `lab hint 1.6`.")
        XCTAssertEqual(
            service.calls.count, callsAfterFirstRun,
            "A second run should not call the service for completed items: ask the checkpoint first. "
                + "Run `lab hint 1.6`.")
    }

    func test4_anItemThatNeverSucceedsIsMarkedFailedAndTheOthersComplete() async throws {
        let clock = ManualClock()
        let checkpoint = try makeCheckpoint(clock: clock)
        let service = FlakyService(seed: 16, alwaysFailing: ["repo-3"])
        let report = try await run(items, service, checkpoint, clock)
        XCTAssertEqual(
            report.failed, ["repo-3"], "`repo-3` never succeeds: it should be reported failed. Run `lab hint 1.6`.")
        XCTAssertEqual(
            report.completed, items.filter { $0 != "repo-3" },
            "A broken item must not stop the others. Run `lab hint 1.6`.")
        XCTAssertEqual(
            service.callCount(for: "repo-3"), ReliableProcessing.retryPolicy.maxRetries + 1,
            "`repo-3` should be tried once plus `retryPolicy.maxRetries` retries. Run `lab hint 1.6`.")
        XCTAssertTrue(
            try checkpoint.isFailed("repo-3"), "`repo-3` should be marked failed in the checkpoint. Run `lab hint 1.6`."
        )
    }
}
