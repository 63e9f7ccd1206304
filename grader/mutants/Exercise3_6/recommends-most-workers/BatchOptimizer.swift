// MUTANT recommends-most-workers: recommends the largest worker count tried, whatever the measurements say.
// Caught by Exercise3_6HiddenChecks.test3_theRecommendationSkipsRunsWithFailures.

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
        // The library's processor bounds concurrency with a sliding window over a task group: never more
        // than the strategy's maxInFlight requests at once.
        try await processor.process(names, id: { $0 }, strategy: strategy) { name in
            _ = try await client.getRepo(owner: org, repo: name)
        }
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
        guard !workerCounts.isEmpty, !batchSizes.isEmpty, (workerCounts + batchSizes).allSatisfy({ $0 >= 1 }) else {
            throw InvalidGrid(workerCounts: workerCounts, batchSizes: batchSizes)
        }
        var rows = [StrategyMeasurement(try await run(names, strategy: .sequential))]
        var parallel: [(workers: Int, row: StrategyMeasurement)] = []
        for workers in workerCounts {
            let row = StrategyMeasurement(try await run(names, strategy: .parallel(maxConcurrency: workers)))
            parallel.append((workers, row))
            rows.append(row)
        }
        let workers = workerCounts.max() ?? 1  // "more workers is always faster"
        var batched: [(size: Int, row: StrategyMeasurement)] = []
        for size in batchSizes {
            let row = StrategyMeasurement(
                try await run(names, strategy: .batched(size: size, maxConcurrency: workers)))
            batched.append((size, row))
            rows.append(row)
        }
        let batchSize = Self.fastest(batched)?.key ?? batchSizes[0]
        return OptimizationReport(rows: rows, recommendedWorkers: workers, recommendedBatchSize: batchSize)
    }

    /// The candidate whose complete run was shortest; ties go to the smaller setting (cheaper on GitHub).
    private static func fastest(_ candidates: [(Int, StrategyMeasurement)]) -> (key: Int, row: StrategyMeasurement)? {
        candidates.filter { $0.1.isComplete }
            .min { ($0.1.duration, $0.0) < ($1.1.duration, $1.0) }
            .map { (key: $0.0, row: $0.1) }
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
