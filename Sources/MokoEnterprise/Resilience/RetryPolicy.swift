import Foundation

/// How to retry a failing operation: how many times, how long to wait, which errors qualify.
///
/// A policy is a plain `Sendable` value: build it once, share it, run any number of operations with
/// it. The waits follow the AWS "Exponential Backoff and Jitter" formulas with the cap applied to the
/// exponential envelope **before** the random draw, so that once the envelope reaches the cap the
/// delays are still spread and clients do not retry in lockstep.
///
/// ```swift
/// let repos = try await RetryPolicy.aggressive.run { try await client.listRepos(org: "mokoconsulting") }
///
/// var policy = RetryPolicy.default
/// policy.deadline = .seconds(30)        // no sleep may end later than 30 s after the first call
/// policy.budget = sharedBudget          // stop retrying when the service fails for everyone
/// let issue = try await policy.run(clock: clock, onRetry: { log("retry \($0.attempt) in \($0.delay)") }) {
///     try await client.getIssue(42)
/// }
/// ```
///
/// What is retried is decided by ``classifier`` (``RetryClassifier/default``: 5xx, transport
/// failures, rate limits honouring `Retry-After` / `x-ratelimit-reset`; never 4xx validation errors
/// and never `CancellationError`).
public struct RetryPolicy: Sendable {
    /// How the delay is randomised under the exponential envelope `t = min(maxDelay, baseDelay · exponentialBaseⁿ⁻¹)`.
    public enum Jitter: Sendable, Hashable, CaseIterable {
        /// No randomness: the delay is `t`.
        case none
        /// AWS "full jitter": uniform in `0 ... t`. Fewest calls under contention; the default.
        case full
        /// AWS "equal jitter": `t/2 + uniform(0 ... t/2)`. Never shorter than half the envelope.
        case equal
        /// AWS "decorrelated jitter": `uniform(baseDelay ... min(maxDelay, 3 · previous))`, the first
        /// `previous` being `baseDelay`. Grows from the previous delay rather than the attempt number;
        /// the cap bounds the range before the draw, so delays at the cap stay spread.
        case decorrelated
    }

