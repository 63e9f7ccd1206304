import Foundation

/// Sends one HTTP request and returns the response: the only thing ``GitHubClient`` needs from the network.
///
/// The library ships ``URLSessionTransport`` (a real socket, libcurl on Linux). Tests use
/// `MokoEnterpriseTestSupport.MockGitHubTransport`, which hands the request to the mock GitHub server's
/// core in-process, so no port and no real time are involved.
///
/// A transport performs exactly one exchange: it does not retry, cache or rate-limit (the client does),
/// and it reports every HTTP status, 4xx and 5xx included, as a response rather than an error. It throws
/// only when no response was received (connection refused or reset, timeout, cancellation).
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the server's response, whatever its status.
    ///
    /// - Parameter request: the method, absolute URL, headers, optional body and timeout.
    /// - Returns: the status, headers and body received.
    /// - Throws: ``HTTPTransportError`` when no response arrived, or `CancellationError`.
    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse
}

/// One HTTP request as a transport sends it.
public struct HTTPTransportRequest: Sendable, Equatable {
    /// The HTTP method in upper case, e.g. `GET`, `PATCH`.
    public var method: String
    /// The absolute URL, query included.
    public var url: URL
    /// The request headers.
    public var headers: HTTPHeaderFields
    /// The body, if any.
    public var body: Data?
    /// The longest the transport may wait for the whole response; `nil` for the transport's default.
    public var timeout: Duration?

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - method: the HTTP method; it is upper-cased.
    ///   - url: the absolute URL.
    ///   - headers: the request headers.
    ///   - body: the body, if any.
    ///   - timeout: the per-request timeout, or `nil` for the transport's default.
    public init(
        method: String,
        url: URL,
        headers: HTTPHeaderFields = HTTPHeaderFields(),
        body: Data? = nil,
        timeout: Duration? = nil
    ) {
        self.method = method.uppercased()
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// One HTTP response as a transport received it.
public struct HTTPTransportResponse: Sendable, Equatable {
    /// The status code, e.g. 200, 304, 404.
    public var statusCode: Int
    /// The response headers; lookups ignore case.
    public var headers: HTTPHeaderFields
    /// The body (empty for 204 and 304).
    public var body: Data

    /// Creates a response.
    ///
    /// - Parameters:
    ///   - statusCode: the HTTP status code.
    ///   - headers: the response headers.
    ///   - body: the body bytes.
    public init(statusCode: Int, headers: HTTPHeaderFields = HTTPHeaderFields(), body: Data = Data()) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }
}

/// Why a transport could not deliver a response.
public struct HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// The response did not arrive within the request's timeout.
        case timedOut
        /// The connection could not be made, or was lost before a complete response.
        case connectionFailed
        /// The request could not be built (bad URL, unsupported scheme).
        case invalidRequest
    }

    /// The kind of failure.
    public var kind: Kind
    /// The method of the failed request.
    public var method: String
    /// The URL of the failed request.
    public var url: URL
    /// The underlying system message, if any.
    public var detail: String

    /// Creates a transport error.
    ///
    /// - Parameters:
    ///   - kind: the kind of failure.
    ///   - method: the request's method.
    ///   - url: the request's URL.
    ///   - detail: the underlying message.
    public init(kind: Kind, method: String, url: URL, detail: String = "") {
        self.kind = kind
        self.method = method
        self.url = url
        self.detail = detail
    }

    /// A sentence naming the request and the failure; retrying later may help.
    public var description: String {
        let reason: String
        switch kind {
        case .timedOut: reason = "timed out"
        case .connectionFailed: reason = "could not connect or lost the connection"
        case .invalidRequest: reason = "is not a valid request"
        }
        let suffix = detail.isEmpty ? "" : " (\(detail))"
        return "\(method) \(url.absoluteString) \(reason)\(suffix)"
    }
}

extension HTTPTransportError: RetryClassifiableError {
    /// Timeouts and lost connections are retried with backoff; an invalid request is not.
    public func retryDecision(now: Date) -> RetryDecision {
        kind == .invalidRequest ? .doNotRetry : .retry
    }
}
