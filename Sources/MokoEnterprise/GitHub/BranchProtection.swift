import Foundation

/// The protection rule of a branch, as `GET /repos/{owner}/{repo}/branches/{branch}/protection` returns it.
///
/// Sections the rule does not set are `nil`; a minimal rule carries only ``url`` and ``enforceAdmins``.
public struct BranchProtection: Codable, Sendable, Hashable {
    /// A setting GitHub reports as `{"enabled": bool}`.
    public struct Toggle: Codable, Sendable, Hashable {
        /// Whether the setting is on.
        public var enabled: Bool

        /// Creates a toggle.
        public init(enabled: Bool) { self.enabled = enabled }
    }

    /// Status checks that must pass before merging.
    public struct StatusChecks: Codable, Sendable, Hashable {
        /// Require the branch to be up to date before merging.
        public var strict: Bool
        /// The required check names.
        public var contexts: [String]

        /// Creates a status-check requirement.
        public init(strict: Bool, contexts: [String]) {
            self.strict = strict
            self.contexts = contexts
        }
    }

    /// Pull-request review requirements.
    public struct PullRequestReviews: Codable, Sendable, Hashable {
        /// Dismiss approvals when new commits are pushed.
        public var dismissStaleReviews: Bool?
        /// Require a code owner's review.
        public var requireCodeOwnerReviews: Bool?
        /// The number of approvals needed (0–6).
        public var requiredApprovingReviewCount: Int?
        /// Require approval of the most recent push by someone else.
        public var requireLastPushApproval: Bool?

        /// Creates review requirements.
        public init(
            dismissStaleReviews: Bool? = nil,
            requireCodeOwnerReviews: Bool? = nil,
            requiredApprovingReviewCount: Int? = nil,
            requireLastPushApproval: Bool? = nil
        ) {
            self.dismissStaleReviews = dismissStaleReviews
            self.requireCodeOwnerReviews = requireCodeOwnerReviews
            self.requiredApprovingReviewCount = requiredApprovingReviewCount
            self.requireLastPushApproval = requireLastPushApproval
        }

        private enum CodingKeys: String, CodingKey {
            case dismissStaleReviews = "dismiss_stale_reviews"
            case requireCodeOwnerReviews = "require_code_owner_reviews"
            case requiredApprovingReviewCount = "required_approving_review_count"
            case requireLastPushApproval = "require_last_push_approval"
        }
    }

    /// The rule's API URL.
    public var url: URL?
    /// Required status checks.
    public var requiredStatusChecks: StatusChecks?
    /// Whether the rule also applies to administrators.
    public var enforceAdmins: Toggle?
    /// Review requirements.
    public var requiredPullRequestReviews: PullRequestReviews?
    /// Require a linear history.
    public var requiredLinearHistory: Toggle?
    /// Allow force pushes.
    public var allowForcePushes: Toggle?
    /// Allow deleting the branch.
    public var allowDeletions: Toggle?
    /// Require conversations to be resolved before merging.
    public var requiredConversationResolution: Toggle?

    /// Creates a rule value (for tests and fixtures).
    public init(enforceAdmins: Bool? = nil) {
        self.enforceAdmins = enforceAdmins.map(Toggle.init(enabled:))
    }

    private enum CodingKeys: String, CodingKey {
        case url
        case requiredStatusChecks = "required_status_checks"
        case enforceAdmins = "enforce_admins"
        case requiredPullRequestReviews = "required_pull_request_reviews"
        case requiredLinearHistory = "required_linear_history"
        case allowForcePushes = "allow_force_pushes"
        case allowDeletions = "allow_deletions"
        case requiredConversationResolution = "required_conversation_resolution"
    }
}
