import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension RetryPolicy {
    /// Runs `operation`, retrying it according to this policy, sleeping on `clock` between attempts.
    ///
    /// The loop stops at the first success, rethrows at once any error the ``classifier`` deems
    /// permanent (and `CancellationError`), and otherwise throws ``RetryExhaustedError`` when retries,
    /// the deadline or the budget run out. A cancelled task stops immediately, also mid-sleep.
    ///
    /// - Parameters:
    ///   - clock: the clock to sleep on (a `ManualClock` in tests).
    ///   - random: the source of jitter, e.g. a ``SeededRandomNumberGenerator``.
    ///   - isolation: the caller's actor, inherited so that `operation` needs not be `Sendable`.
    ///   - onRetry: called before each sleep with the attempt number, the error and the chosen delay.
    ///   - operation: the work to attempt.
    /// - Returns: the operation's first successful result.
    /// - Throws: the operation's permanent error, `CancellationError`, ``RetryExhaustedError``, or
    ///   ``ResilienceConfigurationError`` (before any attempt) when the policy is invalid.
    public func run<Result, C: Clock<Duration>, R: RandomNumberGenerator>(
        clock: C,
        random: inout R,
        isolation: isolated (any Actor)? = #isolation,
        onRetry: (RetryEvent) -> Void = { _ in },
        _ operation: () async throws -> Result
    ) async throws -> Result {
        try validate()
        let deadlineInstant = deadline.map { clock.now.advanced(by: $0) }
        var retries = 0
        var totalDelay = Duration.zero
        var previousBackoff: Duration?
        var spentOnLastRetry: Double?
        while true {
            let failure: any Error
            do {
                let value = try await operation()
                budget?.recordSuccess(refunding: spentOnLastRetry)
                return value
            } catch {
                failure = error
            }
            if RetryClassifier.isCancellation(failure) { throw failure }
            if Task.isCancelled { throw CancellationError() }
            func exhausted(_ reason: RetryExhaustedError.Reason) -> RetryExhaustedError {
                RetryExhaustedError(reason: reason, attempts: retries + 1, totalDelay: totalDelay, lastError: failure)
            }
            let decision = classifier.decision(for: failure, now: wallClock.currentDate)
            if case .doNotRetry = decision { throw failure }
            guard retries < maxRetries else { throw exhausted(.maxRetriesReached) }
            let delay: Duration
            let isServerRequested: Bool
            switch decision {
            case .retryAfter(let wait):
                guard wait <= maxRateLimitWait else { throw exhausted(.rateLimitWaitTooLong(required: wait)) }
                delay = max(wait, .zero)
                isServerRequested = true
            case .retry, .doNotRetry:
                delay = self.delay(forAttempt: retries + 1, previousDelay: previousBackoff, using: &random)
                previousBackoff = delay
                isServerRequested = false
            }
            if let deadlineInstant, clock.now.advanced(by: delay) > deadlineInstant {
                throw exhausted(.deadlineExceeded)
            }
            if let budget {
                guard let spent = budget.acquireRetry(afterTimeout: Self.isTimeout(failure)) else {
                    throw exhausted(.budgetExhausted)
                }
                spentOnLastRetry = spent
            }
            retries += 1
            totalDelay += delay
            onRetry(
                RetryEvent(
                    attempt: retries,
                    error: failure,
                    delay: delay,
                    totalDelay: totalDelay,
                    isServerRequested: isServerRequested
                )
            )
            if delay > .zero {
                try await clock.sleep(for: delay)
            } else {
                try Task.checkCancellation()
            }
        }
    }

    /// Runs `operation` with this policy on `clock`, drawing jitter from the system generator.
    ///
    /// - Parameters:
    ///   - clock: the clock to sleep on (a `ManualClock` in tests).
    ///   - isolation: the caller's actor, inherited so that `operation` needs not be `Sendable`.
    ///   - onRetry: called before each sleep with the attempt number, the error and the chosen delay.
    ///   - operation: the work to attempt.
    /// - Returns: the operation's first successful result.
    /// - Throws: see ``run(clock:random:isolation:onRetry:_:)``.
    public func run<Result, C: Clock<Duration>>(
        clock: C,
        isolation: isolated (any Actor)? = #isolation,
        onRetry: (RetryEvent) -> Void = { _ in },
        _ operation: () async throws -> Result
    ) async throws -> Result {
        var random = SystemRandomNumberGenerator()
        return try await run(clock: clock, random: &random, onRetry: onRetry, operation)
    }

    /// Runs `operation` with this policy, sleeping on the system's `ContinuousClock`.
    ///
    /// - Parameters:
    ///   - isolation: the caller's actor, inherited so that `operation` needs not be `Sendable`.
    ///   - onRetry: called before each sleep with the attempt number, the error and the chosen delay.
    ///   - operation: the work to attempt.
    /// - Returns: the operation's first successful result.
    /// - Throws: see ``run(clock:random:isolation:onRetry:_:)``.
    public func run<Result>(
        isolation: isolated (any Actor)? = #isolation,
        onRetry: (RetryEvent) -> Void = { _ in },
        _ operation: () async throws -> Result
    ) async throws -> Result {
        try await run(clock: ContinuousClock(), onRetry: onRetry, operation)
    }

    /// Whether a failure was a timeout (an AWS-style budget charges more for those).
    static func isTimeout(_ error: any Error) -> Bool {
        if let urlError = error as? URLError { return urlError.code == .timedOut }
        if let posixError = error as? POSIXError { return posixError.code == .ETIMEDOUT }
        return false
    }
}
