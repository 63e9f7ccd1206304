import Crypto
import Foundation
import Logging
import Synchronization

/// A rate-limited, caching, resilient client for the GitHub REST API (version `2022-11-28`).
///
/// Every request goes through the same pipeline: retry (5xx, transport errors, honouring `Retry-After`
/// and `X-RateLimit-Reset`) → circuit breaker → rate limiter → the transport with a per-request timeout.
/// GETs use the ETag cache: `If-None-Match` is sent when an entry exists, and a `304` reuses the cached
/// body, counts as a hit and costs no quota. When GitHub reports the quota exhausted, the client waits
/// through its clock until the reset instead of failing. Lists are `AsyncSequence`s that follow
/// `Link rel="next"` one page at a time.
///
/// ```swift
/// let client = try GitHubClient()                 // GITHUB_TOKEN / GITHUB_API_URL from the environment
/// for try await repo in client.listRepos(org: "octo-org") {
///     print(repo.fullName)
/// }
/// print(client.getCacheStats())
/// ```
///
/// The token is sent only in the `Authorization` header of requests to the base URL's host; it is never
/// logged, never part of an error, and never a cache key (a digest is).
public final class GitHubClient: Sendable {
    /// The REST API version sent as `X-GitHub-Api-Version`.
    public static let apiVersion = "2022-11-28"
    /// The default API root.
    public static let defaultBaseURL = "https://api.github.com"

    /// The API root every path is resolved against.
    public let baseURL: URL
    /// The `User-Agent` sent with every request.
    public let userAgent: String
    /// The timeout of each HTTP exchange.
    public let requestTimeout: Duration
    /// Whether requests carry credentials.
    public var isAuthenticated: Bool { authorization != nil }

    let authorization: String?
    let identity: String
    let baseString: String
    let baseHost: String?
    let transport: any HTTPTransport
    let clock: GitHubClientClock
    let wallClock: any WallClock
    let logger: Logger
    let cache: ETagCache?
    let quota = Mutex<GitHubRateLimitSnapshot?>(nil)
    let resilience: GitHubClientResilience
    /// Most consecutive waits for a rate-limit reset in one request before giving up.
    let maxRateLimitWaits: Int
    /// The least time between two mutating requests.
    public let mutationSpacing: Duration
    let lastMutation = Mutex<GitHubClientClock.Instant?>(nil)

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - token: the token; `nil` reads `GITHUB_TOKEN`, then `GH_TOKEN`, from `environment`; an empty
    ///     string (or no token anywhere) makes unauthenticated requests (60 per hour).
    ///   - baseURL: the API root; `nil` reads `GITHUB_API_URL`, else `https://api.github.com`.
    ///   - cache: the ETag cache; `nil` disables conditional requests.
    ///   - transport: how requests are sent; defaults to ``URLSessionTransport``.
    ///   - requestTimeout: the timeout of each HTTP exchange.
    ///   - userAgent: the `User-Agent` header (GitHub rejects requests without one).
    ///   - maxRateLimitWaits: most consecutive waits for a rate-limit reset in one request.
    ///   - mutationSpacing: the least time between two mutating requests.
    ///   - logger: where the client logs (method, path, status; never the token).
    ///   - environment: the environment to read `GITHUB_TOKEN`, `GH_TOKEN` and `GITHUB_API_URL` from.
    ///   - resilience: the retry, breaker and limiter wiring.
    ///   - clock: the clock every wait goes through.
    ///   - wallClock: the calendar clock compared with `X-RateLimit-Reset`.
    /// - Throws: ``GitHubClientError`` (`.invalidBaseURL`) when the base URL is not absolute http(s).
    init(
        token: String?,
        baseURL: URL?,
        cache: ETagCache?,
        transport: (any HTTPTransport)?,
        requestTimeout: Duration,
        userAgent: String,
        maxRateLimitWaits: Int,
        mutationSpacing: Duration,
        logger: Logger,
        environment: [String: String],
        resilience: GitHubClientResilience,
        clock: GitHubClientClock,
        wallClock: any WallClock
    ) throws {
        let resolvedToken = token ?? environment["GITHUB_TOKEN"] ?? environment["GH_TOKEN"]
        let base: URL
        if let baseURL {
            base = baseURL
        } else if let fromEnvironment = environment["GITHUB_API_URL"], !fromEnvironment.isEmpty {
            guard let url = URL(string: fromEnvironment) else {
                throw GitHubClientError(
                    .invalidBaseURL, "GITHUB_API_URL '\(fromEnvironment)' is not a URL; use e.g. https://api.github.com"
                )
            }
            base = url
        } else {
            base = URL(string: Self.defaultBaseURL) ?? URL(fileURLWithPath: "/")
        }
        guard let scheme = base.scheme?.lowercased(), scheme == "http" || scheme == "https", base.host != nil else {
            throw GitHubClientError(
                .invalidBaseURL,
                "base URL '\(base.absoluteString)' must be an absolute http(s) URL such as https://api.github.com")
        }
        self.baseURL = base
        var root = base.absoluteString
        while root.hasSuffix("/") { root.removeLast() }
        self.baseString = root
        self.baseHost = base.host?.lowercased()
        if let resolvedToken, !resolvedToken.isEmpty {
            authorization = "Bearer \(resolvedToken)"
            let digest = SHA256.hash(data: Data(resolvedToken.utf8))
            identity = "token:" + digest.prefix(12).map { String(format: "%02x", $0) }.joined()
        } else {
            authorization = nil
            identity = "anonymous"
        }
        self.cache = cache
        self.transport = transport ?? URLSessionTransport(defaultTimeout: requestTimeout)
        self.requestTimeout = requestTimeout
        self.userAgent = userAgent
        self.maxRateLimitWaits = max(0, maxRateLimitWaits)
        self.mutationSpacing = max(.zero, mutationSpacing)
        self.logger = logger
        self.resilience = resilience
        self.clock = clock
        self.wallClock = wallClock
    }

    /// The ETag cache's counters: hits (304s), misses, hit rate, entries, requests saved.
    ///
    /// - Returns: the statistics; all zero when caching is disabled.
    public func getCacheStats() -> ETagCache.Statistics {
        cache?.statistics ?? ETagCache.Statistics()
    }

    /// Drops every cached response.
    public func clearCache() {
        cache?.removeAll()
    }

    /// The rate-limit state reported by the most recent response, or `nil` before the first one.
    public var lastRateLimit: GitHubRateLimitSnapshot? { quota.withLock { $0 } }
}
