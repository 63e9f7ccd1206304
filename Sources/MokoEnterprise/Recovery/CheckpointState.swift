import Foundation

/// A summary of one named checkpoint, read in a single snapshot.
public struct CheckpointState: Sendable, Equatable {
    /// The checkpoint's name.
    public var name: String
    /// How many items are completed.
    public var completedCount: Int
    /// How many items are failed (last attempt failed, not completed since).
    public var failedCount: Int
    /// The completed item ids, in completion order (ties by id).
    public var completedItems: [String]
    /// The failed item ids, oldest failure first (ties by id).
    public var failedItems: [String]
    /// When anything in the checkpoint last changed; nil when it holds nothing.
    public var updatedAt: Date?

    /// Creates a state summary.
    public init(
        name: String,
        completedCount: Int,
        failedCount: Int,
        completedItems: [String],
        failedItems: [String],
        updatedAt: Date?
    ) {
        self.name = name
        self.completedCount = completedCount
        self.failedCount = failedCount
        self.completedItems = completedItems
        self.failedItems = failedItems
        self.updatedAt = updatedAt
    }
}
