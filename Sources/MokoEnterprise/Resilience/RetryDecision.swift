/// What a retry loop should do after an attempt failed with a given error.
///
/// A ``RetryClassifier`` turns an error into a decision; an error type can also state its own
/// decision by conforming to ``RetryClassifiableError``.
///
/// ```swift
/// switch RetryClassifier.default.decision(for: error, now: Date()) {
/// case .retry: print("transient: back off and try again")
/// case .retryAfter(let wait): print("the server asked us to wait \(wait)")
/// case .doNotRetry: print("permanent: report it")
/// }
/// ```
public enum RetryDecision: Sendable, Hashable {
    /// The failure is transient: wait the policy's backoff delay, then try again.
    case retry
    /// The server said when to come back (`Retry-After`, `x-ratelimit-reset`): wait exactly this
    /// long, then try again.
    case retryAfter(Duration)
    /// The failure is permanent (validation, authentication, not found, cancellation): give up now
    /// and rethrow the error.
    case doNotRetry
}
