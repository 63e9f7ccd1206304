import ExerciseSupport
import Foundation
import Synchronization

/// Processes batches so that items that keep failing do not block the rest: each item gets `maxRetries`
/// attempts, and an item that fails them all is parked in a dead letter queue with the reason and its
/// retry count, to be processed by hand once the cause is fixed.
///
/// Completed ids and dead letters live in one JSON file (`<directory>/<name>.dlq.json`) that is saved after
/// every item, so a rerun (or a restart) never processes a completed item twice and never loses a parked one.
public final class DeadLetterQueue: Sendable {
    /// The queue's name; it names the store file.
    public let name: String
    /// The folder that holds the store file.
    public let directory: URL
    /// Attempts per item in a batch before it is dead-lettered (at least 1).
    public let maxRetries: Int
    /// Serialises reads and writes of the store file within this process.
    private let fileLock = Mutex(())

    /// Creates a queue.
    ///
    /// - Parameters:
    ///   - name: the queue's name: letters, digits, `-`, `_` and `.` only.
    ///   - directory: the folder for the store file (it must exist).
    ///   - maxRetries: attempts per item before it is dead-lettered (at least 1).
    /// - Throws: ``DeadLetterQueueError`` (`.invalidConfiguration`) for a bad name or `maxRetries`.
    public init(name: String, directory: URL, maxRetries: Int = 3) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !name.isEmpty, !name.hasPrefix("."), name.unicodeScalars.allSatisfy(allowed.contains) else {
            throw DeadLetterQueueError(
                .invalidConfiguration, "queue name '\(name)' must be non-empty letters, digits, '-', '_' or '.'")
        }
        guard maxRetries >= 1 else {
            throw DeadLetterQueueError(.invalidConfiguration, "maxRetries must be at least 1, not \(maxRetries)")
        }
        self.name = name
        self.directory = directory
        self.maxRetries = maxRetries
    }

    /// The store file: `<directory>/<name>.dlq.json`.
    public var storeFile: URL { directory.appendingPathComponent("\(name).dlq.json") }

    /// Processes a batch: every item not completed before and not already dead-lettered gets up to
    /// ``maxRetries`` attempts; it is completed at its first success, or dead-lettered after the last failure
    /// with the last error's description as reason and ``maxRetries`` as retry count.
    ///
    /// - Parameters:
    ///   - items: the batch (non-empty, unique ids).
    ///   - handler: does the work for one item; throwing means the attempt failed.
    /// - Returns: what happened to each item.
    /// - Throws: ``DeadLetterQueueError`` for a bad batch or store (nothing runs); `CancellationError`.
    public func processBatch(
        _ items: [WorkItem], handler: @Sendable (WorkItem) async throws -> Void
    ) async throws -> BatchSummary {
        // TODO: reject an empty or repeated id (`DeadLetterQueueError(.invalidBatch, ...)`) before running anything.
        // TODO: load the store (`storeFile`: completed ids and dead letters; empty when there is no file). For each
        // item: skip it when it is completed or already parked; otherwise call `handler` up to `maxRetries`
        // times, stopping at the first success. Record it as completed, or append a `DeadLetter` with the last
        // error's description and `maxRetries`. Save the store after every item (atomically).
        throw Unimplemented("processing a batch (DeadLetterQueue.processBatch(_:handler:))", exercise: "3.2")
    }

    /// The items parked in the queue, oldest first.
    ///
    /// - Throws: ``DeadLetterQueueError`` for an unreadable store.
    public func deadLetters() throws -> [DeadLetter] {
        // TODO: read the dead letters from the store file.
        throw Unimplemented("reading the queue (DeadLetterQueue.deadLetters())", exercise: "3.2")
    }

    /// The ids of every completed item (in batches or by hand), in the order they completed.
    ///
    /// - Throws: ``DeadLetterQueueError`` for an unreadable store.
    public func completedIDs() throws -> [String] {
        // TODO: read the completed ids from the store file.
        throw Unimplemented("reading the completed ids (DeadLetterQueue.completedIDs())", exercise: "3.2")
    }

    /// Manual processing: tries every parked item once, oldest first. An item that succeeds leaves the queue
    /// and counts as completed; one that fails stays, its retry count up by one and its reason updated.
    ///
    /// - Parameter handler: does the work for one item (usually after the cause of the failures was fixed).
    /// - Returns: which items recovered and which still fail.
    /// - Throws: ``DeadLetterQueueError`` for an unusable store; `CancellationError`.
    public func processDeadLetters(handler: @Sendable (WorkItem) async throws -> Void) async throws -> RedriveSummary {
        // TODO: call `handler` once per dead letter, oldest first; on success remove it from the queue and add its
        // id to the completed ids; on failure keep it with `retryCount + 1` and the new reason. Save after each.
        throw Unimplemented("manual processing (DeadLetterQueue.processDeadLetters(handler:))", exercise: "3.2")
    }
}
