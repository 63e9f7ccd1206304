/// What a retry loop reports to its `onRetry` hook just before it sleeps: for logging and metrics.
public struct RetryEvent: Sendable {
    /// The number of the retry about to happen: 1 before the second call, 2 before the third, ...
    public var attempt: Int
    /// The error the previous call threw.
    public var error: any Error
    /// How long the loop will sleep before the retry.
    public var delay: Duration
    /// The sum of the delays slept so far, this one included.
    public var totalDelay: Duration
    /// Whether the delay was requested by the server (`Retry-After`, rate-limit reset) rather than
    /// computed by the backoff formula.
    public var isServerRequested: Bool

    /// Creates an event.
    ///
    /// - Parameters:
    ///   - attempt: the number of the retry about to happen (1-based).
    ///   - error: the error the previous call threw.
    ///   - delay: the sleep before the retry.
    ///   - totalDelay: the delays slept so far, this one included.
    ///   - isServerRequested: whether the server chose the delay.
    public init(attempt: Int, error: any Error, delay: Duration, totalDelay: Duration, isServerRequested: Bool) {
        self.attempt = attempt
        self.error = error
        self.delay = delay
        self.totalDelay = totalDelay
        self.isServerRequested = isServerRequested
    }
}
