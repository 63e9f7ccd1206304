import Crypto
import Foundation

/// Small file-system helpers: listing regular files, comparing and hashing content.
enum FileTree {
    /// Names the grader never copies or compares: build folders, version control, editor state.
    static let ignoredNames: Set<String> = [".git", ".build", ".swiftpm", ".DS_Store", "Package.resolved", ".lab"]

    static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    static func isRegularFile(_ url: URL) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return false }
        return (attributes[.type] as? FileAttributeType) == .typeRegular
    }

    static func isSymbolicLink(_ url: URL) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return false }
        return (attributes[.type] as? FileAttributeType) == .typeSymbolicLink
    }

    /// Relative paths of the regular files under `directory` (sorted; symbolic links and ignored names are
    /// left out, and so are build folders `.build*`).
    static func files(under directory: URL) -> [String] {
        entries(under: directory).files
    }

    /// Regular files and symbolic links (relative paths) under `directory`.
    static func entries(under directory: URL) -> (files: [String], links: [String]) {
        var files: [String] = []
        var links: [String] = []
        walk(directory, prefix: "", files: &files, links: &links)
        return (files.sorted(), links.sorted())
    }

    private static func walk(_ directory: URL, prefix: String, files: inout [String], links: inout [String]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names.sorted() {
            if ignoredNames.contains(name) || name.hasPrefix(".build") { continue }
            let url = directory.appendingPathComponent(name)
            let relative = prefix.isEmpty ? name : "\(prefix)/\(name)"
            if isSymbolicLink(url) {
                links.append(relative)
            } else if isDirectory(url) {
                walk(url, prefix: relative, files: &files, links: &links)
            } else if isRegularFile(url) {
                files.append(relative)
            }
        }
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    static func sha256(of url: URL) -> String? {
        (try? Data(contentsOf: url)).map(sha256)
    }

    /// One digest over the relative paths and contents of `files` under `root` (order-independent input,
    /// sorted here), so two trees with the same files hash the same wherever they live.
    static func treeDigest(root: URL, files: [String]) -> String {
        var manifest = ""
        for file in files.sorted() {
            manifest += "\(file)\t\(sha256(of: root.appendingPathComponent(file)) ?? "unreadable")\n"
        }
        return sha256(Data(manifest.utf8))
    }

    /// Writes `data` to `url` only when the file's content differs (keeps build timestamps of unchanged files).
    ///
    /// - Returns: `true` when the file was written.
    @discardableResult
    static func write(_ data: Data, to url: URL) throws -> Bool {
        if let existing = try? Data(contentsOf: url), existing == data { return false }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
        return true
    }

    static func removeItem(_ url: URL) throws {
        if FileManager.default.fileExists(atPath: url.path) || isSymbolicLink(url) {
            try FileManager.default.removeItem(at: url)
        }
    }
}

/// Why grading could not be done. Never a trainee's fault, never scored: `grade` exits non-zero.
public enum GradingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The grader's own machinery failed (toolchain, file system, instructor tree).
    case infrastructure(String)
    /// The command was used wrongly (bad path, bad option).
    case usage(String)

    /// The message.
    public var description: String {
        switch self {
        case .infrastructure(let message): "grading failed (infrastructure): \(message)"
        case .usage(let message): message
        }
    }
}
