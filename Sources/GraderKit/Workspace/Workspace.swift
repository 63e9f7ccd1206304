import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The pristine copy of the instructor's tree the grader builds in, with one submission's trainee-owned files
/// laid over it.
///
/// The workspace lives at one fixed path (`<root>/.build-grader/workspace`) so its build folder stays warm
/// across submissions: files are written only when their content changes, so a second submission rebuilds only
/// the exercises that differ.
public struct Workspace: Sendable {
    /// The instructor's copy.
    public var instructorRoot: URL
    /// The workspace folder.
    public var directory: URL

    /// Creates the description of a workspace (nothing is written yet).
    ///
    /// - Parameters:
    ///   - instructorRoot: the instructor's copy.
    ///   - directory: the workspace folder; default `<root>/.build-grader/workspace`.
    public init(instructorRoot: URL, directory: URL? = nil) {
        self.instructorRoot = instructorRoot
        self.directory = directory ?? instructorRoot.appendingPathComponent(".build-grader/workspace")
    }

    /// The scratch path of the workspace's build.
    public var scratchPath: URL { directory.appendingPathComponent(".build") }

    /// The test bundle the build produces.
    public var testBundle: URL { scratchPath.appendingPathComponent("debug/MokoLabPackageTests.xctest") }

    /// What `prepare` laid down for each exercise.
    public enum ExerciseSource: String, Sendable, Codable {
        /// The trainee's folder.
        case submission
        /// The submission has no folder for it: the skeleton as shipped.
        case skeleton
    }

    /// Brings the workspace in line with the instructor's tree and `submission`.
    ///
    /// - Parameters:
    ///   - submission: the trainee-owned files.
    ///   - exercises: the exercises to include (graded now); others are left out of the workspace.
    /// - Returns: where each exercise's files came from.
    /// - Throws: ``GradingError/infrastructure(_:)`` when a file cannot be written.
    @discardableResult
    public func prepare(submission: Submission, exercises: [String]) throws -> [String: ExerciseSource] {
        var desired: [String: Data] = [:]
        func addInstructor(_ relative: String) {
            let url = instructorRoot.appendingPathComponent(relative)
            if FileTree.isDirectory(url) {
                for file in FileTree.files(under: url) {
                    if let data = try? Data(contentsOf: url.appendingPathComponent(file)) {
                        desired["\(relative)/\(file)"] = data
                    }
                }
            } else if let data = try? Data(contentsOf: url) {
                desired[relative] = data
            }
        }
        addInstructor("Package.swift")
        addInstructor("Sources")
        addInstructor("Exercises/README.md")
        addInstructor("Exercises/catalogue.yaml")
        var sources: [String: ExerciseSource] = [:]
        for id in exercises {
            addInstructor("Tests/\(id)Tests")
            addInstructor("grader/hidden/\(id)")
            if let files = submission.exercises[id], !files.isEmpty {
                for (file, data) in files { desired["Exercises/\(id)/\(file)"] = data }
                sources[id] = .submission
            } else {
                addInstructor("Exercises/\(id)")
                sources[id] = .skeleton
            }
        }
        if let project = submission.project, !project.isEmpty {
            for (file, data) in project { desired["Exercises/Project/\(file)"] = data }
        } else {
            // No capstone in the submission: the skeleton as shipped is graded.
            addInstructor("Exercises/Project")
        }

        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // Package.resolved pins the instructor's dependency versions; copied once and kept (SwiftPM may
            // rewrite it), so a warm build never re-resolves.
            let resolved = instructorRoot.appendingPathComponent("Package.resolved")
            let workspaceResolved = directory.appendingPathComponent("Package.resolved")
            if !FileManager.default.fileExists(atPath: workspaceResolved.path),
                let data = try? Data(contentsOf: resolved)
            {
                try FileTree.write(data, to: workspaceResolved)
            }
            for (file, data) in desired { try FileTree.write(data, to: directory.appendingPathComponent(file)) }
            // Remove what is no longer wanted (another submission's extra files, exercises not graded now).
            for managed in ["Sources", "Tests", "grader", "Exercises"] {
                let root = directory.appendingPathComponent(managed)
                let (files, links) = FileTree.entries(under: root)
                for file in files + links where desired["\(managed)/\(file)"] == nil {
                    try FileTree.removeItem(root.appendingPathComponent(file))
                }
                try removeEmptyFolders(root)
            }
        } catch {
            throw GradingError.infrastructure("cannot prepare the workspace \(directory.path): \(error)")
        }
        return sources
    }

    private func removeEmptyFolders(_ url: URL) throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return }
        for name in names where !name.hasPrefix(".build") {
            let child = url.appendingPathComponent(name)
            if FileTree.isDirectory(child) && !FileTree.isSymbolicLink(child) {
                try removeEmptyFolders(child)
                if (try? FileManager.default.contentsOfDirectory(atPath: child.path))?.isEmpty == true {
                    try FileManager.default.removeItem(at: child)
                }
            }
        }
    }

    /// An exclusive hold on the workspace (an `flock` on `<workspace>.lock`), released by ``WorkspaceLock/unlock()``.
    ///
    /// - Throws: ``GradingError/infrastructure(_:)`` when the lock file cannot be opened.
    public func lock() throws -> WorkspaceLock {
        try FileManager.default.createDirectory(
            at: directory.deletingLastPathComponent(), withIntermediateDirectories: true)
        let path = directory.path + ".lock"
        let descriptor = open(path, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else { throw GradingError.infrastructure("cannot open \(path)") }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            FileHandle.standardError.write(Data("[grade] waiting for another grading run in \(directory.path)\n".utf8))
            flock(descriptor, LOCK_EX)
        }
        return WorkspaceLock(descriptor: descriptor)
    }
}

/// An exclusive hold on a workspace.
public struct WorkspaceLock: Sendable {
    let descriptor: Int32

    /// Releases the hold.
    public func unlock() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
