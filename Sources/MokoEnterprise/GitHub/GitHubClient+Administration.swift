import Foundation

extension GitHubClient {
    // MARK: Branch protection

    /// Fetches a branch's protection rule.
    ///
    /// - Parameters:
    ///   - owner: the owner's login.
    ///   - repo: the repository's name.
    ///   - branch: the branch, e.g. `main`.
    /// - Returns: the rule, or `nil` when the branch is not protected (GitHub's 404 `Branch not protected`).
    /// - Throws: ``GitHubAPIError`` (404 for a missing branch or repository).
    public func getBranchProtection(owner: String, repo: String, branch: String) async throws -> BranchProtection? {
        let url = try makeURL(try protectionPath(owner, repo, branch))
        do {
            let response = try await send("GET", url)
            return try decode(BranchProtection.self, from: response, method: "GET", url: url)
        } catch let error as GitHubAPIError where error.statusCode == 404 && error.message == "Branch not protected" {
            return nil
        }
    }

    /// Puts a protection rule on a branch, replacing any previous rule.
    ///
    /// - Parameters:
    ///   - owner: the owner's login.
    ///   - repo: the repository's name.
    ///   - branch: the branch, e.g. `main`.
    ///   - protection: the complete rule.
    /// - Returns: the rule as GitHub stored it.
    /// - Throws: ``GitHubAPIError`` (403, 404, 422).
    @discardableResult
    public func updateBranchProtection(
        owner: String, repo: String, branch: String, _ protection: BranchProtectionUpdate
    ) async throws -> BranchProtection {
        let path = try protectionPath(owner, repo, branch)
        let url = try makeURL(path)
        let response = try await send("PUT", url, body: try encode(protection))
        invalidateCache(repositoryPath: try repoPath(owner, repo), owner: owner)
        return try decode(BranchProtection.self, from: response, method: "PUT", url: url)
    }

    /// Removes a branch's protection rule.
    ///
    /// - Parameters:
    ///   - owner: the owner's login.
    ///   - repo: the repository's name.
    ///   - branch: the branch.
    /// - Throws: ``GitHubAPIError`` (403, 404).
    public func deleteBranchProtection(owner: String, repo: String, branch: String) async throws {
        _ = try await send("DELETE", try makeURL(try protectionPath(owner, repo, branch)))
        invalidateCache(repositoryPath: try repoPath(owner, repo), owner: owner)
    }

    // MARK: Team access

    /// Grants a team a role on a repository (or changes its role).
    ///
    /// - Parameters:
    ///   - org: the organisation that owns the team.
    ///   - teamSlug: the team's slug.
    ///   - owner: the repository's owner.
    ///   - repo: the repository's name.
    ///   - permission: the role; `nil` for GitHub's default (`push`).
    /// - Throws: ``GitHubAPIError`` (403; 404 team or repository; 422 repository not owned by the org).
    public func addTeamRepoAccess(
        org: String, teamSlug: String, owner: String, repo: String, permission: TeamPermission? = nil
    ) async throws {
        struct Body: Encodable { var permission: String }
        let url = try makeURL(try teamRepoPath(org, teamSlug, owner, repo))
        let body = try permission.map { try encode(Body(permission: $0.rawValue)) }
        _ = try await send("PUT", url, body: body)
        invalidateCache(repositoryPath: try repoPath(owner, repo), owner: owner)
    }

    /// Removes a team's access to a repository (the repository itself is untouched).
    ///
    /// - Parameters:
    ///   - org: the organisation that owns the team.
    ///   - teamSlug: the team's slug.
    ///   - owner: the repository's owner.
    ///   - repo: the repository's name.
    /// - Throws: ``GitHubAPIError``.
    public func removeTeamRepoAccess(org: String, teamSlug: String, owner: String, repo: String) async throws {
        _ = try await send("DELETE", try makeURL(try teamRepoPath(org, teamSlug, owner, repo)))
        invalidateCache(repositoryPath: try repoPath(owner, repo), owner: owner)
    }

    // MARK: Issues

    /// Lists a repository's issues (pull requests included, see ``Issue/isPullRequest``), every page.
    ///
    /// - Parameters:
    ///   - owner: the owner's login.
    ///   - repo: the repository's name.
    ///   - state: `open`, `closed` or `all`; `nil` for GitHub's default (`open`).
    ///   - perPage: items per page, 1–100.
    /// - Returns: the issues as an `AsyncSequence` following `Link rel="next"`; `collect()` gathers them.
    public func listIssues(
        owner: String, repo: String, state: String? = nil, perPage: Int = 100
    ) -> GitHubPaginatedSequence<Issue> {
        var query = [("per_page", String(min(max(perPage, 1), 100)))]
        if let state { query.append(("state", state)) }
        return paginatedList(Issue.self) { try makeURL(try repoPath(owner, repo) + "/issues", query: query) }
    }

