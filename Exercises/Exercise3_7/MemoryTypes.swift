import MokoEnterprise

/// An estimate of the memory a set of repositories takes: the struct itself plus the bytes of its text.
///
/// Provided: not part of the exercise. Real resident memory depends on the allocator and on what else the
/// process does; this estimate depends only on what your code holds, so two approaches compare fairly.
public enum MemoryFootprint {
    /// The estimated bytes of one repository.
    public static func bytes(of repository: Repository) -> Int {
        let text = [repository.name, repository.fullName, repository.description ?? "", repository.defaultBranch ?? ""]
        return MemoryLayout<Repository>.stride + text.reduce(0) { $0 + $1.utf8.count }
    }

    /// The estimated bytes of several repositories.
    public static func bytes(of repositories: some Sequence<Repository>) -> Int {
        repositories.reduce(0) { $0 + bytes(of: $1) }
    }
}

/// How one approach used memory while it went over every repository.
///
/// Provided: not part of the exercise.
public struct MemoryUsage: Sendable, Hashable {
    /// `streaming` or `load_all`.
    public var approach: String
    /// Repositories processed.
    public var items: Int
    /// Pages requested from GitHub.
    public var pagesFetched: Int
    /// The most repositories the approach's own buffer held at once.
    public var peakItemsHeld: Int
    /// ``MemoryFootprint`` of that largest buffer.
    public var peakBytesHeld: Int

    /// Creates a row.
    public init(approach: String, items: Int, pagesFetched: Int, peakItemsHeld: Int, peakBytesHeld: Int) {
        self.approach = approach
        self.items = items
        self.pagesFetched = pagesFetched
        self.peakItemsHeld = peakItemsHeld
        self.peakBytesHeld = peakBytesHeld
    }
}

/// Streaming against loading everything, side by side.
///
/// Provided: not part of the exercise.
public struct MemoryReport: Sendable, Hashable, CustomStringConvertible {
    /// Processing in chunks from the stream.
    public var streaming: MemoryUsage
    /// Loading every repository into one array first.
    public var loadAll: MemoryUsage

    /// Creates a report.
    public init(streaming: MemoryUsage, loadAll: MemoryUsage) {
        self.streaming = streaming
        self.loadAll = loadAll
    }

    /// How many times less memory streaming held at its peak (0 when streaming held nothing).
    public var savingFactor: Double {
        streaming.peakBytesHeld > 0 ? Double(loadAll.peakBytesHeld) / Double(streaming.peakBytesHeld) : 0
    }

    /// A Markdown table with one row per approach.
    public var description: String {
        var lines = ["| approach | items | pages | peak items held | peak bytes held |", "|---|---:|---:|---:|---:|"]
        for row in [streaming, loadAll] {
            lines.append(
                "| \(row.approach) | \(row.items) | \(row.pagesFetched) | \(row.peakItemsHeld) | \(row.peakBytesHeld) |"
            )
        }
        return lines.joined(separator: "\n")
    }
}
