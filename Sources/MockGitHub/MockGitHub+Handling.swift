import Foundation

/// Who is calling.
enum MockIdentity: Sendable {
    case anonymous
    case user(userIndex: Int, tokenIndex: Int)
}

/// A parsed request with everything the handlers need.
struct MockCall: Sendable {
    var request: MockRequest
    var method: String
    var path: String
    var rawQuery: String
    var segments: [String]
    var query: [(String, String)]
    var identity: MockIdentity
    var identityKey: String
    var tokenID: String
    var login: String?
    var modern: Bool
    var now: Double
    var sequence: Int
    var requestID: String
    var bodyHash: String

    func query(_ name: String) -> String? { query.first { $0.0 == name }?.1 }

    var isMutation: Bool { method != "GET" && method != "HEAD" && method != "OPTIONS" }
}

/// An HTTP error raised inside a handler; `response` is what the client gets.
struct MockHTTPError: Error {
    var response: MockResponse
}

extension MockGitHub {
    static let supportedVersions: Set<String> = ["2022-11-28", "2026-03-10"]
    static let documentationRoot = "https://docs.github.com/rest"

    /// Answers one request.
    ///
    /// Never fails: every problem becomes a GitHub-shaped error response. Faults from the fault plan
    /// come back as a status, a `delay` or a `transport` instruction for the HTTP adapter.
    public func handle(_ request: MockRequest) async -> MockResponse {
        if request.target.hasPrefix("/__mock/") || request.target == "/__mock" {
            return handleAdmin(request)
        }
        return handleAPI(request)
    }

    // MARK: - Pipeline

    func handleAPI(_ rawRequest: MockRequest) -> MockResponse {
        let request = rawRequest.normalized
        sequence += 1
        let now = clock.seconds
        let method = request.method.uppercased()
        let (path, rawQuery) = MockGitHub.splitTarget(request.target)
        let query = MockGitHub.parseQuery(rawQuery)
        let requestID = MockGitHub.requestID(seed: seed, sequence: sequence)
        var call = MockCall(
            request: request,
            method: method,
            path: path,
            rawQuery: rawQuery,
            segments: MockGitHub.pathSegments(path),
            query: query,
            identity: .anonymous,
            identityKey: "ip:" + request.remoteAddress,
            tokenID: "anonymous",
            login: nil,
            modern: false,
            now: now,
            sequence: sequence,
            requestID: requestID,
            bodyHash: MockGitHub.bodyHash(request.body)
        )
        let version = request.header("x-github-api-version")
        call.modern = version == "2026-03-10"

        // Authentication.
        var authFailure: MockResponse?
        switch authenticate(request) {
        case .success(let identity):
            call.identity = identity
            if case .user(let userIndex, let tokenIndex) = identity {
                call.identityKey = "u:\(state.users[userIndex].id)"
                call.tokenID = state.tokens[tokenIndex].id
                call.login = state.users[userIndex].login
            }
        case .failure(let failure):
            authFailure = failure.response
        }

        let bucketKey = call.identityKey
        let limit = call.login == nil ? configuration.anonymousLimit : configuration.userLimit
        var bucket = buckets[bucketKey] ?? MockBucket(limit: limit, used: 0, reset: (now + 3_600).rounded(.up))
        if now >= bucket.reset {
            bucket.used = 0
            bucket.reset = (now + 3_600).rounded(.up)
        }
        let before = bucket.remaining
        let isFree = path == "/rate_limit"
        var counted = false
        var faultRule: String?
        var secondaryPoints = 0

        checkComplianceBefore(call, bucket: bucket)

        let fault = authFailure == nil && !faultPlan.rules.isEmpty ? matchFault(call) : nil
        var response: MockResponse
        if let authFailure {
            response = authFailure
            counted = true
        } else if let version, !MockGitHub.supportedVersions.contains(version) {
            response = error(
                400,
                "The version you specified in the \"X-GitHub-API-Version\" request header, \"\(version)\", is not "
                    + "a supported version. The following versions are currently supported: \"2026-03-10\", "
                    + "\"2022-11-28\".",
                doc: "/about-the-rest-api/api-versions"
            )
            counted = true
        } else if configuration.requireUserAgent, (request.header("user-agent") ?? "").isEmpty {
            response = error(
                403,
                "Request forbidden by administrative rules. Please make sure your request has a User-Agent header "
                    + "(https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). "
                    + "Check https://developer.github.com for other possible causes.",
                doc: "/overview/resources-in-the-rest-api#user-agent-required"
            )
        } else if let trip = takePendingTrip(call) {
            response = rateLimitResponse(call, action: trip, bucket: bucket)
        } else if let (rule, action) = fault, action.type == "rateLimit" {
            faultRule = rule
            response = rateLimitResponse(call, action: action, bucket: bucket)
            response.faultRule = rule
        } else if let secondary = checkSecondary(call, points: &secondaryPoints) {
            response = secondary
        } else if !isFree && bucket.remaining == 0 {
            response = primaryExhausted(call, bucket: bucket)
        } else {
            faultRule = fault?.0
            if let (rule, action) = fault, let replaced = faultResponse(action, rule: rule) {
                response = replaced
            } else {
                do {
                    response = try route(&call)
                } catch {
                    response = error.response
                }
                if method == "GET" || method == "HEAD", response.status == 200 {
                    response = applyConditional(call, response)
                }
                if let (rule, action) = fault {
                    applyFault(action, rule: rule, to: &response)
                }
            }
            let authorised304 = response.status == 304 && call.login != nil
            counted = !isFree && !authorised304
        }
        if counted { bucket.used += 1 }
        buckets[bucketKey] = bucket

        finishHeaders(call, &response, bucket: bucket)
        record(
            call, response: response, before: before, after: bucket.remaining, counted: counted,
            points: secondaryPoints, fault: faultRule ?? response.faultRule)
        if method == "HEAD" { response.body = [] }
        return response
    }

