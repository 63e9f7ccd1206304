import Exercise3_2
import ExerciseSupport
import Foundation
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 3.2.
///
/// Items, failure sets and limits are generated; comparisons use `XCTAssertTrue`, and errors escaping the
/// trainee's code go through `HiddenCheckFailure.concealing`, so no generated id reaches the output.
final class Exercise3_2HiddenChecks: XCTestCase {
    struct Broken: Error, CustomStringConvertible {
        var id: String
        var round: Int
        var description: String { "cannot process \(id) (round \(round))" }
    }

    /// A handler with generated behaviour: `permanent` items fail until `fixed`; `transient[id]` is how many
    /// first attempts of an item fail.
    final class Handler: Sendable {
        let permanent: Set<String>
        let transient: [String: Int]
        let attempts = TestRecorder<String>()
        let done = TestRecorder<String>()
        let fixed = LockedValue<Set<String>>([])
        let round = LockedValue(0)

        init(permanent: Set<String>, transient: [String: Int]) {
            self.permanent = permanent
            self.transient = transient
        }

        func handle(_ item: WorkItem) async throws {
            let earlier = attempts.values.filter { $0 == item.id }.count
            attempts.append(item.id)
            if permanent.contains(item.id) && !fixed.value.contains(item.id) {
                throw Broken(id: item.id, round: round.value)
            }
            if earlier < transient[item.id, default: 0] { throw Broken(id: item.id, round: -1) }
            done.append(item.id)
        }
    }

    struct Scenario {
        let items: [WorkItem]
        let handler: Handler
        let maxRetries: Int

