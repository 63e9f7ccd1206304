import Foundation
import Logging
import MockGitHub
import MockGitHubServer
import MokoEnterprise

/// What one run of the demo did.
struct DemoSummary: Codable {
    var organisation: String
    var serverURL: String
    var repositories: Int
    var alreadyCompliant: Int
    var updated: Int
    var skippedFromCheckpoint: Int
    var deadLettered: Int
    var faultsRetried: Int
    var requestsSent: Int
    var cacheHits: Int
    var quotaRemaining: Int?
    var breakerState: String
    var auditRecords: Int
    var auditChainValid: Bool
    var auditHead: String
    var mockViolations: [String: Int]
    var stateDirectory: String
    var metricsFile: String
    var seconds: Double

    var text: String {
        """
        moko-demo: policy enforced on \(repositories) repositories of \(organisation) (mock GitHub at \(serverURL))
          updated                 \(updated)
          already compliant       \(alreadyCompliant)
          skipped (checkpoint)    \(skippedFromCheckpoint)
          dead-lettered           \(deadLettered)
          5xx faults retried      \(faultsRetried)
          HTTP requests           \(requestsSent)   (a final relisting: \(cacheHits) pages answered 304 from the ETag cache)
          rate limit remaining    \(quotaRemaining.map(String.init) ?? "?")
          circuit breaker         \(breakerState)
          audit log               \(auditRecords) records, chain \(auditChainValid ? "verified" : "BROKEN"), head \(auditHead.prefix(16))…
          mock violations         \(mockViolations.isEmpty ? "none" : mockViolations.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ", "))
          state                   \(stateDirectory)
          metrics                 \(metricsFile)
          took                    \(String(format: "%.2f", seconds)) s
        """
    }
}

/// The policy job: list, then enforce per repository inside a saga, checkpointed, dead-lettered, audited.
struct DemoJob {
    var repos: Int
    var seed: UInt64
    var brokenRepos: Int
    var stateDirectory: URL

    private let organisation = "moko-lab"

    func run() async throws -> DemoSummary {
        let started = ContinuousClock.now
        var logger = Logger(label: "moko-demo")
        logger.logLevel = .critical

        // The mock: a seeded organisation and a fault plan (a burst of 502s on settings updates and a few
        // random 503s on reads; `brokenRepos` repositories whose protection always fails are added below).
        let mock = MockGitHub(
            configuration: .init(seed: seed, fixture: .standard(repos: repos), mutationSpacing: 0),
            clock: MockClock(epoch: Date(), mode: .running, wallTime: { Date() }))
        var rules = MockFaultPlan.burst(id: "patch-burst", method: "PATCH", path: "/repos/**", occurrences: 3...5).rules
        rules.append(
            MockFaultPlan.Rule(
                id: "flaky-reads", match: .init(method: "GET", path: "/repos/**"),
                when: .init(probability: 0.05), action: .init(type: "status", status: 503)))
        try await mock.setFaultPlan(MockFaultPlan(rules: rules))
        let server = try await MockGitHubServer.start(mock: mock)
        defer { Task { await server.stop() } }
        guard let token = await mock.token(for: "mona") else {
            throw DemoError(message: "the seeded organisation has no admin token")
        }

        // The library: client with retry + breaker + limiter + ETag cache, audit, metrics, checkpoint, DLQ.
        let breaker = try CircuitBreaker(name: "github", failureThreshold: 12, timeout: .seconds(1))
        let client = try GitHubClient(
            token: token,
            baseURL: server.baseURL,
            // GitHub's 5,000 requests per hour, with a burst large enough for the demo's few hundred calls.
            rateLimitConfig: RateLimitConfig(maxRequestsPerHour: 5_000, burstSize: 1_000),
            retryPolicy: RetryPolicy(maxRetries: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200)),
            circuitBreaker: breaker,
            logger: logger,
            requestTimeout: .seconds(5),
            mutationSpacing: .zero)
        let audit = try AuditLogger(service: "moko-demo", directory: stateDirectory, user: "mona")
        let metrics = MetricsCollector(service: "moko-demo")
        let dlq = try DeadLetterQueue(name: "policy-\(organisation)", maxRetries: 2, directory: stateDirectory)
        let saga = SagaOrchestrator(
            logger: logger,
            compensationRetry: SagaCompensationRetry(maxAttempts: 2, initialDelay: .milliseconds(10)),
            deadLetters: dlq,
            onEvent: audit.sagaEventRecorder(logger: logger))

