import Logging

/// Runs an operation over many items sequentially, in parallel with bounded concurrency, or in batches,
/// and reports what succeeded, failed and was skipped.
///
/// Parallelism is a sliding window over a task group: at most `k` items are in flight, and a new one
/// starts as soon as one finishes. Inputs can be a `Sequence` (read lazily), an `AsyncSequence` of
/// items, or an `AsyncSequence` of pages (such as ``GitHubPaginatedSequence/pages``), which is processed
/// one page at a time so memory stays O(page).
///
/// ```swift
/// let processor = BatchProcessor()
/// let report = try await processor.process(repos, id: \.fullName, strategy: .parallel(maxConcurrency: 8)) {
///     repo in try await client.updateRepo(owner: "octo-org", repo: repo.name, update)
/// }
/// print(report)   // parallel(8): 98 succeeded, 2 failed, 0 skipped in 1.2 seconds
/// ```
///
/// Durations are measured on the injected clock; the pause between batches sleeps on it.
public struct BatchProcessor: Sendable {
    /// Receives progress after every finished item.
    public typealias ProgressHandler = @Sendable (BatchProgress) -> Void

    private let clock: any Clock<Duration>
    private let startTimer: @Sendable () -> @Sendable () -> Duration
    private let logger: Logger

    /// Creates a processor.
    ///
    /// - Parameters:
    ///   - clock: the clock that times runs and paces batches.
    ///   - logger: where run summaries go (at debug level).
    public init(clock: some Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "moko.batch")) {
        self.clock = clock
        self.startTimer = {
            let start = clock.now
            return { start.duration(to: clock.now) }
        }
        self.logger = logger
    }

    // MARK: Sequences

    /// Runs `operation` on every item of `items` under `strategy`.
    ///
    /// - Parameters:
    ///   - items: the input, read lazily.
    ///   - id: how to name an item in the report.
    ///   - strategy: sequential, parallel or batched.
    ///   - failurePolicy: go on after a failure, or stop at the first.
    ///   - progress: called after every finished item, from one task at a time.
    ///   - operation: the work for one item; a throw records the item as failed.
    /// - Returns: the report; every item is succeeded, failed or skipped.
    /// - Throws: `CancellationError` when the calling task is cancelled (nothing more is started).
    public func process<Item: Sendable, ID: Hashable & Sendable>(
        _ items: some Sequence<Item>,
        id: @escaping @Sendable (Item) -> ID,
        strategy: BatchStrategy,
        failurePolicy: BatchFailurePolicy = .continue,
        progress: ProgressHandler? = nil,
        operation: @escaping @Sendable (Item) async throws -> Void
    ) async throws -> BatchReport<ID> {
        var source = BatchSyncIterator(base: items.makeIterator())
        return try await run(
            source: &source, knownTotal: Self.count(items), id: id, strategy: strategy, failurePolicy: failurePolicy,
            progress: progress, operation: operation)
    }

    /// Runs the same items under each strategy and reports them side by side.
    ///
    /// - Parameters:
    ///   - items: the input (run once per strategy, so it must be repeatable).
    ///   - id: how to name an item.
    ///   - strategies: the strategies to compare, e.g. sequential, parallel(4), batched(50×4).
    ///   - failurePolicy: applied to every run.
    ///   - operation: the work for one item.
    /// - Returns: one report per strategy.
    /// - Throws: `CancellationError` when cancelled.
    public func compare<Item: Sendable, ID: Hashable & Sendable>(
        _ items: [Item],
        id: @escaping @Sendable (Item) -> ID,
        strategies: [BatchStrategy],
        failurePolicy: BatchFailurePolicy = .continue,
        operation: @escaping @Sendable (Item) async throws -> Void
    ) async throws -> BatchComparison<ID> {
        var reports: [BatchReport<ID>] = []
        for strategy in strategies {
            reports.append(
                try await process(items, id: id, strategy: strategy, failurePolicy: failurePolicy, operation: operation)
            )
        }
        return BatchComparison(reports: reports)
    }

    // MARK: Streams

    /// Runs `operation` on every item of an asynchronous stream, pulling a new item only when a slot is free.
    ///
    /// At most ``BatchStrategy/maxInFlight`` items are held besides what the stream itself buffers.
    ///
    /// - Parameters:
    ///   - stream: the items, e.g. ``GitHubClient/listRepos(org:perPage:type:)``.
    ///   - id: how to name an item.
    ///   - strategy: sequential, parallel or batched.
    ///   - failurePolicy: go on after a failure, or stop at the first (the rest of the stream is not read).
    ///   - progress: called after every finished item.
    ///   - operation: the work for one item.
    /// - Returns: the report. Items never read from the stream appear nowhere in it.
    /// - Throws: the stream's own error (a failed page fetch), or `CancellationError`.
    public func processStream<Stream: AsyncSequence, ID: Hashable & Sendable>(
        _ stream: Stream,
        id: @escaping @Sendable (Stream.Element) -> ID,
        strategy: BatchStrategy,
        failurePolicy: BatchFailurePolicy = .continue,
        progress: ProgressHandler? = nil,
        operation: @escaping @Sendable (Stream.Element) async throws -> Void
    ) async throws -> BatchReport<ID> where Stream.Element: Sendable {
        var source = BatchAsyncIterator(base: stream.makeAsyncIterator())
        return try await run(
            source: &source, knownTotal: nil, id: id, strategy: strategy, failurePolicy: failurePolicy,
            progress: progress, operation: operation)
    }

    /// Runs `operation` on every item of a paged stream, one page at a time: a page is finished and
    /// released before the next is requested, so at most one page is held.
    ///
    /// - Parameters:
    ///   - pages: the pages, e.g. ``GitHubPaginatedSequence/pages``.
    ///   - items: the items of one page.
    ///   - id: how to name an item.
    ///   - strategy: how the items of each page are run.
    ///   - failurePolicy: go on after a failure, or stop at the first (later pages are not requested).
    ///   - progress: called after every finished item.
    ///   - operation: the work for one item.
    /// - Returns: the report over every page read.
    /// - Throws: the stream's own error (a failed page fetch), or `CancellationError`.
    public func processPages<Pages: AsyncSequence, Item: Sendable, ID: Hashable & Sendable>(
        _ pages: Pages,
        items: @escaping @Sendable (Pages.Element) -> [Item],
        id: @escaping @Sendable (Item) -> ID,
        strategy: BatchStrategy,
        failurePolicy: BatchFailurePolicy = .continue,
        progress: ProgressHandler? = nil,
        operation: @escaping @Sendable (Item) async throws -> Void
    ) async throws -> BatchReport<ID> {
        let elapsed = startTimer()
        var state = BatchRunState<ID>(strategy: strategy, total: nil, progress: progress)
        var iterator = pages.makeAsyncIterator()
        while !state.stopped {
            try Task.checkCancellation()
            guard let page = try await iterator.next() else { break }
            var pageSource = BatchSyncIterator(base: items(page).makeIterator())
            try await runStrategy(
                source: &pageSource, id: id, strategy: strategy, failurePolicy: failurePolicy, state: &state,
                operation: operation)
        }
        return finish(state, duration: elapsed())
    }

    // MARK: Engine

    private func run<Source: BatchItemSource, ID: Hashable & Sendable>(
        source: inout Source,
        knownTotal: Int?,
        id: @escaping @Sendable (Source.Item) -> ID,
        strategy: BatchStrategy,
        failurePolicy: BatchFailurePolicy,
        progress: ProgressHandler?,
        operation: @escaping @Sendable (Source.Item) async throws -> Void
    ) async throws -> BatchReport<ID> {
        let elapsed = startTimer()
        var state = BatchRunState<ID>(strategy: strategy, total: knownTotal, progress: progress)
        try await runStrategy(
            source: &source, id: id, strategy: strategy, failurePolicy: failurePolicy, state: &state,
            operation: operation)
        return finish(state, duration: elapsed())
    }

    private func finish<ID>(_ state: BatchRunState<ID>, duration: Duration) -> BatchReport<ID> {
        let report = BatchReport(
            strategy: state.strategy, succeeded: state.succeeded, failed: state.failed, skipped: state.skipped,
            duration: duration, peakInFlight: state.peakInFlight)
        logger.debug("batch run finished", metadata: ["summary": "\(report)"])
        return report
    }

    private func runStrategy<Source: BatchItemSource, ID: Hashable & Sendable>(
        source: inout Source,
        id: @escaping @Sendable (Source.Item) -> ID,
        strategy: BatchStrategy,
        failurePolicy: BatchFailurePolicy,
        state: inout BatchRunState<ID>,
        operation: @escaping @Sendable (Source.Item) async throws -> Void
    ) async throws {
        switch strategy {
        case .sequential, .parallel:
            try await window(
                source: &source, id: id, width: strategy.maxInFlight, failurePolicy: failurePolicy,
                state: &state, operation: operation)
        case .batched(let size, _, let pause):
            var first = true
            while !state.stopped {
                try Task.checkCancellation()
                var batch: [Source.Item] = []
                let batchSize = max(1, size)
                batch.reserveCapacity(batchSize)
                while batch.count < batchSize, let item = try await source.nextItem() { batch.append(item) }
                if batch.isEmpty { break }
                if !first && pause > .zero { try await clock.sleep(for: pause) }
                first = false
                var batchSource = BatchSyncIterator(base: batch.makeIterator())
                batch = []
                try await window(
                    source: &batchSource, id: id, width: strategy.maxInFlight,
                    failurePolicy: failurePolicy, state: &state, operation: operation)
            }
        }
    }

    /// The sliding window: keeps up to `width` items in flight until the source runs dry or a fail-fast stop.
    private func window<Source: BatchItemSource, ID: Hashable & Sendable>(
        source: inout Source,
        id: @escaping @Sendable (Source.Item) -> ID,
        width: Int,
        failurePolicy: BatchFailurePolicy,
        state: inout BatchRunState<ID>,
        operation: @escaping @Sendable (Source.Item) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: BatchItemOutcome<ID>.self) { group in
            var inFlight = 0
            var exhausted = false
            func startNext() async throws -> Bool {
                guard !exhausted, !state.stopped, let item = try await source.nextItem() else {
                    exhausted = true
                    return false
                }
                let itemID = id(item)
                group.addTask {
                    do {
                        try Task.checkCancellation()
                        try await operation(item)
                        return BatchItemOutcome(id: itemID, error: nil)
                    } catch {
                        return BatchItemOutcome(id: itemID, error: error)
                    }
                }
                inFlight += 1
                state.peakInFlight = max(state.peakInFlight, inFlight)
                return true
            }
            while inFlight < width, !Task.isCancelled, try await startNext() {}
            while let outcome = try await group.next() {
                inFlight -= 1
                state.record(outcome, failurePolicy: failurePolicy)
                if state.stopped {
                    group.cancelAll()
                } else if !Task.isCancelled {
                    _ = try await startNext()
                }
            }
        }
        try Task.checkCancellation()
        if state.stopped && Source.drainsOnStop {
            // Fail-fast: whatever was never started is skipped (streams are left unread instead).
            while let item = try await source.nextItem() { state.skipped.append(id(item)) }
        }
    }

    private static func count<S: Sequence>(_ items: S) -> Int? {
        if let collection = items as? any Collection { return collection.count }
        return nil
    }
}

