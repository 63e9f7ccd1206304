import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Safe file operations for automation scripts: bounded UTF-8 reads and atomic writes.
///
/// Both report failures as ``FileUtilitiesError``, which names the path and says what to do.
///
/// ```swift
/// let text = try FileUtilities.safeReadFile("config/development.yaml")
/// try FileUtilities.atomicWrite(text + "\nextra: 1\n", to: URL(fileURLWithPath: "config/development.yaml"))
/// ```
public enum FileUtilities {
    /// The default size limit of ``safeReadFile(_:maxBytes:)``: 16 MiB.
    public static let defaultMaxBytes = 16 * 1024 * 1024

    /// Reads a whole regular file as UTF-8 text, refusing files larger than `maxBytes`.
    ///
    /// The size is checked before anything is read, so a huge file costs nothing; devices, pipes and
    /// directories are refused rather than read forever.
    ///
    /// - Parameters:
    ///   - url: the file to read.
    ///   - maxBytes: the largest size accepted, in bytes.
    /// - Returns: the file's text (a leading UTF-8 byte order mark is kept as U+FEFF).
    /// - Throws: ``FileUtilitiesError`` — `notFound`, `notARegularFile`, `permissionDenied`, `tooLarge`,
    ///   `invalidUTF8` (with the offset of the first bad byte) or `ioFailure`.
    public static func safeReadFile(_ url: URL, maxBytes: Int = defaultMaxBytes) throws -> String {
        let path = url.path
        let bytes = try readBytes(path: path, maxBytes: maxBytes)
        if let text = String(validating: bytes, as: UTF8.self) {
            return text
        }
        throw FileUtilitiesError.invalidUTF8(path: path, byteOffset: firstInvalidUTF8Offset(bytes))
    }

    /// Reads a whole regular file as UTF-8 text; the path is relative to the current directory unless absolute.
    ///
    /// - Parameters:
    ///   - path: the file to read.
    ///   - maxBytes: the largest size accepted, in bytes.
    /// - Returns: the file's text.
    /// - Throws: ``FileUtilitiesError``, as ``safeReadFile(_:maxBytes:)-(URL,_)`` does.
    public static func safeReadFile(_ path: String, maxBytes: Int = defaultMaxBytes) throws -> String {
        try safeReadFile(URL(fileURLWithPath: path), maxBytes: maxBytes)
    }

    /// Replaces a file's content atomically: readers see the old content or the new one, never a mix.
    ///
    /// Writes a temporary file in the same directory (`.<name>.tmp-XXXXXX`), flushes it to disk (`fsync`),
    /// renames it over the target and flushes the directory. On any error the temporary file is removed
    /// and the target is untouched. A symbolic link at `url` is replaced by a regular file.
    ///
    /// - Parameters:
    ///   - data: the complete new content.
    ///   - url: the file to create or replace; its directory must exist.
    ///   - permissions: the new file's mode; `nil` keeps the mode of the file being replaced, or `0o644`.
    /// - Throws: ``FileUtilitiesError`` naming the path and the step that failed.
    public static func atomicWrite(_ data: Data, to url: URL, permissions: mode_t? = nil) throws {
        try atomicWrite(data, to: url, permissions: permissions, failAfterBytes: nil)
    }

    /// Replaces a file's content atomically with UTF-8 text.
    ///
    /// - Parameters:
    ///   - text: the complete new content.
    ///   - url: the file to create or replace; its directory must exist.
    ///   - permissions: the new file's mode; `nil` keeps the existing mode, or `0o644`.
    /// - Throws: ``FileUtilitiesError`` naming the path and the step that failed.
    public static func atomicWrite(_ text: String, to url: URL, permissions: mode_t? = nil) throws {
        try atomicWrite(Data(text.utf8), to: url, permissions: permissions, failAfterBytes: nil)
    }

