import LabKit
import Testing

@Suite struct StaticRulesTests {
    func violations(_ fake: FakeLab, _ id: String = "Exercise1_3") throws -> [String] {
        StaticRules.violations(
            of: id, in: fake.lab, catalogue: try fake.lab.catalogue(), packageIDs: try fake.lab.packageExerciseIDs())
    }

    @Test func aSoundExerciseHasNoViolation() throws {
        #expect(try violations(FakeLab()) == [])
    }

    @Test func eachRuleIsReported() throws {
        let fake = try FakeLab()
        try fake.write("Exercises/Exercise1_3/Code.swift", "let x = try! load()\n")
        try fake.write("Tests/Exercise1_3Tests/More.swift", "let y = try? run()\n")
        try fake.write(
            "grader/hidden/Exercise1_3/Hidden.swift", "final class Other: XCTestCase {\n XCTAssertEqual(a, b)\n}\n")
        try fake.write("Solutions/Exercise1_3/Extra.swift", "\n")
        let found = try violations(fake).joined(separator: "\n")
        #expect(found.contains("the skeleton has no // TODO: marker"))
        #expect(found.contains("can crash (fatalError/preconditionFailure/try!): Exercises/Exercise1_3/Code.swift:1"))
        #expect(found.contains("a check uses try?"))
        #expect(found.contains("no 'final class Exercise1_3HiddenChecks: XCTestCase'"))
        #expect(found.contains("an assertion that prints values"))
        #expect(found.contains("do not have the same Swift files"))
    }

    @Test func catalogueAndPackageMustAgree() throws {
        let catalogue = try Catalogue(yaml: FakeLab.catalogue)
        #expect(
            StaticRules.catalogueViolations(
                catalogue: catalogue, packageIDs: ["Exercise1_3", "Exercise1_4", "Exercise3_4"]) == [])
        let problems = StaticRules.catalogueViolations(
            catalogue: catalogue, packageIDs: ["Exercise1_4", "Exercise1_3"])
        #expect(problems.contains { $0.contains("Exercise3_4, which Package.swift's curriculum does not declare") })
        #expect(problems.count == 1)
        let fake = try FakeLab()
        try fake.write(
            "Exercises/catalogue.yaml",
            FakeLab.catalogue.replacingOccurrences(of: "filter: Exercise1_3Tests", with: "filter: Exercise1_3"))
        #expect(try violations(fake).contains("the catalogue's filter is 'Exercise1_3', not 'Exercise1_3Tests'"))
    }
}
