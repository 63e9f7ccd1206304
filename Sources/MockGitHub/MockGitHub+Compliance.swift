extension MockGitHub {
    static let violationCapacity = 10_000

    func complianceKey(_ call: MockCall) -> String {
        call.login == nil ? "anonymous@" + call.request.remoteAddress : call.tokenID
    }

    /// Records a violation of `rule` by `call`'s token, while the list has room.
    ///
    /// `seq` and `message` are evaluated only when the violation is kept: once the list is full, a repeated
    /// violation (a load test refetching without `If-None-Match`) costs no string building.
    func flag(_ rule: String, _ call: MockCall, seq: @autoclosure () -> [Int], _ message: @autoclosure () -> String) {
        guard violationList.count < MockGitHub.violationCapacity else { return }
        violationList.append(
            MockViolation(
                rule: rule,
                token: call.login == nil ? "anonymous" : call.tokenID,
                seq: seq(),
                vt: Int((call.now * 1000).rounded()),
                message: message()
            )
        )
    }

    /// Checks the request against what the client was told before (served Retry-After, ETags, links…).
    func checkComplianceBefore(_ call: MockCall, bucket: MockBucket) {
        let key = complianceKey(call)
        // Taken out and put back, so the track's collections are uniquely referenced while it changes.
        var track = compliance.removeValue(forKey: key) ?? MockComplianceTrack()
        let seq = call.sequence
        let now = call.now
        if let until = track.retryAfterUntil, now < until {
            flag(
                "retry-before-retry-after", call, seq: [track.retryAfterSeq, seq],
                "Request sent \(MockGitHub.seconds(until - now)) before the served Retry-After elapsed. "
                    + "Wait the number of seconds in Retry-After before retrying."
            )
        } else if let until = track.exhaustedUntil, now < until {
            flag(
                "request-while-exhausted", call, seq: [track.exhaustedSeq, seq],
                "Request sent while x-ratelimit-remaining was 0, \(MockGitHub.seconds(until - now)) before "
                    + "x-ratelimit-reset. Wait until the reset time."
            )
        } else if let at = track.secondaryWithoutRetryAt, now - at < 60 {
            flag(
                "secondary-wait-too-short", call, seq: [track.secondarySeq, seq],
                "Request sent \(MockGitHub.seconds(now - at)) after a secondary rate limit without Retry-After. "
                    + "Wait at least one minute, backing off exponentially on repeats."
            )
        }
        if track.retryAfterUntil.map({ now >= $0 }) == true { track.retryAfterUntil = nil }
        if track.exhaustedUntil.map({ now >= $0 }) == true { track.exhaustedUntil = nil }
        track.secondaryWithoutRetryAt = nil
        if call.request.inFlight > configuration.traineeConcurrency {
            flag(
                "concurrency-exceeded", call, seq: [seq],
                "\(call.request.inFlight) requests in flight for one token; the limit is "
                    + "\(configuration.traineeConcurrency). Serialise requests or bound concurrency."
            )
        }
        if call.isMutation, let last = track.lastMutationAt, now - last < configuration.mutationSpacing {
            flag(
                "mutation-spacing", call, seq: [track.lastMutationSeq, seq],
                "Two mutating requests \(MockGitHub.seconds(now - last)) apart; keep at least "
                    + "\(MockGitHub.seconds(configuration.mutationSpacing)) between mutations."
            )
        }
        let target = call.rawQuery.isEmpty ? call.path : call.path + "?" + call.rawQuery
        if call.method == "GET" {
            if call.request.header("if-none-match") == nil, let served = track.servedETags[target] {
                flag(
                    "missing-conditional", call, seq: [served, seq],
                    "\(target) was fetched again without If-None-Match although an ETag was served. "
                        + "Send the ETag back; a 304 costs no quota."
                )
            }
            if let page = call.query("page"), page != "1", !track.linkedTargets.contains(target) {
                flag(
                    "constructed-page-url", call, seq: [seq],
                    "page=\(page) was requested but no served Link header pointed to \(target). "
                        + "Follow rel=\"next\" instead of building page URLs."
                )
            }
            if let perPage = call.query("per_page").flatMap({ Int($0) }), perPage > 100 {
                flag(
                    "constructed-page-url", call, seq: [seq],
                    "per_page=\(perPage) exceeds GitHub's maximum of 100; it is silently capped."
                )
            }
        }
        var missing: [String] = []
        if call.request.header("x-github-api-version") == nil { missing.append("X-GitHub-Api-Version") }
        if call.request.header("accept") == nil { missing.append("Accept") }
        if call.request.header("user-agent") == nil { missing.append("User-Agent") }
        if !missing.isEmpty && !track.reportedMissingHeaders {
            track.reportedMissingHeaders = true
            flag(
                "missing-headers", call, seq: [seq],
                "Missing \(missing.joined(separator: ", ")). Send Accept: application/vnd.github+json, "
                    + "X-GitHub-Api-Version: 2022-11-28 and a User-Agent naming your client."
            )
        }
        if let last = track.lastClientError, last.key == call.method + " " + target + " " + call.bodyHash {
            flag(
                "retried-client-error", call, seq: [last.seq, seq],
                "An identical request was repeated after a client error; fix the request instead of retrying."
            )
        }
        compliance[key] = track
    }

    static func seconds(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? "\(Int(rounded)) s" : "\(rounded) s"
    }

    /// Updates what the client has been told and appends the journal entry.
    func record(
        _ call: MockCall,
        response: MockResponse,
        before: Int,
        after: Int,
        counted: Bool,
        points: Int,
        fault: String?
    ) {
        let key = complianceKey(call)
        var track = compliance.removeValue(forKey: key) ?? MockComplianceTrack()
        let seq = call.sequence
        let target = call.rawQuery.isEmpty ? call.path : call.path + "?" + call.rawQuery
        let isLimitStatus = response.status == 403 || response.status == 429
        if let retryAfter = response.header("retry-after").flatMap(Double.init) {
            track.retryAfterUntil = call.now + retryAfter
            track.retryAfterSeq = seq
        } else if isLimitStatus, response.text.contains("secondary rate limit") {
            track.secondaryWithoutRetryAt = call.now
            track.secondarySeq = seq
        }
        if response.header("x-ratelimit-remaining") == "0",
            let reset = response.header("x-ratelimit-reset").flatMap(Double.init)
        {
            track.exhaustedUntil = reset
            track.exhaustedSeq = seq
        }
        if call.method == "GET", response.status == 200, response.header("etag") != nil,
            track.servedETags.count < 50_000
        {
            track.servedETags[target] = seq
        }
        if let link = response.header("link"), track.linkedTargets.count < 50_000 {
            let base = configuration.baseURL
            for part in link.split(separator: ",") {
                guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"), open < close else {
                    continue
                }
                var url = String(part[part.index(after: open)..<close])
                if url.hasPrefix(base) { url.removeFirst(base.count) }
                track.linkedTargets.insert(url)
            }
        }
        if call.isMutation {
            track.lastMutationAt = call.now
            track.lastMutationSeq = seq
        }
        let isRateLimit =
            isLimitStatus && (response.header("x-ratelimit-remaining") == "0" || response.text.contains("rate limit"))
        let isClientError: Bool
        switch response.status {
        case 400, 401, 404, 410, 422: isClientError = true
        case 403: isClientError = !isRateLimit
        default: isClientError = false
        }
        if isClientError {
            let requestKey = call.method + " " + target + " " + call.bodyHash
            track.lastClientError = (requestKey, seq)
        } else {
            track.lastClientError = nil
        }
        compliance[key] = track

        guard configuration.journalCapacity > 0 || journalSink != nil else { return }
        // Kept as arrays; the dictionaries of `MockJournalEntry` are built only when the journal is read.
        var headers: [(name: String, value: String)] = []
        for name in ["accept", "user-agent", "x-github-api-version", "if-none-match", "if-modified-since"] {
            if let value = call.request.header(name) { headers.append((name, value)) }
        }
        if call.request.header("authorization") != nil { headers.append(("authorization", call.tokenID)) }
        var responseHeaders: [(name: String, value: String)] = []
        for header in response.headers where MockGitHub.isJournaledResponseHeader(header.name) {
            responseHeaders.append(header)
        }
        let record = MockJournalRecord(
            seq: seq,
            vt: Int((call.now * 1000).rounded()),
            requestId: call.requestID,
            connection: call.request.connection,
            method: call.method,
            path: call.path,
            query: call.rawQuery,
            headers: headers,
            bodyHash: call.bodyHash,
            bodyBytes: call.request.body.count,
            status: response.status,
            responseHeaders: responseHeaders,
            rate: .init(resource: "core", before: before, after: after, counted: counted),
            points: points,
            inFlight: call.request.inFlight,
            fault: fault
        )
        if let journalSink { journalSink(MockGitHub.encodeLine(record.entry)) }
        guard configuration.journalCapacity > 0 else { return }
        if journal.count >= configuration.journalCapacity {
            journal.removeFirst(max(1, configuration.journalCapacity / 10))
        }
        journal.append(record)
    }
}

