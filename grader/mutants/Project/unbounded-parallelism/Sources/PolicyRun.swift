// MUTANT unbounded-parallelism: every repository is started at once, whatever --concurrency says.
// Caught by Project.scenario.bounded-parallelism.
import Foundation
import Logging
import MokoEnterprise
import Synchronization

/// One run of the policy job: list the organisation's repositories, then bring each in line, several at a
/// time, inside an audit transaction for the run and one per repository.
///
/// Levels of recovery, from the innermost:
/// 1. the GitHub client retries a request (transient errors, 5xx, rate limits) behind a circuit breaker;
/// 2. a repository's changes are one saga: when a step fails, the steps done are compensated in reverse;
/// 3. a repository that fails is tried again (`resilience.repository_attempts` in all, across runs) and then
///    parked in the dead letter queue;
/// 4. the checkpoint records each finished repository, so a killed run resumes where it stopped. Every
///    step first reads the current state and changes only what differs, so a resumed run never repeats a
///    change that was already made.
struct PolicyRun: Sendable {
    /// The validated settings.
    var settings: ProjectSettings
    /// Where progress and problems are logged (redacted by the CLI framework).
    var logger: Logger
    /// The HTTP transport; nil sends real requests with `URLSession`.
    var transport: (any HTTPTransport)?
    /// The clock for backoff, rate-limit waits, the breaker and mutation spacing.
    var clock: ErasedClock
    /// The calendar clock for audit timestamps and reports.
    var wallClock: any WallClock
    /// The minimum time between two mutating requests (GitHub asks for one second; a margin for jitter).
    var mutationSpacing: Duration = .milliseconds(1_050)

