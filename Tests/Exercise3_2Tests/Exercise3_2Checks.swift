import Exercise3_2
import Foundation
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 3.2, a dead letter queue. Run them with
/// `swift test --disable-swift-testing --filter Exercise3_2Tests`.
final class Exercise3_2Checks: XCTestCase {
    struct MalformedPayload: Error, CustomStringConvertible {
        var id: String
        var description: String { "payload of \(id) is malformed" }
    }

    struct Timeout: Error, CustomStringConvertible {
        var description: String { "timed out" }
    }

    /// A handler over 50 items: every tenth (10%) fails permanently until `fixed`, every seventh fails its
    /// first attempt only. `attempts` records every call, `done` every successful one.
    final class Handler: Sendable {
        let attempts = TestRecorder<String>()
        let done = TestRecorder<String>()
        let fixed = LockedValue(false)

        static let items = (0..<50).map { WorkItem(id: String(format: "item-%02d", $0), payload: "p\($0)") }
        static let broken = Set(items.indices.filter { $0 % 10 == 9 }.map { items[$0].id })
        static let flaky = Set(items.indices.filter { $0 % 7 == 3 }.map { items[$0].id })

        func handle(_ item: WorkItem) async throws {
            let earlier = attempts.values.filter { $0 == item.id }.count
            attempts.append(item.id)
            if Self.broken.contains(item.id) && !fixed.value { throw MalformedPayload(id: item.id) }
            if Self.flaky.contains(item.id) && earlier == 0 { throw Timeout() }
            done.append(item.id)
        }
    }

    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory(prefix: "Exercise3_2Checks")
    }

    override func tearDown() {
        directory?.remove()
    }

    func test1_healthyItemsAreCompletedExactlyOnce() async throws {
        let handler = Handler()
        let queue = try DeadLetterQueue(name: "import", directory: directory.url, maxRetries: 3)
        let summary = try await queue.processBatch(Handler.items, handler: { try await handler.handle($0) })
        let healthy = Handler.items.map(\.id).filter { !Handler.broken.contains($0) }
        XCTAssertEqual(
            summary.completed, healthy, "Every healthy item should be completed, in order. Run `lab hint 3.2`.")
        XCTAssertEqual(
            handler.done.values, healthy, "Each healthy item should succeed exactly once. Run `lab hint 3.2`.")
        XCTAssertEqual(
            handler.attempts.values.filter { $0 == "item-03" }.count, 2,
            "An item that fails once should be retried and then completed. Run `lab hint 3.2`.")
        XCTAssertEqual(try queue.completedIDs(), healthy, "The completed ids should be stored. Run `lab hint 3.2`.")
    }

    func test2_permanentFailuresAreInTheQueueAfterMaxRetriesWithReasonAndCount() async throws {
        let handler = Handler()
        let queue = try DeadLetterQueue(name: "import", directory: directory.url, maxRetries: 3)
        let summary = try await queue.processBatch(Handler.items, handler: { try await handler.handle($0) })
        let broken = Handler.items.map(\.id).filter { Handler.broken.contains($0) }
        XCTAssertEqual(
            summary.deadLettered, broken, "The 10% that always fail should be dead-lettered. Run `lab hint 3.2`.")
        XCTAssertEqual(
            try queue.deadLetters(),
            Handler.items.filter { Handler.broken.contains($0.id) }.map {
                DeadLetter(item: $0, reason: "payload of \($0.id) is malformed", retryCount: 3)
            },
            "Each dead letter should keep the item, the last error's description and the retry count (3). "
                + "Run `lab hint 3.2`.")
        XCTAssertEqual(
            handler.attempts.values.filter { $0 == "item-09" }.count, 3,
            "An item that always fails should be attempted `maxRetries` (3) times, no more. Run `lab hint 3.2`.")
    }

    func test3_manualProcessingDrainsTheQueueOnceTheCauseIsFixed() async throws {
        let handler = Handler()
        let queue = try DeadLetterQueue(name: "import", directory: directory.url, maxRetries: 3)
        _ = try await queue.processBatch(Handler.items, handler: { try await handler.handle($0) })
        handler.fixed.withLock { $0 = true }
        let redrive = try await queue.processDeadLetters(handler: { try await handler.handle($0) })
        XCTAssertEqual(
            redrive.recovered, Handler.items.map(\.id).filter { Handler.broken.contains($0) },
            "Once the cause is fixed every dead letter should recover. Run `lab hint 3.2`.")
        XCTAssertEqual(try queue.deadLetters(), [], "The queue should be empty afterwards. Run `lab hint 3.2`.")
        XCTAssertEqual(
            Set(try queue.completedIDs()), Set(Handler.items.map(\.id)),
            "Every item should now be completed: nothing lost. Run `lab hint 3.2`.")
        XCTAssertEqual(
            handler.done.values.sorted(), Handler.items.map(\.id),
            "Every item should have succeeded exactly once: nothing lost, nothing duplicated. Run `lab hint 3.2`.")
    }

    func test4_aRerunAfterARestartProcessesNothingTwice() async throws {
        let handler = Handler()
        let first = try DeadLetterQueue(name: "import", directory: directory.url, maxRetries: 3)
        _ = try await first.processBatch(Handler.items, handler: { try await handler.handle($0) })
        handler.attempts.removeAll()
        // A new queue on the same directory: the process restarted and only the store file remembers.
        let restarted = try DeadLetterQueue(name: "import", directory: directory.url, maxRetries: 3)
        let summary = try await restarted.processBatch(Handler.items, handler: { try await handler.handle($0) })
        XCTAssertEqual(
            handler.attempts.values, [],
            "Completed items must not run again, and dead letters wait for manual processing. Run `lab hint 3.2`.")
        XCTAssertEqual(
            summary.skipped, Handler.items.map(\.id), "Every item should be reported as skipped. Run `lab hint 3.2`.")
        XCTAssertEqual(
            try restarted.deadLetters().count, Handler.broken.count,
            "The dead letters should survive a restart. Run `lab hint 3.2`.")
    }
}
