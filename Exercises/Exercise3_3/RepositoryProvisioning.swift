import ExerciseSupport
import MokoEnterprise
import Synchronization

/// Provisions a repository in five steps, each with a compensating action, inside one transaction: when a
/// step fails, the steps before it are compensated in reverse order and GitHub ends as it was.
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
        // TODO: validate the plan first (`plan.validate()`), so a bad plan sends nothing.
        // TODO: begin one transaction named `transactionName(for: plan)` and add the five operations of
        // `stepNames`, in order, each with its compensation:
        //   create_repository  client.createRepo                      ↔ client.deleteRepo
        //   setup_protection   client.updateBranchProtection          ↔ client.deleteBranchProtection
        //                      (require `plan.requiredApprovals` approving reviews)
        //   add_team_access    client.addTeamRepoAccess per team      ↔ client.removeTeamRepoAccess per team added
        //   create_issues      client.createIssue per title           ↔ client.closeIssue per issue created
        //   create_hook        client.createHook(plan.hookURL)        ↔ client.deleteHook
        // A step that sends several requests can fail half-way: remember what it created (in a `Mutex`) and
        // let its own compensation undo exactly that (`rollbackOnOwnFailure: true`).
        // TODO: commit, and return what was created.
        throw Unimplemented(
            "the provisioning transaction (RepositoryProvisioning.provision(_:client:manager:))", exercise: "3.3")
    }
}
