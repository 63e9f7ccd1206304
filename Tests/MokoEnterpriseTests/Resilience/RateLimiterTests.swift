import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

@Suite("Rate limiter")
struct RateLimiterTests {
    /// 3,600 per hour: one token per second.
    private func makeLimiter(clock: ManualClock, perHour: Int = 3_600, burst: Int) throws -> RateLimiter {
        try RateLimiter(config: RateLimitConfig(maxRequestsPerHour: perHour, burstSize: burst), clock: clock)
    }

    @Test func curriculumDefaultsAreGitHubs() {
        let config = RateLimitConfig()
        #expect(config.maxRequestsPerHour == 5_000)
        #expect(config.burstSize == 100)
        #expect(config.enableCaching)
        #expect(config.cacheTTL == .seconds(300))
        #expect(config.refillInterval == .milliseconds(720))
    }

    @Test func burstPassesImmediatelyThenTheNextWaitsExactlyOneRefillInterval() async throws {
        let clock = ManualClock()
        let limiter = try makeLimiter(clock: clock, perHour: 5_000, burst: 100)
        for _ in 0..<100 { try await limiter.acquire() }
        #expect(clock.requestedSleeps.isEmpty)
        #expect(!limiter.tryAcquire())
        try await clock.run { try await limiter.acquire() }
        #expect(clock.requestedSleeps == [.milliseconds(720)])
        #expect(clock.now.offset == .milliseconds(720))
    }

    @Test func tokensRefillAtTheConfiguredRate() async throws {
        let clock = ManualClock()
        let limiter = try makeLimiter(clock: clock, burst: 2)
        #expect(limiter.tryAcquire(cost: 2))
        #expect(!limiter.tryAcquire())
        clock.advance(by: .milliseconds(999))
        #expect(!limiter.tryAcquire())
        clock.advance(by: .milliseconds(1))
        #expect(limiter.tryAcquire())
        clock.advance(by: .seconds(3_600))
        #expect(limiter.status.availableTokens == 2)
    }

    @Test func serverQuotaOfZeroMakesAcquireWaitUntilTheReset() async throws {
        let clock = ManualClock()
        let limiter = try makeLimiter(clock: clock, perHour: 5_000, burst: 100)
        limiter.update(remaining: 0, limit: 5_000, resetAt: clock.currentDate.addingTimeInterval(600))
        #expect(!limiter.tryAcquire())
        try await clock.run { try await limiter.acquire() }
        #expect(clock.requestedSleeps == [.seconds(600)])
        #expect(limiter.status.serverRemaining == 4_999)
    }

    @Test func serverHeadersAreAdoptedAndTheReserveIsKept() async throws {
        let clock = ManualClock()
        let limiter = try makeLimiter(clock: clock, burst: 100)
        let reset = Int(clock.currentDate.timeIntervalSince1970) + 120
        let headers = ["x-ratelimit-remaining": "52", "x-ratelimit-limit": "1000", "x-ratelimit-reset": "\(reset)"]
        #expect(limiter.update(fromHeaders: { headers[$0] }))
        // Reserve: 5 % of 1,000 = 50, so two requests pass and the third waits for the reset.
        #expect(limiter.tryAcquire())
        #expect(limiter.tryAcquire())
        #expect(!limiter.tryAcquire())
        #expect(limiter.status.serverResetIn == .seconds(120))
        #expect(!limiter.update(fromHeaders: { _ in "garbage" }))
    }

    @MainActor
    @Test func waitersAreServedInArrivalOrder() async throws {
        let clock = ManualClock()
        let limiter = try makeLimiter(clock: clock, burst: 1)
        try await limiter.acquire()
        let served = TestRecorder<Int>()
        var tasks: [Task<Void, any Error>] = []
        for index in 0..<5 {
            tasks.append(
                Task { @MainActor in
                    try await limiter.acquire()
                    served.append(index)
                }
            )
        }
        for expected in 0..<5 {
            await clock.waitForSleepers(count: 1)
            #expect(limiter.status.waiting == 5 - expected)
            clock.advance(by: .seconds(1))
            try await tasks[expected].value
            #expect(served.values == Array(0...expected))
        }
        #expect(clock.requestedSleeps == Array(repeating: .seconds(1), count: 5))
    }

    @Test func cancellingTheWaiterAtTheHeadLeaksNoTokens() async throws {
        let clock = ManualClock()
        let limiter = try makeLimiter(clock: clock, burst: 1)
        try await limiter.acquire()
        let waiter = Task { try await limiter.acquire() }
        await clock.waitForSleepers(count: 1)
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(limiter.status.waiting == 0)
        clock.advance(by: .seconds(1))
        #expect(limiter.tryAcquire())
        #expect(!limiter.tryAcquire())
    }

    /// Lets every task already enqueued on the main actor run up to its first suspension.
    @MainActor
    private func drainMainActor() async {
        await Task { @MainActor in }.value
    }

    @MainActor
    @Test func cancellingAQueuedWaiterLeavesTheLineIntact() async throws {
        let clock = ManualClock()
        let limiter = try makeLimiter(clock: clock, burst: 1)
        try await limiter.acquire()
        let head = Task { @MainActor in try await limiter.acquire() }
        await clock.waitForSleepers(count: 1)
        let queued = Task { @MainActor in try await limiter.acquire() }
        await drainMainActor()
        #expect(limiter.status.waiting == 2)
        queued.cancel()
        await #expect(throws: CancellationError.self) { try await queued.value }
        #expect(limiter.status.waiting == 1)
        clock.advance(by: .seconds(1))
        try await head.value
        #expect(limiter.status.waiting == 0)
        #expect(limiter.status.availableTokens == 0)
        clock.advance(by: .seconds(1))
        #expect(limiter.tryAcquire())
    }

    @MainActor
    @Test func cancellingTheHeadHandsTheTurnToTheNextWaiter() async throws {
        let clock = ManualClock()
        let limiter = try makeLimiter(clock: clock, burst: 1)
        try await limiter.acquire()
        let head = Task { @MainActor in try await limiter.acquire() }
        await clock.waitForSleepers(count: 1)
        let next = Task { @MainActor in try await limiter.acquire() }
        await drainMainActor()
        #expect(limiter.status.waiting == 2)
        head.cancel()
        await #expect(throws: CancellationError.self) { try await head.value }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        try await next.value
        #expect(clock.now.offset == .seconds(1))
        #expect(clock.requestedSleeps == [.seconds(1), .seconds(1)])
        #expect(!limiter.tryAcquire())
    }

    @Test func invalidCostsAndConfigurationsAreRejected() async throws {
        let clock = ManualClock()
        let limiter = try makeLimiter(clock: clock, burst: 5)
        await #expect(throws: ResilienceConfigurationError.self) { try await limiter.acquire(cost: 6) }
        await #expect(throws: ResilienceConfigurationError.self) { try await limiter.acquire(cost: 0) }
        #expect(limiter.status.availableTokens == 5)
        #expect(throws: ResilienceConfigurationError.self) {
            try RateLimiter(config: RateLimitConfig(maxRequestsPerHour: 0), clock: clock)
        }
    }
}
