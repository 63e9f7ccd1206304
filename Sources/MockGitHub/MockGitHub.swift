import Foundation

/// A GitHub REST API in one actor: request in, response out, no transport.
///
/// It holds GitHub-shaped state (users, tokens, orgs, teams, repositories, branches, protections, issues,
/// hooks), answers the endpoints the lab's clients call with GitHub's statuses, headers and bodies,
/// and adds what teaching needs: a virtual clock, a seeded fault plan, a request journal and a violations
/// report, all driven through the admin API under `/__mock/`.
///
/// ```swift
/// let mock = MockGitHub(configuration: .init(seed: 7, fixture: .standard(repos: 250)))
/// let token = await mock.token(for: "mona")!
/// let response = await mock.handle(
///     MockRequest(method: "GET", target: "/orgs/moko-lab/repos?per_page=100",
///                 headers: [("Authorization", "Bearer \(token)"), ("User-Agent", "demo")]))
/// ```
public actor MockGitHub {
    /// How the mock behaves.
    public struct Configuration: Sendable {
        /// Seed for ids, names, tokens, request ids and fault draws.
        public var seed: UInt64
        /// The world to start from.
        public var fixture: MockFixture
        /// Bearer token of the admin API under `/__mock/`.
        public var adminToken: String
        /// Public base URL used in `url` fields, `Link` and `Location` (the HTTP adapter sets it).
        public var baseURL: String
        /// Status of rate-limit responses: 403 (default) or 429.
        public var rateLimitStatus: Int
        /// Primary limit per user and hour.
        public var userLimit: Int
        /// Primary limit per IP and hour for anonymous requests.
        public var anonymousLimit: Int
        /// Whether a missing `User-Agent` gets 403, as on GitHub.
        public var requireUserAgent: Bool
        /// Whether the secondary-limit engine is on.
        public var secondaryLimits: Bool
        /// Maximum concurrent requests per credential before a secondary limit.
        public var maxConcurrent: Int
        /// Points per minute per endpoint (GET 1, mutation 5).
        public var pointsPerMinute: Int
        /// Content-creating requests per minute.
        public var contentPerMinute: Int
        /// Content-creating requests per hour.
        public var contentPerHour: Int
        /// Concurrency above which the violations report flags a client.
        public var traineeConcurrency: Int
        /// Minimum spacing between mutations before the violations report flags a client, in seconds.
        public var mutationSpacing: Double
        /// How many journal entries are kept (oldest dropped first).
        public var journalCapacity: Int
        /// The rate-limit documentation URL in error bodies.
        public var rateLimitDocumentationURL: String

        /// Creates a configuration; every parameter has GitHub's or the lab's default.
        public init(
            seed: UInt64 = 1,
            fixture: MockFixture = .standard(repos: 10),
            adminToken: String = "mock-admin",
            baseURL: String = "https://api.github.com",
            rateLimitStatus: Int = 403,
            userLimit: Int = 5_000,
            anonymousLimit: Int = 60,
            requireUserAgent: Bool = true,
            secondaryLimits: Bool = true,
            maxConcurrent: Int = 100,
            pointsPerMinute: Int = 900,
            contentPerMinute: Int = 80,
            contentPerHour: Int = 500,
            traineeConcurrency: Int = 10,
            mutationSpacing: Double = 1,
            journalCapacity: Int = 10_000,
            rateLimitDocumentationURL: String =
                "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
        ) {
            self.seed = seed
            self.fixture = fixture
            self.adminToken = adminToken
            self.baseURL = baseURL
            self.rateLimitStatus = rateLimitStatus
            self.userLimit = userLimit
            self.anonymousLimit = anonymousLimit
            self.requireUserAgent = requireUserAgent
            self.secondaryLimits = secondaryLimits
            self.maxConcurrent = maxConcurrent
            self.pointsPerMinute = pointsPerMinute
            self.contentPerMinute = contentPerMinute
            self.contentPerHour = contentPerHour
            self.traineeConcurrency = traineeConcurrency
            self.mutationSpacing = mutationSpacing
            self.journalCapacity = journalCapacity
            self.rateLimitDocumentationURL = rateLimitDocumentationURL
        }
    }

    /// The virtual clock every time-dependent behaviour reads.
    public nonisolated let clock: MockClock

    var configuration: Configuration
    var state: MockGitHubState
    var seededState: MockGitHubState
    var seed: UInt64

    // Indexes, rebuilt from `state`.
    var repoIndexByID: [Int: Int] = [:]
    var repoIDByFullName: [String: Int] = [:]
    var tokenIndex: [String: Int] = [:]
    var userIndexByID: [Int: Int] = [:]
    var userIndexByLogin: [String: Int] = [:]
    var orgIndexByLogin: [String: Int] = [:]
    var orgIndexByID: [Int: Int] = [:]

    // Caches.
    var renderCache: [MockRenderKey: (version: Int, bytes: [UInt8])] = [:]
    var listCache: [String: [Int]] = [:]
    var teamRoleCache: [String: [Int: Int]] = [:]
    var pageCache: [String: (world: Int, response: MockResponse)] = [:]

    // Protocol state.
    var sequence = 0
    var buckets: [String: MockBucket] = [:]
    var secondaryWindows: [String: (start: Double, points: Int)] = [:]
    var contentWindows: [String: [Double]] = [:]
    var pendingTrips: [MockPendingTrip] = []
    var faultPlan = MockFaultPlan()
    var faultCounters: [String: (occurrences: Int, firings: Int, random: MockRandom)] = [:]

    // Compliance.
    var journal: [MockJournalRecord] = []
    var journalSink: (@Sendable (String) -> Void)?
    var violationList: [MockViolation] = []
    var compliance: [String: MockComplianceTrack] = [:]

    /// Creates a mock seeded from `configuration.fixture` and `configuration.seed`.
    ///
    /// - Parameters:
    ///   - configuration: behaviour and seed.
    ///   - clock: the virtual clock; frozen at 2026-01-01T00:00:00Z by default.
    public init(configuration: Configuration = Configuration(), clock: MockClock = MockClock()) {
        self.configuration = configuration
        self.clock = clock
        self.seed = configuration.seed
        let world = MockGitHub.build(
            fixture: configuration.fixture,
            seed: configuration.seed,
            now: clock.seconds
        )
        self.state = world
        self.seededState = world
        let indexes = MockIndexes(world)
        self.repoIndexByID = indexes.repoIndexByID
        self.repoIDByFullName = indexes.repoIDByFullName
        self.tokenIndex = indexes.tokenIndex
        self.userIndexByID = indexes.userIndexByID
        self.userIndexByLogin = indexes.userIndexByLogin
        self.orgIndexByLogin = indexes.orgIndexByLogin
        self.orgIndexByID = indexes.orgIndexByID
    }

    /// Sets the public base URL (scheme, host and port, no trailing slash) used in URLs the mock serves.
    public func setBaseURL(_ baseURL: String) {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        configuration.baseURL = url
        renderCache.removeAll()
        pageCache.removeAll()
    }

    /// The public base URL.
    public var baseURL: String { configuration.baseURL }

    /// The admin token of `/__mock/`.
    public var adminToken: String { configuration.adminToken }

    /// The first token of the user `login`, or nil.
    public func token(for login: String) -> String? {
        guard let userIndex = userIndexByLogin[login.lowercased()] else { return nil }
        let userID = state.users[userIndex].id
        return state.tokens.first { $0.userID == userID }?.token
    }

    /// Sends every journal line (NDJSON, no newline) to `sink` as it is recorded, e.g. to append to a file.
    public func setJournalSink(_ sink: (@Sendable (String) -> Void)?) {
        journalSink = sink
    }

    /// Replaces the fault plan.
    ///
    /// - Throws: `MockGitHubAdminError` when the plan is invalid; the old plan stays.
    public func setFaultPlan(_ plan: MockFaultPlan) throws(MockGitHubAdminError) {
        if let problem = plan.validationProblem() { throw MockGitHubAdminError(message: problem) }
        faultPlan = plan
        faultCounters.removeAll()
    }

    /// The journal entries kept, oldest first.
    public func journalEntries() -> [MockJournalEntry] { journal.map(\.entry) }

    /// The journal as NDJSON (one entry per line, keys sorted).
    public func journalNDJSON() -> String {
        journal.map { MockGitHub.encodeLine($0.entry) }.joined(separator: "\n") + (journal.isEmpty ? "" : "\n")
    }

    /// The violations found so far.
    public func violations() -> [MockViolation] { violationList }

    /// A copy of the current state.
    public func dumpState() -> MockGitHubState { state }

    /// Replaces the state atomically.
    ///
    /// - Throws: `MockGitHubAdminError` when the state is inconsistent; the old state stays.
    public func restoreState(_ newState: MockGitHubState) throws(MockGitHubAdminError) {
        if let problem = MockGitHub.consistencyProblem(newState) { throw MockGitHubAdminError(message: problem) }
        state = newState
        rebuildIndexes()
    }

    /// Back to the last seeded state: clears journal, violations, faults, buckets; clock to its epoch.
    public func reset() {
        state = seededState
        rebuildIndexes()
        sequence = 0
        buckets.removeAll()
        secondaryWindows.removeAll()
        contentWindows.removeAll()
        pendingTrips.removeAll()
        faultPlan = MockFaultPlan()
        faultCounters.removeAll()
        journal.removeAll()
        violationList.removeAll()
        compliance.removeAll()
        clock.reset()
    }

    /// Loads a fixture with a seed, then resets (see `reset()`).
    public func seed(fixture: MockFixture, seed: UInt64, epoch: Date? = nil) {
        clock.reset(to: epoch)
        self.seed = seed
        configuration.seed = seed
        configuration.fixture = fixture
        seededState = MockGitHub.build(fixture: fixture, seed: seed, now: clock.seconds)
        reset()
    }

    func rebuildIndexes() {
        let indexes = MockIndexes(state)
        repoIndexByID = indexes.repoIndexByID
        repoIDByFullName = indexes.repoIDByFullName
        tokenIndex = indexes.tokenIndex
        userIndexByID = indexes.userIndexByID
        userIndexByLogin = indexes.userIndexByLogin
        orgIndexByLogin = indexes.orgIndexByLogin
        orgIndexByID = indexes.orgIndexByID
        renderCache.removeAll()
        listCache.removeAll()
        teamRoleCache.removeAll()
        pageCache.removeAll()
    }

    static func consistencyProblem(_ state: MockGitHubState) -> String? {
        var ids = Set<Int>()
        var names = Set<String>()
        for repo in state.repos {
            if !ids.insert(repo.id).inserted { return "Repository id \(repo.id) appears twice." }
            if !names.insert(repo.fullName.lowercased()).inserted {
                return "Repository \(repo.fullName) appears twice."
            }
            if repo.name.isEmpty { return "Repository \(repo.id) has an empty name." }
        }
        let userIDs = Set(state.users.map(\.id))
        for token in state.tokens where !userIDs.contains(token.userID) {
            return "Token \(token.id) belongs to unknown user \(token.userID)."
        }
        if let maxID = (state.repos.map(\.id) + state.users.map(\.id) + state.orgs.map(\.id)).max(),
            state.nextID <= maxID
        {
            return "nextID (\(state.nextID)) must be greater than every id in use (\(maxID))."
        }
        return nil
    }

    static func encodeLine<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Hands out the next id.
    func nextID() -> Int {
        defer { state.nextID += 1 }
        return state.nextID
    }

    /// Bumps the mutation counter and returns the new version stamp.
    func nextVersion() -> Int {
        state.mutationCounter += 1
        return state.mutationCounter
    }
}

