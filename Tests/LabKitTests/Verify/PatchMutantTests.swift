import Foundation
import LabKit
import MokoEnterpriseTestSupport
import Testing

/// `lab verify` with patch mutants (`grader/mutants/<id>/<name>/mutant.yaml`): the solution with the mutant's
/// edits is written to the mutants' scratch path and built through `LAB_MUTANT_DIR`.
@Suite struct PatchMutantTests {
    static let patch = """
        # MUTANT off: not done. Caught by Exercise1_3HiddenChecks.test1_more.
        generate: reference
        edits:
        - file: Exercises/Exercise1_3/Code.swift
          replace: "let done = true"
          with: "let done = false"

        """

    /// A lab whose 1.3 mutant is the patch `yaml` instead of a folder of files.
    static func lab(patch yaml: String) throws -> FakeLab {
        let fake = try FakeLab()
        try FileManager.default.removeItem(at: fake.directory.appending("grader/mutants/Exercise1_3/wrong"))
        try fake.write("grader/mutants/Exercise1_3/wrong/mutant.yaml", yaml)
        try fake.write("Exercises/Exercise1_3/Nested/More.swift", "let more = 0\n")
        try fake.write("Solutions/Exercise1_3/Nested/More.swift", "let more = 1\n")
        return fake
    }

    @Test func aPatchMutantIsBuiltFromTheSolutionWithItsEdits() throws {
        let fake = try Self.lab(patch: Self.patch)
        let runner = RecordingRunner([
            .init(exitCode: 1, output: VerifierTests.all(false)), .init(exitCode: 0, output: VerifierTests.all(true)),
            .init(exitCode: 1, output: VerifierTests.run([("Exercise1_3HiddenChecks", "test1_more", false)])),
        ])
        let verifier = Verifier(
            lab: fake.lab, runner: runner, configuration: .init(skeletonScratchPath: ".s", solutionsScratchPath: ".o"))
        let result = try verifier.verify(try verifier.exerciseIDs(["1.3"]), log: TextBuffer())
        #expect(result.violations == [])
        #expect(result.rows.first?.mutantsCaught == 1)
        let folder = ".o/lab-mutants/Exercise1_3/wrong"
        #expect(
            runner.invocations.last?.environment == [
                "LAB_ONLY": "Exercise1_3", "LAB_SOLUTIONS": "1", "LAB_MUTANT": "Exercise1_3/wrong",
                "LAB_MUTANT_DIR": folder,
            ])
        #expect(try fake.read("\(folder)/Code.swift") == "let done = false\n")
        #expect(try fake.read("\(folder)/Nested/More.swift") == "let more = 1\n")
        #expect(try fake.read("Solutions/Exercise1_3/Code.swift") == "let done = true\n")  // untouched
    }

    @Test func aStalePatchIsAViolationEvenWhenMutantsAreSkipped() throws {
        let stale = Self.patch.replacingOccurrences(of: "let done = true", with: "let finished = true")
        let fake = try Self.lab(patch: stale)
        let runner = RecordingRunner([
            .init(exitCode: 1, output: VerifierTests.all(false)), .init(exitCode: 0, output: VerifierTests.all(true)),
        ])
        let verifier = Verifier(
            lab: fake.lab, runner: runner,
            configuration: .init(skeletonScratchPath: ".s", solutionsScratchPath: ".o", runMutants: false))
        let result = try verifier.verify(try verifier.exerciseIDs(["1.3"]), log: TextBuffer())
        #expect(
            result.violations.contains {
                $0.contains("mutant wrong: Exercises/Exercise1_3/Code.swift replaces text the file does not contain")
            })
        #expect(runner.invocations.count == 2)
    }

    @Test func aPatchThatEditsAnotherExerciseOrIsMalformedIsRefusedWithoutARun() throws {
        for (yaml, expected) in [
            (
                Self.patch.replacingOccurrences(of: "Exercises/Exercise1_3/", with: "Exercises/Exercise1_4/"),
                "is not a file of Exercise1_3"
            ),
            ("generate: reference\n", "wants `generate: reference` and at least one edit"),
            ("generate: [", "is malformed"),
        ] {
            let fake = try Self.lab(patch: yaml)
            let runner = RecordingRunner([
                .init(exitCode: 1, output: VerifierTests.all(false)),
                .init(exitCode: 0, output: VerifierTests.all(true)),
            ])
            let verifier = Verifier(
                lab: fake.lab, runner: runner,
                configuration: .init(skeletonScratchPath: ".s", solutionsScratchPath: ".o"))
            let result = try verifier.verify(try verifier.exerciseIDs(["1.3"]), log: TextBuffer())
            #expect(result.violations.contains { $0.contains(expected) }, "\(result.violations)")
            #expect(runner.invocations.count == 2)  // no mutant run for a patch that cannot be applied
            #expect(!FileManager.default.fileExists(atPath: fake.directory.appending(".o/lab-mutants").path))
        }
    }
}
