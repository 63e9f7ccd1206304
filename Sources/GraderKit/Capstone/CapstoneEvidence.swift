import Foundation

/// The capstone scenarios the grader drives (rubric items `Project.scenario.<name>`).
public enum CapstoneScenario: String, Sendable, CaseIterable, Codable {
    /// Exit 0, every repository in line with the policy, no client violation in the mock.
    case normalRun = "normal-run"
    /// Exit 0, the repositories read, no mutating request, the report says what would change.
    case dryRun = "dry-run"
    /// Malicious `--org`, configuration and environment values rejected (64 / 78) before any request.
    case maliciousInput = "malicious-input"
    /// The token in none of stdout, stderr, the log file, the state directory's files, the report.
    case tokenNeverLeaked = "token-never-leaked"
    /// A burst of 5xx answers is retried (a bounded number of times) and the run still ends in line.
    case serverErrorBurst = "5xx-burst"
    /// A small quota: the run waits for its reset instead of sending while it is exhausted, and completes.
    case quotaReset = "quota-reset"
    /// Every repository endpoint fails: the circuit breaker stops the calls and the run exits non-zero.
    case outageBreaker = "outage-breaker"
    /// Killed (SIGKILL) mid-run, then run again with the same state directory: no change repeated, none left.
    case killResume = "kill-resume"
    /// A second run revalidates what the first fetched with `If-None-Match` and gets 304s.
    case conditionalRequests = "conditional-requests"
    /// More repositories with latency: the mock sees requests in parallel, never more than `--concurrency`.
    case boundedParallelism = "bounded-parallelism"

    /// The rubric item id, `Project.scenario.<name>`.
    public var itemID: String { "Project.scenario.\(rawValue)" }

    /// The scenario of a rubric item id, if the grader implements it.
    public init?(itemID: String) {
        guard itemID.hasPrefix("Project.scenario.") else { return nil }
        self.init(rawValue: String(itemID.dropFirst("Project.scenario.".count)))
    }
}

/// The policy every scenario configures (written to the `--config` file) and the mock's fixture.
public enum CapstonePolicy {
    /// The organisation of the mock's standard fixture.
    public static let organisation = "moko-lab"
    /// Repositories in the fixture (few: the mock spaces mutations about a second apart).
    public static let repositories = 3
    /// The mock's seed (deterministic ids, names and tokens).
    public static let seed: UInt64 = 20_261_207
    /// The team the policy grants access to (exists in the standard fixture).
    public static let teamSlug = "platform"
    /// The permission the policy asks for.
    public static let teamPermission = "maintain"

    /// Repositories in the bounded-parallelism scenario: more than one page of 100, so a program that does not
    /// follow `rel="next"` leaves some unread.
    public static let parallelRepositories = 105
    /// Repositories in the outage scenario.
    public static let outageRepositories = 6
    /// `--concurrency` of the bounded-parallelism scenario.
    public static let parallelConcurrency = 3
    /// `--concurrency` of the outage scenario (the contract's default, passed explicitly).
    public static let outageConcurrency = 4
    /// The contract's default `resilience.breaker_threshold`.
    public static let breakerThreshold = 5
    /// The contract's default `resilience.max_retries`: a request is sent at most `1 + maxRetries` times in a row.
    public static let maxRetries = 4
    /// Quota left (of 5,000) when the quota-reset scenario starts; the run needs more requests than this.
    public static let quotaRemaining = 5
    /// Seconds (from the next whole second) until the quota resets in the quota-reset scenario.
    public static let quotaResetSeconds = 3
    /// Successful mutating requests after which the kill-resume scenario kills the first run (half a second
    /// later, between two mutations the mock spaces a second apart): of the nine the fixture needs, so at least
    /// one repository is finished and at least one is not.
    public static let killAfterMutations = 7
    /// Delay added to every repository read in the bounded-parallelism scenario (so requests overlap).
    public static let parallelLatencyMilliseconds = 40

