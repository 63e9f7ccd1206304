/// How fast a client may call an API: an hourly quota, a burst allowance, and response caching.
///
/// The curriculum's `RateLimitConfig`, with GitHub's numbers as defaults:
///
/// ```swift
/// let config = RateLimitConfig(maxRequestsPerHour: 5000, burstSize: 100, enableCaching: true, cacheTTL: .seconds(300))
/// let limiter = try RateLimiter(config: config)
/// ```
///
/// A ``RateLimiter`` enforces the quota as a token bucket holding ``burstSize`` tokens, refilled at
/// `maxRequestsPerHour / 3600` tokens per second. The caching settings are read by the HTTP client.
public struct RateLimitConfig: Sendable, Hashable {
    /// The sustained rate: requests per hour (GitHub: 5,000 for a user token).
    public var maxRequestsPerHour: Int
    /// The bucket's capacity: requests that may go at once after a quiet period.
    public var burstSize: Int
    /// Whether the client caches responses (with ETags, so that revalidations cost no quota).
    public var enableCaching: Bool
    /// How long a cached response is served without revalidation.
    public var cacheTTL: Duration
    /// The share of the server's quota kept in reserve once the server has reported it: acquisitions
    /// wait for the reset when `remaining` would fall below `limit × serverReserveFraction`.
    public var serverReserveFraction: Double

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - maxRequestsPerHour: the sustained rate (≥ 1).
    ///   - burstSize: the bucket's capacity (≥ 1).
    ///   - enableCaching: whether the client caches responses.
    ///   - cacheTTL: how long a cached response is fresh.
    ///   - serverReserveFraction: the share of the server quota kept in reserve (0 ..< 1).
    public init(
        maxRequestsPerHour: Int = 5_000,
        burstSize: Int = 100,
        enableCaching: Bool = true,
        cacheTTL: Duration = .seconds(300),
        serverReserveFraction: Double = 0.05
    ) {
        self.maxRequestsPerHour = maxRequestsPerHour
        self.burstSize = burstSize
        self.enableCaching = enableCaching
        self.cacheTTL = cacheTTL
        self.serverReserveFraction = serverReserveFraction
    }

    /// GitHub's primary limit for an authenticated user: 5,000 per hour, bursts of 100, caching on.
    public static let github = RateLimitConfig()

    /// The time it takes to earn one token: one hour divided by ``maxRequestsPerHour``.
    public var refillInterval: Duration {
        .seconds(3_600) / max(1, maxRequestsPerHour)
    }

    /// Checks every setting; ``RateLimiter`` calls it on creation.
    ///
    /// - Throws: ``ResilienceConfigurationError`` naming the first invalid setting.
    public func validate() throws(ResilienceConfigurationError) {
        let name = "RateLimitConfig"
        try ResilienceConfigurationError.check(
            maxRequestsPerHour >= 1, name, "maxRequestsPerHour", maxRequestsPerHour, ">= 1")
        try ResilienceConfigurationError.check(burstSize >= 1, name, "burstSize", burstSize, ">= 1")
        try ResilienceConfigurationError.check(cacheTTL >= .zero, name, "cacheTTL", cacheTTL, ">= 0")
        try ResilienceConfigurationError.check(
            serverReserveFraction >= 0 && serverReserveFraction < 1, name, "serverReserveFraction",
            serverReserveFraction, "in 0 ..< 1")
    }
}
