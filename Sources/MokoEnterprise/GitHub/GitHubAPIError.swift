import Foundation

/// GitHub answered with an error status: carries the status, GitHub's message, its documentation link,
/// the `errors[]` of a 422, and the response headers (rate-limit and `Retry-After` included).
///
/// The retry classifier reads ``statusCode`` and ``headerValue(_:)``: 5xx and rate limits are retried,
/// 400, 401, 404, 410 and 422 are not.
public struct GitHubAPIError: HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    /// One entry of a 422's `errors[]`.
    public struct ValidationError: Codable, Sendable, Hashable {
        /// The kind of resource, e.g. `Repository`.
        public var resource: String?
        /// The field at fault, e.g. `name`.
        public var field: String?
        /// `missing`, `missing_field`, `invalid`, `already_exists`, `unprocessable` or `custom`.
        public var code: String?
        /// The explanation (always present for `custom`).
        public var message: String?

        /// Creates a validation entry.
        public init(resource: String? = nil, field: String? = nil, code: String? = nil, message: String? = nil) {
            self.resource = resource
            self.field = field
            self.code = code
            self.message = message
        }
    }

    /// The HTTP status, e.g. 404 or 422.
    public var statusCode: Int
    /// GitHub's `message`, e.g. `Not Found`, or `nil` when the body had none (see ``reason``).
    public var message: String?
    /// GitHub's `documentation_url`, if given.
    public var documentationURL: String?
    /// The validation errors of a 422.
    public var errors: [ValidationError]
    /// The request method.
    public var method: String
    /// The request path and query (never the token).
    public var path: String
    /// The response headers.
    public var headers: HTTPHeaderFields

    /// Creates an error.
    public init(
        statusCode: Int,
        message: String?,
        documentationURL: String? = nil,
        errors: [ValidationError] = [],
        method: String,
        path: String,
        headers: HTTPHeaderFields = HTTPHeaderFields()
    ) {
        self.statusCode = statusCode
        self.message = message
        self.documentationURL = documentationURL
        self.errors = errors
        self.method = method
        self.path = path
        self.headers = headers
    }

    /// The value of a response header (any case).
    ///
    /// - Parameter name: the header name, e.g. `Retry-After`.
    /// - Returns: its first value, or `nil`.
    public func headerValue(_ name: String) -> String? { headers[name] }

    /// GitHub's message, or the status's reason phrase when the body had none.
    public var reason: String { message ?? HTTPURLResponseStatusText.reason(for: statusCode) }

    /// Whether this is a primary rate limit: 403/429 with `X-RateLimit-Remaining: 0`.
    public var isPrimaryRateLimit: Bool {
        (statusCode == 403 || statusCode == 429) && headers["x-ratelimit-remaining"] == "0"
    }

    /// Whether this is a secondary rate limit: 403/429 whose message names a secondary limit, or that
    /// carries `Retry-After`.
    public var isSecondaryRateLimit: Bool {
        guard statusCode == 403 || statusCode == 429, !isPrimaryRateLimit else { return false }
        let lowered = (message ?? "").lowercased()
        return headers["retry-after"] != nil || lowered.contains("secondary rate")
            || lowered.contains("abuse") || (documentationURL ?? "").contains("secondary-rate-limits")
    }

    /// Decodes GitHub's error body, tolerating an empty or non-JSON one.
    ///
    /// - Parameters:
    ///   - response: the error response.
    ///   - method: the request method.
    ///   - path: the request path and query.
    /// - Returns: the error.
    public static func from(_ response: HTTPTransportResponse, method: String, path: String) -> GitHubAPIError {
        struct Body: Decodable {
            var message: String?
            var documentation_url: String?
            var errors: [ValidationError]?
        }
        let body = try? JSONDecoder().decode(Body.self, from: response.body)
        return GitHubAPIError(
            statusCode: response.statusCode,
            message: body?.message.map(SecretRedactor.redact),
            documentationURL: body?.documentation_url,
            errors: body?.errors ?? [],
            method: method,
            path: path,
            headers: response.headers
        )
    }

    /// `PATCH /repos/o/r failed with 422 Validation Failed: name already exists (docs: ...)`.
    public var description: String {
        var text = "\(method) \(path) failed with \(statusCode) \(reason)"
        let details = errors.compactMap { entry -> String? in
            if let message = entry.message { return message }
            guard let field = entry.field, let code = entry.code else { return nil }
            return "\(field) \(code)"
        }
        if !details.isEmpty { text += ": " + details.joined(separator: "; ") }
        if let documentationURL { text += " (see \(documentationURL))" }
        return text
    }
}

/// Reason phrases for statuses whose body carries no message.
private enum HTTPURLResponseStatusText {
    static func reason(for status: Int) -> String {
        switch status {
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "HTTP \(status)"
        }
    }
}
