import Foundation
import LabKit
import MokoEnterpriseTestSupport
import Synchronization

/// A small lab folder on disk: a Package.swift curriculum, a catalogue and exercise folders.
struct FakeLab {
    let directory: TemporaryDirectory
    var lab: LabFolder { LabFolder(root: directory.url) }

    static let catalogue = """
        exercises:
          - id: Exercise1_3
            session: 1
            number: "1.3"
            title: A command-line app
            summary: greet
            filter: Exercise1_3Tests
            builds_pattern: false
            hints:
              - "first hint"
              - "second hint"
              - "third hint"
          - id: Exercise1_4
            session: 1
            number: "1.4"
            title: Common utilities
            summary: yaml
            filter: Exercise1_4Tests
            hints:
              - "only hint"
          - id: Exercise3_4
            session: 3
            number: "3.4"
            title: Saga orchestrator
            summary: saga
            filter: Exercise3_4Tests
            builds_pattern: true
            hints: []
        """

    static let checks = """
        import XCTest
        final class Exercise1_3Checks: XCTestCase {
            func test1_printsHelloWithTheGivenName() async throws {}
            func test2_uppercaseFlagPrintsTheGreetingInCapitals() async throws {}
            func test3_missingNameIsAUsageErrorWithExitCode64() {}
            func test4_runsThroughTheFrameworkAndExitsWithZero() async throws {}
        }
        """

    /// Creates the lab with exercises 1.3 and 1.4 (3.4 is catalogued but has no folder yet).
    init() throws {
        directory = try TemporaryDirectory(prefix: "labkit")
        try write(
            "Package.swift",
            """
            let curriculum: [Exercise] = [
                Exercise(id: "Exercise1_3", dependencies: ["MokoEnterprise", argumentParser]),
                Exercise(id: "Exercise1_4", dependencies: ["MokoEnterprise"]),
                Exercise(id: "Exercise3_4", dependencies: []),
            ]
            """)
        try write("Exercises/catalogue.yaml", Self.catalogue)
        try write("Exercises/README.md", "rules")
        for id in ["Exercise1_3", "Exercise1_4"] {
            try write("Exercises/\(id)/README.md", "task")
            try write("Exercises/\(id)/Code.swift", "// TODO: do it\nthrow Unimplemented(\"x\", exercise: \"1.3\")\n")
            try write("Solutions/\(id)/Code.swift", "let done = true\n")
            try write("Tests/\(id)Tests/Checks.swift", Self.checks.replacingOccurrences(of: "Exercise1_3", with: id))
            try write(
                "grader/hidden/\(id)/Hidden.swift",
                "final class \(id)HiddenChecks: XCTestCase {\n    func test1_more() {}\n}\n")
            try write("grader/mutants/\(id)/wrong/Code.swift", "// Caught by \(id)HiddenChecks.test1_more\n")
        }
        // What `swift build --build-tests` links (an executable on Linux); the runner below plays it.
        try write(Self.bundle, "#!/bin/sh\nexit 99\n")
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o755], ofItemAtPath: directory.appending(Self.bundle).path)
    }

    /// The test bundle `lab test` runs, relative to the lab.
    static let bundle = ".build-lab/debug/MokoLabPackageTests.xctest"

    func write(_ path: String, _ text: String) throws { try directory.write(path, text) }

    func read(_ path: String) throws -> String { try directory.read(path) }
}

/// A process runner that answers with recorded outputs and remembers what it was asked to run.
final class RecordingRunner: ProcessRunning {
    private let state: Mutex<(outcomes: [ProcessOutcome], invocations: [Invocation])>

    init(_ outcomes: [ProcessOutcome]) {
        state = Mutex((outcomes, []))
    }

    var invocations: [Invocation] { state.withLock { $0.invocations } }

    func run(_ invocation: Invocation, onLine: @escaping @Sendable (String) -> Void) throws -> ProcessOutcome {
        let outcome = state.withLock { state -> ProcessOutcome in
            state.invocations.append(invocation)
            return state.outcomes.isEmpty ? ProcessOutcome(exitCode: 0, output: "") : state.outcomes.removeFirst()
        }
        for line in outcome.output.split(separator: "\n") { onLine(String(line)) }
        return outcome
    }
}

/// Reads a captured `swift test` output from `Fixtures/`.
func fixture(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "txt") else {
        throw FixtureMissing(name: name)
    }
    return try String(contentsOf: url, encoding: .utf8)
}

struct FixtureMissing: Error {
    var name: String
}

/// Plays `swift build` and the test bundle for `lab test`: `swift build` answers `build` (success unless told
/// otherwise), the bundle's `--list-tests` answers `listing` (1.3's and 1.4's visible and hidden classes), and
/// each run of the bundle answers the next of `runs`.
final class CheckRunner: ProcessRunning {
    private let state: Mutex<(runs: [ProcessOutcome], invocations: [Invocation])>
    let build: ProcessOutcome
    let listing: String

    static let listing = ["Exercise1_3", "Exercise1_4"].flatMap { id in
        [
            "\(id)Tests.\(id)Checks/test1_printsHelloWithTheGivenName",
            "\(id)Tests.\(id)Checks/test2_uppercaseFlagPrintsTheGreetingInCapitals",
            "\(id)HiddenTests.\(id)HiddenChecks/test1_more",
        ]
    }.joined(separator: "\n")

    init(
        runs: [ProcessOutcome], build: ProcessOutcome = .init(exitCode: 0, output: "Build complete! (0.5s)\n"),
        listing: String = CheckRunner.listing
    ) {
        state = Mutex((runs, []))
        self.build = build
        self.listing = "Listing 6 tests in debug.xctest:\n\n" + listing + "\n"
    }

    var invocations: [Invocation] { state.withLock { $0.invocations } }
    /// The runs of the bundle that ran checks (not the listing, not the build).
    var checkRuns: [Invocation] { invocations.filter { $0.program != "swift" && $0.arguments != ["--list-tests"] } }

    func run(_ invocation: Invocation, onLine: @escaping @Sendable (String) -> Void) throws -> ProcessOutcome {
        let outcome = state.withLock { state -> ProcessOutcome in
            state.invocations.append(invocation)
            if invocation.program == "swift" { return build }
            if invocation.arguments == ["--list-tests"] { return ProcessOutcome(exitCode: 0, output: listing) }
            return state.runs.isEmpty ? ProcessOutcome(exitCode: 0, output: "") : state.runs.removeFirst()
        }
        for line in outcome.output.split(separator: "\n") { onLine(String(line)) }
        return outcome
    }
}
