import XCTest

@testable import GraderKit

final class SubmissionTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("grader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func write(_ text: String, _ path: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func test_takesOnlyOwnedFilesAndReportsEditsToOthers() throws {
        try write("manifest", "instructor/Package.swift")
        try write("checks", "instructor/Tests/Exercise1_1Tests/Checks.swift")
        try write("skeleton", "instructor/Exercises/Exercise1_1/A.swift")
        try write("manifest edited", "sub/Package.swift")
        try write("checks", "sub/Tests/Exercise1_1Tests/Checks.swift")
        try write("mine", "sub/Exercises/Exercise1_1/A.swift")
        try write("project", "sub/Exercises/Project/main.swift")
        try write("stray", "sub/Exercises/Exercise9_9/B.swift")
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("sub/Exercises/Exercise1_1/link.swift").path,
            withDestinationPath: "/etc/passwd")
        let submission = try Submission.read(
            directory: root.appendingPathComponent("sub"), instructorRoot: root.appendingPathComponent("instructor"),
            exerciseIDs: ["Exercise1_1"])
        XCTAssertEqual(submission.exercises["Exercise1_1"]?.keys.sorted(), ["A.swift"])
        XCTAssertEqual(submission.project?.keys.sorted(), ["main.swift"])
        XCTAssertEqual(
            submission.ignoredEdits,
            [
                IgnoredEdit(path: "Exercises/Exercise9_9/B.swift", change: .added),
                IgnoredEdit(path: "Package.swift", change: .edited),
            ])
        XCTAssertEqual(submission.skippedFiles, ["Exercises/Exercise1_1/link.swift"])
    }

    func test_workspaceWritesOnlyChangedFilesAndDropsOtherSubmissionsFiles() throws {
        try write("manifest", "instructor/Package.swift")
        try write("core", "instructor/Sources/Core/Core.swift")
        try write("checks", "instructor/Tests/Exercise1_1Tests/Checks.swift")
        try write("hidden", "instructor/grader/hidden/Exercise1_1/Hidden.swift")
        try write("skeleton", "instructor/Exercises/Exercise1_1/A.swift")
        try write("skeleton 2", "instructor/Exercises/Exercise1_2/A.swift")
        try write("solution", "instructor/Solutions/Exercise1_1/A.swift")
        try write("mine", "sub/Exercises/Exercise1_1/A.swift")
        try write("extra", "sub/Exercises/Exercise1_1/Extra.swift")
        let instructor = root.appendingPathComponent("instructor")
        let workspace = Workspace(instructorRoot: instructor, directory: root.appendingPathComponent("ws"))
        let first = try Submission.read(
            directory: root.appendingPathComponent("sub"), instructorRoot: instructor, exerciseIDs: ["Exercise1_1"])
        let sources = try workspace.prepare(submission: first, exercises: ["Exercise1_1"])
        XCTAssertEqual(sources, ["Exercise1_1": .submission])
        let file = root.appendingPathComponent("ws/Sources/Core/Core.swift")
        let stamp = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("ws/Solutions").path))
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: root.appendingPathComponent("ws/Exercises/Exercise1_2").path))

        try FileManager.default.removeItem(at: root.appendingPathComponent("sub/Exercises"))
        let second = try Submission.read(
            directory: root.appendingPathComponent("sub"), instructorRoot: instructor, exerciseIDs: ["Exercise1_1"])
        XCTAssertEqual(
            try workspace.prepare(submission: second, exercises: ["Exercise1_1"]), ["Exercise1_1": .skeleton])
        XCTAssertEqual(
            try String(contentsOf: root.appendingPathComponent("ws/Exercises/Exercise1_1/A.swift"), encoding: .utf8),
            "skeleton")
        XCTAssertFalse(
            FileManager.default.fileExists(
                atPath: root.appendingPathComponent("ws/Exercises/Exercise1_1/Extra.swift").path))
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date, stamp)
    }
}
