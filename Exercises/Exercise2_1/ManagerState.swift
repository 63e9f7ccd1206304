import MokoEnterprise

/// The libraries the repository manager works with, set up once by
/// ``RepositoryManager/initialize(_:)`` and handed to the later steps. Provided: not part of the exercise.
///
/// Checks build one directly, with a client talking to the in-process mock server and a manual clock.
public struct ManagerState: Sendable {
    /// The rate-limited, retrying GitHub client.
    public var client: GitHubClient
    /// The audit trail (service `repository_manager`).
    public var audit: AuditLogger
    /// The metrics (service `repository_manager`).
    public var metrics: MetricsCollector
    /// Which repositories are done (checkpoint `repository_updates`).
    public var checkpoint: Checkpoint
    /// Validates the inputs.
    public var validator: SecurityValidator

    /// Creates the state.
    public init(
        client: GitHubClient, audit: AuditLogger, metrics: MetricsCollector, checkpoint: Checkpoint,
        validator: SecurityValidator = SecurityValidator()
    ) {
        self.client = client
        self.audit = audit
        self.metrics = metrics
        self.checkpoint = checkpoint
        self.validator = validator
    }
}

/// What one run did, printed at the end (as text, or as JSON with `--json`). Provided.
public struct MigrationSummary: Sendable, Equatable, Encodable {
    /// The organization.
    public var organization: String
    /// Whether it was a dry run (nothing changed).
    public var dryRun: Bool
    /// How many repositories the organization has (every page).
    public var total: Int
    /// Repositories updated in this run (in a dry run: that would be updated).
    public var updated: Int
    /// Repositories skipped because an earlier run completed them.
    public var skipped: Int
    /// Repositories whose update failed.
    public var failed: Int

    /// Creates a summary.
    public init(organization: String, dryRun: Bool, total: Int, updated: Int, skipped: Int, failed: Int) {
        self.organization = organization
        self.dryRun = dryRun
        self.total = total
        self.updated = updated
        self.skipped = skipped
        self.failed = failed
    }

    private enum CodingKeys: String, CodingKey {
        case organization, total, updated, skipped, failed
        case dryRun = "dry_run"
    }

    /// The summary as text lines.
    public var lines: [String] {
        [
            "Summary\(dryRun ? " (dry run: nothing was changed)" : ""):",
            "  Total: \(total)",
            "  \(dryRun ? "Would update" : "Updated"): \(updated)",
            "  Skipped (already done): \(skipped)",
            "  Failed: \(failed)",
        ]
    }
}