    /// The fault plan of a scenario (JSON for `mock-github --fault-plan`), if it has one.
    public static func faultPlan(_ scenario: CapstoneScenario) -> String? {
        switch scenario {
        case .serverErrorBurst:
            // With --concurrency 1 the first three repository reads are one request and its two retries; then
            // the first branch-protection update fails once.
            return """
                {"rules":[\
                {"id":"burst-read","match":{"method":"GET","path":"/repos/*/*"},"when":{"from":1,"to":3},\
                "action":{"type":"status","status":502}},\
                {"id":"burst-protection","match":{"method":"PUT","path":"/repos/*/*/branches/*/protection"},\
                "when":{"nth":[1]},"action":{"type":"status","status":503}}]}
                """
        case .outageBreaker:
            return """
                {"rules":[\
                {"id":"outage-repos","match":{"path":"/repos/**"},"action":{"type":"status","status":503}},\
                {"id":"outage-teams","match":{"path":"/orgs/*/teams/**"},"action":{"type":"status","status":503}}]}
                """
        case .boundedParallelism:
            return """
                {"rules":[{"id":"latency","match":{"method":"GET","path":"/repos/**"},\
                "action":{"type":"latency","fixed":\(parallelLatencyMilliseconds)}}]}
                """
        default:
            return nil
        }
    }

    /// Repositories of the mock's fixture in `scenario`.
    public static func repositories(_ scenario: CapstoneScenario) -> Int {
        switch scenario {
        case .boundedParallelism: parallelRepositories
        case .outageBreaker: outageRepositories
        default: repositories
        }
    }

    /// The configuration file of the scenarios.
    public static let configYAML = """
        policy:
          settings:
            has_issues: true
            has_wiki: false
            has_projects: false
          branch_protection:
            required_approving_review_count: 1
            dismiss_stale_reviews: true
            enforce_admins: true
          teams:
            - slug: \(teamSlug)
              permission: \(teamPermission)

        """
}

/// What a scenario observed: the mock's journal, state and violations, and the runs of `moko-project`.
public struct CapstoneEvidence: Sendable, Equatable {
    /// One run of `moko-project`.
    public struct Run: Sendable, Equatable {
        /// The run's name in the scenario (`main`, `org-traversal`...).
        public var name: String
        /// Its exit status (`nil` when it never finished).
        public var exitCode: Int32?
        /// Journal entries before the run started.
        public var journalBefore: Int
        /// Journal entries when it ended.
        public var journalAfter: Int
        /// Its standard output.
        public var stdout: String
        /// Its standard error.
        public var stderr: String
        /// `true` when the grader killed it (SIGKILL) on purpose.
        public var killed: Bool

        /// Creates a run record.
        public init(
            name: String, exitCode: Int32?, journalBefore: Int, journalAfter: Int, stdout: String = "",
            stderr: String = "", killed: Bool = false
        ) {
            self.name = name
            self.exitCode = exitCode
            self.journalBefore = journalBefore
            self.journalAfter = journalAfter
            self.stdout = stdout
            self.stderr = stderr
            self.killed = killed
        }
    }

    /// One line of the mock's request journal (the fields the verdicts read).
    public struct JournalLine: Sendable, Equatable, Codable {
        /// Sequence number from 1.
        public var seq: Int
        /// HTTP method.
        public var method: String
        /// Path without query.
        public var path: String
        /// Status served.
        public var status: Int
        /// Virtual time in milliseconds since 1970 (the mock's clock follows wall time in the scenarios).
        public var vt: Int?
        /// Raw query, without `?`.
        public var query: String?
        /// Selected request headers (lower-case names), e.g. `if-none-match`.
        public var headers: [String: String]?
        /// Selected response headers (lower-case names), e.g. `etag`, `x-ratelimit-remaining`.
        public var responseHeaders: [String: String]?
        /// Secondary-limit accounting; `inFlight` is the number of the token's requests in flight.
        public var secondary: [String: Int]?
        /// The fault rule that answered, if any.
        public var fault: String?

