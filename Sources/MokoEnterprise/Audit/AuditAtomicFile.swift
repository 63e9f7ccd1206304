import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file atomically: into a temporary file beside it, flushed to disk, then renamed over the
/// destination. Readers see the old file or the complete new one, never a partial write. Used by the
/// audit export and the compliance report export.
struct AuditAtomicFile {
    let destination: URL
    private let temporary: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    /// Creates the temporary file.
    ///
    /// - Throws: ``AuditError`` with code `.fileAccess` naming the folder when it cannot be written.
    init(destination: URL) throws {
        self.destination = destination
        let folder = destination.deletingLastPathComponent()
        temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw AuditError(
                .fileAccess, "cannot create a file in \(folder.path); check that the folder exists and is writable")
        }
        do {
            handle = try FileHandle(forWritingTo: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw AuditError(.fileAccess, "cannot write \(temporary.path) (\(error.localizedDescription))")
        }
        buffer.reserveCapacity(1 << 20)
    }

    /// Appends bytes (buffered).
    mutating func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flushBuffer() }
    }

    /// Appends text (buffered).
    mutating func write(_ text: String) throws { try write(Array(text.utf8)) }

    private mutating func flushBuffer() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw AuditError(.fileAccess, "cannot write \(temporary.path) (\(error.localizedDescription))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the file into place.
    mutating func commit() throws {
        do {
            try flushBuffer()
            try handle.synchronize()
            try handle.close()
        } catch {
            discard()
            throw AuditError(.fileAccess, "cannot write \(temporary.path) (\(error))")
        }
        guard rename(temporary.path, destination.path) == 0 else {
            let code = errno
            discard()
            throw AuditError(
                .fileAccess,
                "cannot move the new file to \(destination.path) (errno \(code)); the old file is unchanged"
            )
        }
    }

    /// Removes the temporary file (after a failure).
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
    }

    /// Writes `text` to `destination` atomically.
    static func write(_ text: String, to destination: URL) throws {
        var file = try AuditAtomicFile(destination: destination)
        do {
            try file.write(text)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }
}
