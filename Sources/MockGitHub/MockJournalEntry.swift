/// One line of the request journal (NDJSON, keys sorted).
///
/// Everything in it derives from the request, the seed and the virtual clock, so the same fixture,
/// seed and request sequence give a byte-identical journal (wall time and durations are left out).
public struct MockJournalEntry: Codable, Sendable, Equatable {
    /// Rate-limit accounting of the request.
    public struct Rate: Codable, Sendable, Equatable {
        /// Bucket name, e.g. `core`.
        public var resource: String
        /// Remaining before the request.
        public var before: Int
        /// Remaining after the request.
        public var after: Int
        /// Whether it was counted.
        public var counted: Bool
    }

    /// Sequence number from 1.
    public var seq: Int
    /// Virtual time in milliseconds since 1970.
    public var vt: Int
    /// `X-GitHub-Request-Id` served.
    public var requestId: String
    /// Connection id given by the transport.
    public var connection: Int
    /// Method.
    public var method: String
    /// Path without query.
    public var path: String
    /// Raw query (without `?`).
    public var query: String
    /// Selected request headers; `authorization` is reduced to the token's id.
    public var headers: [String: String]
    /// FNV-1a hash of the body's first 64 KiB mixed with its length, hex.
    public var bodyHash: String
    /// Body size.
    public var bodyBytes: Int
    /// Status served.
    public var status: Int
    /// Selected response headers (`etag`, `link`, `location`, `retry-after`, `x-ratelimit-*`).
    public var responseHeaders: [String: String]
    /// Rate-limit accounting.
    public var rate: Rate
    /// Secondary-limit accounting: points charged and requests in flight.
    public var secondary: [String: Int]
    /// Fault rule that fired, if any.
    public var fault: String?
}

/// A client-compliance finding in the violations report.
public struct MockViolation: Codable, Sendable, Equatable {
    /// Rule name, e.g. `retry-before-retry-after`.
    public var rule: String
    /// Token id (or `anonymous`).
    public var token: String
    /// Journal sequence numbers involved.
    public var seq: [Int]
    /// Virtual time in milliseconds.
    public var vt: Int
    /// What the client did wrong and what to do instead.
    public var message: String
}
