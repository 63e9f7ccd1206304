import ArgumentParser
import Foundation
import LabKit

/// `lab`: the trainee and author command line of MokoLab.
@main
struct Lab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Work through the MokoLab exercises: list, test, hint, watch, quiz; authors: verify, kit.",
        subcommands: [List.self, Test.self, Hint.self, Watch.self, Quiz.self, Verify.self, Kit.self],
        defaultSubcommand: List.self
    )
}

/// Options every command shares.
struct LabLocation: ParsableArguments {
    @Option(name: .customLong("package-path"), help: "The lab folder (default: found from the current folder up).")
    var packagePath: String?

    func folder() throws -> LabFolder {
        if let packagePath { return try LabFolder.find(from: URL(fileURLWithPath: packagePath)) }
        return try LabFolder.find(from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }
}

/// Runs a command's logic, turning a ``LabError`` into its message on standard error and its exit code.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as LabError {
        StandardStream.error.line(error.message)
        throw ExitCode(error.exitCode)
    }
}

/// Whether standard error is a terminal (build progress is then shown on one updating line).
let standardErrorIsTerminal = isatty(FileHandle.standardError.fileDescriptor) == 1

/// Shows SwiftPM's build progress on one line of the terminal; prints nothing when not a terminal.
func buildProgress(_ line: String) {
    guard standardErrorIsTerminal else { return }
    StandardStream.error.write("\r\u{1B}[K" + String(line.prefix(100)))
}

/// Clears the progress line.
func endBuildProgress() {
    if standardErrorIsTerminal { StandardStream.error.write("\r\u{1B}[K") }
}

/// On SIGINT, SIGTERM or SIGHUP, stops the running `swift` (its whole process group: Foundation starts each
/// child in a group of its own, which the terminal's Ctrl-C and a SIGTERM to `lab` never reach), then exits
/// with 128 + the signal.
func stopChildrenOnSignals() {
    StopSignalForwarder().install { code in
        endBuildProgress()
        exit(code)
    }
}

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Every exercise with its session, title and status, and your overall progress.")

    @OptionGroup var location: LabLocation

    func run() async throws {
        try await reportingErrors {
            StandardStream.output.write(try ProgressList(lab: try location.folder()).render())
        }
    }
}

struct Test: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build and run one exercise's checks; show the first failing check first.",
        discussion: "Exit status: 0 when every check passes, 1 when a check fails or nothing ran, 64 for an "
            + "unknown exercise.")

    @Argument(help: "The exercise: 3.4 or Exercise3_4.")
    var exercise: String

    @OptionGroup var location: LabLocation

    @Option(
        help:
            "SwiftPM scratch path (default: $LAB_SCRATCH_PATH, else .build-lab or, with --solutions, .build-lab-solutions)."
    )
    var scratchPath: String?

    @Flag(help: "Authors: run the reference solution (LAB_SOLUTIONS=1) instead of the skeleton.")
    var solutions = false

    @Flag(help: "Always build with SwiftPM, never with lab's fast path (also: LAB_FAST=0).")
    var swiftpm = false

    @Flag(help: "Say how the exercise was built: without SwiftPM (fast path) or with it, and why.")
    var verbose = false

    func run() async throws {
        stopChildrenOnSignals()
        let verdict = try await reportingErrors {
            let lab = try location.folder()
            let entry = try lab.exercise(exercise)
            var tester = ExerciseTester(
                lab: lab, runner: SystemProcessRunner(),
                scratchPath: scratchPath ?? ProcessInfo.processInfo.environment["LAB_SCRATCH_PATH"],
                solutions: solutions)
            tester.fastPath = !swiftpm && ProcessInfo.processInfo.environment["LAB_FAST"] != "0"
            if verbose {
                tester.onNote = { note in
                    endBuildProgress()
                    StandardStream.error.line(note)
                }
            }
            StandardStream.error.line("lab: building and running the checks of \(entry.number) \(entry.title) …")
            defer { endBuildProgress() }
            return try tester.test(exercise, onBuildLine: buildProgress)
        }
        StandardStream.output.write(verdict.text)
        if verdict.exitCode != 0 { throw ExitCode(verdict.exitCode) }
    }
}

struct Hint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the next hint of an exercise (one level at a time).")

    @Argument(help: "The exercise: 3.4 or Exercise3_4.")
    var exercise: String

    @Option(help: "Show this hint level instead of the next one.")
    var level: Int?

    @Flag(help: "Show every hint seen so far.")
    var all = false

    @OptionGroup var location: LabLocation

    func run() async throws {
        try await reportingErrors {
            StandardStream.output.write(try Hints(lab: try location.folder()).hint(exercise, level: level, all: all))
        }
    }
}

struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an exercise's checks on every save; move on when it passes.",
        discussion: "Uses file events where they arrive and compares the files every half second in any case "
            + "(network and container mounts); --poll uses only the comparison.")

    @Argument(help: "The exercise to start with (default: the first one not passing).")
    var exercise: String?

    @OptionGroup var location: LabLocation

    @Option(help: "SwiftPM scratch path (default: $LAB_SCRATCH_PATH, else .build-lab).")
    var scratchPath: String?

    @Flag(help: "Do not use file events; only compare the files every half second.")
    var poll = false

    func run() async throws {
        stopChildrenOnSignals()
        try await reportingErrors {
            var tester = ExerciseTester(
                lab: try location.folder(), runner: SystemProcessRunner(),
                scratchPath: scratchPath ?? ProcessInfo.processInfo.environment["LAB_SCRATCH_PATH"])
            tester.fastPath = ProcessInfo.processInfo.environment["LAB_FAST"] != "0"
            let watcher = Watcher(
                tester: tester, waiter: FileChangeWaiter(clock: ContinuousClock(), useFileEvents: !poll),
                clearScreen: isatty(FileHandle.standardOutput.fileDescriptor) == 1)
            try await watcher.watch(
                from: exercise, output: StandardStream.output,
                onBuildLine: { line in buildProgress(line) })
        }
    }
}

struct Quiz: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Take a session's quiz in the terminal.")

    @Argument(help: "The session: 1, 2 or 3.")
    var session: Int

    @OptionGroup var location: LabLocation

    func run() async throws {
        let score = try await reportingErrors {
            let quiz = try LabKit.Quiz.load(session: session, lab: try location.folder())
            return QuizSession(quiz: quiz).run(output: StandardStream.output) { Swift.readLine() }
        }
        if score.answered < score.total { throw ExitCode(ExitStatus.failure) }
    }
}

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Authors and CI: prove every exercise is sound.",
        discussion: """
            Static rules (README, // TODO:, hints, class names, no crashing code, no value-printing assertion in \
            hidden checks, catalogue and Package.swift agree); no check passes on a skeleton; every check passes \
            on the solution; every mutant is caught by the hidden check its header names. Prints a table; exits 1 \
            on any violation. Logs: a folder of each run's own, .build-verify-logs/<UTC time>-<pid>/ (--logs or \
            $LAB_VERIFY_LOGS to choose it), so concurrent runs never mix their logs.
            """)

    @Argument(help: "Exercises to verify (1.3 or Exercise1_3; default: all).")
    var exercises: [String] = []

    @OptionGroup var location: LabLocation

    @Option(help: "Scratch path of the skeleton tree (default: $SKELETON_SCRATCH_PATH, else .build).")
    var skeletonScratchPath: String?

    @Option(help: "Scratch path of the solutions tree (default: $SOLUTIONS_SCRATCH_PATH, else .build-solutions).")
    var solutionsScratchPath: String?

    @Option(help: "Scratch path of the mutant runs (default: $MUTANTS_SCRATCH_PATH, else the solutions tree).")
    var mutantsScratchPath: String?

    @Option(help: "Folder for this run's logs (default: $LAB_VERIFY_LOGS, else .build-verify-logs/<UTC time>-<pid>).")
    var logs: String?

    @Flag(help: "Run no mutant (their 'Caught by' headers are still checked); CI proves them with `grade samples`.")
    var skipMutants = false

    func run() async throws {
        stopChildrenOnSignals()
        let environment = ProcessInfo.processInfo.environment
        let logsFolder =
            logs ?? environment["LAB_VERIFY_LOGS"]
            ?? Verifier.Configuration.runLogsFolder(date: Date(), processID: ProcessInfo.processInfo.processIdentifier)
        let result = try await reportingErrors {
            let solutions = solutionsScratchPath ?? environment["SOLUTIONS_SCRATCH_PATH"] ?? ".build-solutions"
            let verifier = Verifier(
                lab: try location.folder(), runner: SystemProcessRunner(),
                configuration: .init(
                    skeletonScratchPath: skeletonScratchPath ?? environment["SKELETON_SCRATCH_PATH"] ?? ".build",
                    solutionsScratchPath: solutions,
                    mutantsScratchPath: mutantsScratchPath ?? environment["MUTANTS_SCRATCH_PATH"] ?? solutions,
                    logsFolder: logsFolder, runMutants: !skipMutants))
            return try verifier.verify(try verifier.exerciseIDs(exercises), log: StandardStream.error)
        }
        for violation in result.violations { StandardStream.error.line("VIOLATION \(violation)") }
        StandardStream.output.line()
        StandardStream.output.write(result.table)
        StandardStream.output.line()
        if result.exitCode != 0 {
            StandardStream.error.line(
                "lab verify: \(result.violations.count) violation(s); logs in \(logsFolder)/")
            throw ExitCode(result.exitCode)
        }
        StandardStream.output.line("lab verify: all exercises sound")
    }
}

struct Kit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the trainee kit: no solutions, hidden checks, mutants or grader.")

    @Argument(help: "The folder to create (must not exist or be empty).")
    var output: String

    @Option(
        parsing: .upToNextOption,
        help: "Only these exercises (1.3 or Exercise1_3; default: every exercise with its checks).")
    var exercises: [String] = []

    @OptionGroup var location: LabLocation

    func run() async throws {
        try await reportingErrors {
            let destination = URL(fileURLWithPath: output)
            let lab = try location.folder()
            let chosen = exercises.isEmpty ? nil : Set(try exercises.map { try lab.exercise($0).id })
            let count = try KitExporter(lab: lab, exercises: chosen).export(to: destination)
            StandardStream.output.line("lab kit: wrote \(count) files to \(destination.standardizedFileURL.path)")
        }
    }
}
