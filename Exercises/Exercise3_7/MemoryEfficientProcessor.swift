import ExerciseSupport
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
        // TODO: refuse a chunkSize below 1 with InvalidChunkSize before any request. Read `stream()` with
        // `for try await`, collect repositories into a chunk, call `body` when it is full (and once more for
        // the rest), and empty the chunk before reading on. Return a `MemoryUsage` named "streaming": items,
        // the stream's `pagesFetched`, the largest chunk held and its `MemoryFootprint.bytes(of:)`.
        throw Unimplemented("processing in chunks (MemoryEfficientProcessor.processInChunks)", exercise: "3.7")
    }

    /// The traditional approach: every repository in one array, then the work.
    ///
    /// - Parameter body: the work for one repository.
    /// - Returns: the memory used: the whole array is the peak.
    @discardableResult
    public func loadAll(_ body: (Repository) async throws -> Void) async throws -> MemoryUsage {
        // TODO: the traditional approach, to compare with: collect every repository of `stream()` into one
        // array, then call `body` for each. Return a `MemoryUsage` named "load_all" (the whole array is the
        // peak held).
        throw Unimplemented("loading everything (MemoryEfficientProcessor.loadAll)", exercise: "3.7")
    }

    /// Runs both approaches over every repository and reports them side by side.
    ///
    /// - Parameter chunkSize: the streaming approach's chunk size.
    /// - Returns: the report.
    public func memoryReport(chunkSize: Int = 10) async throws -> MemoryReport {
        // TODO: run `processInChunks(chunkSize:)` (with a body that does nothing) and `loadAll`, and return
        // both in a `MemoryReport`.
        throw Unimplemented("the memory report (MemoryEfficientProcessor.memoryReport)", exercise: "3.7")
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
