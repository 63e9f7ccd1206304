import Foundation
import LabKit
import Testing

@Suite struct KitExporterTests {
    @Test func leavesOutSolutionsHiddenChecksMutantsAndTheGrader() throws {
        let fake = try FakeLab()
        try fake.write("Sources/MokoEnterprise/Library.swift", "public let x = 1\n")
        try fake.write("Sources/GraderKit/Rubric.swift", "secret\n")
        try fake.write("Sources/lab/Lab.swift", "lab\n")
        try fake.write("Tests/MokoEnterpriseTests/Suite.swift", "suite\n")
        try fake.write("sessions/session-1.md", "guide\n")
        try fake.write("sessions/quizzes/session-1.yaml", "questions: []\n")
        try fake.write("Exercises/Exercise1_3/.build/junk.o", "x")
        try fake.write(".lab/progress.json", "{}")
        try fake.write("Benchmarks/lab-test-loop.sh", "#!/bin/sh\n")
        try fake.write("Exercises/Project/Sources/main.swift", "// TODO: the capstone\n")
        try fake.write("Exercises/Exercise1_2/Half.swift", "// being written: no checks yet\n")
        let plan = try KitExporter(lab: fake.lab).plan()
        #expect(plan.contains("Package.swift"))
        #expect(plan.contains("Exercises/catalogue.yaml") && plan.contains("Exercises/Exercise1_3/Code.swift"))
        #expect(plan.contains("Tests/Exercise1_3Tests/Checks.swift"))
        #expect(plan.contains("Exercises/Project/Sources/main.swift"))
        #expect(!plan.contains("Exercises/Exercise1_2/Half.swift"))
        #expect(plan.contains("Sources/MokoEnterprise/Library.swift") && plan.contains("Sources/lab/Lab.swift"))
        #expect(plan.contains("sessions/session-1.md") && plan.contains("sessions/quizzes/session-1.yaml"))
        for path in plan {
            #expect(!path.hasPrefix("Solutions/") && !path.hasPrefix("grader/") && !path.hasPrefix("Benchmarks/"))
            #expect(!path.hasPrefix("Sources/GraderKit") && !path.hasPrefix("Tests/MokoEnterpriseTests"))
            #expect(!path.contains(".build") && !path.hasPrefix(".lab"))
        }
    }

    @Test func writesTheKitAndRefusesANonEmptyFolder() throws {
        let fake = try FakeLab()
        let out = fake.directory.appending("out/kit")
        let count = try KitExporter(lab: fake.lab).export(to: out)
        #expect(count > 5)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("README.md").path))
        #expect(
            FileManager.default.fileExists(atPath: out.appendingPathComponent("Exercises/Exercise1_4/Code.swift").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("Solutions").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("grader").path))
        #expect(throws: LabError.self) { try KitExporter(lab: fake.lab).export(to: out) }
        #expect(throws: LabError.self) {
            try KitExporter(lab: fake.lab).export(to: fake.directory.appending("Exercises/kit"))
        }
        // Nothing was left half-written next to it.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: fake.directory.appending("out").path)
        #expect(siblings == ["kit"])
    }

    @Test func sessionGuidesLoseTheirInstructorSections() throws {
        let guide =
            "# S1\n\n## Part 1\ntext\n\n## For instructors\n\n### Knowledge check answers\n- Q1: b)\n\n## Appendix\nkept\n"
        let kit = KitExporter.withoutInstructorSections(guide)
        #expect(kit == "# S1\n\n## Part 1\ntext\n\n## Appendix\nkept\n")
        #expect(KitExporter.withoutInstructorSections("# S\n\n## For instructors\nQ1: b)\n") == "# S\n")

        let fake = try FakeLab()
        try fake.write("sessions/session-1.md", guide)
        let out = fake.directory.appending("kit")
        try KitExporter(lab: fake.lab).export(to: out)
        let written = try String(contentsOf: out.appendingPathComponent("sessions/session-1.md"), encoding: .utf8)
        #expect(!written.contains("Q1: b)") && written.contains("## Part 1"))
    }

    @Test func onlyTheChosenExercisesGoIntoTheKit() throws {
        let fake = try FakeLab()
        let plan = try KitExporter(lab: fake.lab, exercises: ["Exercise1_4"]).plan()
        #expect(
            plan.contains("Exercises/Exercise1_4/Code.swift") && plan.contains("Tests/Exercise1_4Tests/Checks.swift"))
        #expect(!plan.contains { $0.contains("Exercise1_3") })
    }
}
