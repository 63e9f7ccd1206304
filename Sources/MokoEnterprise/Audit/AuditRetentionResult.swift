import Foundation

/// What ``AuditLogger/cleanupOldLogs()`` removed.
public struct AuditRetentionResult: Sendable, Hashable {
    /// How many records were deleted (0 when none had expired).
    public var deletedCount: Int
    /// Records older than this instant were eligible.
    public var cutoff: Date
    /// The chain's anchor after cleanup: the last deleted record's seq and hash.
    public var anchor: AuditHead
    /// The `retention` record that declares the anchor, when records were deleted.
    public var record: AuditRecord?

    /// Creates a result.
    public init(deletedCount: Int, cutoff: Date, anchor: AuditHead, record: AuditRecord?) {
        self.deletedCount = deletedCount
        self.cutoff = cutoff
        self.anchor = anchor
        self.record = record
    }
}
