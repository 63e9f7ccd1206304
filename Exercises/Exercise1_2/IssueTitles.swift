import ExerciseSupport
import MokoEnterprise

/// Lists every issue of a repository through a rate-limited GitHub client.
public enum IssueTitles {
    /// The client's budget: at most this many requests per hour.
    public static let requestsPerHour = 1_000

    /// Creates a GitHub client whose rate limiter allows ``requestsPerHour`` requests per hour.
    ///
    /// - Parameters:
    ///   - token: the GitHub token to send.
    ///   - transport: how requests are sent (the checks pass the in-process mock GitHub).
    ///   - clock: the clock every wait of the client goes through (the checks pass a manual clock).
    /// - Returns: the client.
    /// - Throws: the client's configuration errors.
    public static func makeClient(
        token: String, transport: any HTTPTransport, clock: some Clock<Duration>
    ) throws
        -> GitHubClient
    {
        // TODO: create a `GitHubClient` with `token`, `transport` and `clock`, and a `RateLimitConfig` that allows
        // `requestsPerHour` requests per hour.
        throw Unimplemented("the rate-limited client (IssueTitles.makeClient(token:transport:clock:))", exercise: "1.2")
    }

    /// The titles of every issue of `owner/repo`, open and closed, each exactly once.
    ///
    /// - Parameters:
    ///   - owner: the repository's owner.
    ///   - repo: the repository's name.
    ///   - client: the client to list with.
    /// - Returns: the titles, in the order GitHub lists the issues.
    /// - Throws: the client's errors.
    public static func listTitles(owner: String, repo: String, client: GitHubClient) async throws -> [String] {
        // TODO: list the repository's issues with `client.listIssues(...)` (open and closed ones) and return their
        // titles. The list is paginated: go through every page once.
        throw Unimplemented("listing the issue titles (IssueTitles.listTitles(owner:repo:client:))", exercise: "1.2")
    }
}
