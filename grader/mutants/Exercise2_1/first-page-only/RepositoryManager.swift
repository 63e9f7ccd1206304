// MUTANT first-page-only: reads the first page of the list only, like the legacy script, so an organization
// with more than 100 repositories is partly processed.
// Caught by Exercise2_1HiddenChecks.test1_generatedOrganizationsOfTwoOrThreePagesAreFullyUpdated.

import ArgumentParser
import Foundation
import MokoEnterprise

/// `manage-repositories --org <org> [--dry-run] [--state-dir <dir>] [--audit-dir <dir>]`: the legacy
/// `manage_repositories` script migrated to the library.
///
/// For every repository of the organization (every page) it sets `has_issues=true`, `has_wiki=false`,
/// `has_projects=false`, through the rate-limited, retrying ``GitHubClient``. Every run is an audit
/// transaction; every outcome is counted in the metrics and recorded in a checkpoint, so a rerun after a
/// crash or a failure skips what is done. Exit codes: 0 all done, 1 some repository failed, 64 bad
/// usage (an invalid organization name), 78 configuration (no `GITHUB_TOKEN`).
public struct RepositoryManager: CLIApp {
    /// The command's name and help text.
    public static let configuration = CommandConfiguration(
        commandName: "manage-repositories", abstract: "Applies the repository settings policy to an organization.")

    /// The audit and metrics service name.
    public static let auditService = "repository_manager"
    /// The checkpoint's name in the state directory.
    public static let checkpointName = "repository_updates"
    /// The settings every repository gets.
    public static let settings = RepositoryUpdate(hasIssues: true, hasProjects: false, hasWiki: false)

    /// The library's shared flags: `--dry-run`, `--verbose`, `--json`...
    @OptionGroup public var standardOptions: StandardOptions

    /// The organization to manage.
    @Option(help: "The GitHub organization.")
    public var org: String

    /// Where the checkpoint lives between runs.
    @Option(help: ArgumentHelp("The folder of the checkpoint (kept between runs).", valueName: "dir"))
    public var stateDir = ".moko/state"

    /// Where the audit log lives.
    @Option(help: ArgumentHelp("The folder of the audit log.", valueName: "dir"))
    public var auditDir = ".moko/audit"

    /// Creates a command with default values; swift-argument-parser fills the options in.
    public init() {}

    /// Sets up every library once: the client (token from `GITHUB_TOKEN`, API root from `GITHUB_API_URL`),
    /// the audit logger, the metrics and the checkpoint.
    ///
    /// - Throws: ``CLIError/configuration(_:)`` (exit 78) without a token; store errors for the folders.
    public func initialize(_ context: CLIContext) async throws -> ManagerState {
        let token = try context.getToken()
        let baseURL = context.environment["GITHUB_API_URL"].flatMap { URL(string: $0) }
        // Rate limiting, the ETag cache, retries of 5xx and lost connections (with backoff), the circuit
        // breaker and one second between mutations: the client does what sleep(1) and nothing did before.
        let client = try GitHubClient(
            token: token, baseURL: baseURL,
            rateLimitConfig: RateLimitConfig(maxRequestsPerHour: 5_000, enableCaching: true),
            retryPolicy: .default, logger: context.logger, environment: context.environment)
        let audit = try AuditLogger(
            service: Self.auditService, directory: URL(fileURLWithPath: auditDir, isDirectory: true),
            retentionDays: 90, wallClock: context.wallClock)
        let checkpoint = try Checkpoint(
            name: Self.checkpointName, directory: URL(fileURLWithPath: stateDir, isDirectory: true),
            wallClock: context.wallClock)
        return ManagerState(
            client: client, audit: audit, metrics: MetricsCollector(service: Self.auditService), checkpoint: checkpoint)
    }

