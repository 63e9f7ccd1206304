import Foundation

/// Why a ``FileUtilities`` operation failed: each case names the path and what to do about it.
public enum FileUtilitiesError: Error, Sendable, Equatable {
    /// Nothing exists at `path`.
    case notFound(path: String)
    /// `path` is a directory, a device or a pipe, not a regular file.
    case notARegularFile(path: String)
    /// The operating system refused `operation` ("read", "create temporary file"...) on `path`.
    case permissionDenied(path: String, operation: String)
    /// The file holds `size` bytes (at least), more than the `limit` the caller accepts.
    case tooLarge(path: String, size: Int, limit: Int)
    /// The file is not valid UTF-8; the first invalid byte is at `byteOffset` (0-based).
    case invalidUTF8(path: String, byteOffset: Int)
    /// Another system error (`errno`) during `operation` on `path`.
    case ioFailure(path: String, operation: String, errno: Int32, message: String)
}

extension FileUtilitiesError: CustomStringConvertible {
    /// A sentence saying what failed and what to do.
    public var description: String {
        switch self {
        case .notFound(let path):
            "File not found: \(path). Check the path (relative paths start at the current directory)."
        case .notARegularFile(let path):
            "Not a regular file: \(path). Pass the path of a file, not of a directory or device."
        case .permissionDenied(let path, let operation):
            "Permission denied to \(operation) \(path). Check the file's and its directory's permissions."
        case .tooLarge(let path, let size, let limit):
            "File too large: \(path) has \(size) bytes, the limit is \(limit). Raise maxBytes if it is expected."
        case .invalidUTF8(let path, let byteOffset):
            "Not valid UTF-8: \(path), first invalid byte at offset \(byteOffset). Re-save the file as UTF-8."
        case .ioFailure(let path, let operation, let errno, let message):
            "Could not \(operation) \(path): \(message) (errno \(errno))."
        }
    }
}

extension FileUtilitiesError: LocalizedError {
    /// The same text as ``description``.
    public var errorDescription: String? { description }
}
