import Foundation

/// An audit operation was refused or its input could not be read.
///
/// Store failures (the SQLite file cannot be opened, read or written) are reported as ``StoreError``
/// instead, naming the file. Nothing is written when an ``AuditError`` is thrown.
public struct AuditError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem this is.
    public enum Code: String, Sendable, Equatable {
        /// An argument is out of range (e.g. `retentionDays` below 1).
        case invalidArgument
        /// One record would exceed ``AuditLogger/maximumRecordBytes``.
        case recordTooLarge
        /// A JSON text (a detail blob or an exported line) is not valid JSON.
        case malformedJSON
        /// A file could not be read or written.
        case fileAccess
    }

    /// What kind of problem this is.
    public var code: Code
    /// What went wrong and what to do, in a sentence.
    public var message: String

    /// Creates an audit error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `"<code>: <message>"`.
    public var description: String { "\(code.rawValue): \(message)" }
}
