import Foundation

/// An item parked in a ``DeadLetterQueue`` after failing too often.
public struct DeadLetterEntry: Sendable, Equatable, Hashable {
    /// The queue's name.
    public var queue: String
    /// The item's id, as given.
    public var itemID: String
    /// The item as it was given to the queue (JSON for ``DeadLetterQueue/process(_:id:using:)``).
    public var payload: Data
    /// Why the item was parked, redacted.
    public var reason: String
    /// The last error, redacted.
    public var lastError: String
    /// The Swift type of the last error (e.g. `"MyApp.HTTPError"`), when known.
    public var errorType: String?
    /// How many failed attempts the item has had, redrives included.
    public var retryCount: Int
    /// When the item first failed.
    public var firstFailedAt: Date
    /// When the item last failed (its last redrive attempt included).
    public var lastFailedAt: Date
    /// When the item entered the queue.
    public var deadLetteredAt: Date
    /// The order of arrival in the queue; redrive goes oldest first.
    public var sequence: Int64

    /// Creates an entry.
    public init(
        queue: String,
        itemID: String,
        payload: Data,
        reason: String,
        lastError: String,
        errorType: String? = nil,
        retryCount: Int,
        firstFailedAt: Date,
        lastFailedAt: Date,
        deadLetteredAt: Date,
        sequence: Int64
    ) {
        self.queue = queue
        self.itemID = itemID
        self.payload = payload
        self.reason = reason
        self.lastError = lastError
        self.errorType = errorType
        self.retryCount = retryCount
        self.firstFailedAt = firstFailedAt
        self.lastFailedAt = lastFailedAt
        self.deadLetteredAt = deadLetteredAt
        self.sequence = sequence
    }

    /// The payload decoded from JSON as a `T`.
    ///
    /// - Throws: ``DeadLetterError`` (``DeadLetterError/Code/payloadNotDecodable``) when it is not one.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: payload)
        } catch {
            throw DeadLetterError(
                code: .payloadNotDecodable,
                queue: queue,
                itemID: itemID,
                message: "the payload is not a \(T.self) (\(error))"
            )
        }
    }
}
