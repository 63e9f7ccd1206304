import Foundation
import Logging

extension GitHubClient {
    /// The `User-Agent` sent when none is given.
    public static let defaultUserAgent = "MokoEnterprise-GitHubClient/1.0"

    /// Creates a client.
    ///
    /// ```swift
    /// // Production: token and API root from GITHUB_TOKEN / GITHUB_API_URL.
    /// let client = try GitHubClient(rateLimitConfig: RateLimitConfig(maxRequestsPerHour: 1000))
    ///
    /// // Tests: the mock server in-process and one manual clock for every wait.
    /// let clock = ManualClock()
    /// let client = try GitHubClient(token: token, transport: MockGitHubTransport(mock: mock), clock: clock)
    /// ```
    ///
    /// - Parameters:
    ///   - token: the token; `nil` reads `GITHUB_TOKEN`, then `GH_TOKEN`, from `environment`. With no
    ///     token anywhere (or an empty one) requests are unauthenticated (60 per hour).
    ///   - baseURL: the API root; `nil` reads `GITHUB_API_URL` from `environment`, else
    ///     `https://api.github.com`.
    ///   - rateLimitConfig: the local token bucket (synchronised with GitHub's `X-RateLimit-*` headers)
    ///     and the cache settings: `enableCaching` turns the ETag cache on, `cacheTTL` is how long an
    ///     entry may go unused before it is dropped. Cached entries are always revalidated with
    ///     `If-None-Match` before use, so a read is never stale.
    ///   - retryPolicy: retries of 5xx, transport failures and rate limits; its `wallClock` is replaced
    ///     by this client's. `POST`s are retried only after rate limits, never after a 5xx or a lost
    ///     connection, so creates are not duplicated. `maxRetries: 0` turns retries off: errors then come as
    ///     they are (a 5xx ``GitHubAPIError``, an ``HTTPTransportError``) for the caller's own retry loop.
    ///   - circuitBreaker: the breaker around every request; `nil` creates one named `github`
    ///     (5 consecutive failures open it for 60 s) on `clock`. Share one between clients to share state.
    ///   - logger: where the client logs method, path and status (never the token).
    ///   - transport: how requests are sent; `nil` for a ``URLSessionTransport``.
    ///   - clock: the clock every wait (rate-limit reset, backoff, limiter) goes through.
    ///   - wallClock: the calendar clock compared with `X-RateLimit-Reset`; `nil` uses `clock` when it is a
    ///     ``WallClock`` (a `ManualClock`), else the system's.
    ///   - environment: the environment to read; defaults to the process environment.
    ///   - requestTimeout: the timeout of each HTTP exchange (enforced by the transport).
    ///   - userAgent: the `User-Agent` header.
    ///   - maxRateLimitWaits: most consecutive waits for a rate-limit reset within one request before
    ///     ``GitHubClientError/Kind/rateLimitStillExhausted``.
    ///   - mutationSpacing: the least time between two mutating requests (GitHub asks for one second);
    ///     waits go through `clock`. `.zero` turns pacing off.
    /// - Throws: ``GitHubClientError`` (`.invalidBaseURL`) when the base URL is not absolute http(s), or
    ///   ``ResilienceConfigurationError`` for an invalid rate-limit configuration.
    public convenience init(
        token: String? = nil,
        baseURL: URL? = nil,
        rateLimitConfig: RateLimitConfig = .github,
        retryPolicy: RetryPolicy = .default,
        circuitBreaker: CircuitBreaker? = nil,
        logger: Logger = Logger(label: "moko.github"),
        transport: (any HTTPTransport)? = nil,
        clock: some Clock<Duration> = ContinuousClock(),
        wallClock: (any WallClock)? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        requestTimeout: Duration = .seconds(30),
        userAgent: String = GitHubClient.defaultUserAgent,
        maxRateLimitWaits: Int = 3,
        mutationSpacing: Duration = .seconds(1)
    ) throws {
        let calendar = wallClock ?? (clock as? any WallClock) ?? SystemWallClock()
        var policy = retryPolicy
        policy.wallClock = calendar
        let breaker = try circuitBreaker ?? CircuitBreaker(name: "github", clock: clock, wallClock: calendar)
        let limiter = try RateLimiter(config: rateLimitConfig, clock: clock, wallClock: calendar)
        let cache =
            rateLimitConfig.enableCaching
            ? ETagCache(timeToLive: rateLimitConfig.cacheTTL > .zero ? rateLimitConfig.cacheTTL : nil) : nil
        try self.init(
            token: token, baseURL: baseURL, cache: cache, transport: transport, requestTimeout: requestTimeout,
            userAgent: userAgent, maxRateLimitWaits: maxRateLimitWaits, mutationSpacing: mutationSpacing,
            logger: logger, environment: environment,
            resilience: GitHubClientResilience(retryPolicy: policy, breaker: breaker, limiter: limiter),
            clock: GitHubClientClock(clock),
            wallClock: calendar)
    }

    /// The circuit breaker every request goes through (to read its state or subscribe to its changes).
    public var circuitBreaker: CircuitBreaker { resilience.breaker }

    /// The local rate limiter (to read its status).
    public var rateLimiter: RateLimiter { resilience.limiter }
}
