import Foundation
import LabKit
import Testing

/// Whether the end-to-end tests run (`LAB_E2E=1`).
let labEndToEndEnabled = ProcessInfo.processInfo.environment["LAB_E2E"] == "1"

/// Runs the built `lab` binary on a freshly written trainee kit. Expensive (the kit builds from scratch once:
/// about 10 minutes on two cores), so it runs only with `LAB_E2E=1`:
///
/// `LAB_E2E=1 LAB_ONLY=lab,LabKit,LabKitTests swift test --scratch-path .build-tools --filter LabEndToEndTests`.
/// The kit is written to `$LAB_E2E_DIR/kit` (default: a `mokolab-e2e` folder in the temporary folder), fresh
/// each run; its build folder (`$LAB_E2E_DIR/build`) is kept so a second run is warm.
@Suite(.serialized, .enabled(if: labEndToEndEnabled))
struct LabEndToEndTests {
    /// The lab checkout these tests belong to.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let workspace = URL(
        fileURLWithPath: ProcessInfo.processInfo.environment["LAB_E2E_DIR"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("mokolab-e2e").path)

    /// The `lab` executable built next to this test bundle (or `$LAB_BINARY`).
    static func labBinary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["LAB_BINARY"] { return URL(fileURLWithPath: path) }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("lab")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw LabError(
            "no built `lab` next to \(CommandLine.arguments[0]); build it (swift build --product lab) or set LAB_BINARY"
        )
    }

    func run(
        _ program: String, _ arguments: [String], in directory: URL, environment: [String: String] = [:]
    ) throws
        -> ProcessOutcome
    {
        try SystemProcessRunner().run(
            Invocation(program: program, arguments: arguments, environment: environment, directory: directory)
        ) { _ in }
    }

    @Test func unknownExerciseExitsWithUsageAndNamesTheExercises() throws {
        let outcome = try run(try Self.labBinary().path, ["test", "9.9"], in: Self.repository)
        #expect(outcome.exitCode == 64)
        #expect(outcome.output.contains("lab: there is no exercise 9.9 in this lab."))
        #expect(outcome.output.contains("Exercises: 1.") && outcome.output.contains("`lab list`"))
    }

    @Test func theKitBuildsAndLabTestGoesFromFailingToPassing() throws {
        let lab = try Self.labBinary().path
        let manager = FileManager.default
        let kit = Self.workspace.appendingPathComponent("kit")
        let scratch = Self.workspace.appendingPathComponent("build").path
        try? manager.removeItem(at: kit)
        try manager.createDirectory(at: Self.workspace, withIntermediateDirectories: true)

        // The kit: written by `lab kit`, without solutions, hidden checks, mutants or the grader.
        // `LAB_E2E_EXERCISES="1.3 1.4"` limits the kit (e.g. while other exercises are being written).
        let chosen = (ProcessInfo.processInfo.environment["LAB_E2E_EXERCISES"] ?? "").split(separator: " ").map(
            String.init)
        let export = try run(
            lab, ["kit", kit.path] + (chosen.isEmpty ? [] : ["--exercises"] + chosen), in: Self.repository)
        #expect(export.exitCode == 0, "\(export.output)")
        for absent in ["Solutions", "grader", "Sources/GraderKit", "Benchmarks", "Tests/LabKitTests"] {
            #expect(!manager.fileExists(atPath: kit.appendingPathComponent(absent).path), "\(absent) is in the kit")
        }
        for present in ["Package.swift", "Exercises/Exercise1_3/Greet.swift", "Sources/mock-github", "Sources/lab"] {
            #expect(manager.fileExists(atPath: kit.appendingPathComponent(present).path), "\(present) is missing")
        }
        if manager.fileExists(atPath: Self.repository.appendingPathComponent("sessions").path) {
            #expect(manager.fileExists(atPath: kit.appendingPathComponent("sessions").path))
        }

        // It builds as a whole, and the plain command runs exercise 1.3's checks (all failing on the skeleton).
        // Without this test's own `LAB_ONLY` (which would declare only the lab's targets in the kit).
        let build = try run("env", ["-u", "LAB_ONLY", "swift", "build", "--scratch-path", scratch], in: kit)
        try #require(build.exitCode == 0, "the kit does not build:\n\(build.output.suffix(3000))")
        let plain = try run(
            "env",
            [
                "-u", "LAB_ONLY", "swift", "test", "--scratch-path", scratch, "--disable-swift-testing", "--filter",
                "Exercise1_3Tests",
            ],
            in: kit)
        let report = TestOutputParser.parse(plain.output)
        #expect(plain.exitCode == 1)
        #expect(report.ran.count == 4 && report.passed.isEmpty, "\(plain.output.suffix(2000))")

        // `lab test`: unknown exercise, failing skeleton, passing solution, `lab list`.
        let environment = ["LAB_SCRATCH_PATH": scratch]
        let unknown = try run(lab, ["test", "9.9"], in: kit, environment: environment)
        #expect(unknown.exitCode == 64 && unknown.output.contains("no exercise 9.9"))

        let failing = try run(lab, ["test", "1.3"], in: kit, environment: environment)
        #expect(failing.exitCode == 1, "\(failing.output)")
        #expect(failing.output.contains("✗ 1.3 A command-line app: 0 of 4 checks pass."))
        #expect(failing.output.components(separatedBy: "First failing check:").count == 2)
        #expect(failing.output.contains("First failing check: prints hello with the given name"))
        #expect(failing.output.contains("+ 3 more failing checks"))

        let solution = Self.repository.appendingPathComponent("Solutions/Exercise1_3")
        for file in try manager.contentsOfDirectory(atPath: solution.path) where file.hasSuffix(".swift") {
            let target = kit.appendingPathComponent("Exercises/Exercise1_3/\(file)")
            try? manager.removeItem(at: target)
            try manager.copyItem(at: solution.appendingPathComponent(file), to: target)
        }
        let passing = try run(lab, ["test", "1.3"], in: kit, environment: environment)
        #expect(passing.exitCode == 0, "\(passing.output)")
        #expect(passing.output.contains("✓ 1.3 A command-line app: all 4 checks pass."))

        let list = try run(lab, ["list"], in: kit)
        #expect(list.exitCode == 0)
        let line = list.output.split(separator: "\n").first { $0.hasPrefix("1.3 ") }
        #expect(line?.contains("✓ passing") == true, "\(list.output)")

        try fastPathBuildsTheEditedExercise(lab: lab, kit: kit, environment: environment)
    }

    /// After a passing `lab test 1.3`: one-line edits are built without SwiftPM (the verbose line says so) and
    /// their effect shows (a broken greeting fails, a type error is a compile error shown relative to the
    /// exercise, the fix passes again); an added file makes SwiftPM plan again, and the exercise still passes.
    func fastPathBuildsTheEditedExercise(lab: String, kit: URL, environment: [String: String]) throws {
        let greet = kit.appendingPathComponent("Exercises/Exercise1_3/Greet.swift")
        let solved = try String(contentsOf: greet, encoding: .utf8)
        let line = #"let text = "Hello, \(name)!""#
        try #require(solved.contains(line), "the 1.3 solution no longer has the line this test edits")
        func edit(_ replacement: String) throws {
            try Data(solved.replacingOccurrences(of: line, with: replacement).utf8).write(to: greet, options: .atomic)
        }
        func labTest() throws -> ProcessOutcome {
            try run(lab, ["test", "1.3", "--verbose"], in: kit, environment: environment)
        }
        let fast = "lab: built without SwiftPM"

        try edit(#"let text = "Goodbye, \(name)!""#)
        let broken = try labTest()
        #expect(broken.exitCode == 1, "\(broken.output)")
        #expect(broken.output.contains(fast), "the fast path was not used:\n\(broken.output)")
        #expect(broken.output.contains("First failing check: prints hello with the given name"), "\(broken.output)")

        try edit(#"let text: Int = "Hello, \(name)!""#)
        let wrongType = try labTest()
        #expect(wrongType.exitCode == 1 && wrongType.output.contains(fast), "\(wrongType.output)")
        #expect(
            wrongType.output.contains("the code does not compile (Exercises/Exercise1_3/)")
                && wrongType.output.contains("\nGreet.swift:") && !wrongType.output.contains(kit.path),
            "\(wrongType.output)")

        try edit(line)
        let fixed = try labTest()
        #expect(fixed.exitCode == 0 && fixed.output.contains(fast), "\(fixed.output)")
        #expect(fixed.output.contains("✓ 1.3 A command-line app: all 4 checks pass."), "\(fixed.output)")

        let added = kit.appendingPathComponent("Exercises/Exercise1_3/Extra.swift")
        try Data("let extraGreeting = \"Hi\"\n".utf8).write(to: added)
        defer { try? FileManager.default.removeItem(at: added) }
        let replanned = try labTest()
        #expect(replanned.exitCode == 0, "\(replanned.output)")
        #expect(
            replanned.output.contains(
                "lab: building with SwiftPM (files were added to or removed from Exercises/Exercise1_3/)"),
            "\(replanned.output)")
        #expect(replanned.output.contains("✓ 1.3 A command-line app: all 4 checks pass."), "\(replanned.output)")
    }
}
