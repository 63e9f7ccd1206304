import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler that appends one line per message to a file, secrets redacted.
///
/// Line format: `2026-02-01T12:00:00Z info my-script: Processed repository org=acme count=3`.
/// Metadata is sorted by key; the message and metadata values go through ``SecretRedactor/redact(_:)``.
/// Copies of the handler share one open file; each line is a single `write` in append mode, so lines
/// from several threads (or processes) never interleave.
public struct CLILogFileHandler: LogHandler {
    /// The messages at or above this level are written.
    public var logLevel: Logger.Level = .info
    /// Metadata added to every message of this handler.
    public var metadata: Logger.Metadata = [:]

    private let label: String
    private let sink: Sink
    private let wallClock: any WallClock

    /// Opens (creating if needed) the file for appending.
    ///
    /// - Parameters:
    ///   - path: the log file.
    ///   - label: the logger's label, written on every line.
    ///   - wallClock: the source of the timestamps.
    /// - Throws: ``FileUtilitiesError`` when the file cannot be opened.
    public init(path: String, label: String, wallClock: any WallClock = SystemWallClock()) throws {
        self.label = label
        self.wallClock = wallClock
        sink = try Sink(path: path)
    }

    /// Reads or writes one metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line.
    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = TimeUtilities.formatTimestamp(wallClock.currentDate, style: .iso8601)
        line += " \(event.level) \(label): \(SecretRedactor.redact(event.message.description))"
        for key in merged.keys.sorted() {
            guard let value = merged[key] else { continue }
            let text = Config.isSecretKey(key) ? SecretRedactor.marker : SecretRedactor.redact(value.description)
            line += " \(key)=\(text)"
        }
        if let error = event.error {
            line += " error=\(SecretRedactor.redact(String(describing: error)))"
        }
        sink.write(line + "\n")
    }

    /// The shared open file. `Sendable`: the descriptor is immutable and writes are serialised by a mutex.
    private final class Sink: Sendable {
        private let descriptor: Int32
        private let lock = Mutex(())

        init(path: String) throws {
            descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                let code = errno
                switch code {
                case ENOENT: throw FileUtilitiesError.notFound(path: path)
                case EACCES, EPERM, EROFS: throw FileUtilitiesError.permissionDenied(path: path, operation: "append to")
                case EISDIR: throw FileUtilitiesError.notARegularFile(path: path)
                default:
                    throw FileUtilitiesError.ioFailure(
                        path: path, operation: "open", errno: code, message: String(cString: strerror(code)))
                }
            }
        }

        func write(_ text: String) {
            lock.withLock { _ in
                var bytes = Array(text.utf8)
                var offset = 0
                while offset < bytes.count {
                    let written = bytes.withUnsafeMutableBytes { buffer in
                        logFileSystemWrite(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                    }
                    if written < 0 {
                        if errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
                bytes.removeAll()
            }
        }

        deinit { close(descriptor) }
    }
}

/// `write(2)`, reachable from inside a type that has its own `write` method.
private func logFileSystemWrite(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
