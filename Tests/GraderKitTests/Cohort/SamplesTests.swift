import XCTest

@testable import GraderKit

final class SamplesTests: XCTestCase {
    func test_samplesAreGeneratedFromSolutionsSkeletonsAndMutants() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grader-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func write(_ text: String, _ path: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write("    Exercise(id: \"Exercise1_1\", dependencies: []),\n", "Package.swift")
        try write("skeleton", "Exercises/Exercise1_1/A.swift")
        try write("readme", "Exercises/Exercise1_1/README.md")
        try write("solution", "Solutions/Exercise1_1/A.swift")
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
}
