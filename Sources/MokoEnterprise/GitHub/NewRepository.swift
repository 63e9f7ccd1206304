/// A repository to create in an organisation: `POST /orgs/{org}/repos`.
///
/// Only ``name`` is required; the fields left `nil` take GitHub's defaults.
public struct NewRepository: Codable, Sendable, Hashable {
    /// The name (required).
    public var name: String
    /// The description.
    public var description: String?
    /// The homepage URL.
    public var homepage: String?
    /// Create a private repository (GitHub's default is public).
    public var isPrivate: Bool?
    /// `public`, `private` or `internal`.
    public var visibility: String?
    /// Enable issues (default true).
    public var hasIssues: Bool?
    /// Enable projects (default true).
    public var hasProjects: Bool?
    /// Enable the wiki (default true).
    public var hasWiki: Bool?
    /// Make it a template.
    public var isTemplate: Bool?
    /// Create an initial commit with a README.
    public var autoInit: Bool?
    /// Delete head branches after a merge.
    public var deleteBranchOnMerge: Bool?
    /// The id of a team to grant access.
    public var teamID: Int?

    /// Creates a repository description.
    public init(
        name: String,
        description: String? = nil,
        homepage: String? = nil,
        isPrivate: Bool? = nil,
        visibility: String? = nil,
        hasIssues: Bool? = nil,
        hasProjects: Bool? = nil,
        hasWiki: Bool? = nil,
        isTemplate: Bool? = nil,
        autoInit: Bool? = nil,
        deleteBranchOnMerge: Bool? = nil,
        teamID: Int? = nil
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
        self.autoInit = autoInit
        self.deleteBranchOnMerge = deleteBranchOnMerge
        self.teamID = teamID
    }

    private enum CodingKeys: String, CodingKey {
        case name, description, homepage, visibility
        case isPrivate = "private"
        case hasIssues = "has_issues"
        case hasProjects = "has_projects"
        case hasWiki = "has_wiki"
        case isTemplate = "is_template"
        case autoInit = "auto_init"
        case deleteBranchOnMerge = "delete_branch_on_merge"
        case teamID = "team_id"
    }
}
