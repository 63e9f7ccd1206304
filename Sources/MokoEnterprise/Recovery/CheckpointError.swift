/// A checkpoint call was refused because of what the caller asked, not because the store failed.
///
/// Store failures (a file that cannot be opened, a disk error) are ``StoreError``s naming the file. A
/// refused call changes nothing.
public struct CheckpointError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of refusal this is.
    public enum Code: String, Sendable, Equatable {
        /// The item id is empty or holds a NUL character: give every item a stable, non-empty id.
        case invalidItemID
        /// The checkpoint name is empty or holds a NUL character.
        case invalidName
        /// The checkpoint was started with other identifying parameters: resuming it would mix two
        /// different jobs. Use another name, or ``Checkpoint/reset()`` the old job first.
        case parametersChanged
        /// The item is already completed, and completion is final: call ``Checkpoint/reset()`` to
        /// start the job over.
        case alreadyCompleted
        /// A result could not be encoded as JSON.
        case resultNotEncodable
        /// A stored result could not be decoded as the requested type.
        case resultNotDecodable
    }

    /// What kind of refusal this is.
    public var code: Code
    /// The checkpoint's name.
    public var checkpoint: String
    /// The item concerned.
    public var itemID: String
    /// What happened and what to do, in a sentence.
    public var message: String

    /// Creates a checkpoint error.
    public init(code: Code, checkpoint: String, itemID: String, message: String) {
        self.code = code
        self.checkpoint = checkpoint
        self.itemID = itemID
        self.message = message
    }

    /// `"checkpoint '<name>', item '<id>': <message>"`.
    public var description: String { "checkpoint '\(checkpoint)', item '\(itemID)': \(message)" }
}
