// MUTANT chunk-never-emptied: the chunk is never emptied after it is handed over, so chunks grow and the whole
// listing ends up in memory. Caught by Exercise3_7HiddenChecks.test3_chunksAreFullExceptTheLastAndCoverEverythingOnce.

import MokoEnterprise

/// Pattern 9: processing every repository of a large organisation without holding them all.
public struct MemoryEfficientProcessor: Sendable {
    /// The client that fetches the pages.
    public let client: GitHubClient
    /// The organisation.
    public let org: String
    /// Repositories per page (1–100).
    public let perPage: Int

    /// Creates a processor.
    ///
    /// - Parameters:
    ///   - client: the GitHub client.
    ///   - org: the organisation's login.
    ///   - perPage: repositories per page.
    public init(client: GitHubClient, org: String, perPage: Int = 100) {
        self.client = client
        self.org = org
        self.perPage = perPage
    }

    /// A fresh stream of the organisation's repositories.
    public func stream() -> RepositoryStream {
        RepositoryStream(client: client, org: org, perPage: perPage)
    }

    /// Streams the repositories and hands them to `body` in chunks of `chunkSize` (the last may be smaller).
    ///
    /// Only one chunk is held at a time (besides the stream's current page).
    ///
    /// - Parameters:
    ///   - chunkSize: repositories per chunk; at least 1.
    ///   - body: the work for one chunk.
    /// - Returns: the memory used: items, pages fetched, the largest chunk held and its footprint.
    /// - Throws: ``InvalidChunkSize`` for a chunk size below 1 (before any request); the stream's errors and
    ///   `body`'s.
    @discardableResult
    public func processInChunks(
        chunkSize: Int, _ body: ([Repository]) async throws -> Void
    ) async throws
        -> MemoryUsage
    {
        guard chunkSize >= 1 else { throw InvalidChunkSize(chunkSize: chunkSize) }
        let repositories = stream()
        var chunk: [Repository] = []
        chunk.reserveCapacity(chunkSize)
        var usage = MemoryUsage(approach: "streaming", items: 0, pagesFetched: 0, peakItemsHeld: 0, peakBytesHeld: 0)
        func flush() async throws {
            usage.peakItemsHeld = max(usage.peakItemsHeld, chunk.count)
            usage.peakBytesHeld = max(usage.peakBytesHeld, MemoryFootprint.bytes(of: chunk))
            usage.items += chunk.count
            try await body(chunk)
        }
        for try await repository in repositories {
            chunk.append(repository)
            if chunk.count == chunkSize { try await flush() }
        }
        if !chunk.isEmpty { try await flush() }
        usage.pagesFetched = repositories.pagesFetched
        return usage
    }

    /// The traditional approach: every repository in one array, then the work.
    ///
    /// - Parameter body: the work for one repository.
    /// - Returns: the memory used: the whole array is the peak.
    @discardableResult
    public func loadAll(_ body: (Repository) async throws -> Void) async throws -> MemoryUsage {
        let repositories = stream()
        var all: [Repository] = []
        for try await repository in repositories { all.append(repository) }
        for repository in all { try await body(repository) }
        return MemoryUsage(
            approach: "load_all", items: all.count, pagesFetched: repositories.pagesFetched, peakItemsHeld: all.count,
            peakBytesHeld: MemoryFootprint.bytes(of: all))
    }

    /// Runs both approaches over every repository and reports them side by side.
    ///
    /// - Parameter chunkSize: the streaming approach's chunk size.
    /// - Returns: the report.
    public func memoryReport(chunkSize: Int = 10) async throws -> MemoryReport {
        let streaming = try await processInChunks(chunkSize: chunkSize) { _ in }
        let loadAll = try await loadAll { _ in }
        return MemoryReport(streaming: streaming, loadAll: loadAll)
    }
}

/// A chunk size below 1.
///
/// Provided alongside the exercise's types.
public struct InvalidChunkSize: Error, Sendable, Hashable, CustomStringConvertible {
    /// The size that was asked for.
    public var chunkSize: Int

    /// `chunkSize must be at least 1 (got N)`.
    public var description: String { "chunkSize must be at least 1 (got \(chunkSize))" }
}
