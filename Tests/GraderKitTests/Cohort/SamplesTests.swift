import XCTest

@testable import GraderKit

/// A throwaway instructor tree (Package.swift, Exercises, Solutions, grader/...) for the sample tests.
private struct InstructorTree {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("grader-\(UUID().uuidString)")

    /// Writes `text` to `path` under the root, creating folders.
    func write(_ text: String, _ path: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// `Package.swift` declaring Exercise 1.1, with its skeleton and its solution (`A.swift`).
    func writeExercise1_1() throws {
        try write("    Exercise(id: \"Exercise1_1\", dependencies: []),\n", "Package.swift")
        try write("skeleton", "Exercises/Exercise1_1/A.swift")
        try write("solution", "Solutions/Exercise1_1/A.swift")
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

final class SamplesTests: XCTestCase {
    func test_samplesAreGeneratedFromSolutionsSkeletonsAndMutants() throws {
        let tree = InstructorTree()
        defer { tree.remove() }
        let root = tree.root
        let write = tree.write
        try tree.writeExercise1_1()
        try write("readme", "Exercises/Exercise1_1/README.md")
        try write("wrong", "grader/mutants/Exercise1_1/off-by-one/A.swift")
        try write("generate: reference\n", "grader/samples/reference/sample.yaml")
        let samples = Samples(instructorRoot: root)
        XCTAssertEqual(
            Samples.kind(ofSampleFolder: root.appendingPathComponent("grader/samples/reference")), .reference)
        XCTAssertEqual(
            samples.all(exercises: ["Exercise1_1"]).map(\.name),
            ["reference", "mutant/Exercise1_1/off-by-one", "skeleton"])
        func read(_ folder: URL, _ file: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent("Exercises/Exercise1_1/\(file)"), encoding: .utf8)
        }
        let reference = try samples.materialize(.reference)
        XCTAssertEqual(try read(reference, "A.swift"), "solution")
        XCTAssertEqual(try read(reference, "README.md"), "readme")
        let mutant = try samples.materialize(.mutant(exercise: "Exercise1_1", name: "off-by-one"))
        XCTAssertEqual(try read(mutant, "A.swift"), "wrong")
        XCTAssertEqual(try read(try samples.materialize(.skeleton), "A.swift"), "skeleton")
    }

    func test_aMutantsHeaderNamesTheCheckThatCatchesIt() throws {
        XCTAssertEqual(
            Samples.namedCatcher(
                in: "// key's siblings are lost. Caught by Exercise1_4HiddenChecks.test1_keepsKeys.\n"),
            "Exercise1_4HiddenChecks.test1_keepsKeys")
        XCTAssertEqual(
            Samples.namedCatcher(in: "// Caught by Project.scenario.kill-resume (a rerun mutates again)"),
            "Project.scenario.kill-resume")
        XCTAssertNil(Samples.namedCatcher(in: "// Caught by the reviewer."))
        XCTAssertNil(Samples.namedCatcher(in: "let x = 1"))

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("samples-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("grader/mutants/Exercise1_1/off-by-one")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "// MUTANT off-by-one. Caught by Exercise1_1HiddenChecks.test2_counts.\n".write(
            to: folder.appendingPathComponent("A.swift"), atomically: true, encoding: .utf8)
        let samples = Samples(instructorRoot: root)
        XCTAssertEqual(
            samples.namedCatcher(of: .mutant(exercise: "Exercise1_1", name: "off-by-one")),
            "Exercise1_1HiddenChecks.test2_counts")
        XCTAssertNil(samples.namedCatcher(of: .reference))
    }

    func test_variantsEditTheReferenceAndStaleEditsAreErrors() throws {
        let tree = InstructorTree()
        defer { tree.remove() }
        let root = tree.root
        let write = tree.write
        try write(
            "    Exercise(id: \"Exercise1_1\", dependencies: []),\n    Exercise(id: \"Exercise1_2\", dependencies: []),\n",
            "Package.swift")
        for id in ["Exercise1_1", "Exercise1_2"] {
            try write("skeleton \(id)", "Exercises/\(id)/A.swift")
            try write("let text = \"solution \(id)\"", "Solutions/\(id)/A.swift")
        }
        try write(
            """
            generate: reference
            skeleton: [Exercise1_2]
            edits:
              - { file: Package.swift, content: "tampered" }
              - { file: Exercises/Exercise1_1/A.swift, replace: 'let text', with: 'var text' }
              - { file: Exercises/Exercise1_1/A.swift, append: "\\n// end" }
            """, "grader/samples/tampered/sample.yaml")
        try write(
            "generate: reference\nedits:\n  - { file: Exercises/Exercise1_1/A.swift, replace: nope, with: x }\n",
            "grader/samples/stale/sample.yaml")
        try write(
            "generate: reference\nedits:\n  - { file: ../outside, content: x }\n", "grader/samples/escape/sample.yaml")
        try write("generate: reference\n", "grader/samples/reference/sample.yaml")

        let samples = Samples(instructorRoot: root)
        XCTAssertEqual(samples.variants().map(\.name), ["variant/escape", "variant/stale", "variant/tampered"])
        XCTAssertEqual(
            Samples.kind(ofSampleFolder: root.appendingPathComponent("grader/samples/tampered")),
            .variant(name: "tampered"))
        let folder = try samples.materialize(.variant(name: "tampered"))
        func read(_ file: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        }
        XCTAssertEqual(try read("Exercises/Exercise1_1/A.swift"), "var text = \"solution Exercise1_1\"\n// end")
        XCTAssertEqual(try read("Exercises/Exercise1_2/A.swift"), "skeleton Exercise1_2")
        XCTAssertEqual(try read("Package.swift"), "tampered")
        XCTAssertThrowsError(try samples.materialize(.variant(name: "stale")))
        XCTAssertThrowsError(try samples.materialize(.variant(name: "escape")))
        XCTAssertThrowsError(try samples.materialize(.variant(name: "missing")))
    }

    func test_aBandCanAskForReportedEditsAndExerciseStatuses() throws {
        func check(_ name: String, _ exercise: String, _ status: CheckStatus) -> CheckResult {
            CheckResult(
                name: name, exercise: exercise, hidden: true, criterion: "resilience", status: status,
                points: .zero, maxPoints: Points(1), message: nil, infrastructure: false, seconds: 0)
        }
        let band = Samples.Band(
            ignored: ["Package.swift"], statuses: ["Exercise3_4": "compile_error", "Exercise1_3": "timeout"])
        var result = try ReportsTests.result(hiddenPasses: 2)
        result.ignoredEdits = []
        XCTAssertFalse(band.contains(result))
        result.ignoredEdits = [IgnoredEdit(path: "Package.swift", change: .edited)]
        result.exercises = [
            .init(
                id: "Exercise3_4", criterion: "resilience", status: .compileError, points: .zero, maxPoints: Points(3),
                source: "submission", message: nil, sha256: nil)
        ]
        XCTAssertFalse(band.contains(result), "no check of Exercise1_3 timed out")
        result.checks = [check("Exercise1_3HiddenChecks.test1", "Exercise1_3", .timeout)]
        XCTAssertTrue(band.contains(result))
        result.exercises[0].status = .graded
        XCTAssertFalse(band.contains(result))
    }

    func test_aBadBandIsRefusedNotACrash() throws {
        let result = try ReportsTests.result(hiddenPasses: 2)
        XCTAssertFalse(Samples.Band(lost: [0.01, 0]).contains(result))
        XCTAssertFalse(Samples.Band(score: [5]).contains(result))
        XCTAssertTrue(Samples.Band(score: [0, 200]).contains(result))

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grader-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let catalogue = root.appendingPathComponent("grader/samples/catalogue.yaml")
        try FileManager.default.createDirectory(
            at: catalogue.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(
            """
            samples:
              - { name: mutant/Exercise1_1/a, band: { lost: [2, 1] } }
              - { name: skeleton, band: { score: [0, 10] } }
              - { name: skeleton, band: { score: [0, 10] } }
            """.utf8
        ).write(to: catalogue)
        XCTAssertThrowsError(try Samples(instructorRoot: root).bands()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("mutant/Exercise1_1/a: lost wants min ≤ max"), text)
            XCTAssertTrue(text.contains("skeleton is listed twice"), text)
        }
    }

    func test_aPatchMutantIsTheReferenceWithItsEdits() throws {
        let tree = InstructorTree()
        defer { tree.remove() }
        let root = tree.root
        let write = tree.write
        try tree.writeExercise1_1()
        try write("TODO: describe it", "Exercises/Project/README.md")
        try write("let retries = 3\n", "Exercises/Project/Sources/Run.swift")
        try write("let retries = 3\n", "Solutions/Project/Sources/Run.swift")
        try write("written", "Solutions/Project/README.md")
        try write(
            """
            # MUTANT no-retry. Caught by Project.scenario.5xx-burst.
            generate: reference
            edits:
              - { file: Exercises/Project/Sources/Run.swift, replace: "retries = 3", with: "retries = 0" }
              - { file: Exercises/Project/README.md, from: Exercises/Project/README.md }
            """, "grader/mutants/Project/no-retry/mutant.yaml")
        try write("generate: reference\n", "grader/mutants/Project/empty/mutant.yaml")

        let samples = Samples(instructorRoot: root)
        let kind = Samples.Kind.mutant(exercise: "Project", name: "no-retry")
        let folder = try samples.materialize(kind)
        func read(_ file: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        }
        XCTAssertEqual(try read("Exercises/Project/Sources/Run.swift"), "let retries = 0\n")
        XCTAssertEqual(try read("Exercises/Project/README.md"), "TODO: describe it")
        XCTAssertEqual(try read("Exercises/Exercise1_1/A.swift"), "solution")
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("Exercises/Project/mutant.yaml").path))
        XCTAssertEqual(samples.namedCatcher(of: kind), "Project.scenario.5xx-burst")
        XCTAssertThrowsError(try samples.materialize(.mutant(exercise: "Project", name: "empty")))
    }

