/// The role a team gets on a repository: `PUT /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}`.
public struct TeamPermission: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral {
    /// The role name GitHub expects.
    public var rawValue: String

    /// Creates a role from its name (a built-in role or an organisation's custom role).
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates a role from a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// Read.
    public static let pull: TeamPermission = "pull"
    /// Read and manage issues and pull requests.
    public static let triage: TeamPermission = "triage"
    /// Read and write.
    public static let push: TeamPermission = "push"
    /// Write and manage the repository without admin rights.
    public static let maintain: TeamPermission = "maintain"
    /// Full control.
    public static let admin: TeamPermission = "admin"
}
