/// A retried operation failed and the retry loop stopped trying.
///
/// It carries the last error (the operation's own failure), how many calls were made and how long
/// the loop slept in total. Errors the classifier deems permanent are rethrown as they are, not
/// wrapped: this error means "it kept failing", not "it was refused".
///
/// ```swift
/// do {
///     try await retryWithBackoff(policy: .conservative) { try await api.fetch() }
/// } catch let exhausted as RetryExhaustedError {
///     log("gave up after \(exhausted.attempts) calls: \(exhausted.lastError)")
/// }
/// ```
public struct RetryExhaustedError: Error, Sendable, CustomStringConvertible {
    /// Why the loop stopped.
    public enum Reason: Sendable, Hashable {
        /// The policy's `maxRetries` retries were used up.
        case maxRetriesReached
        /// The next sleep would have ended past the policy's overall deadline.
        case deadlineExceeded
        /// The shared ``RetryBudget`` had no tokens left: the service is failing for many callers.
        case budgetExhausted
        /// The server asked for a wait longer than the policy's `maxRateLimitWait`; retrying any
        /// sooner would be refused again (and GitHub penalises it). `required` is the requested wait.
        case rateLimitWaitTooLong(required: Duration)
    }

    /// Why the loop stopped.
    public var reason: Reason
    /// The number of calls made, the first one included.
    public var attempts: Int
    /// The sum of the delays slept between calls.
    public var totalDelay: Duration
    /// The error the last call threw.
    public var lastError: any Error

    /// Creates the error.
    ///
    /// - Parameters:
    ///   - reason: why the loop stopped.
    ///   - attempts: the number of calls made.
    ///   - totalDelay: the delays slept between calls.
    ///   - lastError: the last call's error.
    public init(reason: Reason, attempts: Int, totalDelay: Duration, lastError: any Error) {
        self.reason = reason
        self.attempts = attempts
        self.totalDelay = totalDelay
        self.lastError = lastError
    }

    /// A sentence naming the reason, the attempts, the total delay and the last error.
    public var description: String {
        let why: String
        switch reason {
        case .maxRetriesReached: why = "no retries left"
        case .deadlineExceeded: why = "the next wait would pass the deadline"
        case .budgetExhausted: why = "the shared retry budget is exhausted"
        case .rateLimitWaitTooLong(let required): why = "the server asked to wait \(required), longer than allowed"
        }
        return "gave up after \(attempts) attempt(s) and \(totalDelay) of backoff (\(why)); last error: \(lastError)"
    }
}
