import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

@Suite struct DeadLetterQueueTests {
    private static func jobs(_ count: Int) -> [RecoveryJob] {
        (1...count).map { RecoveryJob(id: "item-\($0)", value: $0 * 10) }
    }

    @Test func anItemFailingMaxRetriesTimesIsParkedWithItsHistory() async throws {
        let directory = try TemporaryDirectory(prefix: "dlq-park")
        defer { directory.remove() }
        let clock = ManualClock()
        let dlq = try DeadLetterQueue(name: "sync", maxRetries: 3, directory: directory.url, wallClock: clock)
        let items = Self.jobs(2)
        let failing: @Sendable (RecoveryJob) throws -> Void = { job in
            if job.id == "item-2" {
                throw RecoveryTestError(description: "HTTP 502, Authorization: Bearer abcdef123456")
            }
        }

        let first = try await dlq.process(items, id: \.id, using: failing)
        #expect(first.completed == ["item-1"])
        #expect(first.pending == ["item-2"])
        clock.advance(by: .seconds(30))
        let second = try await dlq.process(items, id: \.id, using: failing)
        #expect(second.skipped == ["item-1"])
        #expect(second.pending == ["item-2"])
        #expect(try dlq.checkpoint.getRetryCount("item-2") == 2)
        clock.advance(by: .seconds(30))
        let third = try await dlq.process(items, id: \.id, using: failing)
        #expect(third.deadLettered == ["item-2"])
        let fourth = try await dlq.process(items, id: \.id, using: failing)
        #expect(fourth.alreadyDeadLettered == ["item-2"])
        #expect(fourth.total == 2)

        let entry = try #require(try dlq.entry(id: "item-2"))
        #expect(entry.retryCount == 3)
        #expect(entry.reason.contains("maxRetries 3"))
        #expect(entry.firstFailedAt == clock.epoch)
        #expect(entry.lastFailedAt == clock.epoch.addingTimeInterval(60))
        #expect(entry.deadLetteredAt == clock.epoch.addingTimeInterval(60))
        #expect(entry.lastError.contains("HTTP 502"))
        #expect(!entry.lastError.contains("abcdef123456"))
        #expect(entry.errorType?.hasSuffix("RecoveryTestError") == true)
        #expect(try entry.decode(RecoveryJob.self) == items[1])
        #expect(try dlq.count == 1)
        #expect(try dlq.entries() == [entry])
    }

    @Test func redriveCompletesWhatSucceedsAndKeepsWhatFailsAgain() async throws {
        let directory = try TemporaryDirectory(prefix: "dlq-redrive")
        defer { directory.remove() }
        let clock = ManualClock()
        let dlq = try DeadLetterQueue(name: "sync", maxRetries: 1, directory: directory.url, wallClock: clock)
        let items = Self.jobs(4)
        _ = try await dlq.process(items, id: \.id) { _ in throw RecoveryTestError(description: "down") }
        #expect(try dlq.count == 4)

        clock.advance(by: .seconds(100))
        var seen: [Int] = []
        let report = try await dlq.redrive(as: RecoveryJob.self) { job in
            seen.append(job.value)
            if job.value % 20 == 0 { throw RecoveryTestError(description: "still down") }
        }
        #expect(seen == [10, 20, 30, 40])  // oldest first
        #expect(report.selected == ["item-1", "item-2", "item-3", "item-4"])
        #expect(report.redriven == ["item-1", "item-3"])
        #expect(report.stillFailing == ["item-2", "item-4"])
        #expect(try dlq.checkpoint.isCompleted("item-1"))
        #expect(try dlq.entry(id: "item-1") == nil)
        let kept = try #require(try dlq.entry(id: "item-2"))
        #expect(kept.retryCount == 2)
        #expect(kept.lastError == "still down")
        #expect(kept.firstFailedAt == clock.epoch)
        #expect(kept.lastFailedAt == clock.epoch.addingTimeInterval(100))
        #expect(try dlq.checkpoint.getRetryCount("item-2") == 2)

        // Idempotent: a second redrive that succeeds only runs what is still parked.
        var rerun: [String] = []
        let again = try await dlq.redrive { entry in rerun.append(entry.itemID) }
        #expect(rerun == ["item-2", "item-4"])
        #expect(again.redriven == ["item-2", "item-4"])
        #expect(try dlq.count == 0)
        let third = try await dlq.redrive { _ in Issue.record("nothing should run") }
        #expect(third.selected.isEmpty)
        #expect(try dlq.checkpoint.getState().completedCount == 4)
    }

