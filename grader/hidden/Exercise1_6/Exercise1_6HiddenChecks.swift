import Exercise1_6
import ExerciseSupport
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 1.6.
///
/// Messages never show the generated items or seeds: comparisons use `XCTAssertTrue`, and errors from the
/// trainee's code are rethrown through `HiddenCheckFailure.concealing` (a `TransientFailure` names its item).
final class Exercise1_6HiddenChecks: XCTestCase {
    private var directories: [TemporaryDirectory] = []

    override func tearDown() {
        for directory in directories { directory.remove() }
        directories = []
        super.tearDown()
    }

    func test1_randomBatchesCompleteWithOneClockWaitPerFailure() async throws {
        var random = CheckRandomGenerator(seed: 1_601)
        for _ in 0..<3 {
            let items = Self.randomItems(&random, count: Int.random(in: 6...14, using: &random))
            let clock = ManualClock()
            let checkpoint = try makeCheckpoint(clock: clock)
            let service = FlakyService(seed: random.next())
            let report = try await runConcealed(items, service, checkpoint, clock)
            XCTAssertTrue(
                report == RunReport(completed: items),
                "A generated batch did not complete every item, in order. Run `lab hint 1.6`.")
            XCTAssertTrue(
                service.processedItems == items, "An item was processed more than once. Run `lab hint 1.6`.")
            XCTAssertTrue(
                clock.requestedSleeps.count == service.failureCount && service.failureCount > 0,
                "The backoff waits did not go through the given clock, one per failed call. Run `lab hint 1.6`.")
            XCTAssertTrue(
                clock.requestedSleeps.allSatisfy { $0 <= ReliableProcessing.retryPolicy.maxDelay },
                "A backoff wait was longer than the policy allows. Run `lab hint 1.6`.")
            let state = try checkpoint.getState()
            XCTAssertTrue(
                state.completedCount == items.count && state.failedCount == 0,
                "The checkpoint does not hold every item as completed. Run `lab hint 1.6`.")
        }
    }

    func test2_aRerunAfterBrokenItemsDoesOnlyThoseItems() async throws {
        var random = CheckRandomGenerator(seed: 1_602)
        let items = Self.randomItems(&random, count: 12)
        let broken = Set(items.shuffled(using: &random).prefix(3))
        let directory = try TemporaryDirectory(prefix: "exercise1_6_hidden")
        directories.append(directory)
        let clock = ManualClock()

        let firstCheckpoint = try Checkpoint(name: "hidden", directory: directory.url, wallClock: clock)
        let firstService = FlakyService(seed: random.next(), alwaysFailing: broken)
        let first = try await runConcealed(items, firstService, firstCheckpoint, clock)
        XCTAssertTrue(
            first.failed == items.filter { broken.contains($0) }
                && first.completed == items.filter { !broken.contains($0) },
            "With some items broken, the others should complete and the broken ones be reported failed. "
                + "Run `lab hint 1.6`.")
        XCTAssertTrue(
            try broken.allSatisfy { try firstCheckpoint.isFailed($0) },
            "The broken items were not marked failed in the checkpoint. Run `lab hint 1.6`.")

        // A later run: a new process (a fresh Checkpoint on the same directory) and the service repaired.
        let secondCheckpoint = try Checkpoint(name: "hidden", directory: directory.url, wallClock: clock)
        let secondService = FlakyService(seed: random.next())
        let second = try await runConcealed(items, secondService, secondCheckpoint, clock)
        XCTAssertTrue(
            second.completed == items.filter { broken.contains($0) } && second.failed.isEmpty,
            "A rerun did not complete exactly the items that had failed. Run `lab hint 1.6`.")
        XCTAssertTrue(
            second.skipped == items.filter { !broken.contains($0) },
            "A rerun did not skip the items completed before. Run `lab hint 1.6`.")
        XCTAssertTrue(
            Set(secondService.calls).isSubset(of: broken),
            "A rerun called the service for items that were already completed. Run `lab hint 1.6`.")
        XCTAssertTrue(
            try !secondCheckpoint.hasFailures() && secondCheckpoint.getState().completedCount == items.count,
            "After the rerun the checkpoint should hold every item as completed. Run `lab hint 1.6`.")
    }

    func test3_itemsCompletedElsewhereAreNeverCalled() async throws {
        var random = CheckRandomGenerator(seed: 1_603)
        let items = Self.randomItems(&random, count: 9)
        let clock = ManualClock()
        let checkpoint = try makeCheckpoint(clock: clock)
        let done = items.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        try checkpoint.markCompleted(done)
        let service = FlakyService(seed: random.next())
        let report = try await runConcealed(items, service, checkpoint, clock)
        XCTAssertTrue(
            report.skipped == done && report.completed == items.filter { !done.contains($0) },
            "Items the checkpoint already held as completed were not skipped. Run `lab hint 1.6`.")
        XCTAssertTrue(
            Set(service.calls).isDisjoint(with: done),
            "The service was called for items already completed. Run `lab hint 1.6`.")
    }

    func test4_anEmptyBatchDoesNothing() async throws {
        let clock = ManualClock()
        let checkpoint = try makeCheckpoint(clock: clock)
        let service = FlakyService(seed: 4)
        let report = try await runConcealed([], service, checkpoint, clock)
        XCTAssertTrue(
            report == RunReport() && service.calls.isEmpty && clock.requestedSleeps.isEmpty,
            "An empty batch should do nothing. Run `lab hint 1.6`.")
    }

    // MARK: Helpers

    private func makeCheckpoint(clock: ManualClock) throws -> Checkpoint {
        let directory = try TemporaryDirectory(prefix: "exercise1_6_hidden")
        directories.append(directory)
        return try Checkpoint(name: "hidden", directory: directory.url, wallClock: clock)
    }

    private func runConcealed(
        _ items: [String], _ service: FlakyService, _ checkpoint: Checkpoint, _ clock: ManualClock
    ) async throws -> RunReport {
        do {
            return try await clock.run {
                try await ReliableProcessing.run(items, service: service, checkpoint: checkpoint, clock: clock)
            }
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "Running a generated batch", exercise: "1.6")
        }
    }

    /// `count` distinct item names.
    private static func randomItems(_ random: inout CheckRandomGenerator, count: Int) -> [String] {
        (0..<count).map { "\($0)-" + random.word(length: Int.random(in: 3...9, using: &random)) }
    }
}
