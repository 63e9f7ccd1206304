/// A complete protection rule to put on a branch: `PUT /repos/{owner}/{repo}/branches/{branch}/protection`.
///
/// GitHub requires four keys on every PUT even when they are off: ``requiredStatusChecks``,
/// ``enforceAdmins``, ``requiredPullRequestReviews`` and ``restrictions``. This type always sends them,
/// as `null` when `nil`, so a PUT never fails for a missing key. A PUT replaces the whole rule.
///
/// ```swift
/// let rule = BranchProtectionUpdate(
///     enforceAdmins: true,
///     requiredPullRequestReviews: .init(requiredApprovingReviewCount: 1))
/// try await client.updateBranchProtection(owner: "octo-org", repo: "api", branch: "main", rule)
/// ```
public struct BranchProtectionUpdate: Encodable, Sendable, Hashable {
    /// Users, teams and apps allowed to push (organisation repositories).
    public struct Restrictions: Encodable, Sendable, Hashable {
        /// Logins.
        public var users: [String]
        /// Team slugs.
        public var teams: [String]
        /// App slugs.
        public var apps: [String]?

        /// Creates push restrictions.
        public init(users: [String] = [], teams: [String] = [], apps: [String]? = nil) {
            self.users = users
            self.teams = teams
            self.apps = apps
        }
    }

    /// Required status checks, or `nil` for none.
    public var requiredStatusChecks: BranchProtection.StatusChecks?
    /// Whether the rule applies to administrators (`nil` is sent as `null`, which GitHub reads as off).
    public var enforceAdmins: Bool?
    /// Review requirements, or `nil` for none.
    public var requiredPullRequestReviews: BranchProtection.PullRequestReviews?
    /// Push restrictions, or `nil` for none.
    public var restrictions: Restrictions?
    /// Require a linear history.
    public var requiredLinearHistory: Bool?
    /// Allow force pushes.
    public var allowForcePushes: Bool?
    /// Allow deleting the branch.
    public var allowDeletions: Bool?
    /// Require conversations to be resolved before merging.
    public var requiredConversationResolution: Bool?

    /// Creates a rule.
    public init(
        requiredStatusChecks: BranchProtection.StatusChecks? = nil,
        enforceAdmins: Bool? = nil,
        requiredPullRequestReviews: BranchProtection.PullRequestReviews? = nil,
        restrictions: Restrictions? = nil,
        requiredLinearHistory: Bool? = nil,
        allowForcePushes: Bool? = nil,
        allowDeletions: Bool? = nil,
        requiredConversationResolution: Bool? = nil
    ) {
        self.requiredStatusChecks = requiredStatusChecks
        self.enforceAdmins = enforceAdmins
        self.requiredPullRequestReviews = requiredPullRequestReviews
        self.restrictions = restrictions
        self.requiredLinearHistory = requiredLinearHistory
        self.allowForcePushes = allowForcePushes
        self.allowDeletions = allowDeletions
        self.requiredConversationResolution = requiredConversationResolution
    }

    private enum CodingKeys: String, CodingKey {
        case restrictions
        case requiredStatusChecks = "required_status_checks"
        case enforceAdmins = "enforce_admins"
        case requiredPullRequestReviews = "required_pull_request_reviews"
        case requiredLinearHistory = "required_linear_history"
        case allowForcePushes = "allow_force_pushes"
        case allowDeletions = "allow_deletions"
        case requiredConversationResolution = "required_conversation_resolution"
    }

    /// Encodes the four required keys always (as `null` when unset) and the optional ones when set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(requiredStatusChecks, forKey: .requiredStatusChecks)
        try container.encode(enforceAdmins, forKey: .enforceAdmins)
        try container.encode(requiredPullRequestReviews, forKey: .requiredPullRequestReviews)
        try container.encode(restrictions, forKey: .restrictions)
        try container.encodeIfPresent(requiredLinearHistory, forKey: .requiredLinearHistory)
        try container.encodeIfPresent(allowForcePushes, forKey: .allowForcePushes)
        try container.encodeIfPresent(allowDeletions, forKey: .allowDeletions)
        try container.encodeIfPresent(requiredConversationResolution, forKey: .requiredConversationResolution)
    }
}
