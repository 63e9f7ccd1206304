/// An issue to open: `POST /repos/{owner}/{repo}/issues`.
public struct NewIssue: Codable, Sendable, Hashable {
    /// The title (required).
    public var title: String
    /// The body text.
    public var body: String?
    /// Label names (needs push access; silently dropped otherwise).
    public var labels: [String]?
    /// Logins to assign (needs push access; silently dropped otherwise).
    public var assignees: [String]?
    /// The milestone number.
    public var milestone: Int?

    /// Creates an issue description.
    public init(
        title: String, body: String? = nil, labels: [String]? = nil, assignees: [String]? = nil, milestone: Int? = nil
    ) {
        self.title = title
        self.body = body
        self.labels = labels
        self.assignees = assignees
        self.milestone = milestone
    }
}
