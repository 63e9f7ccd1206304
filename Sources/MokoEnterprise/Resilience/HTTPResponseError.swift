import Foundation

/// An error that carries an HTTP response: its status code, its headers and the server's message.
///
/// HTTP clients make their error type conform so that the default ``RetryClassifier`` can decide
/// what to retry: 5xx responses and rate limits (with their `Retry-After` and `x-ratelimit-*`
/// headers) are retried, validation and authentication failures are not.
///
/// ```swift
/// struct APIError: HTTPResponseError {
///     var statusCode: Int
///     var headers: [String: String]
///     var message: String?
///     func headerValue(_ name: String) -> String? {
///         headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
///     }
/// }
/// ```
public protocol HTTPResponseError: Error {
    /// The response's status code, e.g. 503.
    var statusCode: Int { get }

    /// The value of the response header `name`, compared case-insensitively, or nil when absent.
    ///
    /// - Parameter name: a header name such as `Retry-After` or `x-ratelimit-remaining`.
    /// - Returns: the header's value as sent by the server.
    func headerValue(_ name: String) -> String?

    /// The server's error message (for GitHub, the `message` field of the JSON body), if any.
    var message: String? { get }
}

extension HTTPResponseError {
    /// Whether the response says that a rate limit was hit.
    ///
    /// A 429 always is. A 403 is when `x-ratelimit-remaining` is `0`, when it carries `Retry-After`,
    /// or when its message mentions a rate limit (GitHub's "API rate limit exceeded" and "You have
    /// exceeded a secondary rate limit"). Any other 403 is a permission error and is not retried.
    public var isRateLimited: Bool {
        if statusCode == 429 { return true }
        guard statusCode == 403 else { return false }
        if headerValue("x-ratelimit-remaining")?.trimmingCharacters(in: .whitespaces) == "0" { return true }
        if headerValue("Retry-After") != nil { return true }
        guard let message = message?.lowercased() else { return false }
        return message.contains("rate limit")
    }

    /// The wait the server asked for, from `Retry-After` (seconds or an HTTP-date) or, when the quota
    /// is exhausted, `x-ratelimit-reset` (epoch seconds). A time in the past gives zero.
    func serverRequestedWait(now: Date) -> ResilienceHeaderParsing.ServerWait {
        if let retryAfter = headerValue("Retry-After") {
            guard let wait = ResilienceHeaderParsing.retryAfter(retryAfter, now: now) else { return .malformed }
            return .wait(wait)
        }
        let remaining = headerValue("x-ratelimit-remaining")?.trimmingCharacters(in: .whitespaces)
        if remaining == "0", let reset = headerValue("x-ratelimit-reset") {
            guard let resetDate = ResilienceHeaderParsing.epochSeconds(reset) else { return .malformed }
            return .wait(ResilienceHeaderParsing.wait(from: now, until: resetDate))
        }
        return .none
    }
}
