import Foundation

extension MockGitHub {
    /// Answers `/__mock/…`: admin calls never touch buckets or faults and are not journaled.
    func handleAdmin(_ request: MockRequest) -> MockResponse {
        let (path, rawQuery) = MockGitHub.splitTarget(request.target)
        let query = MockGitHub.parseQuery(rawQuery)
        func q(_ name: String) -> String? { query.first { $0.0 == name }?.1 }
        guard request.header("authorization") == "Bearer " + configuration.adminToken else {
            return adminError(
                401, "The admin API needs Authorization: Bearer <admin token> (GitHub tokens are not accepted).")
        }
        let method = request.method.uppercased()
        switch (method, path) {
        case ("POST", "/__mock/reset"):
            reset()
            return adminJSON(.object([("reset", .bool(true))]))
        case ("POST", "/__mock/seed"):
            return adminSeed(request)
        case ("GET", "/__mock/tokens"):
            var members: [(String, MockJSON)] = []
            for token in state.tokens {
                let login = userIndexByID[token.userID].map { state.users[$0].login } ?? ""
                members.append((token.id, .object([("login", .string(login)), ("token", .string(token.token))])))
            }
            return adminJSON(.object(members))
        case ("GET", "/__mock/state"):
            return adminEncodable(state)
        case ("PUT", "/__mock/state"):
            do {
                let newState = try JSONDecoder().decode(MockGitHubState.self, from: Data(request.body))
                try restoreState(newState)
                return adminJSON(.object([("restored", .bool(true))]))
            } catch let error as MockGitHubAdminError {
                return adminError(422, error.message)
            } catch {
                return adminError(400, "The body is not a state dump: \(error)")
            }
        case ("GET", "/__mock/clock"):
            return clockJSON()
        case ("POST", "/__mock/clock"):
            return adminClock(request)
        case ("GET", "/__mock/ratelimit"):
            var members: [(String, MockJSON)] = []
            for (key, bucket) in buckets.sorted(by: { $0.key < $1.key }) {
                members.append(
                    (
                        key,
                        .object([
                            ("limit", .int(bucket.limit)), ("remaining", .int(bucket.remaining)),
                            ("used", .int(bucket.used)),
                            ("reset", .int(Int(bucket.reset))),
                        ])
                    ))
            }
            return adminJSON(.object(members))
        case ("PUT", "/__mock/ratelimit"):
            return adminSetBucket(request)
        case ("POST", "/__mock/ratelimit/trip"):
            return adminTrip(request)
        case ("GET", "/__mock/faults"):
            return adminEncodable(faultPlan)
        case ("PUT", "/__mock/faults"):
            do {
                let plan = try JSONDecoder().decode(MockFaultPlan.self, from: Data(request.body))
                try setFaultPlan(plan)
                return adminEncodable(plan)
            } catch let error as MockGitHubAdminError {
                return adminError(422, error.message)
            } catch {
                return adminError(400, "The body is not a fault plan ({\"rules\":[…]}): \(error)")
            }
        case ("DELETE", "/__mock/faults"):
            faultPlan = MockFaultPlan()
            faultCounters.removeAll()
            return MockResponse(status: 204)
        case ("GET", "/__mock/journal"):
            let since = q("since").flatMap { Int($0) } ?? 0
            let limit = q("limit").flatMap { Int($0) } ?? Int.max
            let lines = journal.lazy.map(\.entry).filter { entry in
                entry.seq > since && (q("method").map { $0.uppercased() == entry.method } ?? true)
                    && (q("path").map { MockFaultPlan.glob($0, matches: entry.path) } ?? true)
                    && (q("status").map { $0 == String(entry.status) } ?? true)
                    && (q("token").map { $0 == entry.headers["authorization"] } ?? true)
            }.prefix(limit).map(MockGitHub.encodeLine)
            let text = lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
            return MockResponse(
                status: 200, headers: [("content-type", "application/x-ndjson")], body: Array(text.utf8))
        case ("DELETE", "/__mock/journal"):
            journal.removeAll()
            return MockResponse(status: 204)
        case ("GET", "/__mock/violations"):
            let found = violationList.filter { violation in
                (q("token").map { $0 == violation.token } ?? true) && (q("rule").map { $0 == violation.rule } ?? true)
            }
            return adminEncodable(found)
        case ("DELETE", "/__mock/violations"):
            violationList.removeAll()
            return MockResponse(status: 204)
        default:
            return adminError(404, "Unknown admin endpoint \(method) \(path).")
        }
    }

    func adminError(_ status: Int, _ message: String) -> MockResponse {
        MockResponse(
            status: status,
            headers: [("content-type", "application/json; charset=utf-8")],
            body: MockJSON.object([("message", .string(message)), ("status", .string(String(status)))]).bytes
        )
    }

    func adminJSON(_ json: MockJSON) -> MockResponse {
        MockResponse(status: 200, headers: [("content-type", "application/json; charset=utf-8")], body: json.bytes)
    }

