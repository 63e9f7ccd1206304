import Foundation

/// A fresh, uniquely named directory under the system's temporary folder, removed by ``remove()``.
///
/// Stores that live on disk (checkpoints, dead letter queues, audit logs) take one per test so tests
/// never share state and can run in parallel.
public struct TemporaryDirectory: Sendable {
    /// The directory's location.
    public let url: URL

    /// Creates the directory.
    ///
    /// - Parameter prefix: a readable prefix for the directory name, e.g. the test's name.
    /// - Throws: when the directory cannot be created.
    public init(prefix: String = "moko") throws {
        let name = "\(prefix)-\(UUID().uuidString.prefix(8))"
        url = FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of the directory.
    public var path: String { url.path }

    /// A location inside the directory.
    public func appending(_ component: String) -> URL { url.appendingPathComponent(component) }

    /// Writes `text` (UTF-8) to `path` inside the directory, creating the folders on the way.
    ///
    /// - Throws: when the file cannot be written.
    public func write(_ path: String, _ text: String) throws {
        let file = appending(path)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    /// The text (UTF-8) of `path` inside the directory.
    ///
    /// - Throws: when the file cannot be read.
    public func read(_ path: String) throws -> String {
        try String(contentsOf: appending(path), encoding: .utf8)
    }

    /// Deletes the directory and everything in it; errors are ignored.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
