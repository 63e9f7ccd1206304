import Foundation

/// A file outside the trainee-owned paths that differs from the instructor's copy: reported, never used.
public struct IgnoredEdit: Sendable, Equatable, Codable {
    /// What happened to the file.
    public enum Change: String, Sendable, Codable {
        /// The file exists in the instructor's copy with other content.
        case edited
        /// The instructor's copy has no such file.
        case added
        /// A symbolic link (never followed or copied).
        case symbolicLink = "symbolic_link"
    }

    /// The path relative to the submission.
    public var path: String
    /// What changed.
    public var change: Change

    /// Creates a record.
    public init(path: String, change: Change) {
        self.path = path
        self.change = change
    }
}

/// The trainee-owned files of a submission, read once: the exercise folders and `Exercises/Project`.
public struct Submission: Sendable {
    /// The folder that was submitted.
    public var directory: URL
    /// For each exercise folder the submission has: its files (relative to `Exercises/<id>`) and their content.
    public var exercises: [String: [String: Data]]
    /// The files of `Exercises/Project`, when present.
    public var project: [String: Data]?
    /// Files the trainee does not own that differ from the instructor's copy (ignored).
    public var ignoredEdits: [IgnoredEdit]
    /// Trainee-owned files that were not taken (symbolic links, files over the size limit).
    public var skippedFiles: [String]
    /// A digest of every trainee-owned file taken (paths and contents).
    public var digest: String

    /// The largest trainee file the grader takes.
    public static let maximumFileBytes = 1_000_000

    /// Reads the trainee-owned files of `directory` and compares the rest with the instructor's copy.
    ///
    /// - Parameters:
    ///   - directory: the submission (a copy of the trainee kit).
    ///   - instructorRoot: the instructor's copy.
    ///   - exerciseIDs: the curriculum's exercise ids (`Exercises/<id>` is trainee-owned for each of them).
    /// - Throws: ``GradingError/usage(_:)`` when `directory` is not a folder.
    public static func read(directory: URL, instructorRoot: URL, exerciseIDs: [String]) throws -> Submission {
        guard FileTree.isDirectory(directory) else {
            throw GradingError.usage("\(directory.path) is not a folder")
        }
        let owned = Set(exerciseIDs + ["Project"])
        let (files, links) = FileTree.entries(under: directory)
        var exercises: [String: [String: Data]] = [:]
        var project: [String: Data]?
        var ignored: [IgnoredEdit] = []
        var skipped: [String] = []
        var takenPaths: [String] = []

        for link in links {
            if let id = ownedExercise(of: link, owned: owned) {
                skipped.append(link)
                _ = id
            } else {
                ignored.append(IgnoredEdit(path: link, change: .symbolicLink))
            }
        }
        for file in files {
            let url = directory.appendingPathComponent(file)
            if let id = ownedExercise(of: file, owned: owned) {
                let inner = String(file.dropFirst("Exercises/\(id)/".count))
                let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
                guard size <= maximumFileBytes, let data = try? Data(contentsOf: url) else {
                    skipped.append(file)
                    continue
                }
                takenPaths.append(file)
                if id == "Project" {
                    project = (project ?? [:]).merging([inner: data]) { $1 }
                } else {
                    exercises[id, default: [:]][inner] = data
                }
            } else {
                let instructorFile = instructorRoot.appendingPathComponent(file)
                if !FileTree.isRegularFile(instructorFile) {
                    ignored.append(IgnoredEdit(path: file, change: .added))
                } else if FileTree.sha256(of: instructorFile) != FileTree.sha256(of: url) {
                    ignored.append(IgnoredEdit(path: file, change: .edited))
                }
            }
        }
        return Submission(
            directory: directory, exercises: exercises, project: project, ignoredEdits: ignored,
            skippedFiles: skipped, digest: FileTree.treeDigest(root: directory, files: takenPaths))
    }

    /// The owned exercise (or `Project`) a path belongs to: `Exercises/<id>/<file>`.
    static func ownedExercise(of path: String, owned: Set<String>) -> String? {
        let parts = path.split(separator: "/", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0] == "Exercises", owned.contains(parts[1]) else { return nil }
        return parts[1]
    }
}
