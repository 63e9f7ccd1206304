extension MockGitHub {
    /// The first rule of the fault plan that fires for this request, counting occurrences as it goes.
    ///
    /// Every rule whose match accepts the request counts the occurrence, even when an earlier rule fires,
    /// so `nth` means "the n-th request this rule matches" whatever other rules do.
    func matchFault(_ call: MockCall) -> (String, MockFaultPlan.Action)? {
        var fired: (String, MockFaultPlan.Action)?
        for rule in faultPlan.rules where ruleMatches(rule.match, call) {
            var counter =
                faultCounters[rule.id]
                ?? (
                    occurrences: 0, firings: 0,
                    random: MockRandom(seed: MockHashing.mix(seed, MockHashing.fnv1a(rule.id)))
                )
            counter.occurrences += 1
            var fires = true
            if let times = rule.times, counter.firings >= times { fires = false }
            if let when = rule.when {
                let n = counter.occurrences
                if let nth = when.nth, !nth.contains(n) { fires = false }
                if let every = when.every, every > 0, n % every != 0 { fires = false }
                if let from = when.from, n < from { fires = false }
                if let to = when.to, n > to { fires = false }
                if let after = when.afterVirtual, call.now < after { fires = false }
                if let probability = when.probability {
                    // Draw on every occurrence so the stream depends only on the occurrence count.
                    let draw = counter.random.unit()
                    if draw >= probability { fires = false }
                }
            }
            if fires && fired == nil {
                counter.firings += 1
                fired = (rule.id, rule.action)
            }
            faultCounters[rule.id] = counter
        }
        return fired
    }

    private func ruleMatches(_ match: MockFaultPlan.Match?, _ call: MockCall) -> Bool {
        guard let match else { return true }
        if let method = match.method, method.uppercased() != call.method { return false }
        if let path = match.path, !MockFaultPlan.glob(path, matches: call.path) { return false }
        if let query = match.query {
            for (name, value) in query where call.query(name) != value { return false }
        }
        if let token = match.token, token != call.tokenID, token != tokenText(call), token != call.login {
            return false
        }
        if let header = match.header, call.request.header(header) == nil { return false }
        return true
    }

    /// A response that replaces the normal one, or nil when the action shapes the normal response instead.
    func faultResponse(_ action: MockFaultPlan.Action, rule: String) -> MockResponse? {
        switch action.type {
        case "status":
            let status = action.status ?? 502
            var response = MockResponse(status: status, faultRule: rule)
            if let body = action.body {
                response.body = body.bytes
            } else {
                response.body = MockJSON.object([("message", .string("Server Error"))]).bytes
            }
            for (name, value) in (action.headers ?? [:]).sorted(by: { $0.key < $1.key }) {
                response.headers.append((name.lowercased(), value))
            }
            return response
        case "timeout":
            return MockResponse(
                status: action.status ?? 502,
                body: MockJSON.object([("message", .string("Server Error"))]).bytes,
                delay: .milliseconds(action.holdMs ?? 10_000),
                faultRule: rule
            )
        case "empty":
            return MockResponse(status: 502, transport: .reset(afterBytes: 0), faultRule: rule)
        default:
            return nil
        }
    }

    /// Shapes a normal response: delay, reset part-way, truncate, or corrupt the JSON.
    func applyFault(_ action: MockFaultPlan.Action, rule: String, to response: inout MockResponse) {
        response.faultRule = rule
        switch action.type {
        case "latency":
            if let fixed = action.fixed {
                response.delay = .milliseconds(fixed)
            } else if let range = action.uniform, range.count == 2 {
                var random = faultCounters[rule]?.random ?? MockRandom(seed: seed)
                let span = max(0, range[1] - range[0])
                response.delay = .milliseconds(range[0] + Int(random.next() % UInt64(span + 1)))
                faultCounters[rule]?.random = random
            }
        case "reset":
            response.transport = .reset(afterBytes: min(action.afterBytes ?? 0, response.body.count))
        case "truncate":
            response.transport = .truncate(bytes: response.body.count / 2)
        case "malformed":
            response.status = 200
            response.body = Array(response.body.prefix(max(1, response.body.count / 2))) + Array("\u{0}{\"".utf8)
        default:
            break
        }
    }
}