    // MARK: - Parsing

    /// FNV-1a of the first 64 KiB of the body mixed with its length (enough to tell bodies apart cheaply).
    static func bodyHash(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "cbf29ce484222325" }
        let head = body.count > 65_536 ? Array(body[0..<65_536]) : body
        return MockHashing.hex(MockHashing.mix(MockHashing.fnv1a(head), UInt64(body.count)))
    }

    static func splitTarget(_ target: String) -> (String, String) {
        if MockGitHub.isASCII(target) {
            // ASCII: every byte is a character, so a byte search finds the same "?" (without grapheme breaking).
            guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (target, "") }
            return (String(target[..<mark]), String(target[target.utf8.index(after: mark)...]))
        }
        guard let mark = target.firstIndex(of: "?") else { return (target, "") }
        return (String(target[..<mark]), String(target[target.index(after: mark)...]))
    }

    /// The percent-decoded segments of `path` after its leading "/" (empty segments kept).
    static func pathSegments(_ path: String) -> [String] {
        guard MockGitHub.isASCII(path) else {
            return path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
                MockGitHub.percentDecode(String($0))
            }
        }
        // ASCII: splitting the bytes at "/" gives the same pieces as splitting the characters.
        var pieces: [Substring] = []
        let bytes = path.utf8
        var start = bytes.startIndex
        var index = start
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "/") {
                pieces.append(path[start..<index])
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        pieces.append(path[start..<bytes.endIndex])
        return pieces.dropFirst().map { MockGitHub.percentDecode(String($0)) }
    }

    static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }

    static func parseQuery(_ raw: String) -> [(String, String)] {
        guard !raw.isEmpty else { return [] }
        return raw.split(separator: "&").map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (
                    percentDecode(String(pair[..<equals])),
                    percentDecode(String(pair[pair.index(after: equals)...]))
                )
            }
            return (percentDecode(String(pair)), "")
        }
    }

    static func percentDecode(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return text }
        let replaced = text.replacingOccurrences(of: "+", with: " ")
        return replaced.removingPercentEncoding ?? replaced
    }

    /// `XXXX:XXXX:XXXXXXXX:<sequence>`: the upper-case hex of a seeded hash, grouped, then the sequence.
    static func requestID(seed: UInt64, sequence: Int) -> String {
        let value = MockHashing.mix(seed, UInt64(sequence))
        let digits: [UInt8] = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(40)
        for index in 0..<16 {
            if index == 4 || index == 8 { bytes.append(UInt8(ascii: ":")) }
            bytes.append(digits[Int((value >> UInt64(60 - 4 * index)) & 0xF)])
        }
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: String(sequence).utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Authentication

    func authenticate(_ request: MockRequest) -> Result<MockIdentity, MockHTTPError> {
        guard let header = request.header("authorization").map(MockGitHub.trimSpaces), !header.isEmpty else {
            return .success(.anonymous)
        }
        var badCredentials: MockHTTPError {
            MockHTTPError(response: error(401, "Bad credentials", doc: "/overview/authenticating"))
        }
        guard let space = header.utf8.firstIndex(of: UInt8(ascii: " ")) else { return .failure(badCredentials) }
        let scheme = header.utf8[..<space]
        let credential = MockGitHub.trimSpaces(String(header[header.utf8.index(after: space)...]))
        var token: String?
        if MockGitHub.asciiCaseInsensitiveEquals(scheme, "bearer")
            || MockGitHub.asciiCaseInsensitiveEquals(scheme, "token")
        {
            token = credential
        } else if MockGitHub.asciiCaseInsensitiveEquals(scheme, "basic") {
            guard let data = Data(base64Encoded: credential), let decoded = String(data: data, encoding: .utf8) else {
                return .failure(badCredentials)
            }
            if let colon = decoded.firstIndex(of: ":") {
                token = String(decoded[decoded.index(after: colon)...])
            } else {
                token = decoded
            }
        } else {
            return .failure(badCredentials)
        }
        guard let token, let index = tokenIndex[token], let userIndex = userIndexByID[state.tokens[index].userID]
        else { return .failure(badCredentials) }
        return .success(.user(userIndex: userIndex, tokenIndex: index))
    }

    /// Whether `bytes` spell `lowercase` in any ASCII letter case (`lowercase` must be lower-case ASCII).
    static func asciiCaseInsensitiveEquals(_ bytes: Substring.UTF8View, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            var index = 0
            for byte in bytes {
                let folded = (65...90).contains(byte) ? byte | 0x20 : byte
                if folded != expected[index] { return false }
                index += 1
            }
            return true
        }
    }

    /// Trims spaces and tabs without going through Foundation (which is slow on Linux).
    static func trimSpaces(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.first, let last = text.last, isSpace(first) || isSpace(last) else { return text }
        return String(text.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }

    // MARK: - Errors

    /// A GitHub error body: `message`, `documentation_url`, `status` (a string).
    func error(_ status: Int, _ message: String, doc: String = "", extra: [(String, MockJSON)] = []) -> MockResponse {
        var members: [(String, MockJSON)] = [("message", .string(message))]
        members += extra
        members.append(("documentation_url", .string(MockGitHub.documentationRoot + doc)))
        members.append(("status", .string(String(status))))
        return MockResponse(status: status, body: MockJSON.object(members).bytes)
    }

    func notFound() -> MockHTTPError {
        MockHTTPError(response: error(404, "Not Found"))
    }

    func validationFailed(_ errors: [MockJSON], message: String = "Validation Failed") -> MockHTTPError {
        MockHTTPError(response: error(422, message, extra: [("errors", .array(errors))]))
    }

    func invalidRequest(_ detail: String) -> MockHTTPError {
        MockHTTPError(response: error(422, "Invalid request.\n\n" + detail))
    }

    // MARK: - Rate limits

    func primaryExhausted(_ call: MockCall, bucket: MockBucket) -> MockResponse {
        let message: String
        if case .user(let userIndex, _) = call.identity {
            message = "API rate limit exceeded for user ID \(state.users[userIndex].id)."
        } else {
            message =
                "API rate limit exceeded for \(call.request.remoteAddress). (But here's the good news: "
                + "Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
        }
        var response = MockResponse(
            status: configuration.rateLimitStatus,
            body: MockJSON.object([
                ("message", .string(message)),
                ("documentation_url", .string(configuration.rateLimitDocumentationURL + "#primary-rate-limit")),
                ("status", .string(String(configuration.rateLimitStatus))),
            ]).bytes
        )
        response.headers.append(("x-ratelimit-exhausted", "1"))
        return response
    }

    func secondaryResponse(_ call: MockCall, status: Int?, variant: String?, retryAfter: Int?) -> MockResponse {
        let status = status ?? configuration.rateLimitStatus
        let message =
            variant == "content-creation"
            ? "You have exceeded a secondary rate limit and have been temporarily blocked from content creation. "
                + "Please retry your request again later. If you reach out to GitHub Support for help, please "
                + "include the request ID \(call.requestID)."
            : "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you "
                + "reach out to GitHub Support for help, please include the request ID \(call.requestID)."
        var response = MockResponse(
            status: status,
            body: MockJSON.object([
                ("message", .string(message)),
                (
                    "documentation_url",
                    .string(configuration.rateLimitDocumentationURL + "#about-secondary-rate-limits")
                ),
                ("status", .string(String(status))),
            ]).bytes
        )
        if let retryAfter { response.headers.append(("retry-after", String(retryAfter))) }
        return response
    }

    func rateLimitResponse(_ call: MockCall, action: MockFaultPlan.Action, bucket: MockBucket) -> MockResponse {
        if action.kind == "secondary" {
            return secondaryResponse(
                call, status: action.status, variant: action.variant, retryAfter: action.retryAfter)
        }
        var forced = bucket
        forced.used = forced.limit
        var response = primaryExhausted(call, bucket: forced)
        if let status = action.status {
            response.status = status
            response.body =
                MockJSON.object([
                    ("message", response.json?["message"] ?? .null),
                    ("documentation_url", .string(configuration.rateLimitDocumentationURL + "#primary-rate-limit")),
                    ("status", .string(String(status))),
                ]).bytes
        }
        return response
    }

    func takePendingTrip(_ call: MockCall) -> MockFaultPlan.Action? {
        guard
            let index = pendingTrips.firstIndex(where: {
                $0.subject == nil || $0.subject == call.tokenID || $0.subject == call.login
                    || $0.subject == tokenText(call)
            })
        else { return nil }
        let action = pendingTrips[index].action
        pendingTrips[index].remaining -= 1
        if pendingTrips[index].remaining <= 0 { pendingTrips.remove(at: index) }
        return action
    }

    func tokenText(_ call: MockCall) -> String? {
        if case .user(_, let tokenIndex) = call.identity { return state.tokens[tokenIndex].token }
        return nil
    }

    /// Route family used for the per-endpoint points window.
    static func endpointKey(_ call: MockCall) -> String {
        var key = call.method + " "
        let count = call.segments.count
        key += (call.segments.first ?? "") + "/\(count)"
        if count >= 4 { key += "/" + call.segments[3] }
        return key
    }

    func isContentCreation(_ call: MockCall) -> Bool {
        guard call.method == "POST" else { return false }
        let s = call.segments
        return (s.count == 3 && s[0] == "orgs" && s[2] == "repos")
            || (s.count == 4 && s[0] == "repos" && (s[3] == "issues" || s[3] == "hooks"))
    }

    func checkSecondary(_ call: MockCall, points: inout Int) -> MockResponse? {
        guard configuration.secondaryLimits else { return nil }
        if call.request.inFlight > configuration.maxConcurrent {
            return secondaryResponse(call, status: nil, variant: nil, retryAfter: 60)
        }
        let cost = call.isMutation ? 5 : 1
        points = cost
        let key = call.identityKey + " " + MockGitHub.endpointKey(call)
        var window = secondaryWindows[key] ?? (start: call.now, points: 0)
        if call.now - window.start >= 60 { window = (start: call.now, points: 0) }
        if window.points + cost > configuration.pointsPerMinute {
            let wait = Int((window.start + 60 - call.now).rounded(.up))
            return secondaryResponse(call, status: nil, variant: nil, retryAfter: max(1, wait))
        }
        if isContentCreation(call) {
            var stamps = contentWindows[call.identityKey] ?? []
            stamps.removeAll { call.now - $0 >= 3_600 }
            let lastMinute = stamps.lazy.filter { call.now - $0 < 60 }.count
            if lastMinute >= configuration.contentPerMinute || stamps.count >= configuration.contentPerHour {
                contentWindows[call.identityKey] = stamps
                return secondaryResponse(call, status: nil, variant: "content-creation", retryAfter: 60)
            }
            stamps.append(call.now)
            contentWindows[call.identityKey] = stamps
        }
        window.points += cost
        secondaryWindows[call.identityKey + " " + MockGitHub.endpointKey(call)] = window
        return nil
    }

    // MARK: - Conditional requests

    static func etagMatches(_ header: String, _ etag: String) -> Bool {
        func opaque(_ tag: Substring) -> Substring {
            let trimmed = tag.drop { $0 == " " }
            return trimmed.hasPrefix("W/") ? trimmed.dropFirst(2) : trimmed
        }
        let target = opaque(Substring(etag))
        for candidate in header.split(separator: ",") {
            let tag = opaque(candidate).prefix { $0 != " " }
            if tag == "*" || tag == target { return true }
        }
        return false
    }

    func applyConditional(_ call: MockCall, _ response: MockResponse) -> MockResponse {
        let etag = response.header("etag")
        var notModified = false
        if let ifNoneMatch = call.request.header("if-none-match") {
            if let etag { notModified = MockGitHub.etagMatches(ifNoneMatch, etag) }
        } else if let since = call.request.header("if-modified-since"),
            let sinceSeconds = MockTimeFormat.parseHTTPDate(since),
            let modified = response.header("last-modified").flatMap(MockTimeFormat.parseHTTPDate)
        {
            notModified = modified <= sinceSeconds
        }
        guard notModified else { return response }
        return MockResponse(status: 304, headers: response.headers.filter { $0.name != "link" }, body: [])
    }

    // MARK: - Headers

    func finishHeaders(_ call: MockCall, _ response: inout MockResponse, bucket: MockBucket) {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(response.headers.count + 14)
        let exhausted = response.header("x-ratelimit-exhausted") != nil
        if !response.body.isEmpty || response.status >= 400 {
            headers.append(("content-type", "application/json; charset=utf-8"))
        }
        if call.method == "GET" && (response.status == 200 || response.status == 304) {
            headers.append(
                (
                    "cache-control",
                    call.login == nil ? "public, max-age=60, s-maxage=60" : "private, max-age=60, s-maxage=60"
                )
            )
        }
        headers.append(("vary", "Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding"))
        for header in response.headers where header.name != "x-ratelimit-exhausted" { headers.append(header) }
        if case .user(_, let tokenIndex) = call.identity {
            headers.append(("x-oauth-scopes", state.tokens[tokenIndex].scopes.joined(separator: ", ")))
        }
        headers.append(("x-github-api-version-selected", call.modern ? "2026-03-10" : "2022-11-28"))
        headers.append(("x-ratelimit-limit", String(bucket.limit)))
        headers.append(("x-ratelimit-remaining", exhausted ? "0" : String(bucket.remaining)))
        headers.append(("x-ratelimit-reset", String(Int(bucket.reset))))
        headers.append(("x-ratelimit-used", String(exhausted ? bucket.limit : bucket.used)))
        headers.append(("x-ratelimit-resource", "core"))
        headers.append(("x-github-media-type", "github.v3; format=json"))
        headers.append(("x-github-request-id", call.requestID))
        response.headers = headers
    }
}