    /// Runs the job and writes the metrics file and the compliance report.
    ///
    /// - Returns: the report (also written to ``ProjectSettings/reportFile``).
    /// - Throws: what prevents the run as a whole (listing the repositories fails, the state directory
    ///   cannot be written); a repository's failure is recorded in the report instead.
    func run() async throws -> RunReport {
        let started = wallClock.currentDate
        let organisation = settings.organisation
        let state = settings.stateDirectory
        try FileManager.default.createDirectory(
            at: state, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        let http = ConditionalRequestStore(
            wrapping: transport ?? URLSessionTransport(defaultTimeout: .seconds(30)),
            fileURL: state.appendingPathComponent("etags.json"))
        let breaker = try CircuitBreaker(
            name: "github", failureThreshold: settings.breakerThreshold, timeout: settings.breakerTimeout,
            clock: clock, wallClock: wallClock)
        let client = try GitHubClient(
            token: settings.token,
            baseURL: settings.apiURL,
            rateLimitConfig: RateLimitConfig(maxRequestsPerHour: 5_000, burstSize: 500),
            retryPolicy: RetryPolicy(
                maxRetries: settings.maxRetries, baseDelay: .milliseconds(250), maxDelay: .seconds(20)),
            circuitBreaker: breaker,
            logger: logger,
            transport: http,
            clock: clock,
            wallClock: wallClock,
            environment: [:],
            mutationSpacing: settings.dryRun ? .zero : mutationSpacing)
        let audit = try AuditLogger(service: "moko-project", directory: state, wallClock: wallClock)
        let metrics = MetricsCollector(service: "moko-project")
        try metrics.describe("policy_repositories_total", help: "Repositories by final status of a run.")
        let dlq = try DeadLetterQueue(
            name: "policy-\(organisation)", maxRetries: settings.repositoryAttempts, directory: state,
            wallClock: wallClock)
        let grants = try Checkpoint(name: "team-access-\(organisation)", directory: state, wallClock: wallClock)
        let saga = SagaOrchestrator(
            logger: logger, wallClock: wallClock, clock: clock,
            compensationRetry: SagaCompensationRetry(maxAttempts: 3, initialDelay: .milliseconds(200)),
            deadLetters: dlq, onEvent: audit.sagaEventRecorder(logger: logger))
        let worker = RepositoryWorker(
            organisation: organisation, policy: settings.policy, dryRun: settings.dryRun, client: client,
            audit: audit, dlq: dlq, grants: grants, saga: saga, metrics: metrics, breaker: breaker, clock: clock,
            logger: logger)

        let metadata: AuditDetails = [
            "org": .string(organisation), "environment": .string(settings.environment),
            "dry_run": .bool(settings.dryRun), "concurrency": .int(settings.concurrency),
        ]
        let outcomes = try await audit.transaction("enforce_policy", metadata: metadata) { txn in
            try txn.logSecurityEvent("inputs_validated", severity: .low, details: ["org": .string(organisation)])
            var repositories: [RepositoryRef] = []
            for try await repo in client.listRepos(org: organisation) where repo.archived != true {
                repositories.append(RepositoryRef(name: repo.name, defaultBranch: repo.defaultBranch ?? "main"))
            }
            try txn.logEvent("repositories_listed", details: ["count": .int(repositories.count)])
            logger.info("Enforcing the policy", metadata: ["org": "\(organisation)", "repos": "\(repositories.count)"])
            let outcomes = try await worker.processAll(repositories, concurrency: max(repositories.count, 1))
            let counts = Dictionary(outcomes.map { ($0.status.rawValue, 1) }, uniquingKeysWith: +)
            try txn.logEvent(
                "policy_enforced", details: AuditDetails(uniqueKeysWithValues: counts.map { ($0.key, .int($0.value)) }),
                outcome: outcomes.contains(where: \.isUnfinished) ? .failure : .success)
            return outcomes
        }

        // A run that finished everything starts the next one from scratch (with conditional requests).
        if !settings.dryRun && !outcomes.contains(where: \.isUnfinished) {
            try dlq.checkpoint.reset()
        }
        try http.save()
        let statistics = http.statistics
        try metrics.setGauge("github_requests", Double(statistics.requests), labels: ["org": organisation])
        try metrics.setGauge("github_not_modified", Double(statistics.notModified), labels: ["org": organisation])
        try metrics.setGauge("circuit_breaker_state", Double(breaker.state.rawValue), labels: ["circuit": "github"])
        let metricsFile = state.appendingPathComponent("metrics.prom")
        try metrics.writePrometheus(to: metricsFile)

        let report = RunReport(
            organisation: organisation, environment: settings.environment, dryRun: settings.dryRun,
            policy: settings.policy, repositories: outcomes.sorted { $0.repository < $1.repository },
            requests: statistics.requests, notModified: statistics.notModified, breakerState: "\(breaker.state)",
            stateDirectory: state.path, metricsFile: metricsFile.path, reportFile: settings.reportFile.path,
            startedAt: started, finishedAt: wallClock.currentDate)
        try FileManager.default.createDirectory(
            at: settings.reportFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(try report.rendered(as: settings.format).utf8).write(to: settings.reportFile, options: .atomic)
        // The audit trail's own compliance report (events, changes, chain verification) next to it.
        let reporter = ComplianceReporter(auditLogger: audit, wallClock: wallClock)
        let auditReport = try reporter.generateComplianceReport(start: started, end: wallClock.currentDate)
        try reporter.export(auditReport, format: .json, to: state.appendingPathComponent("audit-compliance.json"))
        return report
    }
}

/// A repository as listed.
struct RepositoryRef: Codable, Sendable, Equatable {
    /// Its name.
    var name: String
    /// Its default branch, the one protected.
    var defaultBranch: String
}

/// Brings repositories in line, one saga each, with bounded parallelism.
struct RepositoryWorker: Sendable {
    let organisation: String
    let policy: Policy
    let dryRun: Bool
    let client: GitHubClient
    let audit: AuditLogger
    let dlq: DeadLetterQueue
    let grants: Checkpoint
    let saga: SagaOrchestrator
    let metrics: MetricsCollector
    let breaker: CircuitBreaker
    let clock: ErasedClock
    let logger: Logger

    /// Processes every repository, at most `concurrency` at a time.
    func processAll(_ repositories: [RepositoryRef], concurrency: Int) async throws -> [RepositoryOutcome] {
        try await withThrowingTaskGroup(of: RepositoryOutcome.self) { group in
            var pending = repositories.makeIterator()
            var outcomes: [RepositoryOutcome] = []
            for _ in 0..<concurrency {
                guard let next = pending.next() else { break }
                group.addTask { try await process(next) }
            }
            while let outcome = try await group.next() {
                outcomes.append(outcome)
                try metrics.increment(
                    "policy_repositories_total", labels: ["org": organisation, "status": outcome.status.rawValue])
                if let next = pending.next() {
                    group.addTask { try await process(next) }
                }
            }
            return outcomes
        }
    }

    /// One repository: skip it when done or parked, else attempt it until it succeeds, is parked, or the
    /// breaker opens.
    func process(_ repo: RepositoryRef) async throws -> RepositoryOutcome {
        if dryRun {
            do {
                let changes = try await plan(repo).map(\.name)
                return RepositoryOutcome(
                    repository: repo.name, status: changes.isEmpty ? .compliant : .wouldUpdate, changes: changes)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                return RepositoryOutcome(repository: repo.name, status: .failed, error: redacted(error))
            }
        }
        if try dlq.checkpoint.isCompleted(repo.name) {
            return RepositoryOutcome(repository: repo.name, status: .skipped)
        }
        if try dlq.entry(id: repo.name) != nil {
            return RepositoryOutcome(
                repository: repo.name, status: .deadLettered, error: "parked in the dead letter queue by an earlier run"
            )
        }
        var lastError: (any Error)?
        // A repository gets two attempts per run; `resilience.repository_attempts` failures, over runs,
        // park it in the dead letter queue.
        for attempt in 1...2 {
            if breaker.state == .open {
                return RepositoryOutcome(
                    repository: repo.name, status: .deferred,
                    error: "circuit breaker open: GitHub keeps failing; run again later")
            }
            var changes: [String] = []
            let report = try await dlq.process([repo], id: \.name) { repo in
                do {
                    changes = try await metrics.timeOperation(
                        "policy_repository", labels: ["org": organisation], clock: clock
                    ) { try await enforce(repo) }
                } catch {
                    lastError = error
                    throw error
                }
            }
            if !report.completed.isEmpty {
                return RepositoryOutcome(
                    repository: repo.name, status: changes.isEmpty ? .compliant : .updated, changes: changes)
            }
            if !report.deadLettered.isEmpty || !report.alreadyDeadLettered.isEmpty {
                logger.warning("Repository parked in the dead letter queue", metadata: ["repo": "\(repo.name)"])
                return RepositoryOutcome(repository: repo.name, status: .deadLettered, error: lastError.map(redacted))
            }
            if !report.skipped.isEmpty {
                return RepositoryOutcome(repository: repo.name, status: .skipped)
            }
            if lastError is CircuitOpenError {
                return RepositoryOutcome(
                    repository: repo.name, status: .deferred,
                    error: "circuit breaker open: GitHub keeps failing; run again later")
            }
            logger.debug("Repository failed", metadata: ["repo": "\(repo.name)", "attempt": "\(attempt)"])
        }
        return RepositoryOutcome(repository: repo.name, status: .failed, error: lastError.map(redacted))
    }

    /// A change the policy needs on one repository.
    struct Change: Sendable {
        var name: String
        var step: SagaStep
        var before: String
        var after: String
    }

    /// Reads the repository and works out the changes it needs (nothing is changed).
    func plan(_ repo: RepositoryRef) async throws -> [Change] {
        let owner = organisation
        let name = repo.name
        let current = try await client.getRepo(owner: owner, repo: name)
        let branch = current.defaultBranch ?? repo.defaultBranch
        let protection = try await client.getBranchProtection(owner: owner, repo: name, branch: branch)
        var changes: [Change] = []
        if !policy.settingsMatch(current) {
            let original = RepositoryUpdate(
                hasIssues: current.hasIssues, hasProjects: current.hasProjects, hasWiki: current.hasWiki)
            let update = policy.settingsUpdate
            changes.append(
                Change(
                    name: "settings",
                    step: SagaStep(
                        name: "settings",
                        forward: { _ = try await client.updateRepo(owner: owner, repo: name, update) },
                        compensate: { _ = try await client.updateRepo(owner: owner, repo: name, original) }),
                    before: describe(current), after: describe(policy.settings)))
        }
        if !policy.protectionMatches(protection) {
            let update = policy.protectionUpdate(keeping: protection)
            let previous = protection.map(Policy.restoring)
            changes.append(
                Change(
                    name: "branch_protection",
                    step: SagaStep(
                        name: "branch_protection",
                        forward: {
                            try await client.updateBranchProtection(owner: owner, repo: name, branch: branch, update)
                        },
                        compensate: {
                            if let previous {
                                try await client.updateBranchProtection(
                                    owner: owner, repo: name, branch: branch, previous)
                            } else {
                                try await client.deleteBranchProtection(owner: owner, repo: name, branch: branch)
                            }
                        }),
                    before: protection == nil ? "\(branch): unprotected" : "\(branch): protected (different rules)",
                    after: "\(branch): \(policy.protection.requiredApprovingReviewCount) approval(s), "
                        + "enforce_admins=\(policy.protection.enforceAdmins)"))
        }
        for team in policy.teams where try !grants.isCompleted(grantID(name, team)) {
            changes.append(
                Change(
                    name: "team:\(team.slug)",
                    step: SagaStep(
                        name: "team:\(team.slug)",
                        forward: {
                            try await client.addTeamRepoAccess(
                                org: owner, teamSlug: team.slug, owner: owner, repo: name,
                                permission: TeamPermission(rawValue: team.permission))
                        },
                        compensate: {
                            try await client.removeTeamRepoAccess(
                                org: owner, teamSlug: team.slug, owner: owner, repo: name)
                        }),
                    before: "not granted by this tool", after: team.permission))
        }
        return changes
    }

    /// Brings one repository in line inside its own audit transaction; returns the names of the changes made.
    func enforce(_ repo: RepositoryRef) async throws -> [String] {
        try await audit.transaction(
            "enforce_repository", metadata: ["org": .string(organisation), "repo": .string(repo.name)]
        ) { txn in
            let changes = try await plan(repo)
            guard !changes.isEmpty else {
                try txn.logEvent("repository_compliant", details: ["repo": .string(repo.name)])
                return []
            }
            try await saga.executeSaga("enforce/\(organisation)/\(repo.name)", steps: changes.map(\.step))
            for change in changes {
                try txn.logChange(
                    object: "\(organisation)/\(repo.name)", action: change.name, before: change.before,
                    after: change.after)
            }
            for team in policy.teams {
                _ = try grants.markCompleted(grantID(repo.name, team))
            }
            try await verify(repo, txn: txn)
            logger.debug("Repository updated", metadata: ["repo": "\(repo.name)", "changes": "\(changes.map(\.name))"])
            return changes.map(\.name)
        }
    }

    /// Reads the repository back after a change: the result is audited, and the fresh ETags let the next
    /// run revalidate both reads with `If-None-Match`.
    private func verify(_ repo: RepositoryRef, txn: AuditTransaction) async throws {
        let current = try await client.getRepo(owner: organisation, repo: repo.name)
        let branch = current.defaultBranch ?? repo.defaultBranch
        let protection = try await client.getBranchProtection(owner: organisation, repo: repo.name, branch: branch)
        let inLine = policy.settingsMatch(current) && policy.protectionMatches(protection)
        try txn.logEvent(
            "repository_verified", details: ["repo": .string(repo.name)], outcome: inLine ? .success : .failure)
        if !inLine {
            logger.warning(
                "Repository still differs from the policy after the update", metadata: ["repo": "\(repo.name)"])
        }
    }

    private func grantID(_ repo: String, _ team: Policy.TeamAccess) -> String {
        "\(repo)/\(team.slug)/\(team.permission)"
    }

    private func describe(_ repo: Repository) -> String {
        "has_issues=\(repo.hasIssues.map(String.init) ?? "?") has_wiki=\(repo.hasWiki.map(String.init) ?? "?") "
            + "has_projects=\(repo.hasProjects.map(String.init) ?? "?")"
    }

    private func describe(_ settings: Policy.Settings) -> String {
        "has_issues=\(settings.hasIssues) has_wiki=\(settings.hasWiki) has_projects=\(settings.hasProjects)"
    }

    private func redacted(_ error: any Error) -> String {
        SecretRedactor.redact(String(describing: error))
    }
}
