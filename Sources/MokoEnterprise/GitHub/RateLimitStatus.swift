import Foundation

/// The caller's rate-limit buckets, as `GET /rate_limit` returns them (that call costs no quota).
public struct RateLimitStatus: Codable, Sendable, Hashable {
    /// One bucket: its size, what is used and left, and when it resets.
    public struct Bucket: Codable, Sendable, Hashable {
        /// Requests allowed per window.
        public var limit: Int
        /// Requests used in the current window.
        public var used: Int
        /// Requests left in the current window.
        public var remaining: Int
        /// When the window resets, in UTC epoch seconds.
        public var reset: Int

        /// When the window resets, as a date.
        public var resetDate: Date { Date(timeIntervalSince1970: TimeInterval(reset)) }

        /// Creates a bucket.
        public init(limit: Int, used: Int, remaining: Int, reset: Int) {
            self.limit = limit
            self.used = used
            self.remaining = remaining
            self.reset = reset
        }
    }

    /// Every bucket by resource name (`core`, `search`, `graphql` ...).
    public var resources: [String: Bucket]

    /// The `core` bucket, which ordinary REST calls spend.
    public var core: Bucket? { resources["core"] }

    /// The `search` bucket.
    public var search: Bucket? { resources["search"] }

    /// Creates a status.
    public init(resources: [String: Bucket]) { self.resources = resources }
}
