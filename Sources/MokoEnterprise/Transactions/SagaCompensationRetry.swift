/// How often a failing compensation is retried before it is dead-lettered, and how long to wait between
/// attempts (exponential backoff, capped, no jitter).
///
/// The wait before attempt *n + 1* is `min(initialDelay × multiplier^(n−1), maxDelay)`.
public struct SagaCompensationRetry: Sendable, Hashable {
    /// Total attempts, the first included (at least 1).
    public var maxAttempts: Int
    /// The wait after the first failed attempt.
    public var initialDelay: Duration
    /// The factor applied to the wait after each further failure (at least 1).
    public var multiplier: Double
    /// The longest wait.
    public var maxDelay: Duration

    /// Creates a policy; out-of-range values are clamped (`maxAttempts` ≥ 1, delays ≥ 0, `multiplier` ≥ 1).
    public init(
        maxAttempts: Int = 3,
        initialDelay: Duration = .milliseconds(200),
        multiplier: Double = 2,
        maxDelay: Duration = .seconds(5)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = max(.zero, initialDelay)
        self.multiplier = max(1, multiplier)
        self.maxDelay = max(.zero, maxDelay)
    }

    /// Three attempts, waiting 200 ms then 400 ms.
    public static let `default` = SagaCompensationRetry()

    /// One attempt: a failing compensation goes straight to the dead-letter sink.
    public static let none = SagaCompensationRetry(maxAttempts: 1)

    /// The wait after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int) -> Duration {
        var delay = initialDelay
        var remaining = max(0, attempt - 1)
        while remaining > 0 && delay < maxDelay {
            delay = delay * multiplier
            remaining -= 1
        }
        return min(delay, maxDelay)
    }
}
