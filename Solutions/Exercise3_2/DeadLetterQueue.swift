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
        var seen = Set<String>()
        for item in items {
            guard !item.id.isEmpty, seen.insert(item.id).inserted else {
                throw DeadLetterQueueError(
                    .invalidBatch, "every item needs a unique, non-empty id; '\(item.id)' is empty or repeated")
            }
        }
        var store = try load()
        var summary = BatchSummary()
        for item in items {
            // A completed item is never done twice; a parked one waits for processDeadLetters().
            if store.completed.contains(item.id) || store.deadLetters.contains(where: { $0.item.id == item.id }) {
                summary.skipped.append(item.id)
                continue
            }
            var lastError: (any Error)?
            for _ in 0..<maxRetries {
                do {
                    try await handler(item)
                    lastError = nil
                    break
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    lastError = error
                }
            }
            if let lastError {
                store.deadLetters.append(DeadLetter(item: item, reason: "\(lastError)", retryCount: maxRetries))
                summary.deadLettered.append(item.id)
            } else {
                store.completed.append(item.id)
                summary.completed.append(item.id)
            }
            try save(store)  // after every item: a crash loses at most the item in flight
        }
        return summary
    }

    /// The items parked in the queue, oldest first.
    ///
    /// - Throws: ``DeadLetterQueueError`` for an unreadable store.
    public func deadLetters() throws -> [DeadLetter] { try load().deadLetters }

    /// The ids of every completed item (in batches or by hand), in the order they completed.
    ///
    /// - Throws: ``DeadLetterQueueError`` for an unreadable store.
    public func completedIDs() throws -> [String] { try load().completed }

    /// Manual processing: tries every parked item once, oldest first. An item that succeeds leaves the queue
    /// and counts as completed; one that fails stays, its retry count up by one and its reason updated.
    ///
    /// - Parameter handler: does the work for one item (usually after the cause of the failures was fixed).
    /// - Returns: which items recovered and which still fail.
    /// - Throws: ``DeadLetterQueueError`` for an unusable store; `CancellationError`.
    public func processDeadLetters(handler: @Sendable (WorkItem) async throws -> Void) async throws -> RedriveSummary {
        var store = try load()
        var summary = RedriveSummary()
        for letter in store.deadLetters {
            do {
                try await handler(letter.item)
                store.deadLetters.removeAll { $0.item.id == letter.item.id }
                store.completed.append(letter.item.id)
                summary.recovered.append(letter.item.id)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if let index = store.deadLetters.firstIndex(where: { $0.item.id == letter.item.id }) {
                    store.deadLetters[index].retryCount += 1
                    store.deadLetters[index].reason = "\(error)"
                }
                summary.stillFailing.append(letter.item.id)
            }
            try save(store)
        }
        return summary
    }

    // MARK: Store

    private struct Store: Codable {
        var completed: [String] = []
        var deadLetters: [DeadLetter] = []
    }

    private func load() throws -> Store {
        try fileLock.withLock { _ in
            guard FileManager.default.fileExists(atPath: storeFile.path) else { return Store() }
            do {
                return try JSONDecoder().decode(Store.self, from: Data(contentsOf: storeFile))
            } catch {
                throw DeadLetterQueueError(
                    .unreadableStore, "the store \(storeFile.path) cannot be read (\(error)); fix or remove it")
            }
        }
    }

    private func save(_ store: Store) throws {
        try fileLock.withLock { _ in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            do {
                try encoder.encode(store).write(to: storeFile, options: .atomic)
            } catch {
                throw DeadLetterQueueError(
                    .unwritableStore, "cannot write the store \(storeFile.path): \(error.localizedDescription)")
            }
        }
    }
}
