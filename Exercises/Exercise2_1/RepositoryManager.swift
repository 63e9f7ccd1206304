import ArgumentParser
import ExerciseSupport
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
        // TODO: (migration steps 2-5) build the libraries ONCE:
        //   - a `GitHubClient` with the token from `context.getToken()` (exit 78 when missing), the API root
        //     from `context.environment["GITHUB_API_URL"]`, a `RateLimitConfig` and `context.environment`;
        //   - an `AuditLogger` (service `Self.auditService`) in `auditDir`, with `context.wallClock`;
        //   - a `MetricsCollector` (service `Self.auditService`);
        //   - a `Checkpoint` named `Self.checkpointName` in `stateDir`, with `context.wallClock`.
        throw Unimplemented("setting up the libraries (RepositoryManager.initialize(_:))", exercise: "2.1")
    }

    /// Rejects an organization name that is not a valid GitHub login before any request is sent (exit 64),
    /// and records the rejection as a security event.
    public func validateInputs(_ context: CLIContext, state: ManagerState) throws {
        // TODO: (step 6) validate `org` with `state.validator` (`.githubOrganization`, and no dangerous
        //   patterns); on a bad name log a security event in the audit trail and throw `CLIError.usage`.
        throw Unimplemented("validating --org (RepositoryManager.validateInputs(_:state:))", exercise: "2.1")
    }

    /// Updates every repository that is not done yet, in one audit transaction, then prints the summary.
    ///
    /// - Throws: ``CLIError/failure(_:)`` (exit 1) when a repository failed (after every other one was
    ///   tried and the summary printed).
    public func execute(_ context: CLIContext, state: ManagerState) async throws {
        // TODO: (steps 2-5 and 7) in one audit transaction "manage_repositories":
        //   - log "start" (organization, dry_run); list EVERY repository (`state.client.listRepos(org:)`
        //     follows the pages), set the gauge `repositories_total`;
        //   - per repository: skip it when the checkpoint has it completed; with --dry-run change nothing
        //     (no PATCH, no checkpoint mark); otherwise `updateRepo` with `Self.settings`, then mark the
        //     checkpoint, count `repos_updated_success` (label org) and log "repository_updated"; on an error
        //     mark it failed, count `repos_updated_failure` (label org), log "repository_failed", go on;
        //   - log "complete" with the totals (organization, total, success, skipped, failure).
        //   Then print the `MigrationSummary` (`context.output`) and throw `CLIError.failure` when any failed.
        throw Unimplemented("the migration (RepositoryManager.execute(_:state:))", exercise: "2.1")
    }
}