extension MockGitHub {
    /// Response headers the journal keeps: `x-ratelimit-*`, `etag`, `link`, `location`, `retry-after`.
    static func isJournaledResponseHeader(_ name: String) -> Bool {
        switch name {
        case "etag", "link", "location", "retry-after": return true
        default: return name.hasPrefix("x-ratelimit-")
        }
    }
}

/// A journal entry as recorded on the request path: the same facts as `MockJournalEntry`, with the
/// header selections as arrays (building dictionaries per request is slow); `entry` converts it.
struct MockJournalRecord: Sendable {
    var seq: Int
    var vt: Int
    var requestId: String
    var connection: Int
    var method: String
    var path: String
    var query: String
    var headers: [(name: String, value: String)]
    var bodyHash: String
    var bodyBytes: Int
    var status: Int
    var responseHeaders: [(name: String, value: String)]
    var rate: MockJournalEntry.Rate
    var points: Int
    var inFlight: Int
    var fault: String?

    /// The public journal entry (a later response header of the same name wins, as in a dictionary).
    var entry: MockJournalEntry {
        var requestFields: [String: String] = [:]
        for (name, value) in headers { requestFields[name] = value }
        var responseFields: [String: String] = [:]
        for (name, value) in responseHeaders { responseFields[name] = value }
        return MockJournalEntry(
            seq: seq,
            vt: vt,
            requestId: requestId,
            connection: connection,
            method: method,
            path: path,
            query: query,
            headers: requestFields,
            bodyHash: bodyHash,
            bodyBytes: bodyBytes,
            status: status,
            responseHeaders: responseFields,
            rate: rate,
            secondary: ["points": points, "inFlight": inFlight],
            fault: fault
        )
    }
}
