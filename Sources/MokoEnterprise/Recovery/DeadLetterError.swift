/// A dead letter queue call was refused because of what the caller asked; nothing was changed.
///
/// Store failures are ``StoreError``s naming the file; a completed item cannot be dead-lettered
/// (``CheckpointError/Code/alreadyCompleted``).
public struct DeadLetterError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of refusal this is.
    public enum Code: String, Sendable, Equatable {
        /// `maxRetries` is outside ``DeadLetterQueue/maxRetriesRange`` (1…1000, as Amazon SQS's
        /// `maxReceiveCount`).
        case invalidMaxRetries
        /// A retry count given to `deadLetter(id:payload:reason:error:retryCount:)` is negative.
        case invalidRetryCount
        /// The item id is empty or holds a NUL character.
        case invalidItemID
        /// The queue name is empty or holds a NUL character.
        case invalidName
        /// An item could not be encoded as JSON for the queue.
        case payloadNotEncodable
        /// A stored payload could not be decoded as the requested type.
        case payloadNotDecodable
    }

    /// What kind of refusal this is.
    public var code: Code
    /// The queue's name.
    public var queue: String
    /// The item concerned, when there is one.
    public var itemID: String?
    /// What happened and what to do, in a sentence.
    public var message: String

    /// Creates a dead letter queue error.
    public init(code: Code, queue: String, itemID: String? = nil, message: String) {
        self.code = code
        self.queue = queue
        self.itemID = itemID
        self.message = message
    }

    /// `"dead letter queue '<name>'[, item '<id>']: <message>"`.
    public var description: String {
        let item = itemID.map { ", item '\($0)'" } ?? ""
        return "dead letter queue '\(queue)'\(item): \(message)"
    }
}
