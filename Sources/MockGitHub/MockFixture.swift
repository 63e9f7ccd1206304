/// A seed description of the mock's world: users with tokens, organisations with members, teams and repositories.
///
/// Ids not given are derived from the seed, so the same fixture and seed always give the same world.
public struct MockFixture: Codable, Sendable, Equatable {
    /// A user and its tokens.
    public struct User: Codable, Sendable, Equatable {
        /// Login name.
        public var login: String
        /// Display name.
        public var name: String?
        /// Tokens acting for this user; derived from the seed when absent.
        public var tokens: [String]?

        /// Creates a user.
        public init(login: String, name: String? = nil, tokens: [String]? = nil) {
            self.login = login
            self.name = name
            self.tokens = tokens
        }
    }

    /// A team.
    public struct Team: Codable, Sendable, Equatable {
        /// Slug.
        public var slug: String
        /// Member logins.
        public var members: [String]
        /// Repository names mapped to the granted permission.
        public var repos: [String: String]?

        /// Creates a team.
        public init(slug: String, members: [String], repos: [String: String]? = nil) {
            self.slug = slug
            self.members = members
            self.repos = repos
        }
    }

    /// A repository.
    public struct Repo: Codable, Sendable, Equatable {
        /// Name.
        public var name: String
        /// Whether it is private.
        public var `private`: Bool?
        /// Whether issues are enabled.
        public var hasIssues: Bool?
        /// Whether it is archived.
        public var archived: Bool?
        /// Description.
        public var description: String?
        /// Branch names (the first is the default); `["main"]` when absent.
        public var branches: [String]?

        /// Creates a repository.
        public init(
            name: String,
            private: Bool? = nil,
            hasIssues: Bool? = nil,
            archived: Bool? = nil,
            description: String? = nil,
            branches: [String]? = nil
        ) {
            self.name = name
            self.private = `private`
            self.hasIssues = hasIssues
            self.archived = archived
            self.description = description
            self.branches = branches
        }
    }

    /// An organisation.
    public struct Org: Codable, Sendable, Equatable {
        /// Login name.
        public var login: String
        /// Member logins mapped to `admin` or `member`.
        public var members: [String: String]
        /// Explicit repositories.
        public var repos: [Repo]?
        /// A number of generated repositories (deterministic names from the seed) added after `repos`.
        public var generatedRepos: Int?
        /// Teams.
        public var teams: [Team]?
        /// Base permission of members (`read` by default).
        public var basePermission: String?

        /// Creates an organisation.
        public init(
            login: String,
            members: [String: String],
            repos: [Repo]? = nil,
            generatedRepos: Int? = nil,
            teams: [Team]? = nil,
            basePermission: String? = nil
        ) {
            self.login = login
            self.members = members
            self.repos = repos
            self.generatedRepos = generatedRepos
            self.teams = teams
            self.basePermission = basePermission
        }
    }

    /// Users.
    public var users: [User]
    /// Organisations.
    public var orgs: [Org]

    /// Creates a fixture.
    public init(users: [User], orgs: [Org]) {
        self.users = users
        self.orgs = orgs
    }

    /// The standard world: admin `mona` and member `hubot` in org `moko-lab` with `repos` generated
    /// repositories (every fifth private), a team `platform` (hubot, push on the first repository),
    /// and outsider `octocat` with no membership.
    public static func standard(repos: Int) -> MockFixture {
        MockFixture(
            users: [
                User(login: "mona", name: "Mona Lisa Octocat"),
                User(login: "hubot", name: "Hubot"),
                User(login: "octocat", name: "The Octocat"),
            ],
            orgs: [
                Org(
                    login: "moko-lab",
                    members: ["mona": "admin", "hubot": "member"],
                    generatedRepos: repos,
                    teams: [Team(slug: "platform", members: ["hubot"])]
                )
            ]
        )
    }
}