    /// Rejects an organization name that is not a valid GitHub login before any request is sent (exit 64),
    /// and records the rejection as a security event.
    public func validateInputs(_ context: CLIContext, state: ManagerState) throws {
        let problem: String?
        do {
            _ = try state.validator.validateInput(org, type: .githubOrganization)
            problem = state.validator.detectDangerousPatterns(org).isEmpty ? nil : "it contains a dangerous pattern"
        } catch {
            problem = error.reason
        }
        if let problem {
            try state.audit.logSecurityEvent(
                "invalid_input", severity: .medium, details: ["field": "org"], outcome: .failure)
            throw CLIError.usage("--org is not a valid GitHub organization name: \(problem).")
        }
        context.logger.debug("Input validation passed", metadata: ["org": "\(org)"])
    }

    /// Updates every repository that is not done yet, in one audit transaction, then prints the summary.
    ///
    /// - Throws: ``CLIError/failure(_:)`` (exit 1) when a repository failed (after every other one was
    ///   tried and the summary printed).
    public func execute(_ context: CLIContext, state: ManagerState) async throws {
        let org = org
        let dryRun = context.isDryRun
        let labels = ["org": org]
        let summary = try await state.audit.transaction(
            "manage_repositories", metadata: ["organization": .string(org)]
        ) { txn in
            try txn.logEvent("start", details: ["organization": .string(org), "dry_run": .bool(dryRun)])
            // Every page: the sequence follows GitHub's `Link: rel="next"` (the legacy script read page 1 only).
            var repos: [Repository] = []
            for try await page in state.client.listRepos(org: org).pages {
                repos = page.items
                break
            }
            context.logger.info("Found repositories", metadata: ["count": "\(repos.count)"])
            try state.metrics.setGauge("repositories_total", Double(repos.count), labels: labels)
            var summary = MigrationSummary(
                organization: org, dryRun: dryRun, total: repos.count, updated: 0, skipped: 0, failed: 0)
            for repo in repos {
                // A repository an earlier (interrupted or failed) run completed is not touched again.
                if try state.checkpoint.isCompleted(repo.name) {
                    summary.skipped += 1
                    continue
                }
                // A dry run changes nothing: no request that mutates, and no checkpoint mark either (or the
                // real run that follows would skip everything).
                if dryRun {
                    context.logger.info("[DRY RUN] Would update", metadata: ["repo": "\(repo.name)"])
                    try txn.logEvent("repository_would_update", details: ["repo": .string(repo.name)])
                    summary.updated += 1
                    continue
                }
                do {
                    _ = try await state.client.updateRepo(owner: org, repo: repo.name, Self.settings)
                    try state.checkpoint.markCompleted(repo.name)
                    try state.metrics.increment("repos_updated_success", labels: labels)
                    try txn.logEvent("repository_updated", details: ["repo": .string(repo.name)])
                    summary.updated += 1
                } catch is CancellationError {
                    throw CancellationError()  // Ctrl-C: stop here; the checkpoint has what is done
                } catch {
                    // One repository's failure (after the client's retries) does not stop the others.
                    context.logger.error("Update failed", metadata: ["repo": "\(repo.name)", "error": "\(error)"])
                    try state.checkpoint.markFailed(repo.name, error: error)
                    try state.metrics.increment("repos_updated_failure", labels: labels)
                    try txn.logEvent(
                        "repository_failed", details: ["repo": .string(repo.name), "error": .string("\(error)")],
                        outcome: .failure)
                    summary.failed += 1
                }
            }
            try txn.logEvent(
                "complete",
                details: [
                    "organization": .string(org), "total": .int(summary.total), "success": .int(summary.updated),
                    "skipped": .int(summary.skipped), "failure": .int(summary.failed),
                ])
            return summary
        }
        try context.output(summary, text: summary.lines.joined(separator: "\n"))
        context.logger.debug("Metrics", metadata: ["prometheus": "\(state.metrics.exportPrometheus())"])
        if summary.failed > 0 {
            throw CLIError.failure(
                "\(summary.failed) of \(summary.total) repositories failed; run again to retry them (completed ones "
                    + "are skipped).")
        }
    }

    /// After Ctrl-C: what is done is already in the checkpoint; say how to resume.
    public func onInterrupt(_ context: CLIContext, state: ManagerState) async {
        context.logger.warning("Interrupted: completed repositories are in the checkpoint; rerun to resume.")
    }
}
