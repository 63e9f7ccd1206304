/// The whole GitHub-shaped state of the mock: what `GET /__mock/state` dumps and `PUT` restores.
public struct MockGitHubState: Codable, Sendable, Equatable {
    /// A user account.
    public struct User: Codable, Sendable, Equatable {
        /// Numeric id.
        public var id: Int
        /// Login name.
        public var login: String
        /// Display name.
        public var name: String?
        /// Public e-mail.
        public var email: String?
        /// Whether the user is a site administrator.
        public var siteAdmin: Bool
    }

    /// An access token and whom it acts for.
    public struct Token: Codable, Sendable, Equatable {
        /// The secret token text (e.g. `ghp_…`).
        public var token: String
        /// A short identifier for journals and fault rules (e.g. `t1`); never the secret.
        public var id: String
        /// The owning user's id.
        public var userID: Int
        /// OAuth scopes reported in `X-OAuth-Scopes`.
        public var scopes: [String]
    }

    /// An organisation.
    public struct Org: Codable, Sendable, Equatable {
        /// Numeric id.
        public var id: Int
        /// Login name.
        public var login: String
        /// Description.
        public var description: String?
        /// Member logins mapped to their role (`admin` or `member`).
        public var members: [String: String]
        /// Permission every member has on every repository (`read`, `write`, `admin` or `none`).
        public var basePermission: String
    }

    /// A team of an organisation.
    public struct Team: Codable, Sendable, Equatable {
        /// Numeric id.
        public var id: Int
        /// The owning organisation's id.
        public var orgID: Int
        /// URL-safe name.
        public var slug: String
        /// Display name.
        public var name: String
        /// Member logins.
        public var members: [String]
        /// Repository ids mapped to the granted permission (`pull` … `admin`).
        public var repoPermissions: [String: String]
    }

    /// A webhook on a repository.
    public struct Hook: Codable, Sendable, Equatable {
        /// Numeric id.
        public var id: Int
        /// Always `web`.
        public var name: String
        /// Whether deliveries are sent.
        public var active: Bool
        /// Subscribed events.
        public var events: [String]
        /// `url`, `content_type`, `secret`, `insecure_ssl`.
        public var config: [String: String]
        /// Creation time, seconds since 1970.
        public var createdAt: Double
        /// Last update time, seconds since 1970.
        public var updatedAt: Double
    }

    /// An issue (numbers are shared with pull requests).
    public struct Issue: Codable, Sendable, Equatable {
        /// Numeric id.
        public var id: Int
        /// Number within the repository, from 1.
        public var number: Int
        /// Title.
        public var title: String
        /// Body text.
        public var body: String?
        /// `open` or `closed`.
        public var state: String
        /// `completed`, `not_planned`, `reopened` or nil.
        public var stateReason: String?
        /// Label names.
        public var labels: [String]
        /// Assignee logins.
        public var assignees: [String]
        /// Author login.
        public var userLogin: String
        /// Creation time.
        public var createdAt: Double
        /// Last update time.
        public var updatedAt: Double
        /// Closing time.
        public var closedAt: Double?
        /// Changes on every mutation (drives ETags).
        public var version: Int
    }

    /// A repository.
    public struct Repo: Codable, Sendable, Equatable {
        /// Numeric id.
        public var id: Int
        /// Name.
        public var name: String
        /// Owner login (user or organisation).
        public var ownerLogin: String
        /// Owner id.
        public var ownerID: Int
        /// Whether the owner is an organisation.
        public var ownerIsOrg: Bool
        /// Description.
        public var description: String?
        /// Homepage.
        public var homepage: String?
        /// `public`, `private` or `internal`.
        public var visibility: String
        /// Whether it is a fork.
        public var fork: Bool
        /// Whether it is archived (read-only).
        public var archived: Bool
        /// Whether it is disabled.
        public var disabled: Bool
        /// Whether issues are enabled.
        public var hasIssues: Bool
        /// Whether the wiki is enabled.
        public var hasWiki: Bool
        /// Whether projects are enabled.
        public var hasProjects: Bool
        /// Whether discussions are enabled.
        public var hasDiscussions: Bool
        /// Whether it is a template.
        public var isTemplate: Bool
        /// Default branch name.
        public var defaultBranch: String
        /// Merge settings: squash, merge commit, rebase, auto-merge, delete branch on merge.
        public var mergeSettings: [String: Bool]
        /// Primary language.
        public var language: String?
        /// Topics.
        public var topics: [String]
        /// Size in KiB.
        public var size: Int
        /// Star count.
        public var stargazers: Int
        /// Creation time.
        public var createdAt: Double
        /// Last update time.
        public var updatedAt: Double
        /// Last push time.
        public var pushedAt: Double
        /// Branch names.
        public var branches: [String]
        /// Branch protection rules by branch name (the stored request, normalised).
        public var protections: [String: MockJSON]
        /// Issues in number order.
        public var issues: [Issue]
        /// The next issue number.
        public var nextIssueNumber: Int
        /// Webhooks.
        public var hooks: [Hook]
        /// Changes on every mutation of the repository (drives ETags and caches).
        public var version: Int

        /// Whether the repository is private (anything but public).
        public var isPrivate: Bool { visibility != "public" }
        /// `owner/name`.
        public var fullName: String { ownerLogin + "/" + name }
        /// Open issues count.
        public var openIssuesCount: Int { issues.lazy.filter { $0.state == "open" }.count }
    }

    /// Users.
    public var users: [User]
    /// Tokens.
    public var tokens: [Token]
    /// Organisations.
    public var orgs: [Org]
    /// Teams.
    public var teams: [Team]
    /// Repositories in id order.
    public var repos: [Repo]
    /// Old `owner/name` (lower case) of renamed repositories mapped to the repository id.
    public var renamed: [String: Int]
    /// The next id to hand out.
    public var nextID: Int
    /// A counter bumped on every mutation (stamps versions).
    public var mutationCounter: Int

    /// An empty state whose ids start at `firstID`.
    public static func empty(firstID: Int) -> MockGitHubState {
        MockGitHubState(
            users: [],
            tokens: [],
            orgs: [],
            teams: [],
            repos: [],
            renamed: [:],
            nextID: firstID,
            mutationCounter: 0
        )
    }
}
