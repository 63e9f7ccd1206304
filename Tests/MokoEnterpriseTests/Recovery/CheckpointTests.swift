import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

@Suite struct CheckpointTests {
    @Test func stateSurvivesClosingAndReopening() throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-reopen")
        defer { directory.remove() }
        let clock = ManualClock()
        do {
            let checkpoint = try Checkpoint(name: "job", directory: directory.url, wallClock: clock)
            try checkpoint.markCompleted("a", result: "42")
            clock.advance(by: .seconds(5))
            try checkpoint.markFailed("b", error: "HTTP 502")
            try checkpoint.incrementRetryCount("b")
        }
        let reopened = try Checkpoint(name: "job", directory: directory.url, wallClock: clock)
        #expect(try reopened.isCompleted("a"))
        #expect(try reopened.result(for: "a") == "42")
        #expect(try reopened.isFailed("b"))
        #expect(try reopened.getRetryCount("b") == 1)
        let state = try reopened.getState()
        #expect(state.completedItems == ["a"])
        #expect(state.failedItems == ["b"])
        #expect(state.updatedAt == clock.epoch.addingTimeInterval(5))
    }

    @Test func markingCompletedTwiceKeepsOneRowAndTheFirstResult() throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-idempotent")
        defer { directory.remove() }
        let checkpoint = try Checkpoint(name: "job", directory: directory.url, durability: .normal)
        #expect(try checkpoint.markCompleted("a", result: "first"))
        #expect(try !checkpoint.markCompleted("a", result: "second"))
        #expect(try checkpoint.markCompleted(["a", "a", "b"]) == 1)
        #expect(try checkpoint.result(for: "a") == "first")
        let state = try checkpoint.getState()
        #expect(state.completedCount == 2)
        #expect(state.completedItems.sorted() == ["a", "b"])
    }

    @Test func completingAFailedItemClearsItsFailureButKeepsItsRetryCount() throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-clear")
        defer { directory.remove() }
        let checkpoint = try Checkpoint(name: "job", directory: directory.url, durability: .normal)
        try checkpoint.markFailed("a", error: "timeout")
        try checkpoint.incrementRetryCount("a")
        #expect(try checkpoint.hasFailures())
        try checkpoint.markCompleted("a")
        #expect(try !checkpoint.isFailed("a"))
        #expect(try !checkpoint.hasFailures())
        #expect(try checkpoint.getFailures().isEmpty)
        #expect(try checkpoint.getRetryCount("a") == 1)
        #expect(try checkpoint.item("a")?.lastError == nil)
    }

    @Test func failuresCarryTheRedactedErrorRetryCountAndFirstAndLastTimes() throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-failures")
        defer { directory.remove() }
        let clock = ManualClock()
        let checkpoint = try Checkpoint(name: "job", directory: directory.url, durability: .normal, wallClock: clock)
        try checkpoint.markFailed("a", error: "first")
        clock.advance(by: .seconds(10))
        #expect(try checkpoint.incrementRetryCount("a") == 1)
        #expect(try checkpoint.incrementRetryCount("a") == 2)
        try checkpoint.markFailed("a", error: RecoveryTestError(description: "login failed: password=hunter2hunter2"))
        let failures = try checkpoint.getFailures()
        #expect(failures.count == 1)
        let failure = try #require(failures.first)
        #expect(failure.itemID == "a")
        #expect(failure.retryCount == 2)
        #expect(failure.firstFailedAt == clock.epoch)
        #expect(failure.lastFailedAt == clock.epoch.addingTimeInterval(10))
        #expect(!failure.error.contains("hunter2"))
        #expect(failure.error.contains(SecretRedactor.marker))
    }

    @Test func failingACompletedItemIsRefusedAndChangesNothing() throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-final")
        defer { directory.remove() }
        let checkpoint = try Checkpoint(name: "job", directory: directory.url, durability: .normal)
        try checkpoint.markCompleted("a", result: "done")
        let before = try checkpoint.item("a")
        let error = try #require(throws: CheckpointError.self) { try checkpoint.markFailed("a", error: "late") }
        #expect(error.code == .alreadyCompleted)
        #expect(error.itemID == "a")
        #expect(try checkpoint.item("a") == before)
    }

    @Test func retryCountsStartAtZeroAndCountUp() throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-retries")
        defer { directory.remove() }
        let checkpoint = try Checkpoint(name: "job", directory: directory.url, durability: .normal)
        #expect(try checkpoint.getRetryCount("a") == 0)
        for expected in 1...3 { #expect(try checkpoint.incrementRetryCount("a") == expected) }
        #expect(try checkpoint.getRetryCount("a") == 3)
        #expect(try checkpoint.item("a")?.status == .pending)
        #expect(try !checkpoint.isFailed("a"))
        #expect(try !checkpoint.isCompleted("a"))
    }

    @Test func resetForgetsOnlyItsOwnCheckpoint() throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-reset")
        defer { directory.remove() }
        let first = try Checkpoint(name: "first", directory: directory.url, durability: .normal)
        let second = try Checkpoint(name: "second", directory: directory.url, durability: .normal)
        try first.markCompleted(["a", "b"])
        try first.markFailed("c", error: "x")
        try second.markCompleted("a")
        #expect(try first.reset() == 3)
        #expect(try first.getState().completedCount == 0)
        #expect(try first.getState().updatedAt == nil)
        #expect(try !first.hasFailures())
        #expect(try second.isCompleted("a"))
        #expect(try !second.isCompleted("b"))
        #expect(try first.markCompleted("a"))
    }

    @Test func itemIDsAndResultsAreStoredVerbatim() throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-verbatim")
        defer { directory.remove() }
        let checkpoint = try Checkpoint(name: "job", directory: directory.url, durability: .normal)
        let ids = ["org/repo#1", "ünïcødé 🚀", "quote ' \" ; DROP TABLE checkpoint_item; --", "line\nbreak", " "]
        // Results may hold anything, NUL included.
        for id in ids { try checkpoint.markCompleted(id, result: "result of \(id)\u{0}tail") }
        for id in ids {
            #expect(try checkpoint.isCompleted(id))
            #expect(try checkpoint.result(for: id) == "result of \(id)\u{0}tail")
        }
        #expect(try !checkpoint.isCompleted("org/repo#2"))
        #expect(Set(try checkpoint.getState().completedItems) == Set(ids))
    }

    @Test func codableResultsRoundTripAsJSON() throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-codable")
        defer { directory.remove() }
        let checkpoint = try Checkpoint(name: "job", directory: directory.url, durability: .normal)
        let job = RecoveryJob(id: "a", value: 7)
        try checkpoint.markCompleted("a", encoding: job)
        #expect(try checkpoint.result(for: "a", as: RecoveryJob.self) == job)
        #expect(try checkpoint.result(for: "a") == #"{"id":"a","value":7}"#)
        #expect(try checkpoint.result(for: "missing", as: RecoveryJob.self) == nil)
        let error = try #require(throws: CheckpointError.self) { try checkpoint.result(for: "a", as: [Int].self) }
        #expect(error.code == .resultNotDecodable)
    }

    @Test func anEmptyOrNULItemIDIsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-empty-id")
        defer { directory.remove() }
        let checkpoint = try Checkpoint(name: "job", directory: directory.url, durability: .normal)
        #expect(throws: CheckpointError.self) { try checkpoint.markCompleted("") }
        #expect(throws: CheckpointError.self) { try checkpoint.markFailed("", error: "x") }
        #expect(throws: CheckpointError.self) { try checkpoint.markCompleted(["a", ""]) }
        // SQLite text keys stop at NUL: "a\0b" would silently become "a". Refuse it instead.
        let error = try #require(throws: CheckpointError.self) { try checkpoint.markCompleted("a\u{0}b") }
        #expect(error.code == .invalidItemID)
        #expect(throws: CheckpointError.self) { try Checkpoint(name: "", directory: directory.url) }
        #expect(try checkpoint.getState().completedCount == 0)
    }

    @Test func batchedMarkingAppliesEverythingOrNothing() throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-batch")
        defer { directory.remove() }
        let checkpoint = try Checkpoint(name: "job", directory: directory.url, durability: .normal)
        try checkpoint.markCompleted("done")
        let ids = (0..<1_000).map { "item-\($0)" }
        #expect(try checkpoint.markCompleted(ids) == 1_000)
        #expect(try checkpoint.getState().completedCount == 1_001)

        let outcome = try checkpoint.batch { batch in
            batch.markCompleted("x", result: "1")
            batch.incrementRetryCount("y")
            batch.markFailed("y", error: "bad")
            batch.markCompleted("item-1")
        }
        #expect(outcome.completed == 1)
        #expect(outcome.failed == 1)
        #expect(outcome.retriesCounted == 1)
        #expect(try checkpoint.isFailed("y"))

        // A failure aimed at a completed item refuses the whole batch: "z" is not marked either.
        #expect(throws: CheckpointError.self) {
            try checkpoint.batch { batch in
                batch.markCompleted("z")
                batch.markFailed("done", error: "late")
            }
        }
        #expect(try !checkpoint.isCompleted("z"))

        // An error thrown by the body applies nothing.
        #expect(throws: RecoveryTestError.self) {
            try checkpoint.batch { batch in
                batch.markCompleted("w")
                throw RecoveryTestError(description: "changed my mind")
            }
        }
        #expect(try !checkpoint.isCompleted("w"))
    }

    @Test func outboxRecordsOneMessagePerCompletedItem() throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-outbox")
        defer { directory.remove() }
        let checkpoint = try Checkpoint(name: "job", directory: directory.url, durability: .normal)
        #expect(try checkpoint.markCompleted("a", outbox: "send a"))
        #expect(try !checkpoint.markCompleted("a", outbox: "send a again"))
        #expect(try checkpoint.markCompleted("b", outbox: "send b"))
        let messages = try checkpoint.outboxMessages()
        #expect(messages.map(\.message) == ["send a", "send b"])
        #expect(try checkpoint.acknowledgeOutbox(through: messages[0].sequence) == 1)
        #expect(try checkpoint.outboxMessages().map(\.itemID) == ["b"])
    }

    @Test func resumingWithOtherIdentifyingParametersIsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-parameters")
        defer { directory.remove() }
        let parameters = ["org": "moko", "labels": "v3"]
        do {
            let checkpoint = try Checkpoint(name: "job", directory: directory.url, parameters: parameters)
            try checkpoint.markCompleted("a")
        }
        let same = try Checkpoint(name: "job", directory: directory.url, parameters: ["labels": "v3", "org": "moko"])
        #expect(try same.parameters() == parameters)
        let error = try #require(throws: CheckpointError.self) {
            try Checkpoint(name: "job", directory: directory.url, parameters: ["org": "moko", "labels": "v4"])
        }
        #expect(error.code == .parametersChanged)
        #expect(error.message.contains("labels"))
        #expect(try same.isCompleted("a"))
        #expect(try same.parameters() == parameters)
        // Reset forgets the job's identity with its items; then the new job may start.
        try same.reset()
        let next = try Checkpoint(name: "job", directory: directory.url, parameters: ["org": "moko", "labels": "v4"])
        #expect(try !next.isCompleted("a"))
        #expect(try next.parameters()?["labels"] == "v4")
    }

    @Test func concurrentMarksFromManyTasksAllLand() async throws {
        let directory = try TemporaryDirectory(prefix: "checkpoint-concurrent")
        defer { directory.remove() }
        let checkpoint = try Checkpoint(name: "job", directory: directory.url, durability: .normal)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in 0..<25 { try checkpoint.markCompleted("w\(worker)-\(index)") }
                }
            }
            try await group.waitForAll()
        }
        #expect(try checkpoint.getState().completedCount == 200)
        #expect(try checkpoint.integrityCheck() == "ok")
    }
}