    /// Every mutant of the repository is a patch that still applies to today's solution (or reference capstone),
    /// changes something, and names the check that catches it: the cheap half of what `grade samples` proves,
    /// here so that editing a solution breaks a test at once, not the next `grade samples` run.
    func test_everyMutantOfTheRepositoryAppliesToItsSolution() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let samples = Samples(instructorRoot: root)
        let ids = try CheckInventory.scan(root: root).curriculum + ["Project"]
        var checked = 0
        for case .mutant(let id, let name) in samples.all(exercises: ids) {
            let folder = root.appendingPathComponent("grader/mutants/\(id)/\(name)")
            let patch = try XCTUnwrap(try Samples.patch(ofMutant: folder), "\(id)/\(name) is not a patch")
            var files: [String: Data] = [:]
            let solution = root.appendingPathComponent("Solutions/\(id)")
            for file in FileTree.files(under: solution) {
                files["Exercises/\(id)/\(file)"] = try Data(contentsOf: solution.appendingPathComponent(file))
            }
            let before = files
            for edit in patch.edits ?? [] {
                XCTAssertTrue(edit.file.hasPrefix("Exercises/\(id)/"), "\(id)/\(name) edits \(edit.file)")
                try Samples.apply(edit, to: &files, sample: name, instructorRoot: root)
            }
            XCTAssertNotEqual(files, before, "\(id)/\(name) changes nothing")
            XCTAssertNotNil(samples.namedCatcher(of: .mutant(exercise: id, name: name)), "\(id)/\(name)")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 60)
    }
}
