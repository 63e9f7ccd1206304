/// Runs `operation`, retrying transient failures with exponential backoff and jitter.
///
/// The curriculum's `retry_with_backoff`, as a function:
///
/// ```swift
/// let data = try await retryWithBackoff(maxRetries: 3, baseDelay: .seconds(1)) {
///     try await fetchData(from: url)
/// }
/// ```
///
/// The first retry waits up to `baseDelay`, each next one up to `exponentialBase` times more, never
/// more than `maxDelay`. Errors are classified by ``RetryClassifier/default``.
///
/// - Parameters:
///   - maxRetries: retries after the first call.
///   - baseDelay: the first retry's envelope.
///   - maxDelay: the envelope's cap (applied before jitter).
///   - exponentialBase: the envelope's growth factor per retry.
///   - jitter: how delays are randomised.
///   - clock: the clock to sleep on (a `ManualClock` in tests).
///   - isolation: the caller's actor, inherited so that `operation` needs not be `Sendable`.
///   - operation: the work to attempt.
/// - Returns: the operation's first successful result.
/// - Throws: see ``RetryPolicy/run(clock:random:isolation:onRetry:_:)``.
public func retryWithBackoff<Result, C: Clock<Duration>>(
    maxRetries: Int = 3,
    baseDelay: Duration = .seconds(1),
    maxDelay: Duration = .seconds(60),
    exponentialBase: Double = 2,
    jitter: RetryPolicy.Jitter = .full,
    clock: C,
    isolation: isolated (any Actor)? = #isolation,
    _ operation: () async throws -> Result
) async throws -> Result {
    let policy = RetryPolicy(
        maxRetries: maxRetries,
        baseDelay: baseDelay,
        maxDelay: maxDelay,
        exponentialBase: exponentialBase,
        jitter: jitter
    )
    return try await policy.run(clock: clock, operation)
}

/// Runs `operation`, retrying transient failures with exponential backoff and jitter, sleeping on the
/// system's `ContinuousClock`.
///
/// - Parameters:
///   - maxRetries: retries after the first call.
///   - baseDelay: the first retry's envelope.
///   - maxDelay: the envelope's cap (applied before jitter).
///   - exponentialBase: the envelope's growth factor per retry.
///   - jitter: how delays are randomised.
///   - isolation: the caller's actor, inherited so that `operation` needs not be `Sendable`.
///   - operation: the work to attempt.
/// - Returns: the operation's first successful result.
/// - Throws: see ``RetryPolicy/run(clock:random:isolation:onRetry:_:)``.
public func retryWithBackoff<Result>(
    maxRetries: Int = 3,
    baseDelay: Duration = .seconds(1),
    maxDelay: Duration = .seconds(60),
    exponentialBase: Double = 2,
    jitter: RetryPolicy.Jitter = .full,
    isolation: isolated (any Actor)? = #isolation,
    _ operation: () async throws -> Result
) async throws -> Result {
    try await retryWithBackoff(
        maxRetries: maxRetries,
        baseDelay: baseDelay,
        maxDelay: maxDelay,
        exponentialBase: exponentialBase,
        jitter: jitter,
        clock: ContinuousClock(),
        operation
    )
}

/// Runs `operation` with a ``RetryPolicy``, sleeping on `clock`.
///
/// ```swift
/// let repo = try await retryWithBackoff(policy: .aggressive, clock: clock, onRetry: { event in
///     logger.warning("retry \(event.attempt) in \(event.delay): \(event.error)")
/// }) {
///     try await client.getRepo("mokoconsulting/lab")
/// }
/// ```
///
/// - Parameters:
///   - policy: the retry policy.
///   - clock: the clock to sleep on (a `ManualClock` in tests).
///   - isolation: the caller's actor, inherited so that `operation` needs not be `Sendable`.
///   - onRetry: called before each sleep with the attempt number, the error and the chosen delay.
///   - operation: the work to attempt.
/// - Returns: the operation's first successful result.
/// - Throws: see ``RetryPolicy/run(clock:random:isolation:onRetry:_:)``.
public func retryWithBackoff<Result, C: Clock<Duration>>(
    policy: RetryPolicy,
    clock: C,
    isolation: isolated (any Actor)? = #isolation,
    onRetry: (RetryEvent) -> Void = { _ in },
    _ operation: () async throws -> Result
) async throws -> Result {
    try await policy.run(clock: clock, onRetry: onRetry, operation)
}

/// Runs `operation` with a ``RetryPolicy``, sleeping on the system's `ContinuousClock`.
///
/// - Parameters:
///   - policy: the retry policy.
///   - isolation: the caller's actor, inherited so that `operation` needs not be `Sendable`.
///   - onRetry: called before each sleep with the attempt number, the error and the chosen delay.
///   - operation: the work to attempt.
/// - Returns: the operation's first successful result.
/// - Throws: see ``RetryPolicy/run(clock:random:isolation:onRetry:_:)``.
public func retryWithBackoff<Result>(
    policy: RetryPolicy,
    isolation: isolated (any Actor)? = #isolation,
    onRetry: (RetryEvent) -> Void = { _ in },
    _ operation: () async throws -> Result
) async throws -> Result {
    try await policy.run(clock: ContinuousClock(), onRetry: onRetry, operation)
}
