import Foundation
import Logging

/// A response as the pipeline hands it to the endpoint methods.
struct GitHubClientResponse: Sendable {
    var statusCode: Int
    var headers: HTTPHeaderFields
    var body: Data
    /// Whether the body came from the ETag cache after a 304.
    var fromCache: Bool
}

extension GitHubClient {
    /// Most redirects followed for one request.
    static let maxRedirects = 5

    // MARK: URLs and coding

    /// The URL of `path` (which starts with `/`) under the base URL, with `query` appended.
    func makeURL(_ path: String, query: [(String, String)] = []) throws -> URL {
        var text = baseString + path
        if !query.isEmpty {
            var components = URLComponents()
            components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
            text += "?" + (components.percentEncodedQuery ?? "")
        }
        guard let url = URL(string: text) else {
            throw GitHubClientError(.invalidArgument, "'\(path)' does not make a valid URL under \(baseString)")
        }
        return url
    }

    /// One path segment (owner, repo, branch, team slug), validated and percent-encoded.
    ///
    /// Rejects empty values, `.`/`..`, and `/ ? # %` or control characters before any request is sent.
    func segment(_ value: String, _ name: String) throws -> String {
        let forbidden = CharacterSet(charactersIn: "/?#%\\").union(.controlCharacters).union(.whitespacesAndNewlines)
        guard !value.isEmpty, value != ".", value != "..", value.rangeOfCharacter(from: forbidden) == nil else {
            throw GitHubClientError(
                .invalidArgument,
                "\(name) '\(value.prefix(100))' is not valid: it must be non-empty, not '.' or '..', and contain no "
                    + "'/', '?', '#', '%', '\\', spaces or control characters")
        }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    func decode<T: Decodable>(_ type: T.Type, from response: GitHubClientResponse, method: String, url: URL) throws -> T
    {
        do {
            return try GitHubJSON.decoder.decode(T.self, from: response.body)
        } catch {
            throw GitHubClientError(
                .decodingFailed,
                "\(method) \(Self.pathAndQuery(url)) returned a body that is not a valid \(T.self): \(error)")
        }
    }

    func encode<T: Encodable>(_ value: T) throws -> Data {
        do {
            return try GitHubJSON.encoder.encode(value)
        } catch {
            throw GitHubClientError(.encodingFailed, "cannot encode \(T.self) as JSON: \(error)")
        }
    }

    static func pathAndQuery(_ url: URL) -> String {
        var text = url.path
        if let query = url.query { text += "?" + query }
        return text
    }

    // MARK: Sending

    /// Sends `method` to `url`: cache, redirects, rate limits, retry and breaker included.
    ///
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - url: the absolute URL.
    ///   - body: the JSON body, if any.
    ///   - quotaExempt: whether the call costs no quota (`/rate_limit`), so it is not held back while the
    ///     quota is exhausted.
    /// - Returns: a 2xx response, possibly served from the cache after a 304.
    /// - Throws: ``GitHubAPIError`` for an error status, ``GitHubClientError``, ``HTTPTransportError``, or
    ///   the breaker's and retry policy's errors.
    func send(
        _ method: String, _ url: URL, body: Data? = nil, quotaExempt: Bool = false
    ) async throws
        -> GitHubClientResponse
    {
        let cacheKey: ETagCache.Key? =
            method == "GET" && cache != nil
            ? ETagCache.Key(method: method, url: url.absoluteString, identity: identity) : nil
        var etag = cacheKey.flatMap { cache?.conditionalETag(for: $0, at: wallClock.currentDate) }
        var currentURL = url
        var currentMethod = method
        var currentBody = body
        var redirects = 0
        while true {
            let request = makeRequest(currentMethod, currentURL, body: currentBody, etag: etag)
            let response = try await exchange(request, quotaExempt: quotaExempt)
            switch response.statusCode {
            case 301, 302, 303, 307, 308:
                guard redirects < Self.maxRedirects, let location = response.headers["location"],
                    let next = URL(string: location, relativeTo: currentURL)?.absoluteURL
                else {
                    throw GitHubClientError(
                        .redirectFailed,
                        "\(currentMethod) \(Self.pathAndQuery(currentURL)) redirected more than \(Self.maxRedirects) "
                            + "times or without a Location header")
                }
                redirects += 1
                logger.debug(
                    "github redirect",
                    metadata: ["status": "\(response.statusCode)", "to": "\(Self.pathAndQuery(next))"])
                if response.statusCode == 303 {
                    currentMethod = "GET"
                    currentBody = nil
                }
                currentURL = next
            case 304:
                if let key = cacheKey, etag != nil,
                    let entry = cache?.revalidated(key, at: wallClock.currentDate, etag: response.headers["etag"])
                {
                    var headers = response.headers
                    if headers["link"] == nil, let link = entry.link { headers["Link"] = link }
                    return GitHubClientResponse(statusCode: 200, headers: headers, body: entry.body, fromCache: true)
                }
                guard etag != nil else {
                    throw GitHubAPIError.from(response, method: currentMethod, path: Self.pathAndQuery(currentURL))
                }
                etag = nil  // The entry vanished meanwhile: fetch the full response once.
            case 200..<300:
                if let key = cacheKey, let cache {
                    let entry = response.headers["etag"].map {
                        ETagCache.Entry(
                            etag: $0, body: response.body, link: response.headers["link"],
                            validatedAt: wallClock.currentDate)
                    }
                    cache.store(entry, for: key)
                }
                return GitHubClientResponse(
                    statusCode: response.statusCode, headers: response.headers, body: response.body, fromCache: false)
            default:
                let error = GitHubAPIError.from(response, method: currentMethod, path: Self.pathAndQuery(currentURL))
                logger.debug(
                    "github error",
                    metadata: ["method": "\(currentMethod)", "path": "\(error.path)", "status": "\(error.statusCode)"])
                throw error
            }
        }
    }

    func makeRequest(_ method: String, _ url: URL, body: Data?, etag: String?) -> HTTPTransportRequest {
        var headers: HTTPHeaderFields = [
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": Self.apiVersion,
            "User-Agent": userAgent,
        ]
        // Credentials go only to the API's own host, never to a host a redirect points at.
        if let authorization, url.host?.lowercased() == baseHost {
            headers["Authorization"] = authorization
        }
        if let etag { headers["If-None-Match"] = etag }
        if let body {
            headers["Content-Type"] = "application/json; charset=utf-8"
            headers["Content-Length"] = String(body.count)
        } else if method == "PUT" || method == "POST" || method == "PATCH" {
            headers["Content-Length"] = "0"
        }
        return HTTPTransportRequest(method: method, url: url, headers: headers, body: body, timeout: requestTimeout)
    }

    /// One request with retry around the breaker, the limiter and the rate-limit waits.
    func exchange(_ request: HTTPTransportRequest, quotaExempt: Bool) async throws -> HTTPTransportResponse {
        if request.method != "GET" && request.method != "HEAD" { try await spaceMutation() }
        let policy = resilience.policy(for: request.method)
        // Retries turned off: the caller decides (often with a retry loop of its own), so it gets the
        // request's own error (a 5xx `GitHubAPIError`, an `HTTPTransportError`), not a `RetryExhaustedError`
        // wrapping it, which no classifier retries.
        guard policy.maxRetries > 0 else {
            try policy.validate()
            return try await attempt(request, quotaExempt: quotaExempt)
        }
        return try await policy.run(clock: clock) {
            try await self.attempt(request, quotaExempt: quotaExempt)
        }
    }

    /// One attempt: waits out an exhausted quota, takes a permit, sends through the breaker, and waits for
    /// the reset (then re-sends) when GitHub answers with a rate limit.
    ///
    /// A conditional request (`If-None-Match`) takes no token up front, because GitHub does not charge an
    /// authorised 304; when it comes back 200 instead, a token is taken afterwards if one is free.
    func attempt(_ request: HTTPTransportRequest, quotaExempt: Bool) async throws -> HTTPTransportResponse {
        let conditional = request.headers["If-None-Match"] != nil
        var waits = 0
        while true {
            if !quotaExempt {
                try await waitForQuotaReset()
                if !conditional { try await resilience.limiter.acquire() }
            }
            let response = try await resilience.breaker.call {
                let response = try await self.transport.send(request)
                self.recordRateLimit(response.headers)
                self.logger.debug(
                    "github request",
                    metadata: [
                        "method": "\(request.method)", "path": "\(Self.pathAndQuery(request.url))",
                        "status": "\(response.statusCode)",
                    ])
                if response.statusCode >= 500 {
                    throw GitHubAPIError.from(response, method: request.method, path: Self.pathAndQuery(request.url))
                }
                return response
            }
            if conditional && !quotaExempt && response.statusCode != 304 {
                _ = resilience.limiter.tryAcquire()
            }
            guard response.statusCode == 403 || response.statusCode == 429 else { return response }
            let error = GitHubAPIError.from(response, method: request.method, path: Self.pathAndQuery(request.url))
            guard error.isPrimaryRateLimit || error.isSecondaryRateLimit else { return response }
            guard waits < maxRateLimitWaits else {
                throw GitHubClientError(
                    .rateLimitStillExhausted,
                    "\(error.description); still limited after \(waits) waits for the reset; try again later")
            }
            waits += 1
            let delay = rateLimitDelay(for: error, attempt: waits)
            logger.notice(
                "github rate limited; waiting",
                metadata: [
                    "path": "\(error.path)", "status": "\(error.statusCode)",
                    "waitSeconds": "\(delay.components.seconds)",
                ])
            try await clock.sleep(for: delay)
        }
    }

    /// How long to wait after a rate-limit response (GitHub's rules, github-api.md §5.7).
    ///
    /// `Retry-After` first; else, when `remaining` is 0, until the reset plus one second; else one minute,
    /// doubling on repeats. Never less than one second, never more than an hour and a minute.
    func rateLimitDelay(for error: GitHubAPIError, attempt: Int) -> Duration {
        let now = wallClock.currentDate
        var seconds: Double
        if let retryAfter = error.headerValue("retry-after") {
            if let value = Double(retryAfter.trimmingCharacters(in: .whitespaces)) {
                seconds = value
            } else if let date = Self.httpDate(retryAfter) {
                seconds = date.timeIntervalSince(now)
            } else {
                seconds = 60
            }
        } else if error.isPrimaryRateLimit, let snapshot = GitHubRateLimitSnapshot(headers: error.headers) {
            seconds = snapshot.reset.timeIntervalSince(now) + 1
        } else {
            seconds = 60 * pow(2, Double(max(0, attempt - 1)))
        }
        seconds = min(max(seconds, 1), 3_660)
        return .milliseconds(Int64((seconds * 1_000).rounded(.up)))
    }

    /// Keeps mutating requests at least ``mutationSpacing`` apart (GitHub asks for one second), reserving
    /// each slot under a lock so concurrent callers queue up instead of bunching.
    func spaceMutation() async throws {
        guard mutationSpacing > .zero else { return }
        let now = clock.now
        let wait = lastMutation.withLock { last -> Duration in
            let slot = last.map { max(now, $0.advanced(by: mutationSpacing)) } ?? now
            last = slot
            return now.duration(to: slot)
        }
        if wait > .zero { try await clock.sleep(for: wait) }
    }

    /// Sleeps until the reset when the last response said the quota is used up.
    func waitForQuotaReset() async throws {
        guard let snapshot = quota.withLock({ $0 }), snapshot.remaining <= 0 else { return }
        let seconds = snapshot.reset.timeIntervalSince(wallClock.currentDate)
        guard seconds > -1 else { return }
        let delay = Duration.milliseconds(Int64(((min(seconds, 3_659) + 1) * 1_000).rounded(.up)))
        logger.notice(
            "github quota exhausted; waiting for the reset",
            metadata: ["reset": "\(Int(snapshot.reset.timeIntervalSince1970))"])
        try await clock.sleep(for: delay)
    }

    func recordRateLimit(_ headers: HTTPHeaderFields) {
        guard let snapshot = GitHubRateLimitSnapshot(headers: headers) else { return }
        quota.withLock { $0 = snapshot }
        if let limit = snapshot.limit {
            resilience.limiter.update(remaining: snapshot.remaining, limit: limit, resetAt: snapshot.reset)
        }
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
