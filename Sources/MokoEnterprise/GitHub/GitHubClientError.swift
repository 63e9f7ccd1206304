import Foundation

/// A GitHub client failure that is not an HTTP error status: bad configuration, an undecodable body, a
/// redirect loop, or a rate limit that stayed exhausted.
public struct GitHubClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// The base URL is not an absolute http(s) URL.
        case invalidBaseURL
        /// An argument (owner, repo, branch ...) is empty or contains a `/`, `?` or `#`.
        case invalidArgument
        /// The body could not be decoded as the expected type.
        case decodingFailed
        /// The request body could not be encoded.
        case encodingFailed
        /// More than the allowed number of redirects, or a redirect without `Location`.
        case redirectFailed
        /// The rate limit was still exhausted after the allowed number of waits for its reset.
        case rateLimitStillExhausted
    }

    /// The kind of failure.
    public var kind: Kind
    /// What went wrong and what to do about it.
    public var message: String

    /// Creates a client error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

extension GitHubClientError: RetryClassifiableError {
    /// Never retried: bad arguments, undecodable bodies and redirect loops fail the same way again, and a
    /// rate limit that stayed exhausted has already been waited for.
    public func retryDecision(now: Date) -> RetryDecision { .doNotRetry }
}