/// The accumulating result of one run.
private struct BatchRunState<ID: Hashable & Sendable> {
    var strategy: BatchStrategy
    var total: Int?
    var progress: BatchProcessor.ProgressHandler?
    var succeeded: [ID] = []
    var failed: [BatchFailure<ID>] = []
    var skipped: [ID] = []
    var peakInFlight = 0
    var stopped = false

    init(strategy: BatchStrategy, total: Int?, progress: BatchProcessor.ProgressHandler?) {
        self.strategy = strategy
        self.total = total
        self.progress = progress
    }

    mutating func record(_ outcome: BatchItemOutcome<ID>, failurePolicy: BatchFailurePolicy) {
        switch outcome.error {
        case nil:
            succeeded.append(outcome.id)
        case let error? where error is CancellationError && stopped:
            skipped.append(outcome.id)
            return
        case let error?:
            failed.append(BatchFailure(id: outcome.id, error: error))
            if failurePolicy == .failFast { stopped = true }
        }
        progress?(
            BatchProgress(
                completed: succeeded.count + failed.count, succeeded: succeeded.count, failed: failed.count,
                total: total))
    }
}

private struct BatchItemOutcome<ID: Sendable>: Sendable {
    var id: ID
    var error: (any Error)?
}

/// A pull-based source of items, synchronous or asynchronous.
private protocol BatchItemSource {
    associatedtype Item: Sendable
    /// Whether the rest is read and reported as skipped after a fail-fast stop (in-memory inputs only).
    static var drainsOnStop: Bool { get }
    mutating func nextItem() async throws -> Item?
}

private struct BatchSyncIterator<Base: IteratorProtocol>: BatchItemSource where Base.Element: Sendable {
    static var drainsOnStop: Bool { true }
    var base: Base
    mutating func nextItem() async throws -> Base.Element? { base.next() }
}

private struct BatchAsyncIterator<Base: AsyncIteratorProtocol>: BatchItemSource where Base.Element: Sendable {
    static var drainsOnStop: Bool { false }
    var base: Base
    mutating func nextItem() async throws -> Base.Element? { try await base.next() }
}
