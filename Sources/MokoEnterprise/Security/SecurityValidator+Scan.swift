import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a directory scan could not start.
public struct SecurityScanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path that could not be read.
    public var path: String
    /// The operating system's reason.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// What failed and what to do.
    public var description: String { "cannot scan \(path): \(reason); check that it exists and is readable" }
}

extension SecurityValidator {
    /// File names that hold secrets by convention and must not be readable by others.
    private static func isSecretFileName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if lowered == ".env" || lowered.hasPrefix(".env.") || lowered == ".netrc" || lowered == ".pgpass" {
            return true
        }
        if lowered.hasPrefix("id_rsa") || lowered.hasPrefix("id_ed25519") || lowered.hasPrefix("id_ecdsa") {
            return !lowered.hasSuffix(".pub")
        }
        for suffix in [".pem", ".key", ".p12", ".pfx", ".keystore", ".jks"] where lowered.hasSuffix(suffix) {
            return true
        }
        return lowered.contains("credentials") || lowered.contains("secrets")
    }

    /// Checks the permissions of one file or directory.
    ///
    /// Reports world-writable files (`HIGH`) and directories without the sticky bit (`HIGH`), secret
    /// files (`.env`, `*.pem`, `*.key`, `id_rsa`, `*credentials*`, …) readable by group (`MEDIUM`) or
    /// others (`HIGH`), and setuid/setgid files (`MEDIUM`). Symbolic links are checked themselves, not
    /// followed.
    ///
    /// - Throws: ``SecurityScanError`` when the path cannot be examined.
    public func checkFilePermissions(_ path: String) throws(SecurityScanError) -> [SecurityFinding] {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw SecurityScanError(path: path, reason: String(cString: strerror(errno)))
        }
        let mode = UInt32(info.st_mode)
        let type = mode & UInt32(S_IFMT)
        guard type != UInt32(S_IFLNK) else { return [] }
        let octal = String(mode & 0o7777, radix: 8)
        var findings: [SecurityFinding] = []
        func add(_ rule: String, _ severity: SecuritySeverity, _ message: String) {
            findings.append(
                SecurityFinding(
                    ruleID: rule, severity: severity, message: message, file: path, line: 0, column: 0,
                    byteRange: 0..<0, snippet: "mode \(octal)"))
        }
        if type == UInt32(S_IFDIR) {
            if mode & 0o002 != 0 && mode & UInt32(S_ISVTX) == 0 {
                add(
                    "world-writable-directory", .high,
                    "directory is writable by everyone without the sticky bit: chmod o-w")
            }
            return findings
        }
        if mode & 0o002 != 0 {
            add("world-writable-file", .high, "file is writable by everyone: chmod o-w")
        }
        if mode & (UInt32(S_ISUID) | UInt32(S_ISGID)) != 0 {
            add("setuid-file", .medium, "file runs with its owner's or group's rights: remove setuid/setgid")
        }
        let name = (path as NSString).lastPathComponent
        if Self.isSecretFileName(name) {
            if mode & 0o004 != 0 {
                add("secret-file-world-readable", .high, "secret file is readable by everyone: chmod 600")
            } else if mode & 0o040 != 0 {
                add("secret-file-group-readable", .medium, "secret file is readable by its group: chmod 600")
            }
        }
        return findings
    }

    /// Scans every text file under `root` for credentials and risky permissions.
    ///
    /// Skips `.git`, `.build*` and the configured directories, binary files (a NUL byte in the first
    /// 8 KiB), files larger than ``Configuration/maximumFileSize``, and symlinks that lead outside `root`
    /// (symlinked directories are never entered, so loops are impossible).
    ///
    /// - Parameters:
    ///   - root: the directory to scan.
    ///   - extensions: only files with one of these extensions (without the dot, case-insensitive);
    ///     nil scans every file.
    /// - Returns: findings (most severe first) with file, line and redacted snippet, and scan totals.
    /// - Throws: ``SecurityScanError`` when `root` is not a readable directory.
    public func scanDirectory(
        _ root: URL, extensions: Set<String>? = nil
    ) throws(SecurityScanError) -> SecurityScanReport {
        guard let resolvedRoot = Self.realPath(root.path) else {
            throw SecurityScanError(path: root.path, reason: "no such directory")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolvedRoot, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw SecurityScanError(path: root.path, reason: "not a directory")
        }
        let wanted = extensions.map {
            Set($0.map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")) })
        }
        var state = SecurityDirectoryScan(root: resolvedRoot, configuration: configuration, extensions: wanted)
        state.walk(resolvedRoot)
        let findings = state.findings.sorted { left, right in
            if left.severity != right.severity { return left.severity > right.severity }
            if left.file != right.file { return (left.file ?? "") < (right.file ?? "") }
            return left.line < right.line
        }
        return SecurityScanReport(
            root: resolvedRoot, findings: findings, filesScanned: state.filesScanned, bytesScanned: state.bytesScanned,
            skipped: state.skipped)
    }

    /// Like ``scanDirectory(_:extensions:)`` for a path.
    public func scanDirectory(
        _ path: String, extensions: Set<String>? = nil
    ) throws(SecurityScanError) -> SecurityScanReport {
        try scanDirectory(URL(fileURLWithPath: path), extensions: extensions)
    }
}

