import Foundation

/// A trainee's progress, kept in `.lab/progress.json` (ignored by git): the last result of each exercise
/// and how many hints were shown.
public struct Progress: Sendable, Equatable, Codable {
    /// Where an exercise stands.
    public enum Status: String, Sendable, Equatable, Codable {
        /// `lab test` never ran it.
        case notStarted = "not started"
        /// The last run had a failing check.
        case failing
        /// The last run did not compile.
        case doesNotCompile = "does not compile"
        /// Every check passed in the last run.
        case passing
    }

    /// The last `lab test` result of one exercise.
    public struct Result: Sendable, Equatable, Codable {
        /// The status.
        public var status: Status
        /// Checks that passed.
        public var passed: Int
        /// Checks that ran.
        public var total: Int

        /// Creates a result.
        public init(status: Status, passed: Int, total: Int) {
            self.status = status
            self.passed = passed
            self.total = total
        }
    }

    /// Last results, by exercise id.
    public var results: [String: Result]
    /// Hint levels shown, by exercise id.
    public var hintsShown: [String: Int]

    /// Empty progress.
    public init(results: [String: Result] = [:], hintsShown: [String: Int] = [:]) {
        self.results = results
        self.hintsShown = hintsShown
    }

    /// The status of an exercise.
    public func status(of id: String) -> Status {
        results[id]?.status ?? .notStarted
    }
}

/// Reads and writes ``Progress`` in a lab folder's `.lab/progress.json`.
public struct ProgressStore: Sendable {
    /// The file.
    public var file: URL

    /// The store of a lab folder.
    public init(lab: LabFolder) {
        file = lab.url(".lab/progress.json")
    }

    /// The progress; empty when nothing was saved yet.
    ///
    /// - Throws: ``LabError`` when the file exists but is not valid (it is left as it is).
    public func load() throws -> Progress {
        guard FileManager.default.fileExists(atPath: file.path) else { return Progress() }
        do {
            return try JSONDecoder().decode(Progress.self, from: Data(contentsOf: file))
        } catch {
            throw LabError.badFile(
                file.path, "is not a progress file lab can read; delete it to start the record afresh.")
        }
    }

    /// Saves `progress` atomically (a reader never sees half a file).
    public func save(_ progress: Progress) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoder.encode(progress).write(to: file, options: .atomic)
        } catch {
            throw LabError("cannot save progress to \(file.path): \(error.localizedDescription)")
        }
    }

    /// Loads, changes and saves the progress.
    @discardableResult
    public func update(_ change: (inout Progress) -> Void) throws -> Progress {
        var progress = try load()
        change(&progress)
        try save(progress)
        return progress
    }
}
