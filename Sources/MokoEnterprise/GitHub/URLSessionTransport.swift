import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An ``HTTPTransport`` over `URLSession` (libcurl on Linux), with every HTTP-level cache switched off.
///
/// The session uses an ephemeral configuration with `urlCache = nil` and
/// `.reloadIgnoringLocalCacheData`, so ``GitHubClient``'s own ETag cache is the only cache: a manual
/// `If-None-Match` comes back as a real 304 and no repeat is served behind the client's back. Header
/// names come back re-cased on Linux (`Etag`); ``HTTPHeaderFields`` lookups ignore case.
///
/// `URLSession` follows redirects (GitHub's 301 for a renamed repository) on its own.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let defaultTimeout: Duration

    /// Creates a transport with its own session.
    ///
    /// - Parameter defaultTimeout: the timeout of requests that do not carry one.
    public init(defaultTimeout: Duration = .seconds(30)) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.timeoutIntervalForRequest = defaultTimeout.inSeconds
        session = URLSession(configuration: configuration)
        self.defaultTimeout = defaultTimeout
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Sends the request and returns the response, whatever its status.
    ///
    /// - Parameter request: the request; its `timeout` bounds the whole exchange.
    /// - Returns: the status, headers and body.
    /// - Throws: ``HTTPTransportError`` (`.timedOut`, `.connectionFailed`, `.invalidRequest`), or
    ///   `CancellationError` when the calling task is cancelled.
    public func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        guard let scheme = request.url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw HTTPTransportError(
                kind: .invalidRequest, method: request.method, url: request.url, detail: "scheme must be http or https")
        }
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.cachePolicy = .reloadIgnoringLocalCacheData
        urlRequest.timeoutInterval = (request.timeout ?? defaultTimeout).inSeconds
        for (name, value) in request.headers {
            urlRequest.addValue(value, forHTTPHeaderField: name)
        }
        urlRequest.httpBody = request.body
        try Task.checkCancellation()
        let box = URLSessionTaskBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<HTTPTransportResponse, any Error>) in
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    continuation.resume(
                        with: Self.result(request: request, data: data, response: response, error: error))
                }
                box.start(task)
            }
        } onCancel: {
            box.cancel()
        }
    }

    private static func result(
        request: HTTPTransportRequest, data: Data?, response: URLResponse?, error: (any Error)?
    ) -> Result<HTTPTransportResponse, any Error> {
        if let error {
            let nsError = error as NSError
            if nsError.domain == NSURLErrorDomain && nsError.code == NSURLErrorCancelled {
                return .failure(CancellationError())
            }
            let kind: HTTPTransportError.Kind = nsError.code == NSURLErrorTimedOut ? .timedOut : .connectionFailed
            return .failure(
                HTTPTransportError(
                    kind: kind, method: request.method, url: request.url, detail: nsError.localizedDescription))
        }
        guard let http = response as? HTTPURLResponse else {
            return .failure(
                HTTPTransportError(
                    kind: .connectionFailed, method: request.method, url: request.url, detail: "no HTTP response"))
        }
        var headers = HTTPHeaderFields()
        for (key, value) in http.allHeaderFields {
            guard let name = key as? String else { continue }
            headers.add(String(describing: value), for: name)
        }
        return .success(HTTPTransportResponse(statusCode: http.statusCode, headers: headers, body: data ?? Data()))
    }
}

/// Holds the data task so that a cancellation arriving before or after it starts still cancels it.
private final class URLSessionTaskBox: @unchecked Sendable {
    // Safe: every access to `task` and `cancelled` happens under `lock`.
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var cancelled = false

    func start(_ task: URLSessionDataTask) {
        lock.lock()
        self.task = task
        let alreadyCancelled = cancelled
        lock.unlock()
        task.resume()
        if alreadyCancelled { task.cancel() }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let task = self.task
        lock.unlock()
        task?.cancel()
    }
}