    func adminEncodable<T: Encodable>(_ value: T) -> MockResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return adminError(500, "Could not encode the value.") }
        return MockResponse(
            status: 200, headers: [("content-type", "application/json; charset=utf-8")], body: Array(data))
    }

    func adminBody(_ request: MockRequest) -> MockJSON? {
        if request.body.isEmpty { return .object([]) }
        guard let json = try? MockJSON.parse(request.body), case .object = json else { return nil }
        return json
    }

    func adminSeed(_ request: MockRequest) -> MockResponse {
        guard let body = adminBody(request) else { return adminError(400, "Send a JSON object.") }
        var fixture = configuration.fixture
        if let value = body["fixture"], !value.isNull {
            if let name = value.stringValue {
                guard name == "standard" else {
                    return adminError(422, "Unknown fixture name '\(name)'; use 'standard'.")
                }
                fixture = .standard(repos: body["repos"]?.intValue ?? 10)
            } else {
                do {
                    fixture = try JSONDecoder().decode(MockFixture.self, from: Data(value.bytes))
                } catch {
                    return adminError(422, "The fixture does not decode: \(error)")
                }
            }
        } else if let repos = body["repos"]?.intValue {
            fixture = .standard(repos: repos)
        }
        let newSeed = body["seed"]?.intValue.map { UInt64(truncatingIfNeeded: $0) } ?? seed
        var epoch: Date?
        if let value = body["epoch"] {
            if let seconds = value.doubleValue {
                epoch = Date(timeIntervalSince1970: seconds)
            } else if let text = value.stringValue, let seconds = MockTimeFormat.parseISO8601(text) {
                epoch = Date(timeIntervalSince1970: seconds)
            } else {
                return adminError(
                    422, "epoch must be seconds since 1970 or an ISO-8601 instant like 2026-01-01T00:00:00Z.")
            }
        }
        seed(fixture: fixture, seed: newSeed, epoch: epoch)
        return handleAdmin(
            MockRequest(
                method: "GET", target: "/__mock/tokens",
                headers: [("authorization", "Bearer " + configuration.adminToken)])
        )
    }

    func clockJSON() -> MockResponse {
        let seconds = clock.seconds
        return adminJSON(
            .object([
                ("now", .string(MockTimeFormat.iso8601(seconds))),
                ("epochSeconds", .double(seconds)),
                ("mode", .string(clock.mode.rawValue)),
            ])
        )
    }

    func adminClock(_ request: MockRequest) -> MockResponse {
        guard let body = adminBody(request) else { return adminError(400, "Send a JSON object.") }
        do {
            if let mode = body["mode"] {
                guard let text = mode.stringValue,
                    let parsed = MockClock.Mode(rawValue: text == "real" ? "running" : text)
                else { return adminError(422, "mode must be 'frozen' or 'running'.") }
                try clock.setMode(parsed, rate: body["rate"]?.doubleValue)
            }
            if let value = body["set"] {
                let seconds = value.doubleValue ?? value.stringValue.flatMap(MockTimeFormat.parseISO8601)
                guard let seconds else {
                    return adminError(422, "set must be seconds since 1970 or an ISO-8601 instant.")
                }
                try clock.set(to: Date(timeIntervalSince1970: seconds))
            }
            if let value = body["advance"] {
                guard let seconds = value.doubleValue, seconds >= 0, seconds.isFinite else {
                    return adminError(422, "advance must be a number of seconds ≥ 0.")
                }
                clock.advance(by: seconds)
            }
        } catch {
            return adminError(409, error.message)
        }
        return clockJSON()
    }

    func bucketKey(subject: MockJSON?) -> String? {
        guard let subject else { return nil }
        if let ip = subject["ip"]?.stringValue { return "ip:" + ip }
        let tokenValue = subject["token"]?.stringValue ?? subject["login"]?.stringValue
        guard let tokenValue else { return nil }
        if let index = tokenIndex[tokenValue] { return "u:\(state.tokens[index].userID)" }
        if let token = state.tokens.first(where: { $0.id == tokenValue }) { return "u:\(token.userID)" }
        if let index = userIndexByLogin[tokenValue.lowercased()] { return "u:\(state.users[index].id)" }
        return nil
    }

    func adminSetBucket(_ request: MockRequest) -> MockResponse {
        guard let body = adminBody(request), let key = bucketKey(subject: body["subject"]) else {
            return adminError(422, "Send {\"subject\":{\"token\":…},\"limit\":…,\"remaining\":…,\"reset\":…}.")
        }
        let now = clock.seconds
        var bucket =
            buckets[key]
            ?? MockBucket(
                limit: key.hasPrefix("ip:") ? configuration.anonymousLimit : configuration.userLimit,
                used: 0,
                reset: (now + 3_600).rounded(.up)
            )
        if let limit = body["limit"]?.intValue, limit >= 0 { bucket.limit = limit }
        if let remaining = body["remaining"]?.intValue, remaining >= 0 {
            bucket.used = max(0, bucket.limit - remaining)
        }
        if let reset = body["reset"]?.doubleValue { bucket.reset = reset }
        buckets[key] = bucket
        return adminJSON(
            .object([
                ("limit", .int(bucket.limit)), ("remaining", .int(bucket.remaining)), ("used", .int(bucket.used)),
                ("reset", .int(Int(bucket.reset))),
            ])
        )
    }

    func adminTrip(_ request: MockRequest) -> MockResponse {
        guard let body = adminBody(request) else { return adminError(400, "Send a JSON object.") }
        let kind = body["kind"]?.stringValue ?? "primary"
        guard kind == "primary" || kind == "secondary" else {
            return adminError(422, "kind must be 'primary' or 'secondary'.")
        }
        let status = body["status"]?.intValue
        if let status, status != 403 && status != 429 { return adminError(422, "status must be 403 or 429.") }
        let subject = body["subject"]?["token"]?.stringValue ?? body["subject"]?["login"]?.stringValue
        let action = MockFaultPlan.Action(
            type: "rateLimit",
            status: status,
            kind: kind,
            variant: body["variant"]?.stringValue,
            retryAfter: body["retryAfter"]?.intValue
        )
        let count = max(1, body["count"]?.intValue ?? 1)
        pendingTrips.append(MockPendingTrip(subject: subject, action: action, remaining: count))
        return adminJSON(.object([("queued", .int(count))]))
    }
}