/// Why an admin operation was refused.
public struct MockGitHubAdminError: Error, Sendable, Equatable {
    /// What was wrong and what to send instead.
    public var message: String
}

/// A primary rate-limit bucket.
struct MockBucket: Sendable {
    var limit: Int
    var used: Int
    var reset: Double

    var remaining: Int { max(0, limit - used) }
}

/// A forced rate-limit response queued through `/__mock/ratelimit/trip`.
struct MockPendingTrip: Sendable {
    var subject: String?
    var action: MockFaultPlan.Action
    var remaining: Int
}

/// What the violations engine remembers about one credential.
struct MockComplianceTrack: Sendable {
    var retryAfterUntil: Double?
    var retryAfterSeq = 0
    var exhaustedUntil: Double?
    var exhaustedSeq = 0
    var secondaryWithoutRetryAt: Double?
    var secondarySeq = 0
    var lastMutationAt: Double?
    var lastMutationSeq = 0
    var servedETags: [String: Int] = [:]
    var linkedTargets: Set<String> = []
    var lastClientError: (key: String, seq: Int)?
    var reportedMissingHeaders = false
}

/// Key of the rendered-repository cache.
struct MockRenderKey: Hashable, Sendable {
    var id: Int
    var role: Int
    var full: Bool
    var modern: Bool
}

/// Lookup tables derived from a state.
struct MockIndexes {
    var repoIndexByID: [Int: Int] = [:]
    var repoIDByFullName: [String: Int] = [:]
    var tokenIndex: [String: Int]
    var userIndexByID: [Int: Int]
    var userIndexByLogin: [String: Int]
    var orgIndexByLogin: [String: Int]
    var orgIndexByID: [Int: Int]

    init(_ state: MockGitHubState) {
        for (index, repo) in state.repos.enumerated() {
            repoIndexByID[repo.id] = index
            repoIDByFullName[repo.fullName.lowercased()] = repo.id
        }
        tokenIndex = Dictionary(state.tokens.enumerated().map { ($1.token, $0) }, uniquingKeysWith: { a, _ in a })
        userIndexByID = Dictionary(state.users.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        userIndexByLogin = Dictionary(
            state.users.enumerated().map { ($1.login.lowercased(), $0) },
            uniquingKeysWith: { a, _ in a }
        )
        orgIndexByLogin = Dictionary(
            state.orgs.enumerated().map { ($1.login.lowercased(), $0) },
            uniquingKeysWith: { a, _ in a }
        )
        orgIndexByID = Dictionary(state.orgs.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
