import Foundation

/// Everything a checkpoint knows about one item.
public struct CheckpointItem: Sendable, Equatable, Hashable {
    /// Where an item stands.
    public enum Status: String, Sendable, Equatable, Hashable {
        /// The item finished. Completion is final until ``Checkpoint/reset()``.
        case completed
        /// The item's last attempt failed.
        case failed
        /// Only retries were counted; no failure or completion was recorded yet.
        case pending
    }

    /// The item's id, as given.
    public var itemID: String
    /// Where the item stands.
    public var status: Status
    /// The result stored on completion, verbatim; nil when none was given or the item is not completed.
    public var result: String?
    /// The last error (redacted) while the item is failed; nil otherwise.
    public var lastError: String?
    /// Retries counted so far. Kept after completion as a record of what the item cost.
    public var retryCount: Int
    /// When the item first failed (nil when it has not failed since its last completion).
    public var firstFailedAt: Date?
    /// When the item last failed (nil when it has not failed since its last completion).
    public var lastFailedAt: Date?
    /// When the item was completed; nil when it is not.
    public var completedAt: Date?
    /// When anything about the item last changed.
    public var updatedAt: Date

    /// Creates an item record.
    public init(
        itemID: String,
        status: Status,
        result: String? = nil,
        lastError: String? = nil,
        retryCount: Int = 0,
        firstFailedAt: Date? = nil,
        lastFailedAt: Date? = nil,
        completedAt: Date? = nil,
        updatedAt: Date
    ) {
        self.itemID = itemID
        self.status = status
        self.result = result
        self.lastError = lastError
        self.retryCount = retryCount
        self.firstFailedAt = firstFailedAt
        self.lastFailedAt = lastFailedAt
        self.completedAt = completedAt
        self.updatedAt = updatedAt
    }
}
