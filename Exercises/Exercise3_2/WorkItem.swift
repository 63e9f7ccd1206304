/// One unit of work in a batch. Provided: not part of the exercise.
public struct WorkItem: Codable, Sendable, Hashable {
    /// A unique id within the batch, e.g. `repo-42`.
    public var id: String
    /// The data the handler works on.
    public var payload: String

    /// Creates an item.
    public init(id: String, payload: String) {
        self.id = id
        self.payload = payload
    }
}

/// An item that failed every attempt and was parked in the dead letter queue.
public struct DeadLetter: Codable, Sendable, Equatable {
    /// The item, unchanged.
    public var item: WorkItem
    /// Why it is here: the description of the last error.
    public var reason: String
    /// How many attempts have failed so far (batch attempts plus failed manual attempts).
    public var retryCount: Int

    /// Creates an entry.
    public init(item: WorkItem, reason: String, retryCount: Int) {
        self.item = item
        self.reason = reason
        self.retryCount = retryCount
    }
}

/// What one batch run did.
public struct BatchSummary: Sendable, Equatable {
    /// Items completed in this run, in batch order.
    public var completed: [String]
    /// Items moved to the dead letter queue in this run, in batch order.
    public var deadLettered: [String]
    /// Items not run because they were already completed or already in the dead letter queue, in batch order.
    public var skipped: [String]

    /// Creates a summary.
    public init(completed: [String] = [], deadLettered: [String] = [], skipped: [String] = []) {
        self.completed = completed
        self.deadLettered = deadLettered
        self.skipped = skipped
    }
}

/// What one manual pass over the dead letter queue did.
public struct RedriveSummary: Sendable, Equatable {
    /// Items that succeeded and left the queue, in queue order.
    public var recovered: [String]
    /// Items that failed again and stay in the queue, in queue order.
    public var stillFailing: [String]

    /// Creates a summary.
    public init(recovered: [String] = [], stillFailing: [String] = []) {
        self.recovered = recovered
        self.stillFailing = stillFailing
    }
}

/// Bad input or an unusable store: nothing was run and nothing was written.
public struct DeadLetterQueueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Kind: String, Sendable, Equatable {
        /// The name or `maxRetries` is unusable.
        case invalidConfiguration
        /// An item id is empty or appears twice in one batch.
        case invalidBatch
        /// The store file exists but cannot be read.
        case unreadableStore
        /// The store file cannot be written.
        case unwritableStore
    }

    /// The kind of problem.
    public var kind: Kind
    /// What is wrong and what to do.
    public var message: String

    /// Creates the error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
