import MokoEnterprise

/// Fetches the same repositories several times, with and without the client's ETag cache, and measures
/// what the cache saves: hits, requests that cost no quota, and rate-limit quota.
public enum CachingExperiment {
    /// Fetches every repository `passes` times with one client and measures the run.
    ///
    /// - Parameters:
    ///   - owner: the repositories' owner.
    ///   - repositories: their names (non-empty, no repeats).
    ///   - passes: how many times to fetch each (at least 1).
    ///   - caching: whether the client uses its ETag cache.
    ///   - connection: token, transport and clock for the client.
    /// - Returns: what the run cost.
    /// - Throws: ``CachingExperimentError`` for bad arguments (nothing is sent); the client's errors.
    public static func fetchRepeatedly(
        owner: String, repositories: [String], passes: Int, caching: Bool, connection: GitHubConnection
    ) async throws -> FetchRun {
        try validate(repositories: repositories, passes: passes)
        // Only the cache setting differs between the two runs. With caching, a repeated GET carries
        // If-None-Match, and GitHub's 304 answer costs no quota.
        let client = try GitHubClient(
            token: connection.token,
            rateLimitConfig: RateLimitConfig(enableCaching: caching),
            transport: connection.transport,
            clock: connection.clock)
        // Quota is measured, not computed: GitHub's own counter before and after (`/rate_limit` is free).
        let before = try await remainingQuota(client)
        // The cache counts every GET, `/rate_limit` included: count only what the passes did.
        let statsBefore = client.getCacheStats()
        for _ in 0..<passes {
            for name in repositories {
                _ = try await client.getRepo(owner: owner, repo: name)
            }
        }
        let statsAfter = client.getCacheStats()
        let after = try await remainingQuota(client)
        let fetches = passes * repositories.count
        return FetchRun(
            caching: caching, passes: passes, fetches: fetches, cacheHits: statsAfter.hits - statsBefore.hits,
            cacheMisses: caching ? statsAfter.misses - statsBefore.misses : fetches, quotaUsed: before - after)
    }

    /// Runs the fetches without and then with caching and compares them.
    ///
    /// - Parameters:
    ///   - owner: the repositories' owner.
    ///   - repositories: their names (non-empty, no repeats).
    ///   - passes: how many times to fetch each (at least 1).
    ///   - connection: token, transport and clock for the clients.
    /// - Returns: both runs, the cached run's hit rate, the requests and the quota the cache saved.
    /// - Throws: ``CachingExperimentError`` for bad arguments (nothing is sent); the client's errors.
    public static func compare(
        owner: String, repositories: [String], passes: Int, connection: GitHubConnection
    ) async throws -> CachingReport {
        try validate(repositories: repositories, passes: passes)
        let uncached = try await fetchRepeatedly(
            owner: owner, repositories: repositories, passes: passes, caching: false, connection: connection)
        let cached = try await fetchRepeatedly(
            owner: owner, repositories: repositories, passes: passes, caching: true, connection: connection)
        return CachingReport(
            uncached: uncached, cached: cached,
            hitRate: cached.fetches == 0 ? 0 : Double(cached.cacheHits) / Double(cached.fetches),
            requestsSaved: cached.cacheHits,
            quotaSaved: uncached.quotaUsed - cached.quotaUsed)
    }

    // MARK: Helpers

    private static func remainingQuota(_ client: GitHubClient) async throws -> Int {
        guard let core = try await client.getRateLimitStatus().core else {
            throw CachingExperimentError("GitHub's /rate_limit answer has no `core` bucket")
        }
        return core.remaining
    }

    private static func validate(repositories: [String], passes: Int) throws {
        guard passes >= 1 else { throw CachingExperimentError("passes must be at least 1, not \(passes)") }
        guard !repositories.isEmpty else { throw CachingExperimentError("name at least one repository") }
        guard Set(repositories).count == repositories.count else {
            throw CachingExperimentError("a repository is listed twice; list each once")
        }
    }
}
