/// The resilience wiring of a ``GitHubClient``: retry outside, then the circuit breaker, then the rate
/// limiter, then the transport (patterns.md §4's order).
struct GitHubClientResilience: Sendable {
    /// Retries idempotent requests: 5xx, transport failures and rate limits.
    let retryPolicy: RetryPolicy
    /// Retries `POST`s only when the server certainly did not act on them (rate limits), never after a 5xx
    /// or a lost connection, so a create is never duplicated.
    let nonIdempotentRetryPolicy: RetryPolicy
    /// Stops calling GitHub while it keeps failing.
    let breaker: CircuitBreaker
    /// The local token bucket, synchronised with `X-RateLimit-*`.
    let limiter: RateLimiter

    init(retryPolicy: RetryPolicy, breaker: CircuitBreaker, limiter: RateLimiter) {
        self.retryPolicy = retryPolicy
        var cautious = retryPolicy
        let base = retryPolicy.classifier
        cautious.classifier = RetryClassifier { error, now in
            if let response = error as? GitHubAPIError, response.isRateLimited {
                return base.decision(for: error, now: now)
            }
            return .doNotRetry
        }
        self.nonIdempotentRetryPolicy = cautious
        self.breaker = breaker
        self.limiter = limiter
    }

    /// The policy for `method`.
    func policy(for method: String) -> RetryPolicy {
        method == "POST" ? nonIdempotentRetryPolicy : retryPolicy
    }
}
