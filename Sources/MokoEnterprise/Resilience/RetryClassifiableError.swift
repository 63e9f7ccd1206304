import Foundation

/// An error that knows whether the operation that threw it is worth retrying.
///
/// The default ``RetryClassifier`` asks such an error first, before looking at its type. Conform
/// your own error types when only they know, for instance a queue client whose "throttled" error
/// carries a back-off hint:
///
/// ```swift
/// struct QueueThrottled: RetryClassifiableError {
///     var backOff: Duration
///     func retryDecision(now: Date) -> RetryDecision { .retryAfter(backOff) }
/// }
/// ```
public protocol RetryClassifiableError: Error {
    /// The decision for this error.
    ///
    /// - Parameter now: the current calendar date, for errors that carry an absolute reset time.
    /// - Returns: whether (and when) the failed operation should be tried again.
    func retryDecision(now: Date) -> RetryDecision
}
