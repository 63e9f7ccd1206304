import Foundation

extension GitHubClient {
    /// Lists an organisation's repositories, following `Link rel="next"` one page at a time.
    ///
    /// Nothing is requested until iteration starts; each page is fetched when the previous one is used
    /// up, and only the current page is held.
    ///
    /// - Parameters:
    ///   - org: the organisation's login.
    ///   - perPage: items per page, 1–100 (GitHub caps larger values at 100).
    ///   - type: `all`, `public`, `private`, `forks`, `sources` or `member`; `nil` for GitHub's default.
    /// - Returns: the repositories as an `AsyncSequence`; ``GitHubPaginatedSequence/pages`` gives pages.
    ///   An invalid `org` makes the first iteration throw ``GitHubClientError`` without any request.
    public func listRepos(org: String, perPage: Int = 100, type: String? = nil) -> GitHubPaginatedSequence<Repository> {
        var query = [("per_page", String(min(max(perPage, 1), 100)))]
        if let type { query.append(("type", type)) }
        return paginatedList(Repository.self) { try makeURL("/orgs/\(try segment(org, "org"))/repos", query: query) }
    }

    /// Fetches one repository; a renamed repository's redirect is followed.
    ///
    /// - Parameters:
    ///   - owner: the owner's login.
    ///   - repo: the repository's name.
    /// - Returns: the repository.
    /// - Throws: ``GitHubAPIError`` (404 when missing or hidden), ``GitHubClientError`` for bad arguments.
    public func getRepo(owner: String, repo: String) async throws -> Repository {
        let url = try makeURL(try repoPath(owner, repo))
        let response = try await send("GET", url)
        return try decode(Repository.self, from: response, method: "GET", url: url)
    }

    /// Changes repository settings; only the fields set in `update` are sent.
    ///
    /// - Parameters:
    ///   - owner: the owner's login.
    ///   - repo: the repository's name.
    ///   - update: the settings to change.
    /// - Returns: the repository after the change.
    /// - Throws: ``GitHubAPIError`` (403 archived or not admin, 404, 422 rejected value).
    @discardableResult
    public func updateRepo(owner: String, repo: String, _ update: RepositoryUpdate) async throws -> Repository {
        let path = try repoPath(owner, repo)
        let url = try makeURL(path)
        let response = try await send("PATCH", url, body: try encode(update))
        invalidateCache(repositoryPath: path, owner: owner)
        return try decode(Repository.self, from: response, method: "PATCH", url: url)
    }

    /// Creates a repository in an organisation.
    ///
    /// - Parameters:
    ///   - org: the organisation's login.
    ///   - repository: the name and settings.
    /// - Returns: the new repository.
    /// - Throws: ``GitHubAPIError`` (422 with `errors[]` when the name exists).
    @discardableResult
    public func createRepo(org: String, _ repository: NewRepository) async throws -> Repository {
        let orgSegment = try segment(org, "org")
        _ = try segment(repository.name, "repository name")
        let url = try makeURL("/orgs/\(orgSegment)/repos")
        let response = try await send("POST", url, body: try encode(repository))
        invalidateCache(repositoryPath: "/repos/\(orgSegment)/\(try segment(repository.name, "name"))", owner: org)
        return try decode(Repository.self, from: response, method: "POST", url: url)
    }

    /// Deletes a repository (needs admin rights).
    ///
    /// - Parameters:
    ///   - owner: the owner's login.
    ///   - repo: the repository's name.
    /// - Throws: ``GitHubAPIError`` (403 without admin rights, 404).
    public func deleteRepo(owner: String, repo: String) async throws {
        let path = try repoPath(owner, repo)
        _ = try await send("DELETE", try makeURL(path))
        invalidateCache(repositoryPath: path, owner: owner)
    }

    /// Continues a listing from a saved page URL (``GitHubPage/nextURL``), following `Link` from there.
    ///
    /// - Parameters:
    ///   - type: the item type, e.g. `Repository.self`.
    ///   - url: an absolute page URL the server handed out.
    /// - Returns: the remaining items as an `AsyncSequence`.
    public func paginate<Item: Decodable & Sendable>(_ type: Item.Type, from url: URL) -> GitHubPaginatedSequence<Item>
    {
        GitHubPaginatedSequence(firstURL: url) { pageURL in try await self.fetchPage(Item.self, pageURL) }
    }

    // MARK: Helpers

    func repoPath(_ owner: String, _ repo: String) throws -> String {
        "/repos/\(try segment(owner, "owner"))/\(try segment(repo, "repo"))"
    }

    /// A list whose first URL is built now; a bad argument makes the first iteration throw, with no request.
    func paginatedList<Item: Decodable & Sendable>(
        _ type: Item.Type, firstURL makeFirstURL: () throws -> URL
    ) -> GitHubPaginatedSequence<Item> {
        do {
            let url = try makeFirstURL()
            return GitHubPaginatedSequence(firstURL: url) { pageURL in try await self.fetchPage(Item.self, pageURL) }
        } catch {
            return GitHubPaginatedSequence(firstURL: baseURL) { _ in throw error }
        }
    }

    func fetchPage<Item: Decodable & Sendable>(_ type: Item.Type, _ url: URL) async throws -> GitHubPage<Item> {
        let response = try await send("GET", url)
        let items = try decode([Item].self, from: response, method: "GET", url: url)
        let next = GitHubLinkHeader.url(in: response.headers["link"], relation: "next")
        return GitHubPage(items: items, url: url, nextURL: next)
    }

    /// Marks stale the cached GETs a mutation of `repositoryPath` affects: the repository and everything
    /// under it, and the owner's repository lists. They keep their validators, so the next read is still
    /// conditional and fetches the new representation.
    func invalidateCache(repositoryPath: String, owner: String) {
        guard let cache else { return }
        let prefix = (baseString + repositoryPath).lowercased()
        let ownerLower = owner.lowercased()
        cache.markStale { key in
            let url = key.url.lowercased()
            if url == prefix || url.hasPrefix(prefix + "/") || url.hasPrefix(prefix + "?") { return true }
            guard let path = URL(string: key.url)?.path.lowercased() else { return false }
            return path == "/orgs/\(ownerLower)/repos" || path.hasSuffix("/orgs/\(ownerLower)/repos")
                || (path.hasPrefix("/organizations/") && path.hasSuffix("/repos"))
                || path.hasSuffix("/user/repos") || path.hasSuffix("/users/\(ownerLower)/repos")
        }
    }
}
