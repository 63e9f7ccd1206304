import Foundation
import Synchronization

/// Where a command writes what the user reads.
public protocol TextSink: Sendable {
    /// Writes `text` as it is (add the newline yourself).
    func write(_ text: String)
}

extension TextSink {
    /// Writes `text` and a newline.
    public func line(_ text: String = "") {
        write(text + "\n")
    }
}

/// Writes to the process's standard output or standard error, unbuffered.
public struct StandardStream: TextSink {
    private let handle: FileHandle

    /// Standard output.
    public static let output = StandardStream(handle: .standardOutput)
    /// Standard error.
    public static let error = StandardStream(handle: .standardError)

    /// Writes `text`.
    public func write(_ text: String) {
        handle.write(Data(text.utf8))
    }
}

/// Collects what is written, for tests and for callers that post-process output.
public final class TextBuffer: TextSink {
    private let storage = Mutex("")

    /// Creates an empty buffer.
    public init() {}

    /// Everything written so far.
    public var text: String { storage.withLock { $0 } }

    /// Appends `text`.
    public func write(_ text: String) {
        storage.withLock { $0 += text }
    }
}