    /// Creates a directory and its missing parents; succeeds when it already exists.
    ///
    /// - Parameter url: the directory.
    /// - Throws: ``FileUtilitiesError/notARegularFile(path:)`` style errors when a file is in the way,
    ///   or `permissionDenied`/`ioFailure`.
    public static func ensureDirectory(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw FileUtilitiesError.ioFailure(
                path: url.path, operation: "create directory", errno: EEXIST, message: "a file is in the way")
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw FileUtilitiesError.ioFailure(
                path: url.path, operation: "create directory", errno: EIO, message: String(describing: error))
        }
    }

    /// The atomic write with a fault seam for tests: `failAfterBytes` makes the write fail after that
    /// many bytes reached the temporary file, as a full disk would.
    static func atomicWrite(_ data: Data, to url: URL, permissions: mode_t?, failAfterBytes: Int?) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let name = url.lastPathComponent

        // The mode comes from what the path points to (a symbolic link's own mode is meaningless).
        var existing = stat()
        let targetExists = stat(path, &existing) == 0
        if targetExists, (existing.st_mode & mode_t(S_IFMT)) == mode_t(S_IFDIR) {
            throw FileUtilitiesError.notARegularFile(path: path)
        }
        let mode = permissions ?? (targetExists ? existing.st_mode & 0o7777 : 0o644)

        var template = Array((directory + "/." + name + ".tmp-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard descriptor >= 0 else {
            throw systemError(errno, path: directory, operation: "create a temporary file in")
        }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var isOpen = true
        var renamed = false
        defer {
            if isOpen { close(descriptor) }
            if !renamed { unlink(temporaryPath) }
        }

        try data.withUnsafeBytes { raw in
            var written = 0
            while written < raw.count {
                if let limit = failAfterBytes, written >= limit {
                    throw systemError(ENOSPC, path: path, operation: "write")
                }
                let chunk = min(raw.count - written, failAfterBytes.map { max(1, $0 - written) } ?? Int.max)
                let result = write(descriptor, raw.baseAddress.map { $0 + written }, chunk)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw systemError(errno, path: path, operation: "write")
                }
                written += result
            }
        }
        guard fchmod(descriptor, mode) == 0 else { throw systemError(errno, path: path, operation: "set mode of") }
        guard fsync(descriptor) == 0 else { throw systemError(errno, path: path, operation: "flush") }
        isOpen = false
        guard close(descriptor) == 0 else { throw systemError(errno, path: path, operation: "close") }
        guard rename(temporaryPath, path) == 0 else { throw systemError(errno, path: path, operation: "replace") }
        renamed = true
        syncDirectory(directory)
    }

    /// Flushes a directory entry change to disk; best effort (some file systems refuse `fsync` on directories).
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func readBytes(path: String, maxBytes: Int) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw systemError(errno, path: path, operation: "read") }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw systemError(errno, path: path, operation: "read") }
        guard (status.st_mode & mode_t(S_IFMT)) == mode_t(S_IFREG) else {
            throw FileUtilitiesError.notARegularFile(path: path)
        }
        let size = Int(status.st_size)
        guard size <= maxBytes else { throw FileUtilitiesError.tooLarge(path: path, size: size, limit: maxBytes) }

        // Read at most maxBytes + 1 so a file that grew after fstat is still refused.
        let capacity = maxBytes < Int.max ? maxBytes + 1 : maxBytes
        var bytes = [UInt8](repeating: 0, count: min(capacity, size + 1))
        var count = 0
        while true {
            if count == bytes.count {
                guard bytes.count < capacity else { break }
                bytes.append(contentsOf: repeatElement(0, count: min(capacity - bytes.count, 64 * 1024)))
            }
            let result = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress.map { $0 + count }, buffer.count - count)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw systemError(errno, path: path, operation: "read")
            }
            if result == 0 { break }
            count += result
        }
        guard count <= maxBytes else { throw FileUtilitiesError.tooLarge(path: path, size: count, limit: maxBytes) }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 scalar.
    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .error: return offset
            case .emptyInput: return offset
            }
        }
    }

    private static func systemError(_ code: Int32, path: String, operation: String) -> FileUtilitiesError {
        switch code {
        case ENOENT: return .notFound(path: path)
        case EACCES, EPERM, EROFS: return .permissionDenied(path: path, operation: operation)
        case EISDIR: return .notARegularFile(path: path)
        default:
            let message = String(cString: strerror(code))
            return .ioFailure(path: path, operation: operation, errno: code, message: message)
        }
    }
}
