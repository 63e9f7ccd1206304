/// A seeded, reproducible plan of faults: which requests get a 5xx, a delay, a timeout, a dropped
/// connection or a truncated body.
///
/// Rules are tried in order; the first whose `match` and `when` accept the request fires. Each rule
/// counts its own matching occurrences (1-based) and draws from its own random stream seeded from
/// (seed, rule id), so adding a rule does not change what the others do.
public struct MockFaultPlan: Codable, Sendable, Equatable {
    /// Which requests a rule looks at.
    public struct Match: Codable, Sendable, Equatable {
        /// HTTP method, e.g. `GET`; any when nil.
        public var method: String?
        /// Path glob: `*` matches one segment, `**` any number; any when nil.
        public var path: String?
        /// Query parameters that must be present with these values.
        public var query: [String: String]?
        /// Token id (e.g. `t1`) or token text; any when nil.
        public var token: String?
        /// A header that must be present.
        public var header: String?

        /// Creates a match.
        public init(
            method: String? = nil,
            path: String? = nil,
            query: [String: String]? = nil,
            token: String? = nil,
            header: String? = nil
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.token = token
            self.header = header
        }
    }

    /// Which of the matching occurrences fire.
    public struct When: Codable, Sendable, Equatable {
        /// 1-based occurrences that fire. With an empty match this is the request index.
        public var nth: [Int]?
        /// Every N-th occurrence fires.
        public var every: Int?
        /// First occurrence that fires.
        public var from: Int?
        /// Last occurrence that fires.
        public var to: Int?
        /// Probability of firing, drawn from the rule's seeded stream.
        public var probability: Double?
        /// Fires only at or after this virtual instant (seconds since 1970).
        public var afterVirtual: Double?

        /// Creates a condition.
        public init(
            nth: [Int]? = nil,
            every: Int? = nil,
            from: Int? = nil,
            to: Int? = nil,
            probability: Double? = nil,
            afterVirtual: Double? = nil
        ) {
            self.nth = nth
            self.every = every
            self.from = from
            self.to = to
            self.probability = probability
            self.afterVirtual = afterVirtual
        }
    }

    /// What happens when a rule fires.
    public struct Action: Codable, Sendable, Equatable {
        /// `status`, `latency`, `timeout`, `reset`, `empty`, `truncate`, `malformed` or `rateLimit`.
        public var type: String
        /// Status for `status` (default 502), `timeout` (default 502) and `rateLimit` (default 403).
        public var status: Int?
        /// Body for `status`: JSON, or nil for GitHub's `{"message":"Server Error"}`.
        public var body: MockJSON?
        /// Extra headers for `status`.
        public var headers: [String: String]?
        /// Fixed delay in milliseconds for `latency`.
        public var fixed: Int?
        /// Uniform delay range `[min, max]` in milliseconds for `latency`.
        public var uniform: [Int]?
        /// Hold time in milliseconds for `timeout` (default 10,000).
        public var holdMs: Int?
        /// Bytes sent before the connection is closed, for `reset` (0 = before the headers).
        public var afterBytes: Int?
        /// `primary` or `secondary`, for `rateLimit`.
        public var kind: String?
        /// `wait-few-minutes` or `content-creation`, for secondary `rateLimit`.
        public var variant: String?
        /// `Retry-After` seconds for `rateLimit`; absent → none.
        public var retryAfter: Int?

        /// Creates an action.
        public init(
            type: String,
            status: Int? = nil,
            body: MockJSON? = nil,
            headers: [String: String]? = nil,
            fixed: Int? = nil,
            uniform: [Int]? = nil,
            holdMs: Int? = nil,
            afterBytes: Int? = nil,
            kind: String? = nil,
            variant: String? = nil,
            retryAfter: Int? = nil
        ) {
            self.type = type
            self.status = status
            self.body = body
            self.headers = headers
            self.fixed = fixed
            self.uniform = uniform
            self.holdMs = holdMs
            self.afterBytes = afterBytes
            self.kind = kind
            self.variant = variant
            self.retryAfter = retryAfter
        }

        /// The action types the mock understands.
        public static let knownTypes: Set<String> = [
            "status", "latency", "timeout", "reset", "empty", "truncate", "malformed", "rateLimit",
        ]
    }

    /// One rule.
    public struct Rule: Codable, Sendable, Equatable {
        /// Unique id (journals name it; seeds its random stream).
        public var id: String
        /// Which requests it looks at; all when nil.
        public var match: Match?
        /// Which occurrences fire; all when nil.
        public var when: When?
        /// Maximum number of firings.
        public var times: Int?
        /// What happens.
        public var action: Action

        /// Creates a rule.
        public init(id: String, match: Match? = nil, when: When? = nil, times: Int? = nil, action: Action) {
            self.id = id
            self.match = match
            self.when = when
            self.times = times
            self.action = action
        }
    }

    /// The rules, tried in order.
    public var rules: [Rule]

    /// Creates a plan.
    public init(rules: [Rule] = []) {
        self.rules = rules
    }

    /// A plan with one rule answering `status` to the `from`…`to` requests matching `method` and `path`.
    public static func burst(
        id: String = "burst",
        method: String? = nil,
        path: String? = nil,
        status: Int = 502,
        occurrences: ClosedRange<Int>
    ) -> MockFaultPlan {
        MockFaultPlan(rules: [
            Rule(
                id: id,
                match: Match(method: method, path: path),
                when: When(from: occurrences.lowerBound, to: occurrences.upperBound),
                action: Action(type: "status", status: status)
            )
        ])
    }

    /// What is wrong with the plan, or nil when it is valid.
    public func validationProblem() -> String? {
        var ids = Set<String>()
        for rule in rules {
            if rule.id.isEmpty { return "Every rule needs a non-empty id." }
            if !ids.insert(rule.id).inserted { return "Rule id '\(rule.id)' is used twice." }
            if !Action.knownTypes.contains(rule.action.type) {
                return "Rule '\(rule.id)': unknown action type '\(rule.action.type)'."
            }
            if let status = rule.action.status, !(100...599).contains(status) {
                return "Rule '\(rule.id)': status \(status) is not an HTTP status."
            }
            if let probability = rule.when?.probability, !(0...1).contains(probability) {
                return "Rule '\(rule.id)': probability must be between 0 and 1."
            }
            if let every = rule.when?.every, every < 1 { return "Rule '\(rule.id)': every must be ≥ 1." }
            if let uniform = rule.action.uniform, uniform.count != 2 || uniform[0] > uniform[1] || uniform[0] < 0 {
                return "Rule '\(rule.id)': uniform must be [min, max] with 0 ≤ min ≤ max."
            }
            for value in [rule.action.fixed, rule.action.holdMs, rule.action.afterBytes, rule.times] {
                if let value, value < 0 { return "Rule '\(rule.id)': negative numbers are not allowed." }
            }
        }
        return nil
    }

    /// Whether `path` matches the glob `pattern` (`*` one segment, `**` any number of segments).
    static func glob(_ pattern: String, matches path: String) -> Bool {
        let patternParts = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let pathParts = path.split(separator: "/", omittingEmptySubsequences: false)
        func match(_ p: Int, _ s: Int) -> Bool {
            if p == patternParts.count { return s == pathParts.count }
            if patternParts[p] == "**" {
                for next in s...pathParts.count where match(p + 1, next) { return true }
                return false
            }
            guard s < pathParts.count else { return false }
            if patternParts[p] == "*" || patternParts[p] == pathParts[s] { return match(p + 1, s + 1) }
            return false
        }
        return match(0, 0)
    }
}