        let outcome = try await audit.transaction("enforce_policy", metadata: ["org": .string(organisation)]) { txn in
            // List every repository, following Link headers page by page.
            var names: [RepoRef] = []
            for try await repo in client.listRepos(org: organisation) {
                names.append(RepoRef(name: repo.name, defaultBranch: repo.defaultBranch ?? "main"))
            }
            try txn.logEvent("repositories_listed", details: ["count": .int(names.count)])
            if brokenRepos > 0 {
                // Some repositories refuse protection for good: they end in the dead letter queue.
                var plan = rules
                for repo in names.suffix(brokenRepos) {
                    plan.append(
                        MockFaultPlan.Rule(
                            id: "broken-\(repo.name)",
                            match: .init(
                                method: "PUT", path: "/repos/\(organisation)/\(repo.name)/branches/*/protection"),
                            action: .init(type: "status", status: 500)))
                }
                try await mock.setFaultPlan(MockFaultPlan(rules: plan))
            }

            let tally = Tally()
            var skipped = 0
            for round in 1...dlq.maxRetries {
                let report = try await dlq.process(names, id: \.name) { repo in
                    try await enforce(repo, client: client, saga: saga, metrics: metrics, tally: tally)
                }
                if round == 1 { skipped = report.skipped.count }
                if report.pending.isEmpty { break }
            }
            try txn.logEvent(
                "policy_enforced",
                details: ["updated": .int(tally.updated), "compliant": .int(tally.compliant)])
            return (names, tally, skipped)
        }

        // Verification passes: the first relists what the job changed; the second revalidates every page
        // with If-None-Match and gets 304s, served from the cache without spending quota.
        for try await _ in client.listRepos(org: organisation) {}
        let before = client.getCacheStats().hits
        for try await _ in client.listRepos(org: organisation) {}
        let cacheHits = client.getCacheStats().hits - before

        let rate = try? await client.getRateLimitStatus()
        let metricsFile = stateDirectory.appendingPathComponent("metrics.prom")
        try metrics.writePrometheus(to: metricsFile)
        let verification = try audit.verify()
        let journal = await mock.journalEntries()
        let violations = await mock.violations()
        let deadLettered = try dlq.count
        return DemoSummary(
            organisation: organisation,
            serverURL: server.baseURL.absoluteString,
            repositories: outcome.0.count,
            alreadyCompliant: outcome.1.compliant,
            updated: outcome.1.updated,
            skippedFromCheckpoint: outcome.2,
            deadLettered: deadLettered,
            faultsRetried: journal.filter { $0.status >= 500 }.count,
            requestsSent: journal.count,
            cacheHits: cacheHits,
            quotaRemaining: rate?.core?.remaining,
            breakerState: "\(breaker.state)",
            auditRecords: try audit.records().count,
            auditChainValid: verification.isValid,
            auditHead: try audit.head.hash,
            mockViolations: Dictionary(violations.map { ($0.rule, 1) }, uniquingKeysWith: +),
            stateDirectory: stateDirectory.path,
            metricsFile: metricsFile.path,
            seconds: seconds(started.duration(to: .now)))
    }

    /// One repository: settings, then protection of the default branch, as a saga.
    private func enforce(
        _ repo: RepoRef,
        client: GitHubClient,
        saga: SagaOrchestrator,
        metrics: MetricsCollector,
        tally: Tally
    ) async throws {
        let current = try await client.getRepo(owner: organisation, repo: repo.name)
        let compliant = current.hasIssues == true && current.hasWiki == false && current.hasProjects == false
        let original = RepositoryUpdate(
            hasIssues: current.hasIssues, hasProjects: current.hasProjects, hasWiki: current.hasWiki)
        let policy = RepositoryUpdate(hasIssues: true, hasProjects: false, hasWiki: false)
        let protection = BranchProtectionUpdate(
            enforceAdmins: true,
            requiredPullRequestReviews: .init(dismissStaleReviews: true, requiredApprovingReviewCount: 1))
        do {
            try await saga.executeSaga(
                "enforce/\(repo.name)",
                steps: [
                    SagaStep(
                        name: "settings",
                        forward: {
                            if !compliant {
                                _ = try await client.updateRepo(owner: organisation, repo: repo.name, policy)
                            }
                        },
                        compensate: {
                            if !compliant {
                                _ = try await client.updateRepo(owner: organisation, repo: repo.name, original)
                            }
                        }),
                    SagaStep(
                        name: "protect_default_branch",
                        forward: {
                            try await client.updateBranchProtection(
                                owner: organisation, repo: repo.name, branch: repo.defaultBranch, protection)
                        },
                        compensate: {
                            try await client.deleteBranchProtection(
                                owner: organisation, repo: repo.name, branch: repo.defaultBranch)
                        }),
                ])
            try metrics.increment("repos_updated_total", labels: ["org": organisation, "result": "success"])
            tally.record(compliant: compliant)
        } catch {
            try metrics.increment("repos_updated_total", labels: ["org": organisation, "result": "failure"])
            throw error
        }
    }
}

/// A repository to enforce, as listed.
struct RepoRef: Codable, Sendable {
    var name: String
    var defaultBranch: String
}

/// The demo could not start.
struct DemoError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A duration in seconds, for the summary.
private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
