import ExerciseSupport
import MokoEnterprise
import Synchronization

/// Applies a ``RepositoryPolicy`` to repositories so that each repository gets all three changes or none.
///
/// Each repository is one transaction of three deferred operations — `update_settings`,
/// `update_protection`, `update_webhooks` — each with a rollback that puts back what was there before.
/// When one fails, the ones that ran are undone in reverse order and the repository is exactly as before.
public struct AtomicUpdater: Sendable {
    /// The GitHub client every change goes through.
    public let client: GitHubClient
    /// Begins the transactions and keeps their history.
    public let manager: TransactionManager
    /// The organization (or user) owning the repositories.
    public let owner: String
    /// The changes to make.
    public let policy: RepositoryPolicy

    /// Creates an updater.
    public init(client: GitHubClient, manager: TransactionManager, owner: String, policy: RepositoryPolicy = .standard)
    {
        self.client = client
        self.manager = manager
        self.owner = owner
        self.policy = policy
    }

    /// Adds the three operations for `repo` to `transaction`; nothing runs until the transaction commits.
    ///
    /// - Throws: ``TransactionStateError`` when `transaction` is no longer pending.
    public func addOperations(for repo: String, to transaction: Transaction) throws {
        // TODO: add three deferred operations with `transaction.addOperation(_:forward:rollback:)`, in order:
        //   - "update_settings": read the repository (`client.getRepo`), keep its has_issues/has_projects/
        //     has_wiki, then `client.updateRepo` with `policy.settings`; the rollback PATCHes the kept values;
        //   - "update_protection": read the rule of `policy.branch` (`client.getBranchProtection`, nil when
        //     unprotected), then PUT `policy.protection`; the rollback puts the old rule back
        //     (`BranchProtectionUpdate(restoring:)`) or deletes the rule when there was none;
        //   - "update_webhooks": `client.createHook` with `policy.webhook`; the rollback deletes that hook.
        //   Read the old state inside each forward action (it runs at commit) and hand it to the rollback
        //   through a `Box`.
        throw Unimplemented("the three operations (AtomicUpdater.addOperations(for:to:))", exercise: "2.3")
    }

    /// Updates one repository in its own transaction named `update_<repo>`.
    ///
    /// - Throws: ``TransactionFailed`` naming the failed operation, after the others were rolled back.
    public func updateRepository(_ repo: String) async throws {
        // TODO: begin a transaction named "update_<repo>" with the manager, add the operations, commit.
        throw Unimplemented("one repository (AtomicUpdater.updateRepository(_:))", exercise: "2.3")
    }

    /// Updates every repository: one top-level transaction `update_repositories` with a nested transaction
    /// `update_<repo>` per repository. A repository that fails rolls back only itself; the others stay
    /// updated and the top-level transaction commits.
    ///
    /// - Returns: which repositories were updated and which were rolled back.
    /// - Throws: ``TransactionStateError`` or a `CancellationError`; never for one repository's failure.
    public func updateRepositories(_ repos: [String]) async throws -> UpdateReport {
        // TODO: begin "update_repositories"; for each repository open a nested transaction "update_<repo>"
        //   (`beginNested`), add its operations and commit it; a `TransactionFailed` from the child means
        //   "rolled back" (record it and go on). Commit the outer transaction at the end.
        throw Unimplemented("every repository (AtomicUpdater.updateRepositories(_:))", exercise: "2.3")
    }
}

/// A value written once by a forward action and read by its rollback (the transaction runs them one after
/// the other; the mutex makes the hand-over safe across tasks).
final class Box<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    func store(_ newValue: Value) { value.withLock { $0 = newValue } }

    func load() -> Value? { value.withLock { $0 } }
}
