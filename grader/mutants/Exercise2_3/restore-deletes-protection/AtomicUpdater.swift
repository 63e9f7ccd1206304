// MUTANT restore-deletes-protection: the protection rollback always deletes the rule, even when the branch
// had a rule of its own before.
// Caught by Exercise2_3HiddenChecks.test2_anExistingProtectionRuleIsPutBackNotDeleted.

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
        let client = client
        let owner = owner
        let policy = policy

        // Each rollback needs what its forward action found. The forward action reads it just before
        // changing anything (not now: the operations run later, at commit) and leaves it in a box.
        let previousSettings = Box<RepositoryUpdate>()
        try transaction.addOperation(
            "update_settings",
            forward: {
                let current = try await client.getRepo(owner: owner, repo: repo)
                previousSettings.store(
                    RepositoryUpdate(
                        hasIssues: current.hasIssues, hasProjects: current.hasProjects, hasWiki: current.hasWiki))
                _ = try await client.updateRepo(owner: owner, repo: repo, policy.settings)
            },
            rollback: {
                if let previous = previousSettings.load() {
                    _ = try await client.updateRepo(owner: owner, repo: repo, previous)
                }
            })

        // `nil` inside the box means "the branch was not protected": the rollback then removes the rule
        // instead of putting an empty one.
        let previousProtection = Box<BranchProtection?>()
        try transaction.addOperation(
            "update_protection",
            forward: {
                let current = try await client.getBranchProtection(owner: owner, repo: repo, branch: policy.branch)
                previousProtection.store(current)
                try await client.updateBranchProtection(
                    owner: owner, repo: repo, branch: policy.branch, policy.protection)
            },
            rollback: {
                if previousProtection.load() != nil {
                    try await client.deleteBranchProtection(owner: owner, repo: repo, branch: policy.branch)
                }
            })

        // A created hook is undone by deleting it, by the id the create returned.
        let createdHook = Box<Int>()
        try transaction.addOperation(
            "update_webhooks",
            forward: {
                let hook = try await client.createHook(owner: owner, repo: repo, policy.webhook)
                createdHook.store(hook.id)
            },
            rollback: {
                if let id = createdHook.load() {
                    try await client.deleteHook(owner: owner, repo: repo, id: id)
                }
            })
    }

    /// Updates one repository in its own transaction named `update_<repo>`.
    ///
    /// - Throws: ``TransactionFailed`` naming the failed operation, after the others were rolled back.
    public func updateRepository(_ repo: String) async throws {
        let transaction = manager.beginTransaction("update_\(repo)")
        try addOperations(for: repo, to: transaction)
        try await transaction.commit()
    }

    /// Updates every repository: one top-level transaction `update_repositories` with a nested transaction
    /// `update_<repo>` per repository. A repository that fails rolls back only itself; the others stay
    /// updated and the top-level transaction commits.
    ///
    /// - Returns: which repositories were updated and which were rolled back.
    /// - Throws: ``TransactionStateError`` or a `CancellationError`; never for one repository's failure.
    public func updateRepositories(_ repos: [String]) async throws -> UpdateReport {
        let batch = manager.beginTransaction("update_repositories")
        var report = UpdateReport()
        for repo in repos {
            // A nested transaction is a savepoint: its failure undoes its own operations and throws to us;
            // the parent goes on unless we rethrow.
            let child = try batch.beginNested("update_\(repo)")
            try addOperations(for: repo, to: child)
            do {
                try await child.commit()
                report.updated.append(repo)
            } catch let failure as TransactionFailed {
                manager.logger.warning(
                    "Repository rolled back",
                    metadata: ["repo": "\(repo)", "failedOperation": "\(failure.failedOperation ?? "?")"])
                report.rolledBack.append(repo)
            }
        }
        try await batch.commit()
        return report
    }
}

/// A value written once by a forward action and read by its rollback (the transaction runs them one after
/// the other; the mutex makes the hand-over safe across tasks).
final class Box<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    func store(_ newValue: Value) { value.withLock { $0 = newValue } }

    func load() -> Value? { value.withLock { $0 } }
}
