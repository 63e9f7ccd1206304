import MokoEnterprise
import MokoEnterpriseTestSupport
import Synchronization
import Testing

/// Counts operations in flight and remembers the most seen at once.
private final class BatchConcurrencyGauge: Sendable {
    private let state = Mutex((current: 0, peak: 0))

    func enter() {
        state.withLock {
            $0.current += 1; $0.peak = max($0.peak, $0.current)
        }
    }
    func leave() { state.withLock { $0.current -= 1 } }
    var peak: Int { state.withLock { $0.peak } }
}

/// An item whose live instances are counted, to prove how much a streaming run holds.
private final class BatchLiveItem: Sendable {
    static let live = Mutex((current: 0, peak: 0))
    let id: Int

    init(id: Int) {
        self.id = id
        Self.live.withLock {
            $0.current += 1; $0.peak = max($0.peak, $0.current)
        }
    }

    deinit { Self.live.withLock { $0.current -= 1 } }
}

/// Pages of freshly allocated items, produced on demand.
private struct BatchLivePages: AsyncSequence, Sendable {
    typealias Element = [BatchLiveItem]
    let pageCount: Int
    let pageSize: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var page = 0
        let pageCount: Int
        let pageSize: Int
        mutating func next() async throws -> [BatchLiveItem]? {
            guard page < pageCount else { return nil }
            defer { page += 1 }
            return (0..<pageSize).map { BatchLiveItem(id: page * pageSize + $0) }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(pageCount: pageCount, pageSize: pageSize) }
}

private struct BatchTestFailure: Error, Equatable { var id: Int }

@Suite("BatchProcessor")
struct BatchProcessorTests {
    @Test func parallelNeverExceedsMaxConcurrency() async throws {
        let gauge = BatchConcurrencyGauge()
        let clock = ManualClock()
        let processor = BatchProcessor(clock: clock)
        let task = Task {
            try await processor.process(Array(0..<200), id: { $0 }, strategy: .parallel(maxConcurrency: 7)) { item in
                gauge.enter()
                defer { gauge.leave() }
                // Every operation waits on the clock, so many are in flight together.
                try await clock.sleep(for: .milliseconds(10 + item % 5))
            }
        }
        // The window fills up: seven operations are asleep at once.
        #expect(await clock.waitForSleepers(count: 7))
        let report = try await clock.run { try await task.value }
        #expect(report.succeeded.count == 200)
        #expect(gauge.peak == 7, "in flight peaked at \(gauge.peak); the limit is 7")
        #expect(report.peakInFlight == 7)
    }

    @Test func sequentialRunsOneAtATimeInOrder() async throws {
        let gauge = BatchConcurrencyGauge()
        let order = TestRecorder<Int>()
        let report = try await BatchProcessor(clock: ManualClock()).process(
            Array(0..<20), id: { $0 }, strategy: .sequential
        ) { item in
            gauge.enter()
            defer { gauge.leave() }
            order.append(item)
            await Task.yield()
        }
        #expect(gauge.peak == 1)
        #expect(order.values == Array(0..<20))
        #expect(report.succeeded == Array(0..<20))
    }

    @Test func batchedRunsBatchesOneAfterAnotherWithPause() async throws {
        let gauge = BatchConcurrencyGauge()
        let clock = ManualClock()
        let processor = BatchProcessor(clock: clock)
        let report = try await clock.run {
            try await processor.process(
                Array(0..<10), id: { $0 }, strategy: .batched(size: 4, maxConcurrency: 4, pause: .seconds(1))
            ) { _ in
                gauge.enter()
                defer { gauge.leave() }
                try await clock.sleep(for: .milliseconds(5))
            }
        }
        #expect(report.succeeded.count == 10)
        #expect(gauge.peak <= 4)
        // Three batches (4, 4, 2) with a one-second pause between them.
        #expect(clock.requestedSleeps.filter { $0 == .seconds(1) }.count == 2)
        #expect(report.duration >= .seconds(2))
    }

    @Test func continuePolicyCollectsEveryFailure() async throws {
        let report = try await BatchProcessor(clock: ManualClock()).process(
            Array(0..<50), id: { $0 }, strategy: .parallel(maxConcurrency: 5), failurePolicy: .continue
        ) { item in
            if item % 10 == 3 { throw BatchTestFailure(id: item) }
        }
        #expect(report.failed.map(\.id).sorted() == [3, 13, 23, 33, 43])
        #expect(report.failed.allSatisfy { ($0.error as? BatchTestFailure)?.id == $0.id })
        #expect(report.succeeded.count == 45)
        #expect(report.skipped.isEmpty)
        #expect(report.total == 50)
    }

