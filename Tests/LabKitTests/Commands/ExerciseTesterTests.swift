import Foundation
import LabKit
import Testing

@Suite struct ExerciseTesterTests {
    func outcome(_ name: String, exitCode: Int32, in fake: FakeLab) throws -> ProcessOutcome {
        ProcessOutcome(
            exitCode: exitCode, output: try fixture(name).replacingOccurrences(of: "/LAB", with: fake.directory.path))
    }

    @Test func buildsOnlyThatExerciseThenRunsItsCheckClassesFromTheBundle() throws {
        let fake = try FakeLab()
        let runner = CheckRunner(runs: [try outcome("skeleton-1_3", exitCode: 1, in: fake)])
        _ = try ExerciseTester(lab: fake.lab, runner: runner).test("1.3")
        let bundle = fake.directory.appending(FakeLab.bundle).path
        #expect(
            runner.invocations.map { [$0.program] + $0.arguments } == [
                ["swift", "build", "--scratch-path", ".build-lab", "--build-tests"],
                [bundle, "--list-tests"],
                // Only the visible checks of 1.3: not its hidden checks, not 1.4's.
                [bundle, "Exercise1_3Tests.Exercise1_3Checks"],
            ])
        #expect(runner.invocations.first?.environment == ["LAB_ONLY": "Exercise1_3"])
        #expect(runner.invocations.allSatisfy { $0.directory.path == fake.lab.root.path })
    }

    /// A SwiftPM manifest for the fake lab: one command "compiles and links" 1.3's code into the bundle.
    func writeManifest(in fake: FakeLab) throws {
        let root = fake.directory.path
        try fake.write(
            ".build-lab/debug.yaml",
            """
            client:
              name: basic
            tools: {}
            nodes:
              "\(root)/Exercises/Exercise1_3/":
                is-directory-structure: true
                content-exclusion-patterns: [".git",".build"]
            commands:
              "C.link":
                tool: shell
                inputs: ["\(root)/Exercises/Exercise1_3/Code.swift"]
                outputs: ["\(root)/\(FakeLab.bundle)"]
                description: "Compiling and linking"
                args: ["/bin/sh","-c","true","-parseable-output"]

              "PackageStructure":
                tool: package-structure-tool
                inputs: ["\(root)/Exercises/Exercise1_3/","\(root)/Package.swift"]
                outputs: ["<PackageStructure>"]

            """)
    }

    @Test func afterARecordedPlanAnEditIsBuiltWithoutSwiftPM() throws {
        let fake = try FakeLab()
        try writeManifest(in: fake)
        let runner = CheckRunner(runs: [.init(exitCode: 0, output: ""), WatcherTests.passing("Exercise1_3")])
        let notes = TextBuffer()
        var tester = ExerciseTester(lab: fake.lab, runner: runner)
        tester.onNote = { notes.line($0) }
        let builder = tester.fastPathBuilder(for: try fake.lab.exercise("1.3"))
        #expect(builder.record(builtSince: Date(timeIntervalSinceNow: 10)) == nil)
        try fake.write("Exercises/Exercise1_3/Code.swift", "let edited = true\n")

        let verdict = try tester.test("1.3")
        #expect(verdict.status == .passing, "\(verdict.text)")
        let bundle = fake.directory.appending(FakeLab.bundle).path
        #expect(
            runner.invocations.map { [$0.program] + $0.arguments } == [
                ["/bin/sh", "-c", "true"], [bundle, "--list-tests"], [bundle, "Exercise1_3Tests.Exercise1_3Checks"],
            ])
        #expect(notes.text == "lab: built without SwiftPM (1 command)\n")
    }

    @Test func aCompilerErrorOfTheFastPathIsShownRelativeToTheExercise() throws {
        let fake = try FakeLab()
        try writeManifest(in: fake)
        let error = "\(fake.directory.path)/Exercises/Exercise1_3/Code.swift:1:5: error: cannot find 'x' in scope\n"
        let runner = CheckRunner(runs: [.init(exitCode: 1, output: error)])
        var tester = ExerciseTester(lab: fake.lab, runner: runner)
        #expect(tester.fastPathBuilder(for: try fake.lab.exercise("1.3")).record(builtSince: Date() + 10) == nil)
        try fake.write("Exercises/Exercise1_3/Code.swift", "let y = x\n")

        let verdict = try tester.test("1.3")
        #expect(verdict.status == .doesNotCompile)
        #expect(verdict.text.contains("\nCode.swift:1:5: error: cannot find 'x' in scope\n"), "\(verdict.text)")
        #expect(runner.invocations.count == 1)  // the compile; no SwiftPM, no run

        // Turned off (`LAB_FAST=0`, `--swiftpm`): SwiftPM builds, whatever was recorded.
        tester.fastPath = false
        _ = try tester.test("1.3")
        #expect(runner.invocations.dropFirst().first?.program == "swift")
    }

    @Test func checkClassesComeFromTheListingOfThatModuleOnly() {
        let listing = """
            Listing 5 tests in debug.xctest:

            Exercise1_1Tests.Exercise1_1Checks/test1_a
            Exercise1_10Tests.Exercise1_10Checks/test1_a
            Exercise1_1Tests.Exercise1_1Checks/test2_b
            Exercise1_1Tests.Exercise1_1MoreChecks/test1_c
            Exercise1_1HiddenTests.Exercise1_1HiddenChecks/test1_d
            """
        #expect(
            ExerciseTester.checkClasses(of: "Exercise1_1Tests", inListing: listing) == [
                "Exercise1_1Tests.Exercise1_1Checks", "Exercise1_1Tests.Exercise1_1MoreChecks",
            ])
        #expect(ExerciseTester.checkClasses(of: "Exercise1_2Tests", inListing: listing).isEmpty)
    }

    @Test func withoutARunnableBundleItFallsBackToOneAnchoredSwiftTest() throws {
        let fake = try FakeLab()
        let runner = RecordingRunner([
            .init(exitCode: 0, output: "Build complete!"), WatcherTests.passing("Exercise1_3"),
        ])
        let verdict = try ExerciseTester(lab: fake.lab, runner: runner, scratchPath: ".build-x").test("1.3")
        #expect(verdict.status == .passing)
        #expect(
            runner.invocations.map(\.arguments) == [
                ["build", "--scratch-path", ".build-x", "--build-tests"],
                ["test", "--scratch-path", ".build-x", "--disable-swift-testing", "--filter", #"^Exercise1_3Tests\."#],
            ])
        #expect(runner.invocations.allSatisfy { $0.environment == ["LAB_ONLY": "Exercise1_3"] })
    }

    @Test func theDefaultBuildFoldersAreLabsOwn() {
        #expect(ExerciseTester.defaultScratchPath(solutions: false) == ".build-lab")
        #expect(ExerciseTester.defaultScratchPath(solutions: true) == ".build-lab-solutions")
    }

    @Test func showsTheFirstFailingCheckFirstThenTheCountAndTheNextHint() throws {
        let fake = try FakeLab()
        let runner = CheckRunner(runs: [try outcome("skeleton-1_3", exitCode: 1, in: fake)])
        let verdict = try ExerciseTester(lab: fake.lab, runner: runner).test("Exercise1_3")
        #expect(verdict.exitCode == 1 && verdict.status == .failing && verdict.passed == 0 && verdict.ran == 4)
        let lines = verdict.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "✗ 1.3 A command-line app: 0 of 4 checks pass.")
        #expect(
            lines[1]
                == "First failing check: prints hello with the given name (Exercise1_3Checks.test1_printsHelloWithTheGivenName)"
        )
        #expect(lines[2].hasPrefix("  threw error \"`greet --name Ada` was rejected"))
        #expect(!verdict.text.contains("uppercase` was rejected"))  // only the first failure's message
        #expect(verdict.text.contains("+ 3 more failing checks"))
        #expect(verdict.text.contains("Stuck? `lab hint 1.3` shows hint 1 of 3."))
        #expect(
            try ProgressStore(lab: fake.lab).load().results["Exercise1_3"]
                == .init(status: .failing, passed: 0, total: 4))
    }

    @Test func compileErrorsAreShownRelativeToTheExerciseWithNewlinesIntact() throws {
        let fake = try FakeLab()
        let runner = CheckRunner(runs: [], build: try outcome("compile-error", exitCode: 1, in: fake))
        let verdict = try ExerciseTester(lab: fake.lab, runner: runner).test("1.3")
        #expect(runner.invocations.count == 1)  // nothing runs after a failed build
        #expect(verdict.exitCode == 1 && verdict.status == .doesNotCompile)
        #expect(
            verdict.text.hasPrefix("✗ 1.3 A command-line app: the code does not compile (Exercises/Exercise1_3/).\n\n"))
        #expect(
            verdict.text.contains(
                """
                Greet.swift:5:26: error: cannot convert value of type 'String' to specified type 'Int'
                3 | \n4 |     public func greeting(name: String) -> String {
                5 |         let count: Int = name
                """))
        #expect(verdict.text.contains("Greet.swift:6:26: error: cannot find 'nam' in scope\n"))
        #expect(!verdict.text.contains(fake.directory.path))
        #expect(try ProgressStore(lab: fake.lab).load().status(of: "Exercise1_3") == .doesNotCompile)
    }

    @Test func zeroChecksRunIsALoudFailure() throws {
        let fake = try FakeLab()
        let output =
            "Build complete! (0.5s)\nTest Suite 'Selected tests' passed at 2026\n\t Executed 0 tests, with 0 failures"
        let runner = CheckRunner(runs: [ProcessOutcome(exitCode: 0, output: output)])
        let verdict = try ExerciseTester(lab: fake.lab, runner: runner).test("1.3")
        #expect(verdict.exitCode == 1 && verdict.status == .failing)
        #expect(verdict.text.contains("no check ran — this is a failure, not a pass"))
        #expect(verdict.text.contains("Executed 0 tests"))
    }

    @Test func aBundleWithoutTheExercisesChecksIsALoudFailureAndRunsNothing() throws {
        let fake = try FakeLab()
        let runner = CheckRunner(runs: [], listing: "Exercise1_3HiddenTests.Exercise1_3HiddenChecks/test1_more")
        let verdict = try ExerciseTester(lab: fake.lab, runner: runner).test("1.3")
        #expect(verdict.exitCode == 1 && verdict.status == .failing && verdict.ran == 0)
        #expect(verdict.text.contains("no check ran — this is a failure, not a pass"))
        #expect(verdict.text.contains("--list-tests"))
        #expect(runner.checkRuns.isEmpty)
    }

    @Test func aCrashNamesTheCheckAndCountsTheChecksThatDidNotRun() throws {
        let fake = try FakeLab()
        try fake.write(
            "Tests/Exercise1_3Tests/Checks.swift", (1...5).map { "func test\($0)_x() {}" }.joined(separator: "\n"))
        let runner = CheckRunner(runs: [try outcome("crash", exitCode: 1, in: fake)])
        let verdict = try ExerciseTester(lab: fake.lab, runner: runner).test("1.3")
        #expect(verdict.exitCode == 1)
        #expect(verdict.text.contains("First failing check: greets (Exercise1_3Checks.test1_greets)"))
        #expect(verdict.text.contains("+ 2 more failing checks"))
        #expect(
            verdict.text.contains(
                "2 of 5 checks did not run (the test process crashed: Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range)"
            ))
    }

    @Test func allChecksPassingExitsZeroAndPointsToTheNextExercise() throws {
        let fake = try FakeLab()
        let runner = CheckRunner(runs: [WatcherTests.passing("Exercise1_3")])
        let verdict = try ExerciseTester(lab: fake.lab, runner: runner).test("1.3")
        #expect(verdict.exitCode == 0 && verdict.status == .passing)
        #expect(
            verdict.text == "✓ 1.3 A command-line app: all 4 checks pass.\nNext: `lab test 1.4` — Common utilities.\n")
        #expect(try ProgressList(lab: fake.lab).render().contains("✓ passing"))
    }

    @Test func anUnknownExerciseRunsNothing() throws {
        let fake = try FakeLab()
        let runner = CheckRunner(runs: [])
        #expect(throws: LabError.self) { try ExerciseTester(lab: fake.lab, runner: runner).test("9.9") }
        #expect(runner.invocations.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fake.directory.appending(".lab").path))
    }

    @Test func solutionsRunDoesNotTouchProgress() throws {
        let fake = try FakeLab()
        let runner = CheckRunner(runs: [WatcherTests.passing("Exercise1_3")])
        _ = try ExerciseTester(lab: fake.lab, runner: runner, solutions: true).test("1.3")
        #expect(runner.invocations.first?.environment["LAB_SOLUTIONS"] == "1")
        #expect(runner.invocations.first?.arguments.contains(".build-lab-solutions") == true)
        #expect(try ProgressStore(lab: fake.lab).load() == Progress())
    }
}