        /// Creates a journal line.
        public init(
            seq: Int, method: String, path: String, status: Int, vt: Int? = nil, query: String? = nil,
            headers: [String: String]? = nil, responseHeaders: [String: String]? = nil,
            secondary: [String: Int]? = nil, fault: String? = nil
        ) {
            self.seq = seq
            self.method = method
            self.path = path
            self.status = status
            self.vt = vt
            self.query = query
            self.headers = headers
            self.responseHeaders = responseHeaders
            self.secondary = secondary
            self.fault = fault
        }

        /// `true` for a request that changes something (anything but GET, HEAD and OPTIONS).
        public var isMutation: Bool { !["GET", "HEAD", "OPTIONS"].contains(method.uppercased()) }

        /// Path and query, as the mock keys ETags.
        public var target: String { (query ?? "").isEmpty ? path : path + "?" + (query ?? "") }

        /// Requests of the same token in flight when it arrived (1 when unknown).
        public var inFlight: Int { secondary?["inFlight"] ?? 1 }
    }

    /// The part of the mock's state the policy is about.
    public struct State: Sendable, Equatable, Decodable {
        /// A repository.
        public struct Repo: Sendable, Equatable, Decodable {
            /// Its id.
            public var id: Int
            /// Its name.
            public var name: String
            /// Its owner.
            public var ownerLogin: String
            /// Archived repositories are left alone.
            public var archived: Bool
            /// Settings.
            public var hasIssues: Bool
            /// Settings.
            public var hasWiki: Bool
            /// Settings.
            public var hasProjects: Bool
            /// The default branch.
            public var defaultBranch: String
            /// Branch protection per branch.
            public var protections: [String: Protection]
        }

        /// A branch protection rule as the mock stores it.
        public struct Protection: Sendable, Equatable, Decodable {
            /// Review requirements.
            public struct Reviews: Sendable, Equatable, Decodable {
                /// `dismiss_stale_reviews`.
                public var dismissStaleReviews: Bool?
                /// `required_approving_review_count`.
                public var requiredApprovingReviewCount: Int?

                enum CodingKeys: String, CodingKey {
                    case dismissStaleReviews = "dismiss_stale_reviews"
                    case requiredApprovingReviewCount = "required_approving_review_count"
                }
            }

            /// `enforce_admins`.
            public var enforceAdmins: Bool?
            /// `required_pull_request_reviews`.
            public var reviews: Reviews?

            enum CodingKeys: String, CodingKey {
                case enforceAdmins = "enforce_admins"
                case reviews = "required_pull_request_reviews"
            }

            /// Reads `enforce_admins` as a boolean or as GitHub's `{enabled: …}` object.
            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                if let flag = try? container.decodeIfPresent(Bool.self, forKey: .enforceAdmins) {
                    enforceAdmins = flag
                } else if let object = try? container.decodeIfPresent([String: Bool].self, forKey: .enforceAdmins) {
                    enforceAdmins = object["enabled"]
                } else {
                    enforceAdmins = nil
                }
                reviews = try? container.decodeIfPresent(Reviews.self, forKey: .reviews)
            }

            /// Creates a rule.
            public init(enforceAdmins: Bool?, reviews: Reviews?) {
                self.enforceAdmins = enforceAdmins
                self.reviews = reviews
            }
        }

        /// A team.
        public struct Team: Sendable, Equatable, Decodable {
            /// Its slug.
            public var slug: String
            /// Permission per repository id (as a string).
            public var repoPermissions: [String: String]
        }

