import Foundation
import MokoEnterpriseTestSupport
import Synchronization
import Testing

@Suite struct ManualClockTests {
    @Test func timeStandsStillUntilAdvanced() {
        let clock = ManualClock()
        let start = clock.now
        #expect(clock.now == start)
        clock.advance(by: .seconds(90))
        #expect(start.duration(to: clock.now) == .seconds(90))
        #expect(clock.currentDate == clock.epoch.addingTimeInterval(90))
    }

    @Test func sleeperWakesOnlyWhenItsDeadlineIsReached() async throws {
        let clock = ManualClock()
        let woke = Flag()
        let task = Task {
            try await clock.sleep(for: .seconds(10))
            woke.set()
        }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(9))
        #expect(clock.sleeperCount == 1)
        #expect(!woke.isSet)
        clock.advance(by: .seconds(1))
        try await task.value
        #expect(woke.isSet)
        #expect(clock.requestedSleeps == [.seconds(10)])
    }

    @Test func sleepersWakeInDeadlineOrder() async throws {
        let clock = ManualClock()
        let order = Recorder<Int>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, seconds) in [5, 1, 3].enumerated() {
                group.addTask {
                    try await clock.sleep(for: .seconds(seconds))
                    order.append(index)
                }
            }
            await clock.waitForSleepers(count: 3)
            #expect(clock.nextDeadline == ManualClock.Instant(offset: .seconds(1)))
            clock.advanceToNextDeadline()
            clock.advanceToNextDeadline()
            clock.advanceToNextDeadline()
            try await group.waitForAll()
        }
        #expect(order.values == [1, 2, 0])
        #expect(clock.now.offset == .seconds(5))
    }

    @Test func pastDeadlineReturnsImmediately() async throws {
        let clock = ManualClock()
        clock.advance(by: .seconds(5))
        try await clock.sleep(until: ManualClock.Instant(offset: .seconds(1)))
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancellingASleeperThrowsCancellationError() async {
        let clock = ManualClock()
        let task = Task { try await clock.sleep(for: .seconds(60)) }
        await clock.waitForSleepers(count: 1)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancellationBeforeSuspensionIsNotLost() async {
        let clock = ManualClock()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .seconds(60))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancelledWaiterReturnsFalse() async {
        let clock = ManualClock()
        let waiter = Task { await clock.waitForSleepers(count: 1) }
        waiter.cancel()
        #expect(await waiter.value == false)
    }

    @Test func runAdvancesThroughEverySleep() async throws {
        let clock = ManualClock()
        let result = try await clock.run {
            for _ in 0..<3 { try await clock.sleep(for: .seconds(60)) }
            return 42
        }
        #expect(result == 42)
        #expect(clock.now.offset == .seconds(180))
        #expect(clock.requestedSleeps == [.seconds(60), .seconds(60), .seconds(60)])
    }

    @Test func runRethrowsTheOperationsError() async {
        struct Boom: Error {}
        let clock = ManualClock()
        await #expect(throws: Boom.self) {
            try await clock.run { () async throws -> Int in
                try await clock.sleep(for: .seconds(1))
                throw Boom()
            }
        }
    }
}

private typealias Recorder = TestRecorder

/// A thread-safe flag for tests.
private final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
