import Foundation
import LabKit
import Testing

@Suite struct CatalogueTests {
    @Test func readsEntriesWithTheirHintsInOrder() throws {
        let catalogue = try Catalogue(yaml: FakeLab.catalogue)
        #expect(catalogue.entries.map(\.id) == ["Exercise1_3", "Exercise1_4", "Exercise3_4"])
        #expect(catalogue.entries[0].hints == ["first hint", "second hint", "third hint"])
        #expect(catalogue.entries[1].buildsPattern == false)
        #expect(catalogue.entries[2].buildsPattern == true)
        #expect(catalogue.entry(id: "Exercise1_4")?.number == "1.4")
    }

    @Test func readsTheRealCatalogue() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let catalogue = try LabFolder(root: root).catalogue()
        #expect(catalogue.entries.contains { $0.id == "Exercise1_3" && $0.filter == "Exercise1_3Tests" })
    }

    @Test func aMissingFieldIsNamedWithItsPlace() {
        let yaml = "exercises:\n  - id: Exercise1_3\n    session: 1\n    number: \"1.3\"\n    filter: X\n"
        #expect {
            _ = try Catalogue(yaml: yaml, source: "cat.yaml")
        } throws: { error in
            let message = (error as? LabError)?.message ?? ""
            return message.hasPrefix("cat.yaml: missing key 'title'") && message.contains("exercises[0]")
        }
    }

    @Test func malformedYAMLIsAClearError() {
        #expect(throws: LabError.self) { _ = try Catalogue(yaml: "exercises: [\n  - : :") }
    }

    @Test(arguments: [
        ("3.4", "Exercise3_4"), ("1.10", "Exercise1_10"), ("Exercise3_4", "Exercise3_4"),
        ("exercise1_3", "Exercise1_3"), ("03.04", "Exercise3_4"),
    ])
    func referencesNameTargets(typed: String, target: String) {
        #expect(ExerciseReference.targetName(typed) == target)
    }

    @Test(arguments: ["3", "3.4.1", "Exercise3", "x3.4", "", "Exercise3_4Tests"])
    func otherTextIsNoReference(typed: String) {
        #expect(ExerciseReference.targetName(typed) == nil)
    }

    @Test func packageManifestListsItsCurriculum() {
        let manifest = """
            Exercise(id: "Exercise1_1", dependencies: ["MokoEnterprise"]),
            Exercise(id: "Exercise2_1", dependencies: ["MokoEnterprise", argumentParser], exclude: ["LegacyScript"]),
            // Exercise(id "Exercise9_9")
            """
        #expect(PackageManifest.exerciseIDs(in: manifest) == ["Exercise1_1", "Exercise2_1"])
        #expect(PackageManifest.excludedPaths(of: "Exercise2_1", in: manifest) == ["LegacyScript"])
        #expect(PackageManifest.excludedPaths(of: "Exercise1_1", in: manifest).isEmpty)
    }

    @Test func anUnknownExerciseIsAUsageErrorListingTheExercises() throws {
        let fake = try FakeLab()
        #expect {
            _ = try fake.lab.exercise("9.9")
        } throws: { error in
            guard let error = error as? LabError else { return false }
            return error.exitCode == 64 && error.message.contains("no exercise 9.9")
                && error.message.contains("Exercises: 1.3, 1.4") && error.message.contains("lab list")
        }
        // Catalogued, but its folder does not exist yet.
        #expect(
            throws: LabError.usage(
                "lab: there is no exercise 3.4 in this lab.\nExercises: 1.3, 1.4. `lab list` shows them with their titles."
            )
        ) {
            _ = try fake.lab.exercise("3.4")
        }
        #expect(throws: LabError.self) { _ = try fake.lab.exercise("three") }
        #expect(try fake.lab.exercise("Exercise1_4").title == "Common utilities")
    }

    @Test func findsTheLabFromAFolderInside() throws {
        let fake = try FakeLab()
        let found = try LabFolder.find(from: fake.directory.appending("Exercises/Exercise1_3"))
        #expect(found.root.resolvingSymlinksInPath().path == fake.directory.url.resolvingSymlinksInPath().path)
        #expect(throws: LabError.self) { _ = try LabFolder.find(from: URL(fileURLWithPath: "/")) }
    }
}