        static func make(_ random: inout CheckRandomGenerator) -> Scenario {
            let count = Int.random(in: 40...120, using: &random)
            let items = (0..<count).map { index in
                WorkItem(id: "w\(index)_" + random.word(length: 5), payload: random.word(length: 12))
            }
            let maxRetries = Int.random(in: 1...5, using: &random)
            // A seeded 10% fail permanently.
            let permanent = Set(items.shuffled(using: &random).prefix(count / 10).map(\.id))
            var transient: [String: Int] = [:]
            for item in items where !permanent.contains(item.id) && Int.random(in: 0..<4, using: &random) == 0 {
                transient[item.id] = Int.random(in: 1...maxRetries, using: &random) - 1
            }
            return Scenario(
                items: items, handler: Handler(permanent: permanent, transient: transient), maxRetries: maxRetries)
        }
    }

    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory(prefix: "Exercise3_2Hidden")
    }

    override func tearDown() {
        directory?.remove()
    }

    func test1_generatedBatchesDeadLetterExactlyThePermanentFailuresAfterMaxRetries() async throws {
        var random = CheckRandomGenerator(seed: 3_201)
        for round in 0..<6 {
            let scenario = Scenario.make(&random)
            let handler = scenario.handler
            do {
                let queue = try DeadLetterQueue(
                    name: "batch\(round)", directory: directory.url, maxRetries: scenario.maxRetries)
                let summary = try await queue.processBatch(scenario.items) { try await handler.handle($0) }
                let ids = scenario.items.map(\.id)
                XCTAssertTrue(
                    summary.completed == ids.filter { !handler.permanent.contains($0) }
                        && summary.deadLettered == ids.filter { handler.permanent.contains($0) }
                        && summary.skipped.isEmpty,
                    "The summary did not list every healthy item as completed and every permanent failure as "
                        + "dead-lettered, in batch order. Run `lab hint 3.2`.")
                for item in scenario.items {
                    let attempts = handler.attempts.values.filter { $0 == item.id }.count
                    let expected =
                        handler.permanent.contains(item.id)
                        ? scenario.maxRetries : handler.transient[item.id, default: 0] + 1
                    XCTAssertTrue(
                        attempts == expected,
                        "An item was attempted a wrong number of times (stop at the first success; at most "
                            + "`maxRetries` attempts). Run `lab hint 3.2`.")
                }
                XCTAssertTrue(
                    try queue.deadLetters()
                        == scenario.items.filter { handler.permanent.contains($0.id) }.map {
                            DeadLetter(
                                item: $0, reason: "cannot process \($0.id) (round 0)", retryCount: scenario.maxRetries)
                        },
                    "The dead letters did not hold exactly the permanent failures, in order, with the item, the last "
                        + "error's description and `maxRetries` as retry count. Run `lab hint 3.2`.")
                XCTAssertTrue(
                    handler.done.values == ids.filter { !handler.permanent.contains($0) },
                    "A healthy item did not succeed exactly once. Run `lab hint 3.2`.")
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "Processing a generated batch", exercise: "3.2")
            }
        }
    }

    func test2_manualProcessingKeepsWhatStillFailsAndLosesOrDuplicatesNothing() async throws {
        var random = CheckRandomGenerator(seed: 3_202)
        for round in 0..<4 {
            let scenario = Scenario.make(&random)
            let handler = scenario.handler
            do {
                let name = "redrive\(round)"
                let queue = try DeadLetterQueue(name: name, directory: directory.url, maxRetries: scenario.maxRetries)
                _ = try await queue.processBatch(scenario.items) { try await handler.handle($0) }
                // Fix half of the causes, restart, and process the queue by hand.
                let parked = scenario.items.filter { handler.permanent.contains($0.id) }
                let fixedNow = Set(parked.filter { _ in Bool.random(using: &random) }.map(\.id))
                handler.fixed.withLock { $0 = fixedNow }
                handler.round.withLock { $0 = 1 }
                let restarted = try DeadLetterQueue(
                    name: name, directory: directory.url, maxRetries: scenario.maxRetries)
                let first = try await restarted.processDeadLetters { try await handler.handle($0) }
                XCTAssertTrue(
                    first.recovered == parked.map(\.id).filter { fixedNow.contains($0) }
                        && first.stillFailing == parked.map(\.id).filter { !fixedNow.contains($0) },
                    "Manual processing did not report recovered and still-failing items in queue order. "
                        + "Run `lab hint 3.2`.")
                XCTAssertTrue(
                    try restarted.deadLetters()
                        == parked.filter { !fixedNow.contains($0.id) }.map {
                            DeadLetter(
                                item: $0, reason: "cannot process \($0.id) (round 1)",
                                retryCount: scenario.maxRetries + 1)
                        },
                    "An item that failed manual processing should stay, its retry count up by one and its reason "
                        + "updated; recovered items should leave. Run `lab hint 3.2`.")
                // Fix the rest: the queue drains, and a rerun of the batch runs nothing.
                handler.fixed.withLock { $0 = handler.permanent }
                _ = try await restarted.processDeadLetters { try await handler.handle($0) }
                handler.attempts.removeAll()
                let rerun = try await restarted.processBatch(scenario.items) { try await handler.handle($0) }
                let remaining = try restarted.deadLetters()
                XCTAssertTrue(
                    remaining.isEmpty && handler.attempts.values.isEmpty
                        && rerun.skipped == scenario.items.map(\.id),
                    "After every cause was fixed the queue was not empty, or a rerun processed an item again. "
                        + "Run `lab hint 3.2`.")
                let completed = try restarted.completedIDs()
                XCTAssertTrue(
                    handler.done.values.sorted() == scenario.items.map(\.id).sorted()
                        && completed.sorted() == scenario.items.map(\.id).sorted(),
                    "An item was lost or processed successfully more than once. Run `lab hint 3.2`.")
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "Processing the queue by hand", exercise: "3.2")
            }
        }
    }

    func test3_badInputIsRejectedAndChangesNothing() async throws {
        let handler = Handler(permanent: [], transient: [:])
        let item = WorkItem(id: "a", payload: "x")
        for maxRetries in [0, -2] {
            do {
                _ = try DeadLetterQueue(name: "bad", directory: directory.url, maxRetries: maxRetries)
                XCTFail("A queue with fewer than one attempt per item was accepted. Run `lab hint 3.2`.")
            } catch let error as DeadLetterQueueError {
                XCTAssertTrue(
                    error.kind == .invalidConfiguration,
                    "A bad `maxRetries` had the wrong error kind. Run `lab hint 3.2`.")
            }
        }
        do {
            let queue = try DeadLetterQueue(name: "inputs", directory: directory.url, maxRetries: 2)
            _ = try await queue.processBatch([item]) { try await handler.handle($0) }
            let before = try Data(contentsOf: queue.storeFile)
            handler.attempts.removeAll()
            let bad = [
                [WorkItem(id: "b", payload: "1"), WorkItem(id: "c", payload: "2"), WorkItem(id: "b", payload: "3")],
                [WorkItem(id: "d", payload: "1"), WorkItem(id: "", payload: "2")],
            ]
            for batch in bad {
                do {
                    _ = try await queue.processBatch(batch) { try await handler.handle($0) }
                    XCTFail("A batch with a repeated or empty id was accepted. Run `lab hint 3.2`.")
                } catch let error as DeadLetterQueueError {
                    XCTAssertTrue(
                        error.kind == .invalidBatch, "A bad batch had the wrong error kind. Run `lab hint 3.2`.")
                }
            }
            XCTAssertTrue(handler.attempts.values.isEmpty, "A bad batch still ran items. Run `lab hint 3.2`.")
            XCTAssertTrue(
                (try Data(contentsOf: queue.storeFile)) == before, "A bad batch changed the store. Run `lab hint 3.2`.")
            let corrupt = Data("[1, 2".utf8)
            try corrupt.write(to: queue.storeFile)
            do {
                _ = try await queue.processBatch([WorkItem(id: "e", payload: "1")]) { try await handler.handle($0) }
                XCTFail("An unreadable store was accepted. Run `lab hint 3.2`.")
            } catch let error as DeadLetterQueueError {
                XCTAssertTrue(
                    error.kind == .unreadableStore, "An unreadable store had the wrong error kind. Run `lab hint 3.2`.")
            }
            XCTAssertTrue(handler.attempts.values.isEmpty, "An unreadable store still ran items. Run `lab hint 3.2`.")
            XCTAssertTrue(
                (try Data(contentsOf: queue.storeFile)) == corrupt,
                "An unreadable store was overwritten instead of reported. Run `lab hint 3.2`.")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "Processing bad input", exercise: "3.2")
        }
    }

    func test4_parkedItemsAreNotRetriedByALaterBatch() async throws {
        var random = CheckRandomGenerator(seed: 3_204)
        let scenario = Scenario.make(&random)
        let handler = scenario.handler
        do {
            let queue = try DeadLetterQueue(name: "parked", directory: directory.url, maxRetries: scenario.maxRetries)
            _ = try await queue.processBatch(scenario.items) { try await handler.handle($0) }
            handler.attempts.removeAll()
            let extra = WorkItem(id: "late_" + random.word(length: 4), payload: "new")
            let summary = try await queue.processBatch(scenario.items + [extra]) { try await handler.handle($0) }
            XCTAssertTrue(
                handler.attempts.values == [extra.id] && summary.completed == [extra.id]
                    && summary.skipped == scenario.items.map(\.id),
                "A later batch retried a parked or completed item, or did not process a new one. Run `lab hint 3.2`.")
            XCTAssertTrue(
                try queue.deadLetters().map(\.item.id)
                    == scenario.items.map(\.id).filter { handler.permanent.contains($0) },
                "A later batch changed the parked items. Run `lab hint 3.2`.")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "A later batch", exercise: "3.2")
        }
    }
}
