import Foundation

/// One item whose last attempt failed and that has not been completed since.
public struct CheckpointFailure: Sendable, Equatable, Hashable {
    /// The item's id, as given.
    public var itemID: String
    /// The last error, with credentials redacted (``SecretRedactor``).
    public var error: String
    /// How many retries were counted for the item (``Checkpoint/incrementRetryCount(_:)``).
    public var retryCount: Int
    /// When the item first failed (since its last completion or reset).
    public var firstFailedAt: Date
    /// When the item last failed.
    public var lastFailedAt: Date

    /// Creates a failure record.
    public init(itemID: String, error: String, retryCount: Int, firstFailedAt: Date, lastFailedAt: Date) {
        self.itemID = itemID
        self.error = error
        self.retryCount = retryCount
        self.firstFailedAt = firstFailedAt
        self.lastFailedAt = lastFailedAt
    }
}
