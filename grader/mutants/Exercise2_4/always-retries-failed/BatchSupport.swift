import Synchronization

/// One item of the batch. Provided: not part of the exercise.
public struct BatchItem: Sendable, Equatable {
    /// The item's id, the key in the checkpoint (e.g. `item-007`).
    public var id: String
    /// Its data.
    public var payload: Int

    /// Creates an item.
    public init(id: String, payload: Int) {
        self.id = id
        self.payload = payload
    }

    /// `count` items `item-001`, `item-002`... with payloads 1, 2...
    public static func numbered(_ count: Int) -> [BatchItem] {
        (0..<max(0, count)).map { index in
            let number = index + 1
            let digits = String(number)
            return BatchItem(
                id: "item-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits, payload: number)
        }
    }
}

/// Does the work for one item. Provided.
public protocol ItemWorker: Sendable {
    /// Processes `item` and returns a short result to keep in the checkpoint.
    ///
    /// - Throws: any error when the item fails; `CancellationError` when the run is interrupted.
    func process(_ item: BatchItem) async throws -> String
}

/// The error a ``SimulatedWorker`` throws for an item it was told to fail.
public struct ItemFailed: Error, Sendable, Equatable, CustomStringConvertible {
    /// The item's id.
    public var id: String

    /// `processing <id> failed`.
    public var description: String { "processing \(id) failed" }
}

/// A worker whose failures are chosen in advance, and which can simulate an interruption (Ctrl-C, a
/// crash) after a number of calls. It records every call. Provided.
public final class SimulatedWorker: ItemWorker {
    private let failing: Set<String>
    private let interruptAfter: Int?
    private let calls = Mutex<[String]>([])

    /// Creates a worker.
    ///
    /// - Parameters:
    ///   - failing: ids whose processing throws ``ItemFailed``.
    ///   - interruptAfter: after this many calls, every further call throws `CancellationError`.
    public init(failing: Set<String> = [], interruptAfter: Int? = nil) {
        self.failing = failing
        self.interruptAfter = interruptAfter
    }

    /// The ids of every item this worker was asked to process (including the failed ones), in order.
    /// A call that was interrupted is not recorded.
    public var processedIDs: [String] { calls.withLock { $0 } }

    /// Processes the item: returns `done:<payload * 2>` or throws.
    public func process(_ item: BatchItem) async throws -> String {
        let interrupted = calls.withLock { calls -> Bool in
            if let interruptAfter, calls.count >= interruptAfter { return true }
            calls.append(item.id)
            return false
        }
        if interrupted { throw CancellationError() }
        if failing.contains(item.id) { throw ItemFailed(id: item.id) }
        return "done:\(item.payload * 2)"
    }
}

/// The totals of one run. Provided.
///
/// Every item ends up either completed or failed: `completed + failed == total` after a run that was not
/// interrupted.
public struct BatchSummary: Sendable, Equatable, Encodable {
    /// How many items the batch has.
    public var total: Int
    /// Items completed, in this run or an earlier one.
    public var completed: Int
    /// Of those, the items completed by an earlier run and skipped now.
    public var skipped: Int
    /// Items that are failed after this run.
    public var failed: Int
    /// Their ids, in batch order.
    public var failedItems: [String]

    /// Creates a summary.
    public init(total: Int = 0, completed: Int = 0, skipped: Int = 0, failed: Int = 0, failedItems: [String] = []) {
        self.total = total
        self.completed = completed
        self.skipped = skipped
        self.failed = failed
        self.failedItems = failedItems
    }

    /// The report printed at the end of a run.
    public var reportLines: [String] {
        var lines = [
            "Batch Summary:",
            "  Total: \(total)",
            "  Completed: \(completed)",
            "  Skipped (already completed): \(skipped)",
            "  Failed: \(failed)",
        ]
        if !failedItems.isEmpty {
            lines.append("Failed items: \(failedItems.joined(separator: ", "))")
            lines.append("Run with --retry-failed to retry failed items")
        }
        return lines
    }
}
