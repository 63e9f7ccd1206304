/// What one ``DeadLetterQueue/process(_:id:using:)`` call did, item by item (ids in input order).
///
/// Every input item is in exactly one list.
public struct DeadLetterReport: Sendable, Equatable {
    /// Items that succeeded now and are marked completed.
    public var completed: [String] = []
    /// Items that failed now but have retries left: process them again later.
    public var pending: [String] = []
    /// Items that failed now for the `maxRetries`-th time and moved to the queue.
    public var deadLettered: [String] = []
    /// Items skipped because they were already completed.
    public var skipped: [String] = []
    /// Items skipped because they were already in the queue (redrive them instead).
    public var alreadyDeadLettered: [String] = []

    /// Creates an empty report.
    public init() {}

    /// How many items the call looked at.
    public var total: Int {
        completed.count + pending.count + deadLettered.count + skipped.count + alreadyDeadLettered.count
    }
}
