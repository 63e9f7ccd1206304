import MokoEnterprise
import Synchronization

/// Provisions a repository in five steps, each with a compensating action, inside one transaction: when a
/// step fails, the steps before it are compensated in reverse order and GitHub ends as it was.
///
/// GitHub cannot "roll back" a created repository or a sent request; it can only be asked to do the
/// opposite (delete the repository, remove the protection, revoke the access, close the issues, delete the
/// hook). Those opposite requests are the compensations.
public enum RepositoryProvisioning {
    /// The operations, in order, as the transaction's history names them.
    public static let stepNames = [
        "create_repository", "setup_protection", "add_team_access", "create_issues", "create_hook",
    ]

    /// The transaction's name for a plan: `provision_<name>`.
    public static func transactionName(for plan: ProvisioningPlan) -> String { "provision_\(plan.name)" }

    /// Runs the five steps in one transaction.
    ///
    /// - Parameters:
    ///   - plan: what to create.
    ///   - client: the GitHub client.
    ///   - manager: keeps the transaction's history.
    /// - Returns: what was created.
    /// - Throws: ``ProvisioningPlanError`` for an invalid plan (nothing is sent); ``TransactionFailed`` when a
    ///   step fails, after the earlier steps (and the failed step's partial work) were compensated.
    public static func provision(
        _ plan: ProvisioningPlan, client: GitHubClient, manager: TransactionManager
    ) async throws -> ProvisionedRepository {
        try plan.validate()
        let (org, repo) = (plan.org, plan.name)
        // What the forward actions created, for their compensations (and the result).
        let created = Created()
        let transaction = manager.beginTransaction(transactionName(for: plan))

        try transaction.addOperation(
            "create_repository",
            forward: { try await client.createRepo(org: org, NewRepository(name: repo)) },
            rollback: { try await client.deleteRepo(owner: org, repo: repo) })

        try transaction.addOperation(
            "setup_protection",
            forward: {
                let reviews = BranchProtection.PullRequestReviews(requiredApprovingReviewCount: plan.requiredApprovals)
                try await client.updateBranchProtection(
                    owner: org, repo: repo, branch: plan.protectedBranch,
                    BranchProtectionUpdate(enforceAdmins: true, requiredPullRequestReviews: reviews))
            },
            rollback: { try await client.deleteBranchProtection(owner: org, repo: repo, branch: plan.protectedBranch) })

        // Several requests in one step: if the third grant fails, the first two happened. With
        // `rollbackOnOwnFailure` the step's own compensation runs too, and it revokes exactly what was granted.
        try transaction.addOperation(
            "add_team_access", rollbackOnOwnFailure: true,
            forward: {
                for team in plan.teams {
                    try await client.addTeamRepoAccess(
                        org: org, teamSlug: team.slug, owner: org, repo: repo, permission: team.permission)
                    created.withLock { $0.teams.append(team.slug) }
                }
            },
            rollback: {
                for slug in created.withLock({ $0.teams }).reversed() {
                    try await client.removeTeamRepoAccess(org: org, teamSlug: slug, owner: org, repo: repo)
                    created.withLock { $0.teams.removeAll { $0 == slug } }
                }
            })

        // Issues cannot be deleted through the API: closing them as not planned is the compensation.
        try transaction.addOperation(
            "create_issues", rollbackOnOwnFailure: true,
            forward: {
                for title in plan.issueTitles {
                    let issue = try await client.createIssue(owner: org, repo: repo, NewIssue(title: title))
                    created.withLock { $0.issues.append(issue.number) }
                }
            },
            rollback: {
                for number in created.withLock({ $0.issues }).reversed() {
                    try await client.closeIssue(owner: org, repo: repo, number: number, reason: "not_planned")
                }
            })

        try transaction.addOperation(
            "create_hook",
            forward: {
                let hook = try await client.createHook(
                    owner: org, repo: repo, NewHook(url: plan.hookURL, events: ["push", "pull_request"]))
                created.withLock { $0.hookID = hook.id }
            },
            rollback: {
                if let id = created.withLock({ $0.hookID }) {
                    try await client.deleteHook(owner: org, repo: repo, id: id)
                }
            })

        // Runs the five operations; on a failure rolls back what ran, newest first, and throws TransactionFailed.
        try await transaction.commit()
        let result = created.withLock { $0 }
        return ProvisionedRepository(
            fullName: "\(org)/\(repo)", teams: result.teams, issueNumbers: result.issues, hookID: result.hookID ?? 0)
    }

    /// What the steps created so far (written by forward actions, read by rollbacks; the transaction runs
    /// them one after the other).
    private final class Created: Sendable {
        struct Contents: Sendable {
            var teams: [String] = []
            var issues: [Int] = []
            var hookID: Int?
        }

        private let contents = Mutex(Contents())

        func withLock<T: Sendable>(_ body: (inout Contents) -> T) -> T { contents.withLock { body(&$0) } }
    }
}
