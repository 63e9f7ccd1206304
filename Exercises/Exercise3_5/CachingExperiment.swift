import ExerciseSupport
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
        // TODO: reject `passes < 1`, an empty list or a repeated name with `CachingExperimentError` (send nothing).
        // TODO: create a `GitHubClient` from `connection` whose `RateLimitConfig` turns caching on or off.
        // TODO: measure the quota with GitHub's counter (`getRateLimitStatus().core?.remaining`, a free call)
        // before and after fetching every repository `passes` times (`getRepo`); take hits and misses from
        // `client.getCacheStats()` read just before and just after the passes (it counts every GET).
        throw Unimplemented("the repeated fetches (CachingExperiment.fetchRepeatedly)", exercise: "3.5")
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
        // TODO: run `fetchRepeatedly` without, then with caching; the hit rate is the cached run's hits over its
        // fetches, the requests saved are its hits (304s cost no quota), and the quota saved is the difference
        // of the two runs' measured quota.
        throw Unimplemented("the comparison (CachingExperiment.compare)", exercise: "3.5")
    }
}