/// The mutable state of one directory scan.
struct SecurityDirectoryScan {
    let root: String
    let configuration: SecurityValidator.Configuration
    let extensions: Set<String>?
    var findings: [SecurityFinding] = []
    var filesScanned = 0
    var bytesScanned = 0
    var skipped: [String: String] = [:]

    init(root: String, configuration: SecurityValidator.Configuration, extensions: Set<String>?) {
        self.root = root
        self.configuration = configuration
        self.extensions = extensions
    }

    private var rootComponents: [Substring] { root.split(separator: "/") }

    private func isInsideRoot(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        return components.count >= rootComponents.count
            && Array(components.prefix(rootComponents.count)) == rootComponents
    }

    mutating func walk(_ directory: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            skipped[directory] = "unreadable"
            return
        }
        for name in entries.sorted() {
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let type = UInt32(info.st_mode) & UInt32(S_IFMT)
            if type == UInt32(S_IFDIR) {
                if configuration.skippedDirectories.contains(name) || name.hasPrefix(".build") { continue }
                walk(path)
                continue
            }
            if type == UInt32(S_IFLNK) {
                // Never followed: a target inside the root is scanned where the walk finds it.
                let inside = SecurityValidator.realPath(path).map(isInsideRoot) ?? false
                skipped[path] = inside ? "symlink (target scanned in place)" : "symlink outside root"
                continue
            }
            guard type == UInt32(S_IFREG) else { continue }
            if let extensions {
                let ext = (name as NSString).pathExtension.lowercased()
                guard extensions.contains(ext) else { continue }
            }
            if let permissionFindings = try? SecurityValidator(configuration: configuration).checkFilePermissions(path)
            {
                findings += permissionFindings
            }
            guard Int(info.st_size) <= configuration.maximumFileSize else {
                skipped[path] = "too large"
                continue
            }
            scanFile(path)
        }
    }

    private mutating func scanFile(_ path: String) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            skipped[path] = "unreadable"
            return
        }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd(), !data.isEmpty else { return }
        let isBinary = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return false }
            return memchr(base, 0, min(raw.count, 8_192)) != nil
        }
        if isBinary {
            skipped[path] = "binary"
            return
        }
        filesScanned += 1
        bytesScanned += data.count
        let fileFindings = data.withUnsafeBytes { raw in
            SecurityValidator.credentialFindings(in: raw.bindMemory(to: UInt8.self), file: path)
        }
        findings += fileFindings
    }
}