    @Test func aDryRunRedriveRunsAndChangesNothing() async throws {
        let directory = try TemporaryDirectory(prefix: "dlq-dry-run")
        defer { directory.remove() }
        let dlq = try DeadLetterQueue(name: "sync", maxRetries: 1, directory: directory.url, durability: .normal)
        _ = try await dlq.process(Self.jobs(3), id: \.id) { _ in throw RecoveryTestError(description: "down") }
        let before = try dlq.entries()
        let stateBefore = try dlq.checkpoint.getState()
        let report = try await dlq.redrive(filter: { $0.itemID != "item-2" }, dryRun: true) { _ in
            Issue.record("a dry run must not run anything")
        }
        #expect(report.dryRun)
        #expect(report.selected == ["item-1", "item-3"])
        #expect(report.redriven.isEmpty && report.stillFailing.isEmpty)
        #expect(try dlq.entries() == before)
        #expect(try dlq.checkpoint.getState() == stateBefore)
    }

    @Test func purgeRemovesTheSelectedEntriesAndForgetsTheirFailures() async throws {
        let directory = try TemporaryDirectory(prefix: "dlq-purge")
        defer { directory.remove() }
        let dlq = try DeadLetterQueue(name: "sync", maxRetries: 1, directory: directory.url, durability: .normal)
        _ = try await dlq.process(Self.jobs(3), id: \.id) { _ in throw RecoveryTestError(description: "down") }
        #expect(try dlq.purge(filter: { $0.itemID == "item-2" }) == ["item-2"])
        #expect(try dlq.entries().map(\.itemID) == ["item-1", "item-3"])
        #expect(try dlq.checkpoint.item("item-2") == nil)
        #expect(try dlq.purge() == ["item-1", "item-3"])
        #expect(try dlq.count == 0)
        #expect(try dlq.purge().isEmpty)
        // A purged item is as if never seen: processing tries it afresh.
        let report = try await dlq.process(Self.jobs(1), id: \.id) { _ in }
        #expect(report.completed == ["item-1"])
    }

