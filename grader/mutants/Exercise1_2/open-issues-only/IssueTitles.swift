// MUTANT open-issues-only: lists with GitHub's default state, so closed issues are missing.
// Caught by Exercise1_2HiddenChecks.test1_randomRepositoriesListEveryIssueOnceWhateverTheState.

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
        // The limiter is a token bucket refilled at 1000/3600 tokens per second; the client also keeps it in
        // step with GitHub's own X-RateLimit-* headers. Caching stays on (the default): a repeated read of an
        // unchanged page is answered 304 and costs no quota.
        let limits = RateLimitConfig(maxRequestsPerHour: requestsPerHour)
        return try GitHubClient(token: token, rateLimitConfig: limits, transport: transport, clock: clock)
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
        // `listIssues` is an AsyncSequence that follows GitHub's `Link: rel="next"` header one page at a time,
        // so each page is requested once and only the current page is held. GitHub lists only open issues
        // unless asked for `state=all`. 100 per page (the default) spends the fewest requests of the budget.
        var titles: [String] = []
        for try await issue in client.listIssues(owner: owner, repo: repo) {
            titles.append(issue.title)
        }
        return titles
    }
}
