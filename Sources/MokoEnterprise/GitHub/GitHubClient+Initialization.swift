import Foundation
import Logging

extension GitHubClient {
    /// The `User-Agent` sent when none is given.
    public static let defaultUserAgent = "MokoEnterprise-GitHubClient/1.0"

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - token: the token; `nil` reads `GITHUB_TOKEN`, then `GH_TOKEN`, from `environment`. With no
    ///     token anywhere (or an empty one) requests are unauthenticated (60 per hour).
    ///   - baseURL: the API root; `nil` reads `GITHUB_API_URL` from `environment`, else
    ///     `https://api.github.com`. Point it at the mock server in tests.
    ///   - cache: the ETag cache; pass `nil` to disable conditional requests.
    ///   - logger: where the client logs method, path and status (never the token).
    ///   - transport: how requests are sent; `nil` for a ``URLSessionTransport``.
    ///   - clock: the clock every wait (rate-limit reset, backoff, breaker) goes through.
    ///   - wallClock: the calendar clock compared with `X-RateLimit-Reset`.
    ///   - environment: the environment to read; defaults to the process environment.
    ///   - requestTimeout: the timeout of each HTTP exchange.
    ///   - userAgent: the `User-Agent` header.
    ///   - maxRateLimitWaits: most consecutive waits for a rate-limit reset within one request.
    /// - Throws: ``GitHubClientError`` (`.invalidBaseURL`) when the base URL is not absolute http(s).
    public convenience init(
        token: String? = nil,
        baseURL: URL? = nil,
        cache: ETagCache? = ETagCache(),
        logger: Logger = Logger(label: "moko.github"),
        transport: (any HTTPTransport)? = nil,
        clock: some Clock<Duration> = ContinuousClock(),
        wallClock: any WallClock = SystemWallClock(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        requestTimeout: Duration = .seconds(30),
        userAgent: String = GitHubClient.defaultUserAgent,
        maxRateLimitWaits: Int = 3
    ) throws {
        try self.init(
            token: token, baseURL: baseURL, cache: cache, transport: transport, requestTimeout: requestTimeout,
            userAgent: userAgent, maxRateLimitWaits: maxRateLimitWaits, logger: logger, environment: environment,
            resilience: GitHubClientResilience(), clock: clock, wallClock: wallClock)
    }
}