    @Test func deadLetterParksAnItemTheCallerGaveUpOn() throws {
        let directory = try TemporaryDirectory(prefix: "dlq-direct")
        defer { directory.remove() }
        let clock = ManualClock()
        let dlq = try DeadLetterQueue(name: "saga", directory: directory.url, durability: .normal, wallClock: clock)
        let payload = Data(#"{"step":"refund"}"#.utf8)
        try dlq.deadLetter(
            id: "order-1/refund",
            payload: payload,
            reason: "compensation failed 5 times",
            error: RecoveryTestError(description: "gateway: api_key=sk_live_0123456789abcdef"),
            retryCount: 5
        )
        clock.advance(by: .seconds(60))
        try dlq.deadLetter(
            id: "order-1/refund", payload: payload, reason: "still failing", error: "timeout", retryCount: 2)

        let entry = try #require(try dlq.entry(id: "order-1/refund"))
        #expect(entry.payload == payload)
        #expect(entry.reason == "still failing")
        #expect(entry.lastError == "timeout")
        #expect(entry.retryCount == 5)
        #expect(entry.firstFailedAt == clock.epoch)
        #expect(entry.lastFailedAt == clock.epoch.addingTimeInterval(60))
        #expect(try dlq.checkpoint.isFailed("order-1/refund"))
        #expect(try dlq.checkpoint.getRetryCount("order-1/refund") == 5)

        try dlq.deadLetter(id: "other", encoding: RecoveryJob(id: "other", value: 1), reason: "r", error: "e")
        #expect(try dlq.entry(id: "other")?.decode(RecoveryJob.self) == RecoveryJob(id: "other", value: 1))

        // Completing an item takes it out of the queue in the same transaction, singly or in a batch.
        try dlq.checkpoint.markCompleted("other")
        #expect(try dlq.entry(id: "other") == nil)
        try dlq.deadLetter(id: "third", payload: Data(), reason: "r", error: "e")
        #expect(try dlq.checkpoint.markCompleted(["fourth", "third", "third"]) == 2)
        #expect(try dlq.entry(id: "third") == nil)
        #expect(try dlq.entry(id: "order-1/refund") != nil)
        // A completed item cannot be parked; nothing changes.
        let refused = try #require(throws: CheckpointError.self) {
            try dlq.deadLetter(id: "other", payload: Data(), reason: "r", error: "e")
        }
        #expect(refused.code == .alreadyCompleted)
        #expect(try dlq.entry(id: "other") == nil)
        let negative = try #require(throws: DeadLetterError.self) {
            try dlq.deadLetter(id: "x", payload: Data(), reason: "r", error: "e", retryCount: -1)
        }
        #expect(negative.code == .invalidRetryCount)
        #expect(try dlq.entry(id: "x") == nil)
    }

    @Test func secretsInReasonsAndErrorsAreRedacted() throws {
        let directory = try TemporaryDirectory(prefix: "dlq-redact")
        defer { directory.remove() }
        let dlq = try DeadLetterQueue(name: "saga", directory: directory.url, durability: .normal)
        let token = "ghp_" + String(repeating: "a1B2", count: 9)
        try dlq.deadLetter(id: "x", payload: Data(), reason: "token \(token) rejected", error: "401 for \(token)")
        let entry = try #require(try dlq.entry(id: "x"))
        #expect(!entry.reason.contains(token))
        #expect(!entry.lastError.contains(token))
        #expect(try dlq.checkpoint.item("x")?.lastError?.contains(token) == false)
    }

    @Test func cancellationIsRethrownAndNotCountedAsAFailure() async throws {
        let directory = try TemporaryDirectory(prefix: "dlq-cancel")
        defer { directory.remove() }
        let dlq = try DeadLetterQueue(name: "sync", maxRetries: 1, directory: directory.url, durability: .normal)
        await #expect(throws: CancellationError.self) {
            try await dlq.process(Self.jobs(2), id: \.id) { _ in throw CancellationError() }
        }
        #expect(try dlq.checkpoint.item("item-1") == nil)
        #expect(try dlq.count == 0)
    }

    @Test func anEmptyIDStopsProcessingBeforeAnythingRuns() async throws {
        let directory = try TemporaryDirectory(prefix: "dlq-empty-id")
        defer { directory.remove() }
        let dlq = try DeadLetterQueue(name: "sync", directory: directory.url, durability: .normal)
        let items = [RecoveryJob(id: "a", value: 1), RecoveryJob(id: "", value: 2)]
        await #expect(throws: DeadLetterError.self) {
            try await dlq.process(items, id: \.id) { _ in Issue.record("nothing should run") }
        }
        #expect(try dlq.checkpoint.getState().completedCount == 0)
    }

    @Test func queuesAndCheckpointsShareOneFileWithoutMixingNames() async throws {
        let directory = try TemporaryDirectory(prefix: "dlq-names")
        defer { directory.remove() }
        let first = try DeadLetterQueue(name: "first", maxRetries: 1, directory: directory.url, durability: .normal)
        let second = try DeadLetterQueue(name: "second", maxRetries: 1, directory: directory.url, durability: .normal)
        _ = try await first.process(Self.jobs(2), id: \.id) { _ in throw RecoveryTestError(description: "x") }
        _ = try await second.process(Self.jobs(2), id: \.id) { _ in }
        #expect(try first.count == 2)
        #expect(try second.count == 0)
        #expect(try second.checkpoint.getState().completedCount == 2)
        #expect(try first.checkpoint.getState().completedCount == 0)
        #expect(first.fileURL == second.fileURL)
    }
}
