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
}