    @Test func failFastStopsStartingItemsAndSkipsTheRest() async throws {
        let started = TestRecorder<Int>()
        let report = try await BatchProcessor(clock: ManualClock()).process(
            Array(0..<100), id: { $0 }, strategy: .sequential, failurePolicy: .failFast
        ) { item in
            started.append(item)
            if item == 10 { throw BatchTestFailure(id: item) }
        }
        #expect(started.values == Array(0...10))
        #expect(report.failed.map(\.id) == [10])
        #expect(report.succeeded.count == 10)
        #expect(report.skipped == Array(11..<100))
        #expect(report.total == 100)
    }

    @Test func failFastCancelsInFlightItems() async throws {
        let clock = ManualClock()
        let processor = BatchProcessor(clock: clock)
        let report = try await clock.run {
            try await processor.process(
                Array(0..<40), id: { $0 }, strategy: .parallel(maxConcurrency: 4), failurePolicy: .failFast
            ) { item in
                if item == 0 { throw BatchTestFailure(id: 0) }
                try await clock.sleep(for: .seconds(60))
            }
        }
        #expect(report.failed.map(\.id) == [0])
        #expect(report.succeeded.isEmpty)
        #expect(report.total == 40)
        #expect(Set(report.skipped) == Set(1..<40))
    }

    @Test func progressReportsEveryFinishedItem() async throws {
        let seen = TestRecorder<BatchProgress>()
        _ = try await BatchProcessor(clock: ManualClock()).process(
            Array(0..<12), id: { $0 }, strategy: .parallel(maxConcurrency: 3), progress: { seen.append($0) }
        ) { item in
            if item == 5 { throw BatchTestFailure(id: item) }
        }
        #expect(seen.values.map(\.completed) == Array(1...12))
        #expect(seen.values.last == BatchProgress(completed: 12, succeeded: 11, failed: 1, total: 12))
    }

    @Test func processPagesHoldsAtMostOnePage() async throws {
        BatchLiveItem.live.withLock { $0 = (0, 0) }
        let report = try await BatchProcessor(clock: ManualClock()).processPages(
            BatchLivePages(pageCount: 30, pageSize: 25), items: { $0 }, id: { $0.id },
            strategy: .parallel(maxConcurrency: 4)
        ) { _ in await Task.yield() }
        #expect(report.succeeded.count == 750)
        let live = BatchLiveItem.live.withLock { $0 }
        #expect(live.peak <= 25, "held \(live.peak) items at once; one page is 25")
        #expect(live.current == 0)
    }

    @Test func processStreamBoundsInFlightOverAnAsyncSequence() async throws {
        let gauge = BatchConcurrencyGauge()
        let stream = AsyncStream<Int> { continuation in
            for value in 0..<64 { continuation.yield(value) }
            continuation.finish()
        }
        let report = try await BatchProcessor(clock: ManualClock()).processStream(
            stream, id: { $0 }, strategy: .parallel(maxConcurrency: 3)
        ) { _ in
            gauge.enter()
            defer { gauge.leave() }
            await Task.yield()
        }
        #expect(report.succeeded.count == 64)
        #expect(gauge.peak <= 3)
    }

    @Test func compareRunsEveryStrategyOverTheSameItems() async throws {
        let clock = ManualClock()
        let processor = BatchProcessor(clock: clock)
        let comparison = try await clock.run {
            try await processor.compare(
                Array(0..<40), id: { $0 },
                strategies: [.sequential, .parallel(maxConcurrency: 8), .batched(size: 10, maxConcurrency: 10)]
            ) { _ in try await clock.sleep(for: .milliseconds(100)) }
        }
        #expect(comparison.reports.map(\.succeeded.count) == [40, 40, 40])
        // Sequential is deterministic on the manual clock: 40 × 100 ms.
        #expect(comparison.reports[0].duration == .seconds(4))
        #expect(comparison.reports[1].duration < .seconds(4))
        #expect(comparison.fastest?.strategy != .sequential)
        #expect(comparison.description.contains("| parallel(8) | 40 | 0 | 0 |"))
    }

    @Test func cancellationOfTheCallerPropagates() async throws {
        let clock = ManualClock()
        let processor = BatchProcessor(clock: clock)
        let task = Task {
            try await processor.process(Array(0..<10), id: { $0 }, strategy: .parallel(maxConcurrency: 2)) { _ in
                try await clock.sleep(for: .seconds(1))
            }
        }
        await clock.waitForSleepers(count: 2)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