        /// Every repository.
        public var repos: [Repo]
        /// Every team.
        public var teams: [Team]
    }

    /// A client-compliance finding of the mock.
    public struct Violation: Sendable, Equatable, Decodable {
        /// The rule, e.g. `mutation-spacing`.
        public var rule: String
        /// What the client did wrong (no hidden data: it describes the trainee's own requests).
        public var message: String
    }

    /// The runs, in order.
    public var runs: [Run]
    /// The whole journal.
    public var journal: [JournalLine]
    /// The mock's state after the runs (`nil` when it could not be read).
    public var state: State?
    /// The mock's violations after the runs (`nil` when they could not be read).
    public var violations: [Violation]?
    /// The files the runs left in their state directory (relative path → content).
    public var stateFiles: [String: Data]
    /// The token the mock issued to the runs.
    public var token: String
    /// The quota-reset scenario's reset instant (seconds since 1970), when the driver set one.
    public var quotaReset: Int?

    /// Creates the evidence of a scenario.
    public init(
        runs: [Run], journal: [JournalLine], state: State?, violations: [Violation]?, stateFiles: [String: Data] = [:],
        token: String = "", quotaReset: Int? = nil
    ) {
        self.runs = runs
        self.journal = journal
        self.state = state
        self.violations = violations
        self.stateFiles = stateFiles
        self.token = token
        self.quotaReset = quotaReset
    }

    /// The run named `name`.
    public func run(_ name: String) -> Run? { runs.first { $0.name == name } }

    /// The journal lines a run caused.
    public func journal(of run: Run) -> [JournalLine] {
        journal.filter { $0.seq > run.journalBefore && $0.seq <= run.journalAfter }
    }
}

/// A scenario's outcome: passed, or the first reason it did not (trainee-safe: it names what was expected and
/// what the run did, never the grader's internals).
public struct CapstoneVerdict: Sendable, Equatable {
    /// `true` when everything held.
    public var passed: Bool
    /// Why it failed.
    public var message: String?

    /// A pass.
    public static let pass = CapstoneVerdict(passed: true, message: nil)

    /// A failure.
    public static func fail(_ message: String) -> CapstoneVerdict { CapstoneVerdict(passed: false, message: message) }
}

/// One case of the malicious-input scenario.
public struct MaliciousCase: Sendable, Equatable {
    /// The run's name.
    public var name: String
    /// What kind of input it is (shown to the trainee; the value itself is described, not quoted).
    public var description: String
    /// The `--org` value.
    public var org: String
    /// The configuration file's text (`nil`: the scenario's policy).
    public var config: String?
    /// Environment overrides.
    public var environment: [String: String]
    /// The exit status the contract asks for.
    public var expectedExit: Int32

    /// The cases, in the order they run.
    public static let all: [MaliciousCase] = [
        MaliciousCase(
            name: "org-traversal", description: "an --org with a path traversal", org: "../../etc/passwd",
            config: nil, environment: [:], expectedExit: 64),
        MaliciousCase(
            name: "org-injection", description: "an --org with a shell/URL injection", org: "moko-lab;rm -rf /?x=1",
            config: nil, environment: [:], expectedExit: 64),
        MaliciousCase(
            name: "org-control", description: "an --org with a control character", org: "moko-lab\nX-Evil: 1",
            config: nil, environment: [:], expectedExit: 64),
        MaliciousCase(
            name: "org-slash", description: "an --org naming another path", org: "moko-lab/../admin",
            config: nil, environment: [:], expectedExit: 64),
        MaliciousCase(
            name: "config-out-of-range", description: "a configuration value out of range (review count)",
            org: CapstonePolicy.organisation,
            config: "policy:\n  branch_protection:\n    required_approving_review_count: 99\n", environment: [:],
            expectedExit: 78),
        MaliciousCase(
            name: "config-unknown-key", description: "an unknown configuration key (a typo)",
            org: CapstonePolicy.organisation, config: "policy:\n  settings:\n    has_wikii: false\n",
            environment: [:], expectedExit: 78),
        MaliciousCase(
            name: "config-team-slug", description: "a team slug with a path traversal",
            org: CapstonePolicy.organisation,
            config: "policy:\n  teams:\n    - slug: ../admins\n      permission: admin\n", environment: [:],
            expectedExit: 78),
        MaliciousCase(
            name: "api-url-scheme", description: "a GITHUB_API_URL that is not http(s)",
            org: CapstonePolicy.organisation, config: nil, environment: ["GITHUB_API_URL": "file:///etc/passwd"],
            expectedExit: 78),
    ]
}

