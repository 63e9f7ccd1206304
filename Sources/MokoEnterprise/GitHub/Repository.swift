import Foundation

/// A GitHub repository as `GET /repos/{owner}/{repo}` and the list endpoints return it.
///
/// Only `id`, `name` and `full_name` are required; everything else is optional because list endpoints
/// return the smaller "minimal repository" shape. Fields the model does not name are ignored.
public struct Repository: Codable, Sendable, Hashable, Identifiable {
    /// The account that owns a repository.
    public struct Owner: Codable, Sendable, Hashable {
        /// The login, e.g. `octo-org`.
        public var login: String
        /// The numeric account id.
        public var id: Int?
        /// `User` or `Organization`.
        public var type: String?

        /// Creates an owner.
        public init(login: String, id: Int? = nil, type: String? = nil) {
            self.login = login
            self.id = id
            self.type = type
        }
    }

    /// The caller's own role on a repository.
    public struct Permissions: Codable, Sendable, Hashable {
        /// Administer the repository.
        public var admin: Bool
        /// Maintain the repository.
        public var maintain: Bool?
        /// Push to the repository.
        public var push: Bool
        /// Triage issues and pull requests.
        public var triage: Bool?
        /// Read the repository.
        public var pull: Bool

        /// Creates a permission set.
        public init(admin: Bool, maintain: Bool? = nil, push: Bool, triage: Bool? = nil, pull: Bool) {
            self.admin = admin
            self.maintain = maintain
            self.push = push
            self.triage = triage
            self.pull = pull
        }
    }

    /// The numeric id; stable across renames.
    public var id: Int
    /// The GraphQL node id.
    public var nodeID: String?
    /// The short name, e.g. `hello-world`.
    public var name: String
    /// `owner/name`.
    public var fullName: String
    /// The owning account.
    public var owner: Owner?
    /// Whether the repository is private.
    public var isPrivate: Bool?
    /// `public`, `private` or `internal`.
    public var visibility: String?
    /// The description.
    public var description: String?
    /// Whether the repository is a fork.
    public var isFork: Bool?
    /// The API URL of the repository.
    public var url: URL?
    /// The web URL of the repository.
    public var htmlURL: URL?
    /// The default branch, e.g. `main`.
    public var defaultBranch: String?
    /// Whether the repository is archived (read-only).
    public var archived: Bool?
    /// Whether the repository is disabled.
    public var disabled: Bool?
    /// Whether issues are enabled.
    public var hasIssues: Bool?
    /// Whether projects are enabled.
    public var hasProjects: Bool?
    /// Whether the wiki is enabled.
    public var hasWiki: Bool?
    /// Whether GitHub Pages is enabled.
    public var hasPages: Bool?
    /// Whether discussions are enabled.
    public var hasDiscussions: Bool?
    /// Whether this is a template repository.
    public var isTemplate: Bool?
    /// Whether squash merges are allowed.
    public var allowSquashMerge: Bool?
    /// Whether merge commits are allowed.
    public var allowMergeCommit: Bool?
    /// Whether rebase merges are allowed.
    public var allowRebaseMerge: Bool?
    /// Whether head branches are deleted after a merge.
    public var deleteBranchOnMerge: Bool?
    /// The topics.
    public var topics: [String]?
    /// The number of open issues (pull requests included).
    public var openIssuesCount: Int?
    /// The number of stars.
    public var stargazersCount: Int?
    /// The number of forks.
    public var forksCount: Int?
    /// The caller's role on the repository.
    public var permissions: Permissions?
    /// When the repository was created.
    public var createdAt: Date?
    /// When the repository was last changed.
    public var updatedAt: Date?
    /// When the repository was last pushed to.
    public var pushedAt: Date?

    /// Creates a repository value (for tests and fixtures; the client decodes real ones).
    ///
    /// - Parameters:
    ///   - id: the numeric id.
    ///   - name: the short name.
    ///   - fullName: `owner/name`.
    public init(id: Int, name: String, fullName: String) {
        self.id = id
        self.name = name
        self.fullName = fullName
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, owner, visibility, description, url, archived, disabled, topics, permissions
        case nodeID = "node_id"
        case fullName = "full_name"
        case isPrivate = "private"
        case isFork = "fork"
        case htmlURL = "html_url"
        case defaultBranch = "default_branch"
        case hasIssues = "has_issues"
        case hasProjects = "has_projects"
        case hasWiki = "has_wiki"
        case hasPages = "has_pages"
        case hasDiscussions = "has_discussions"
        case isTemplate = "is_template"
        case allowSquashMerge = "allow_squash_merge"
        case allowMergeCommit = "allow_merge_commit"
        case allowRebaseMerge = "allow_rebase_merge"
        case deleteBranchOnMerge = "delete_branch_on_merge"
        case openIssuesCount = "open_issues_count"
        case stargazersCount = "stargazers_count"
        case forksCount = "forks_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case pushedAt = "pushed_at"
    }
}
