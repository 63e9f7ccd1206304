import MokoEnterprise

/// The three changes the updater makes to every repository: settings, a protection rule on one branch,
/// and a webhook. Provided: not part of the exercise.
public struct RepositoryPolicy: Sendable {
    /// The repository settings to set (`has_issues`, `has_wiki`, `has_projects`).
    public var settings: RepositoryUpdate
    /// The branch to protect.
    public var branch: String
    /// The protection rule to put on ``branch``.
    public var protection: BranchProtectionUpdate
    /// The webhook to add.
    public var webhook: NewHook

    /// Creates a policy.
    public init(settings: RepositoryUpdate, branch: String, protection: BranchProtectionUpdate, webhook: NewHook) {
        self.settings = settings
        self.branch = branch
        self.protection = protection
        self.webhook = webhook
    }

    /// Issues on, wiki and projects off; `main` needs one approving review, admins included; a webhook
    /// for pushes to `https://hooks.example.com/moko`.
    public static let standard = RepositoryPolicy(
        settings: RepositoryUpdate(hasIssues: true, hasProjects: false, hasWiki: false),
        branch: "main",
        protection: BranchProtectionUpdate(
            enforceAdmins: true, requiredPullRequestReviews: .init(requiredApprovingReviewCount: 1)),
        webhook: NewHook(url: "https://hooks.example.com/moko", events: ["push"]))
}

/// What ``AtomicUpdater/updateRepositories(_:)`` did: the repositories fully updated and the ones whose
/// transaction failed and was rolled back, each in the order given.
public struct UpdateReport: Sendable, Equatable {
    /// Repositories whose three changes all took effect.
    public var updated: [String]
    /// Repositories left exactly as they were because one change failed.
    public var rolledBack: [String]

    /// Creates a report.
    public init(updated: [String] = [], rolledBack: [String] = []) {
        self.updated = updated
        self.rolledBack = rolledBack
    }
}

extension BranchProtectionUpdate {
    /// The rule to PUT to put back `rule` as it was read with `getBranchProtection` (a rollback helper).
    ///
    /// - Parameter rule: the rule read before it was replaced.
    public init(restoring rule: BranchProtection) {
        self.init(
            requiredStatusChecks: rule.requiredStatusChecks,
            enforceAdmins: rule.enforceAdmins?.enabled,
            requiredPullRequestReviews: rule.requiredPullRequestReviews,
            requiredLinearHistory: rule.requiredLinearHistory?.enabled,
            allowForcePushes: rule.allowForcePushes?.enabled,
            allowDeletions: rule.allowDeletions?.enabled,
            requiredConversationResolution: rule.requiredConversationResolution?.enabled)
    }
}