/// Turns a scenario's evidence into its verdict. Pure: the unit tests feed it journals and states.
public enum CapstoneJudge {
    /// The verdict of `scenario` on `evidence`.
    public static func judge(_ scenario: CapstoneScenario, _ evidence: CapstoneEvidence) -> CapstoneVerdict {
        switch scenario {
        case .normalRun: normalRun(evidence)
        case .dryRun: dryRun(evidence)
        case .maliciousInput: maliciousInput(evidence)
        case .tokenNeverLeaked: tokenNeverLeaked(evidence)
        case .serverErrorBurst: serverErrorBurst(evidence)
        case .quotaReset: quotaReset(evidence)
        case .outageBreaker: outageBreaker(evidence)
        case .killResume: killResume(evidence)
        case .conditionalRequests: conditionalRequests(evidence)
        case .boundedParallelism: boundedParallelism(evidence)
        }
    }

    static func exitProblem(_ run: CapstoneEvidence.Run?, expected: Int32, what: String) -> String? {
        guard let run else { return "\(what): moko-project did not run" }
        guard let code = run.exitCode else { return "\(what): moko-project did not finish" }
        if code == expected { return nil }
        return "\(what): moko-project exited \(code); expected \(expected)"
    }

    /// Exit 0; every repository of the organisation that is not archived has the policy's settings, protection
    /// on its default branch and team access; no client violation.
    static func normalRun(_ evidence: CapstoneEvidence) -> CapstoneVerdict {
        let run = evidence.run("main")
        if let problem = exitProblem(run, expected: 0, what: "normal run") { return .fail(problem) }
        if evidence.state == nil { return .fail("normal run: the mock's state could not be read") }
        if let run, evidence.journal(of: run).isEmpty {
            return .fail("normal run: moko-project sent no request to GITHUB_API_URL")
        }
        if let problem = complianceProblem(evidence.state, what: "normal run") { return .fail(problem) }
        guard let violations = evidence.violations else {
            return .fail("normal run: the mock's violations could not be read")
        }
        if let first = violations.first {
            return .fail(
                "normal run: the mock recorded \(violations.count) client violation(s); first: \(first.rule): \(first.message)"
            )
        }
        return .pass
    }

    /// The repositories of the organisation that are not archived.
    static func activeRepositories(_ state: CapstoneEvidence.State) -> [CapstoneEvidence.State.Repo] {
        state.repos.filter { $0.ownerLogin == CapstonePolicy.organisation && !$0.archived }
    }

    /// Why the mock's state is not in line with the policy (`nil` when every active repository is).
    static func complianceProblem(_ state: CapstoneEvidence.State?, what: String) -> String? {
        guard let state else { return "\(what): the mock's state could not be read" }
        let repos = activeRepositories(state)
        guard !repos.isEmpty else { return "\(what): the mock has no repository to check" }
        let team = state.teams.first { $0.slug == CapstonePolicy.teamSlug }
        var problems: [String] = []
        for repo in repos.sorted(by: { $0.name < $1.name }) {
            var wrong: [String] = []
            if !repo.hasIssues { wrong.append("has_issues") }
            if repo.hasWiki { wrong.append("has_wiki") }
            if repo.hasProjects { wrong.append("has_projects") }
            let protection = repo.protections[repo.defaultBranch]
            if protection == nil {
                wrong.append("no protection on the default branch")
            } else if let protection {
                if protection.enforceAdmins != true { wrong.append("enforce_admins") }
                if protection.reviews?.dismissStaleReviews != true { wrong.append("dismiss_stale_reviews") }
                if protection.reviews?.requiredApprovingReviewCount != 1 {
                    wrong.append("required_approving_review_count")
                }
            }
            if team?.repoPermissions[String(repo.id)] != CapstonePolicy.teamPermission {
                wrong.append("team \(CapstonePolicy.teamSlug) permission")
            }
            if !wrong.isEmpty { problems.append("\(repo.name) (\(wrong.joined(separator: ", ")))") }
        }
        if !problems.isEmpty {
            return
                "\(what): \(problems.count) of \(repos.count) repositories not in line with the policy after the run: "
                + problems.prefix(3).joined(separator: "; ")
        }
        return nil
    }

