import Foundation

/// The rate-limit state the last GitHub response reported in its `X-RateLimit-*` headers.
public struct GitHubRateLimitSnapshot: Sendable, Hashable {
    /// Requests allowed per window (`X-RateLimit-Limit`).
    public var limit: Int?
    /// Requests left in the window (`X-RateLimit-Remaining`).
    public var remaining: Int
    /// Requests used in the window (`X-RateLimit-Used`).
    public var used: Int?
    /// When the window resets (`X-RateLimit-Reset`, UTC epoch seconds).
    public var reset: Date
    /// The bucket, e.g. `core` (`X-RateLimit-Resource`).
    public var resource: String?

    /// Creates a snapshot.
    public init(limit: Int?, remaining: Int, used: Int?, reset: Date, resource: String?) {
        self.limit = limit
        self.remaining = remaining
        self.used = used
        self.reset = reset
        self.resource = resource
    }

    /// Reads the `X-RateLimit-*` headers; `nil` when `Remaining` or `Reset` is missing or not a number.
    ///
    /// - Parameter headers: response headers.
    /// - Returns: the snapshot, or `nil`.
    public init?(headers: HTTPHeaderFields) {
        guard let remainingText = headers["x-ratelimit-remaining"], let remaining = Int(remainingText),
            let resetText = headers["x-ratelimit-reset"], let reset = Double(resetText)
        else { return nil }
        self.init(
            limit: headers["x-ratelimit-limit"].flatMap { Int($0) },
            remaining: remaining,
            used: headers["x-ratelimit-used"].flatMap { Int($0) },
            reset: Date(timeIntervalSince1970: reset),
            resource: headers["x-ratelimit-resource"]
        )
    }
}
