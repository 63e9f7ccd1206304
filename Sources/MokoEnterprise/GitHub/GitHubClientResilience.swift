/// The resilience wiring of a ``GitHubClient``: retry, circuit breaker and rate limiter, in that order
/// from the outside in.
struct GitHubClientResilience: Sendable {
    /// Runs `operation` under the retry policy.
    func retrying<T: Sendable>(
        clock: any Clock<Duration>, _ operation: @Sendable () async throws -> T
    ) async throws -> T {
        try await operation()
    }

    /// Runs `operation` through the circuit breaker.
    func guarded<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        try await operation()
    }

    /// Takes one permit from the rate limiter, waiting through the clock when none is left.
    func acquirePermit(clock: any Clock<Duration>) async throws {}

    /// Feeds the server's view of the quota to the rate limiter.
    func synchronize(with snapshot: GitHubRateLimitSnapshot) {}
}