    /// Exit 0; the organisation's repositories read; no mutating request; the `--json` summary says what would
    /// change.
    static func dryRun(_ evidence: CapstoneEvidence) -> CapstoneVerdict {
        let run = evidence.run("dry-run")
        if let problem = exitProblem(run, expected: 0, what: "dry run") { return .fail(problem) }
        guard let run else { return .fail("dry run: moko-project did not run") }
        let lines = evidence.journal(of: run)
        let organisationPath = "/orgs/\(CapstonePolicy.organisation)/repos"
        if !lines.contains(where: { $0.method == "GET" && $0.path == organisationPath }) {
            return .fail("dry run: the organisation's repositories were never listed (GET \(organisationPath))")
        }
        let mutations = lines.filter(\.isMutation)
        if let first = mutations.first {
            return .fail(
                "dry run: \(mutations.count) mutating request(s) sent; first: \(first.method) \(first.path) — --dry-run must change nothing"
            )
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any],
            let repositories = object["repositories"] as? [[String: Any]]
        else {
            return .fail("dry run: the --json summary on stdout is not a JSON object with `repositories`")
        }
        if object["dryRun"] as? Bool != true { return .fail("dry run: the --json summary does not say `dryRun: true`") }
        let wouldUpdate = repositories.filter { $0["status"] as? String == "would_update" }
        if wouldUpdate.isEmpty {
            return .fail("dry run: no repository reported as `would_update`, although none is in line with the policy")
        }
        return .pass
    }

    /// Every malicious case exits as the contract says with no request sent; a valid control run succeeds (so a
    /// program that rejects everything does not pass).
    static func maliciousInput(_ evidence: CapstoneEvidence) -> CapstoneVerdict {
        for testCase in MaliciousCase.all {
            guard let run = evidence.run(testCase.name) else {
                return .fail("malicious input: \(testCase.description): moko-project did not run")
            }
            let sent = evidence.journal(of: run).count
            if sent > 0 {
                return .fail(
                    "malicious input: \(testCase.description): \(sent) request(s) sent before it was rejected; validate every input before the first request"
                )
            }
            if let problem = exitProblem(
                run, expected: testCase.expectedExit, what: "malicious input: \(testCase.description)")
            {
                return .fail(problem)
            }
        }
        let control = evidence.run("control")
        if let problem = exitProblem(
            control, expected: 0, what: "malicious input: a valid --dry-run after the rejected ones")
        {
            return .fail(problem)
        }
        if let control, evidence.journal(of: control).isEmpty {
            return .fail("malicious input: a valid --dry-run sent no request")
        }
        return .pass
    }

    /// A verbose run with a log file succeeds and writes its report, and the token is in none of its outputs.
    static func tokenNeverLeaked(_ evidence: CapstoneEvidence) -> CapstoneVerdict {
        let run = evidence.run("verbose")
        if let problem = exitProblem(run, expected: 0, what: "token check (a --verbose run)") { return .fail(problem) }
        guard let run, !evidence.token.isEmpty else { return .fail("token check: moko-project did not run") }
        if evidence.journal(of: run).isEmpty { return .fail("token check: the run sent no request") }
        if evidence.stateFiles["report.json"] == nil {
            return .fail("token check: the run wrote no report (report.json in --state-dir)")
        }
        let token = Data(evidence.token.utf8)
        var leaks: [String] = []
        if run.stdout.contains(evidence.token) { leaks.append("stdout") }
        if run.stderr.contains(evidence.token) { leaks.append("stderr") }
        for (file, data) in evidence.stateFiles.sorted(by: { $0.key < $1.key }) where data.range(of: token) != nil {
            leaks.append(file)
        }
        if !leaks.isEmpty {
            return .fail("token check: the token appears in \(leaks.joined(separator: ", "))")
        }
        return .pass
    }
}
