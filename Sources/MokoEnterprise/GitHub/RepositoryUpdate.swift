/// The settings to change on a repository: `PATCH /repos/{owner}/{repo}`.
///
/// Every field is optional; only the fields you set are sent, so an update never resets a setting you did
/// not name.
///
/// ```swift
/// var update = RepositoryUpdate()
/// update.hasWiki = false
/// update.deleteBranchOnMerge = true
/// let repo = try await client.updateRepo(owner: "octo-org", repo: "api", update)
/// ```
public struct RepositoryUpdate: Codable, Sendable, Hashable {
    /// A new name (GitHub then redirects the old name).
    public var name: String?
    /// A new description.
    public var description: String?
    /// A new homepage URL.
    public var homepage: String?
    /// Make the repository private or public.
    public var isPrivate: Bool?
    /// `public`, `private` or `internal`.
    public var visibility: String?
    /// Enable or disable issues.
    public var hasIssues: Bool?
    /// Enable or disable projects.
    public var hasProjects: Bool?
    /// Enable or disable the wiki.
    public var hasWiki: Bool?
    /// Make the repository a template.
    public var isTemplate: Bool?
    /// A new default branch (it must exist).
    public var defaultBranch: String?
    /// Allow squash merges.
    public var allowSquashMerge: Bool?
    /// Allow merge commits.
    public var allowMergeCommit: Bool?
    /// Allow rebase merges.
    public var allowRebaseMerge: Bool?
    /// Allow auto-merge.
    public var allowAutoMerge: Bool?
    /// Delete head branches after a merge.
    public var deleteBranchOnMerge: Bool?
    /// Allow forking (organisation repositories).
    public var allowForking: Bool?
    /// Require sign-off on web commits.
    public var webCommitSignoffRequired: Bool?
    /// Archive (`true`) or unarchive the repository.
    public var archived: Bool?

    /// Creates an update that changes the settings given and nothing else.
    public init(
        name: String? = nil,
        description: String? = nil,
        homepage: String? = nil,
        isPrivate: Bool? = nil,
        visibility: String? = nil,
        hasIssues: Bool? = nil,
        hasProjects: Bool? = nil,
        hasWiki: Bool? = nil,
        isTemplate: Bool? = nil,
        defaultBranch: String? = nil,
        allowSquashMerge: Bool? = nil,
        allowMergeCommit: Bool? = nil,
        allowRebaseMerge: Bool? = nil,
        allowAutoMerge: Bool? = nil,
        deleteBranchOnMerge: Bool? = nil,
        allowForking: Bool? = nil,
        webCommitSignoffRequired: Bool? = nil,
        archived: Bool? = nil
    ) {
        self.name = name
        self.description = description
        self.homepage = homepage
        self.isPrivate = isPrivate
        self.visibility = visibility
        self.hasIssues = hasIssues
        self.hasProjects = hasProjects
        self.hasWiki = hasWiki
        self.isTemplate = isTemplate
        self.defaultBranch = defaultBranch
        self.allowSquashMerge = allowSquashMerge
        self.allowMergeCommit = allowMergeCommit
        self.allowRebaseMerge = allowRebaseMerge
        self.allowAutoMerge = allowAutoMerge
        self.deleteBranchOnMerge = deleteBranchOnMerge
        self.allowForking = allowForking
        self.webCommitSignoffRequired = webCommitSignoffRequired
        self.archived = archived
    }

    /// Whether the update changes nothing.
    public var isEmpty: Bool { self == RepositoryUpdate() }

    private enum CodingKeys: String, CodingKey {
        case name, description, homepage, visibility, archived
        case isPrivate = "private"
        case hasIssues = "has_issues"
        case hasProjects = "has_projects"
        case hasWiki = "has_wiki"
        case isTemplate = "is_template"
        case defaultBranch = "default_branch"
        case allowSquashMerge = "allow_squash_merge"
        case allowMergeCommit = "allow_merge_commit"
        case allowRebaseMerge = "allow_rebase_merge"
        case allowAutoMerge = "allow_auto_merge"
        case deleteBranchOnMerge = "delete_branch_on_merge"
        case allowForking = "allow_forking"
        case webCommitSignoffRequired = "web_commit_signoff_required"
    }
}
