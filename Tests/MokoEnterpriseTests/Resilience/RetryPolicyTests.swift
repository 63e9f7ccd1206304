import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

@Suite("Retry loop")
struct RetryPolicyTests {
    private let unavailable = ResilienceTestHTTPError(statusCode: 503)

    private func exactPolicy(maxRetries: Int = 5, maxDelay: Duration = .seconds(60), clock: ManualClock) -> RetryPolicy
    {
        RetryPolicy(maxRetries: maxRetries, baseDelay: .seconds(1), maxDelay: maxDelay, jitter: .none, wallClock: clock)
    }

    @Test func delaysFollowThePolicyExactlyAndStopAtMaxRetries() async throws {
        let clock = ManualClock()
        let calls = LockedValue(0)
        let policy = exactPolicy(maxRetries: 5, maxDelay: .seconds(10), clock: clock)
        let error = await #expect(throws: RetryExhaustedError.self) {
            try await clock.run {
                try await policy.run(clock: clock) { () async throws -> Int in
                    calls.withLock { $0 += 1 }
                    throw unavailable
                }
            }
        }
        #expect(clock.requestedSleeps == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10)])
        #expect(calls.value == 6)
        #expect(error?.attempts == 6)
        #expect(error?.totalDelay == .seconds(25))
        #expect(error?.reason == .maxRetriesReached)
        #expect(error?.lastError as? ResilienceTestHTTPError == unavailable)
    }

    @Test func jitteredDelaysAreTheSeededDraws() async throws {
        let clock = ManualClock()
        let policy = RetryPolicy(maxRetries: 4, baseDelay: .seconds(1), maxDelay: .seconds(60), jitter: .full)
        var expectedRandom = SeededRandomNumberGenerator(seed: 5)
        let expected = (1...4).map { policy.delay(forAttempt: $0, previousDelay: nil, using: &expectedRandom) }
        let calls = LockedValue(0)
        let value = try await clock.run {
            var random = SeededRandomNumberGenerator(seed: 5)
            return try await policy.run(clock: clock, random: &random) { () async throws -> String in
                let call = calls.withLock {
                    $0 += 1; return $0
                }
                if call < 5 { throw unavailable }
                return "ok"
            }
        }
        #expect(value == "ok")
        #expect(clock.requestedSleeps == expected)
    }

    @Test func succeedsAfterTransientFailuresAndReportsEachRetry() async throws {
        let clock = ManualClock()
        let events = TestRecorder<String>()
        let calls = LockedValue(0)
        let policy = exactPolicy(clock: clock)
        let value = try await clock.run {
            try await retryWithBackoff(
                policy: policy, clock: clock,
                onRetry: { event in
                    events.append("\(event.attempt):\(event.delay):\(event.error is ResilienceTestHTTPError)")
                }
            ) { () async throws -> Int in
                let call = calls.withLock {
                    $0 += 1; return $0
                }
                if call < 3 { throw unavailable }
                return 42
            }
        }
        #expect(value == 42)
        #expect(events.values == ["1:1.0 seconds:true", "2:2.0 seconds:true"])
    }

    @Test(arguments: [400, 401, 403, 404, 410, 422])
    func validationErrorsAreThrownAtOnce(status: Int) async throws {
        let clock = ManualClock()
        let calls = LockedValue(0)
        let failure = ResilienceTestHTTPError(statusCode: status, message: "Validation Failed")
        let error = await #expect(throws: ResilienceTestHTTPError.self) {
            try await clock.run {
                try await exactPolicy(clock: clock).run(clock: clock) { () async throws -> Int in
                    calls.withLock { $0 += 1 }
                    throw failure
                }
            }
        }
        #expect(error == failure)
        #expect(calls.value == 1)
        #expect(clock.requestedSleeps.isEmpty)
    }

    @Test func cancellationErrorIsNeverRetried() async throws {
        let clock = ManualClock()
        let calls = LockedValue(0)
        let policy = RetryPolicy(maxRetries: 5, classifier: .allExceptCancellation, wallClock: clock)
        await #expect(throws: CancellationError.self) {
            try await clock.run {
                try await policy.run(clock: clock) { () async throws -> Int in
                    calls.withLock { $0 += 1 }
                    throw CancellationError()
                }
            }
        }
        #expect(calls.value == 1)
        #expect(clock.requestedSleeps.isEmpty)
    }

    @Test func cancellingDuringABackoffSleepStopsAtOnce() async throws {
        let clock = ManualClock()
        let calls = LockedValue(0)
        let policy = exactPolicy(clock: clock)
        let task = Task {
            try await policy.run(clock: clock) { () async throws -> Int in
                calls.withLock { $0 += 1 }
                throw unavailable
            }
        }
        await clock.waitForSleepers(count: 1)
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(calls.value == 1)
        #expect(clock.sleeperCount == 0)
    }

    @Test func retryAfterSecondsIsHonouredExactly() async throws {
        let clock = ManualClock()
        let calls = LockedValue(0)
        let limited = ResilienceTestHTTPError(statusCode: 429, headers: ["Retry-After": "7"])
        let value = try await clock.run {
            try await exactPolicy(clock: clock).run(clock: clock) { () async throws -> Int in
                let call = calls.withLock {
                    $0 += 1; return $0
                }
                if call == 1 { throw limited }
                return call
            }
        }
        #expect(value == 2)
        #expect(clock.requestedSleeps == [.seconds(7)])
    }

    @Test func retryAfterHTTPDateIsHonouredAgainstTheWallClock() async throws {
        let clock = ManualClock()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: clock.currentDate.addingTimeInterval(120))
        let limited = ResilienceTestHTTPError(statusCode: 503, headers: ["Retry-After": date])
        let calls = LockedValue(0)
        _ = try await clock.run {
            try await exactPolicy(clock: clock).run(clock: clock) { () async throws -> Int in
                let call = calls.withLock {
                    $0 += 1; return $0
                }
                if call == 1 { throw limited }
                return call
            }
        }
        #expect(clock.requestedSleeps == [.seconds(120)])
    }

    @Test func githubRateLimitResetIsHonoured() async throws {
        let clock = ManualClock()
        let reset = Int(clock.currentDate.timeIntervalSince1970) + 300
        let limited = ResilienceTestHTTPError(
            statusCode: 403,
            headers: ["x-ratelimit-remaining": "0", "x-ratelimit-reset": "\(reset)"],
            message: "API rate limit exceeded for user ID 1."
        )
        let calls = LockedValue(0)
        _ = try await clock.run {
            try await exactPolicy(clock: clock).run(clock: clock) { () async throws -> Int in
                let call = calls.withLock {
                    $0 += 1; return $0
                }
                if call == 1 { throw limited }
                return call
            }
        }
        #expect(clock.requestedSleeps == [.seconds(300)])
        #expect(clock.now.offset == .seconds(300))
    }

    @Test func aServerWaitLongerThanAllowedStopsInsteadOfRetryingEarly() async throws {
        let clock = ManualClock()
        let limited = ResilienceTestHTTPError(statusCode: 429, headers: ["Retry-After": "7200"])
        let error = await #expect(throws: RetryExhaustedError.self) {
            try await clock.run {
                try await exactPolicy(clock: clock).run(clock: clock) { () async throws -> Int in throw limited }
            }
        }
        #expect(error?.reason == .rateLimitWaitTooLong(required: .seconds(7200)))
        #expect(clock.requestedSleeps.isEmpty)
    }

    @Test func aSharedBudgetDrainsAndStopsRetries() async throws {
        let clock = ManualClock()
        let budget = try RetryBudget(scheme: .quota(capacity: 10, retryCost: 5, timeoutRetryCost: 10, successRefund: 1))
        var configured = exactPolicy(maxRetries: 10, clock: clock)
        configured.budget = budget
        let policy = configured
        let calls = LockedValue(0)
        let error = await #expect(throws: RetryExhaustedError.self) {
            try await clock.run {
                try await policy.run(clock: clock) { () async throws -> Int in
                    calls.withLock { $0 += 1 }
                    throw unavailable
                }
            }
        }
        #expect(error?.reason == .budgetExhausted)
        #expect(calls.value == 3)
        #expect(budget.availableTokens == 0)
        let second = await #expect(throws: RetryExhaustedError.self) {
            try await clock.run {
                try await policy.run(clock: clock) { () async throws -> Int in throw unavailable }
            }
        }
        #expect(second?.attempts == 1)
    }

    @Test func grpcThrottlingStopsRetriesAtHalfTheTokens() throws {
        let budget = try RetryBudget.grpcThrottling(maxTokens: 10, tokenRatio: 0.5)
        let granted = (0..<10).map { _ in budget.acquireRetry() != nil }
        #expect(granted == [true, true, true, true, false, false, false, false, false, false])
        for _ in 0..<4 { budget.recordSuccess() }
        #expect(budget.availableTokens == 2)
    }

    @Test func neverStartsASleepThatEndsPastTheDeadline() async throws {
        let clock = ManualClock()
        var configured = exactPolicy(maxRetries: 10, clock: clock)
        configured.deadline = .seconds(10)
        let policy = configured
        let error = await #expect(throws: RetryExhaustedError.self) {
            try await clock.run {
                try await policy.run(clock: clock) { () async throws -> Int in throw unavailable }
            }
        }
        #expect(error?.reason == .deadlineExceeded)
        #expect(clock.requestedSleeps == [.seconds(1), .seconds(2), .seconds(4)])
        #expect(clock.now.offset <= .seconds(10))
    }

    @Test func curriculumFunctionRetriesWithTheGivenSettings() async throws {
        let clock = ManualClock()
        let calls = LockedValue(0)
        let value = try await clock.run {
            try await retryWithBackoff(maxRetries: 3, baseDelay: .seconds(2), jitter: .none, clock: clock) {
                () async throws -> Int in
                let call = calls.withLock {
                    $0 += 1; return $0
                }
                if call < 4 { throw ResilienceTestFailure(id: call) }
                return call
            }
        }
        #expect(value == 4)
        #expect(clock.requestedSleeps == [.seconds(2), .seconds(4), .seconds(8)])
    }

    @Test func anInvalidPolicyIsRejectedBeforeAnyAttempt() async throws {
        let clock = ManualClock()
        let calls = LockedValue(0)
        let policy = RetryPolicy(maxRetries: -1)
        let error = await #expect(throws: ResilienceConfigurationError.self) {
            try await policy.run(clock: clock) { () async throws -> Int in
                calls.withLock { $0 += 1 }
                return 1
            }
        }
        #expect(error?.setting == "maxRetries")
        #expect(calls.value == 0)
    }
}
