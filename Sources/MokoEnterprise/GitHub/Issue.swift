import Foundation

/// A GitHub issue (or pull request: GitHub's issue lists include them; see ``isPullRequest``).
public struct Issue: Codable, Sendable, Hashable, Identifiable {
    /// A label on an issue.
    public struct Label: Codable, Sendable, Hashable {
        /// The label's name.
        public var name: String
        /// The colour as six hex digits.
        public var color: String?

        /// Creates a label.
        public init(name: String, color: String? = nil) {
            self.name = name
            self.color = color
        }
    }

    /// A user as issues reference them.
    public struct User: Codable, Sendable, Hashable {
        /// The login.
        public var login: String
        /// The numeric id.
        public var id: Int?

        /// Creates a user reference.
        public init(login: String, id: Int? = nil) {
            self.login = login
            self.id = id
        }
    }

    /// Marks an issue that is really a pull request.
    public struct PullRequestReference: Codable, Sendable, Hashable {
        /// The pull request's API URL.
        public var url: URL?
    }

    /// The numeric id (global).
    public var id: Int
    /// The number within the repository, starting at 1.
    public var number: Int
    /// The title.
    public var title: String
    /// The body text.
    public var body: String?
    /// `open` or `closed`.
    public var state: String
    /// `completed`, `not_planned` or `reopened`.
    public var stateReason: String?
    /// The labels.
    public var labels: [Label]?
    /// The author.
    public var user: User?
    /// The assignees.
    public var assignees: [User]?
    /// Whether the conversation is locked.
    public var locked: Bool?
    /// The number of comments.
    public var comments: Int?
    /// The web URL.
    public var htmlURL: URL?
    /// Present when the issue is a pull request.
    public var pullRequest: PullRequestReference?
    /// When it was created.
    public var createdAt: Date?
    /// When it was last changed.
    public var updatedAt: Date?
    /// When it was closed.
    public var closedAt: Date?

    /// Whether this entry is a pull request rather than an issue.
    public var isPullRequest: Bool { pullRequest != nil }

    /// Creates an issue value (for tests and fixtures).
    public init(id: Int, number: Int, title: String, state: String = "open") {
        self.id = id
        self.number = number
        self.title = title
        self.state = state
    }

    private enum CodingKeys: String, CodingKey {
        case id, number, title, body, state, labels, user, assignees, locked, comments
        case stateReason = "state_reason"
        case htmlURL = "html_url"
        case pullRequest = "pull_request"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case closedAt = "closed_at"
    }
}