    /// Opens an issue.
    ///
    /// - Parameters:
    ///   - owner: the owner's login.
    ///   - repo: the repository's name.
    ///   - issue: the title and details.
    /// - Returns: the new issue.
    /// - Throws: ``GitHubAPIError`` (410 when issues are disabled, 422).
    @discardableResult
    public func createIssue(owner: String, repo: String, _ issue: NewIssue) async throws -> Issue {
        let path = try repoPath(owner, repo)
        let url = try makeURL(path + "/issues")
        let response = try await send("POST", url, body: try encode(issue))
        invalidateCache(repositoryPath: path, owner: owner)
        return try decode(Issue.self, from: response, method: "POST", url: url)
    }

    /// Closes an issue.
    ///
    /// - Parameters:
    ///   - owner: the owner's login.
    ///   - repo: the repository's name.
    ///   - number: the issue number.
    ///   - reason: `completed` or `not_planned`; `nil` for GitHub's default.
    /// - Returns: the closed issue.
    /// - Throws: ``GitHubAPIError`` (404, 410).
    @discardableResult
    public func closeIssue(owner: String, repo: String, number: Int, reason: String? = nil) async throws -> Issue {
        struct Body: Encodable {
            var state = "closed"
            var state_reason: String?
        }
        let path = try repoPath(owner, repo)
        let url = try makeURL(path + "/issues/\(number)")
        let response = try await send("PATCH", url, body: try encode(Body(state_reason: reason)))
        invalidateCache(repositoryPath: path, owner: owner)
        return try decode(Issue.self, from: response, method: "PATCH", url: url)
    }

    // MARK: Hooks

    /// Lists a repository's webhooks (every page).
    ///
    /// - Parameters:
    ///   - owner: the owner's login.
    ///   - repo: the repository's name.
    /// - Returns: the hooks.
    /// - Throws: ``GitHubAPIError`` (404).
    public func listHooks(owner: String, repo: String) async throws -> [Hook] {
        try await paginatedList(Hook.self) {
            try makeURL(try repoPath(owner, repo) + "/hooks", query: [("per_page", "100")])
        }.collect()
    }

    /// Creates a webhook.
    ///
    /// - Parameters:
    ///   - owner: the owner's login.
    ///   - repo: the repository's name.
    ///   - hook: the URL, events and secret.
    /// - Returns: the new hook (its secret masked by GitHub).
    /// - Throws: ``GitHubAPIError`` (422 for a bad URL or duplicate).
    @discardableResult
    public func createHook(owner: String, repo: String, _ hook: NewHook) async throws -> Hook {
        let path = try repoPath(owner, repo)
        let url = try makeURL(path + "/hooks")
        let response = try await send("POST", url, body: try encode(hook))
        invalidateCache(repositoryPath: path, owner: owner)
        return try decode(Hook.self, from: response, method: "POST", url: url)
    }

    /// Deletes a webhook.
    ///
    /// - Parameters:
    ///   - owner: the owner's login.
    ///   - repo: the repository's name.
    ///   - id: the hook's id.
    /// - Throws: ``GitHubAPIError`` (404).
    public func deleteHook(owner: String, repo: String, id: Int) async throws {
        let path = try repoPath(owner, repo)
        _ = try await send("DELETE", try makeURL(path + "/hooks/\(id)"))
        invalidateCache(repositoryPath: path, owner: owner)
    }

    // MARK: Rate limit

    /// Fetches the caller's rate-limit buckets. The call costs no quota and is sent even while the quota
    /// is exhausted.
    ///
    /// - Returns: the buckets (`core`, `search` ...).
    /// - Throws: ``GitHubAPIError``.
    public func getRateLimitStatus() async throws -> RateLimitStatus {
        let url = try makeURL("/rate_limit")
        let response = try await send("GET", url, quotaExempt: true)
        return try decode(RateLimitStatus.self, from: response, method: "GET", url: url)
    }

    // MARK: Paths

    func protectionPath(_ owner: String, _ repo: String, _ branch: String) throws -> String {
        // Branch names may contain `/` (`release/1.0`); each component is validated on its own.
        let components = try branch.split(separator: "/", omittingEmptySubsequences: false).map {
            try segment(String($0), "branch")
        }
        return try repoPath(owner, repo) + "/branches/\(components.joined(separator: "/"))/protection"
    }

    func teamRepoPath(_ org: String, _ teamSlug: String, _ owner: String, _ repo: String) throws -> String {
        "/orgs/\(try segment(org, "org"))/teams/\(try segment(teamSlug, "team slug"))" + (try repoPath(owner, repo))
    }
}
