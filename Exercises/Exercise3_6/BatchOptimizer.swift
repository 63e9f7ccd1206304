import ExerciseSupport
import MokoEnterprise

/// Pattern 8: the same GitHub work (fetch each repository) run sequentially, in parallel and in batches,
/// measured, and the best batch size and worker count chosen from the measurements.
public struct BatchOptimizer: Sendable {
    /// The client every item's request goes through.
    public let client: GitHubClient
    /// The organisation that owns the repositories.
    public let org: String
    private let processor: BatchProcessor

    /// Creates an optimizer.
    ///
    /// - Parameters:
    ///   - client: the GitHub client.
    ///   - org: the organisation's login.
    ///   - clock: the clock runs are timed on.
    public init(client: GitHubClient, org: String, clock: some Clock<Duration> = ContinuousClock()) {
        self.client = client
        self.org = org
        self.processor = BatchProcessor(clock: clock)
    }

    /// Fetches every named repository under `strategy`.
    ///
    /// - Parameters:
    ///   - names: repository names in ``org``.
    ///   - strategy: sequential, parallel or batched.
    /// - Returns: the batch processor's report (a failed fetch is a failed item, not an error).
    /// - Throws: `CancellationError`.
    public func run(_ names: [String], strategy: BatchStrategy) async throws -> BatchReport<String> {
        // TODO: use the library's `BatchProcessor` (created in `init`) to run
        // `client.getRepo(owner: org, repo: name)` for each name under `strategy`; a failed fetch is a
        // failed item in the report, not an error.
        throw Unimplemented("one measured run (BatchOptimizer.run(_:strategy:))", exercise: "3.6")
    }

    /// Measures sequential, parallel (each worker count) and batched (each batch size, with the best worker
    /// count) runs on the same items, and recommends the fastest complete configuration.
    ///
    /// The best worker count is the parallel run with the shortest duration among runs where every item
    /// succeeded (ties: fewer workers); 1 when none completed. The best batch size is chosen the same way
    /// among the batched runs, which use the best worker count.
    ///
    /// - Parameters:
    ///   - names: repository names in ``org``.
    ///   - workerCounts: the worker counts to try (each at least 1).
    ///   - batchSizes: the batch sizes to try (each at least 1).
    /// - Returns: one row per run and the recommendation.
    /// - Throws: ``InvalidGrid`` for an empty grid or a value below 1, before any request.
    public func compare(
        _ names: [String], workerCounts: [Int], batchSizes: [Int]
    ) async throws
        -> OptimizationReport
    {
        // TODO: refuse an empty grid or a value below 1 with InvalidGrid before any request. Then run and
        // measure (StrategyMeasurement(report)): sequential; parallel for each worker count; batched for each
        // batch size with the best worker count. "Best" is the shortest duration among complete runs (every
        // item succeeded), ties to the smaller setting; 1 worker / the first batch size when none completed.
        throw Unimplemented("the comparison and recommendation (BatchOptimizer.compare)", exercise: "3.6")
    }
}

/// An empty grid, or a worker count or batch size below 1.
///
/// Provided alongside the exercise's types.
public struct InvalidGrid: Error, Sendable, Hashable, CustomStringConvertible {
    /// The worker counts given.
    public var workerCounts: [Int]
    /// The batch sizes given.
    public var batchSizes: [Int]

    /// What is wrong.
    public var description: String {
        "worker counts \(workerCounts) and batch sizes \(batchSizes) must be non-empty and at least 1"
    }
}
