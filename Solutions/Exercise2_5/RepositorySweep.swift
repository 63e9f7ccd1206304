import Foundation
import MokoEnterprise

/// Turns issues on for every repository of an organization: the sweep the operations team runs nightly.
///
/// It lists the organization's repositories, updates each one (`has_issues: true`), and records what it
/// did in the audit log, the checkpoint `process_repos` and the metrics.
///
/// The five fixes, each marked `FIX n` below:
/// 1. the libraries are set up once, before the work (one client: one rate limiter, one cache);
/// 2. every repository's outcome is in the audit log;
/// 3. the checkpoint is consulted, so a rerun does not process completed repositories again;
/// 4. the metrics have the names the dashboards read (`repos_processed_success`/`_failure`);
/// 5. the whole run is one audit transaction (`transaction_start` … `transaction_end`).
public struct RepositorySweep: Sendable {
    /// The audit service name (the log is `audit_repository_sweep.sqlite` in the audit directory).
    public static let auditService = "repository_sweep"
    /// The checkpoint's name in the state directory.
    public static let checkpointName = "process_repos"

    /// The organization to sweep.
    public let org: String
    /// The client factory, directories, metrics and clock.
    public let toolkit: Toolkit

    /// Creates a sweep.
    public init(org: String, toolkit: Toolkit) {
        self.org = org
        self.toolkit = toolkit
    }

    /// Sweeps the organization.
    ///
    /// - Returns: how many repositories were processed, skipped and failed.
    public func run() async throws -> SweepReport {
        // FIX 1: every library is set up once, here. In particular ONE client for the whole run: a client
        // per repository has its own rate limiter, cache and breaker, none of which then sees the run.
        let client = try toolkit.makeClient()
        let audit = try AuditLogger(
            service: Self.auditService, directory: toolkit.auditDirectory, wallClock: toolkit.wallClock)
        let checkpoint = try Checkpoint(
            name: Self.checkpointName, directory: toolkit.stateDirectory, wallClock: toolkit.wallClock)
        let metrics = toolkit.metrics

        // FIX 5: the run is one audit transaction: transaction_start now, transaction_end (with the outcome
        // and duration) when the closure returns or throws, and every event inside carries its id.
        return try await audit.transaction("process_repositories", metadata: ["org": .string(org)]) { txn in
            let repos = try await client.listRepos(org: org).collect()
            try txn.logEvent("repos_fetched", details: ["count": .int(repos.count)])
            var report = SweepReport()
            for repo in repos {
                // FIX 3: a repository an earlier run completed is not processed again.
                if try checkpoint.isCompleted(repo.name) {
                    report.skipped += 1
                    continue
                }
                do {
                    _ = try await client.updateRepo(owner: org, repo: repo.name, RepositoryUpdate(hasIssues: true))
                    try checkpoint.markCompleted(repo.name)
                    // FIX 4: the names the dashboards and alerts read, one per outcome.
                    try metrics.increment("repos_processed_success")
                    // FIX 2: every outcome is in the audit log.
                    try txn.logEvent("repo_processed", details: ["repo": .string(repo.name)])
                    report.processed += 1
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    try checkpoint.markFailed(repo.name, error: error)
                    try metrics.increment("repos_processed_failure")
                    try txn.logEvent(
                        "repo_failed", details: ["repo": .string(repo.name), "error": .string("\(error)")],
                        outcome: .failure)
                    report.failed += 1
                }
            }
            try txn.logEvent(
                "complete",
                details: [
                    "total": .int(repos.count), "processed": .int(report.processed), "skipped": .int(report.skipped),
                    "failed": .int(report.failed),
                ])
            return report
        }
    }
}
