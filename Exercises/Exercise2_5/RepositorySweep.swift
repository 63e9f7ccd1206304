import Foundation
import MokoEnterprise

// TODO: this script misbehaves in production (see README.md for the symptoms). Find and fix its five bugs;
//   each check names the symptom it tests, so the checks that still fail tell you which bugs remain.

/// Turns issues on for every repository of an organization: the sweep the operations team runs nightly.
///
/// It lists the organization's repositories, updates each one (`has_issues: true`), and records what it
/// did in the audit log, the checkpoint `process_repos` and the metrics.
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
        let audit = try AuditLogger(
            service: Self.auditService, directory: toolkit.auditDirectory, wallClock: toolkit.wallClock)
        let checkpoint = try Checkpoint(
            name: Self.checkpointName, directory: toolkit.stateDirectory, wallClock: toolkit.wallClock)
        _ = audit

        let repos = try await toolkit.makeClient().listRepos(org: org).collect()
        var report = SweepReport()
        for repo in repos {
            let client = try toolkit.makeClient()
            do {
                _ = try await client.updateRepo(owner: org, repo: repo.name, RepositoryUpdate(hasIssues: true))
                try checkpoint.markCompleted(repo.name)
                report.processed += 1
            } catch {
                try checkpoint.markFailed(repo.name, error: error)
                report.failed += 1
            }
            try toolkit.metrics.increment("repos")
        }
        return report
    }
}