    /// The number of retries after the first call; 0 means call once. The curriculum's default is 3.
    public var maxRetries: Int
    /// The envelope of the first retry's delay.
    public var baseDelay: Duration
    /// The cap of the envelope (applied before jitter).
    public var maxDelay: Duration
    /// The envelope's growth factor per retry (≥ 1; 1 gives a constant envelope).
    public var exponentialBase: Double
    /// How delays are randomised.
    public var jitter: Jitter
    /// One deadline across all attempts, measured from the first call: the loop never starts a sleep
    /// that would end past it. nil means no deadline. (It does not interrupt a running attempt.)
    public var deadline: Duration?
    /// The longest server-requested wait (`Retry-After`, rate-limit reset) the loop honours. When the
    /// server asks for more, the loop stops with ``RetryExhaustedError/Reason/rateLimitWaitTooLong(required:)``
    /// instead of retrying early, because an early retry is refused again and GitHub penalises it.
    /// The default, one hour, covers GitHub's primary rate-limit window.
    public var maxRateLimitWait: Duration
    /// A retry budget shared with other calls to the same service, or nil for none.
    public var budget: RetryBudget?
    /// Decides which errors are retried.
    public var classifier: RetryClassifier
    /// The calendar clock used to turn `Retry-After` dates and `x-ratelimit-reset` into waits; nil
    /// uses the clock given to `run` when it is a ``WallClock`` (as `ManualClock` is), else the system's.
    public var wallClock: (any WallClock)?

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - maxRetries: retries after the first call (≥ 0).
    ///   - baseDelay: the first retry's envelope (≥ 0).
    ///   - maxDelay: the envelope's cap (≥ 0).
    ///   - exponentialBase: the envelope's growth factor per retry (≥ 1).
    ///   - jitter: how delays are randomised.
    ///   - deadline: one deadline across all attempts, or nil.
    ///   - maxRateLimitWait: the longest server-requested wait honoured.
    ///   - budget: a shared retry budget, or nil.
    ///   - classifier: decides which errors are retried.
    ///   - wallClock: the calendar clock for absolute reset times; nil uses the run's clock when it is a
    ///     ``WallClock``, else the system's.
    public init(
        maxRetries: Int = 3,
        baseDelay: Duration = .seconds(1),
        maxDelay: Duration = .seconds(60),
        exponentialBase: Double = 2,
        jitter: Jitter = .full,
        deadline: Duration? = nil,
        maxRateLimitWait: Duration = .seconds(3_600),
        budget: RetryBudget? = nil,
        classifier: RetryClassifier = .default,
        wallClock: (any WallClock)? = nil
    ) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.exponentialBase = exponentialBase
        self.jitter = jitter
        self.deadline = deadline
        self.maxRateLimitWait = maxRateLimitWait
        self.budget = budget
        self.classifier = classifier
        self.wallClock = wallClock
    }

    /// 3 retries, 1 s base, 60 s cap, doubling, full jitter.
    public static let `default` = RetryPolicy()

    /// For critical operations: 5 retries, 2 s base, 60 s cap, doubling, full jitter.
    public static let aggressive = RetryPolicy(maxRetries: 5, baseDelay: .seconds(2), maxDelay: .seconds(60))

    /// For less critical operations: 2 retries, 1 s base, 10 s cap, doubling, full jitter.
    public static let conservative = RetryPolicy(maxRetries: 2, baseDelay: .seconds(1), maxDelay: .seconds(10))

    /// Checks every setting; the retry loop calls it before the first attempt.
    ///
    /// - Throws: ``ResilienceConfigurationError`` naming the first invalid setting.
    public func validate() throws(ResilienceConfigurationError) {
        let name = "RetryPolicy"
        try ResilienceConfigurationError.check(maxRetries >= 0, name, "maxRetries", maxRetries, ">= 0")
        try ResilienceConfigurationError.check(baseDelay >= .zero, name, "baseDelay", baseDelay, ">= 0")
        try ResilienceConfigurationError.check(maxDelay >= .zero, name, "maxDelay", maxDelay, ">= 0")
        try ResilienceConfigurationError.check(
            exponentialBase >= 1 && exponentialBase.isFinite, name, "exponentialBase", exponentialBase,
            "finite and >= 1")
        try ResilienceConfigurationError.check(
            maxRateLimitWait >= .zero, name, "maxRateLimitWait", maxRateLimitWait, ">= 0")
        if let deadline {
            try ResilienceConfigurationError.check(deadline >= .zero, name, "deadline", deadline, ">= 0 or nil")
        }
    }

    /// The exponential envelope of a retry's delay: `min(maxDelay, baseDelay · exponentialBase^(attempt−1))`.
    ///
    /// Never overflows: past the cap (including `attempt == Int.max`) it is exactly ``maxDelay``.
    ///
    /// - Parameter attempt: the retry's number, 1 for the first retry (values below 1 count as 1).
    /// - Returns: the capped envelope.
    public func envelope(forAttempt attempt: Int) -> Duration {
        let exponent = Double(max(1, attempt) - 1)
        let factor = Foundation.pow(exponentialBase, exponent)
        let base = baseDelay.inSeconds
        guard base > 0 else { return .zero }
        let raw = base * factor
        guard raw.isFinite, raw < maxDelay.inSeconds else { return maxDelay }
        return min(maxDelay, baseDelay * factor)
    }

    /// The delay before a retry, drawn according to ``jitter``; never more than ``maxDelay``.
    ///
    /// - Parameters:
    ///   - attempt: the retry's number, 1 for the first retry.
    ///   - previousDelay: the previous retry's delay (used by ``Jitter/decorrelated``); nil for the first.
    ///   - random: the source of randomness, e.g. a ``SeededRandomNumberGenerator`` in tests.
    /// - Returns: the delay.
    public func delay(
        forAttempt attempt: Int,
        previousDelay: Duration?,
        using random: inout some RandomNumberGenerator
    ) -> Duration {
        switch jitter {
        case .none:
            return envelope(forAttempt: attempt)
        case .full:
            let top = envelope(forAttempt: attempt).inSeconds
            return clamped(Double.random(in: 0...top, using: &random))
        case .equal:
            let half = envelope(forAttempt: attempt).inSeconds / 2
            return clamped(half + Double.random(in: 0...half, using: &random))
        case .decorrelated:
            let cap = maxDelay.inSeconds
            let base = min(baseDelay.inSeconds, cap)
            let previous = (previousDelay ?? baseDelay).inSeconds
            let upper = max(base, min(cap, previous * 3))
            return clamped(Double.random(in: base...upper, using: &random))
        }
    }

    /// A drawn number of seconds as a duration, never above the cap (guards float rounding only).
    private func clamped(_ seconds: Double) -> Duration {
        guard seconds.isFinite, seconds > 0 else { return .zero }
        return min(maxDelay, .seconds(seconds))
    }
}
