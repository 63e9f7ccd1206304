import Foundation

/// `lab test`: builds and runs exactly one exercise's checks, and says what to fix first.
public struct ExerciseTester: Sendable {
    /// The lab.
    public var lab: LabFolder
    /// Starts `swift test`.
    public var runner: any ProcessRunning
    /// The scratch path for `swift test` (`--scratch-path`); nil uses SwiftPM's default, `.build`.
    public var scratchPath: String?
    /// Runs the reference solution (`LAB_SOLUTIONS=1`) instead of the skeleton: for authors.
    public var solutions: Bool
    /// How many compiler errors to show at most.
    public var maximumErrors = 8

    /// Creates a tester.
    public init(lab: LabFolder, runner: any ProcessRunning, scratchPath: String? = nil, solutions: Bool = false) {
        self.lab = lab
        self.runner = runner
        self.scratchPath = scratchPath
        self.solutions = solutions
    }

    /// What `lab test` concluded.
    public struct Verdict: Sendable, Equatable {
        /// The exercise.
        public var exercise: Catalogue.Entry
        /// Where it stands now.
        public var status: Progress.Status
        /// Checks that passed.
        public var passed: Int
        /// Checks that ran.
        public var ran: Int
        /// What to show the user.
        public var text: String
        /// The exit code: 0 when every check passed, 1 otherwise.
        public var exitCode: Int32
    }

    /// The `swift test` command that runs exactly this exercise's visible checks.
    ///
    /// `LAB_ONLY` makes the package declare only this exercise (a half-finished exercise elsewhere cannot
    /// break the build, and only one test bundle links); the anchored filter runs this exercise's check module
    /// alone (`Exercise1_1` would also match 1.10 and 1.11).
    public func invocation(for exercise: Catalogue.Entry) -> Invocation {
        var arguments = ["test"]
        if let scratchPath { arguments += ["--scratch-path", scratchPath] }
        arguments += ["--disable-swift-testing", "--filter", "^\(exercise.filter)\\."]
        var environment = ["LAB_ONLY": exercise.id]
        if solutions { environment["LAB_SOLUTIONS"] = "1" }
        return Invocation(program: "swift", arguments: arguments, environment: environment, directory: lab.root)
    }

    /// Runs the checks of the exercise `reference` names, records the result and returns what to show.
    ///
    /// - Parameters:
    ///   - reference: what the user typed (`1.3`, `Exercise1_3`).
    ///   - onBuildLine: called with SwiftPM's progress lines (`[12/40] Compiling ...`) while it builds.
    /// - Throws: ``LabError`` (usage) for an unknown exercise; ``LabError`` when `swift` cannot start.
    public func test(
        _ reference: String, onBuildLine: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> Verdict {
        let exercise = try lab.exercise(reference)
        let outcome = try runner.run(invocation(for: exercise)) { line in
            if TestOutputParser.isBuildProgress(line) { onBuildLine(line) }
        }
        let store = ProgressStore(lab: lab)
        let progress = try store.load()
        var verdict = judge(
            exercise: exercise, outcome: outcome, declared: lab.declaredChecks(in: "Tests/\(exercise.filter)"),
            hintsShown: progress.hintsShown[exercise.id] ?? 0)
        if !solutions {
            try store.update {
                $0.results[exercise.id] = Progress.Result(
                    status: verdict.status, passed: verdict.passed, total: verdict.ran)
            }
            if verdict.status == .passing, let next = try nextExercise(after: exercise) {
                verdict.text += "Next: `lab test \(next.number)` — \(next.title).\n"
            }
        }
        return verdict
    }

    /// The first available exercise after `exercise` that is not passing yet.
    func nextExercise(after exercise: Catalogue.Entry) throws -> Catalogue.Entry? {
        let available = try lab.availableExercises()
        let progress = try ProgressStore(lab: lab).load()
        guard let index = available.firstIndex(where: { $0.id == exercise.id }) else { return nil }
        return available[(index + 1)...].first { progress.status(of: $0.id) != .passing }
    }

    /// Judges one run from its output.
    ///
    /// - Parameters:
    ///   - exercise: the exercise that ran.
    ///   - outcome: `swift test`'s exit code and output.
    ///   - declared: how many check methods the exercise's check files declare (0 when unknown).
    ///   - hintsShown: how many hints the trainee has seen, to offer the next one.
    public func judge(exercise: Catalogue.Entry, outcome: ProcessOutcome, declared: Int, hintsShown: Int) -> Verdict {
        let report = TestOutputParser.parse(outcome.output)
        let paths = PathDisplay(
            roots: [lab.root.path, lab.root.resolvingSymlinksInPath().path], exerciseFolder: "Exercises/\(exercise.id)")
        let heading = "\(exercise.number) \(exercise.title)"
        var text = ""
        let passed = report.passed.count
        let ran = report.ran.count
        let failed = report.failed

        func verdict(_ status: Progress.Status, exit: Int32) -> Verdict {
            Verdict(exercise: exercise, status: status, passed: passed, ran: ran, text: text, exitCode: exit)
        }

        if report.checks.isEmpty, !report.compileErrors.isEmpty || !report.buildErrors.isEmpty {
            let errors = report.compileErrors
            text += "✗ \(heading): the code does not compile (Exercises/\(exercise.id)/).\n\n"
            for diagnostic in errors.prefix(maximumErrors) {
                let location = paths.display("\(diagnostic.path):\(diagnostic.line):\(diagnostic.column)")
                text += "\(location): error: \(diagnostic.message)\n"
                for line in diagnostic.excerpt { text += paths.display(line) + "\n" }
                text += "\n"
            }
            if errors.count > maximumErrors {
                text += "… and \(errors.count - maximumErrors) more compiler errors; fix the first ones first.\n"
            }
            if errors.isEmpty {
                for error in report.buildErrors.prefix(maximumErrors) { text += "error: \(paths.display(error))\n" }
            }
            text += hintOffer(exercise, hintsShown: hintsShown)
            return verdict(.doesNotCompile, exit: ExitStatus.failure)
        }

        if ran == 0 {
            text += "✗ \(heading): no check ran — this is a failure, not a pass.\n"
            text += "  `\(invocation(for: exercise).commandLine)` exited \(outcome.exitCode) without running any check"
            text += report.crash.map { " (the test process crashed: \(paths.display($0)))" } ?? ""
            text += ".\n  Its last lines:\n"
            for line in outcome.output.split(separator: "\n").suffix(15) {
                text += "    \(paths.display(String(line)))\n"
            }
            return verdict(.failing, exit: ExitStatus.failure)
        }

        let missing = declared > 0 && ran < declared ? declared - ran : 0
        if failed.isEmpty, missing == 0, outcome.exitCode == 0 {
            text += "✓ \(heading): all \(ran) checks pass.\n"
            return verdict(.passing, exit: ExitStatus.success)
        }

        text += "✗ \(heading): \(passed) of \(max(ran, declared)) checks pass.\n\n"
        if let first = failed.first {
            text += "First failing check: \(first.readableName) (\(first.name))\n"
            if first.status == .unfinished {
                text += "  The test process crashed during this check"
                text += report.crash.map { ": \(paths.display($0))" } ?? ""
                text += ". Skeletons and solutions must throw, never crash (no fatalError, try!, or `!`).\n"
            }
            for message in first.failures.prefix(3) {
                text += indent(paths.display(message)) + "\n"
            }
            if let location = first.location, !location.hasPrefix("<") {
                text += "  at \(paths.display(location))\n"
            }
            let rest = failed.count - 1
            if rest > 0 {
                text += "\n+ \(rest) more failing check\(rest == 1 ? "" : "s") (fix this one first: the checks go "
                text += "from the most basic up).\n"
            }
        }
        if missing > 0 {
            text += "\n\(missing) of \(declared) checks did not run"
            text += report.crash.map { " (the test process crashed: \(paths.display($0)))" } ?? ""
            text += ".\n"
        } else if failed.isEmpty {
            text += "`swift test` exited \(outcome.exitCode) although every check passed; its last lines:\n"
            for line in outcome.output.split(separator: "\n").suffix(10) {
                text += "    \(paths.display(String(line)))\n"
            }
        }
        text += hintOffer(exercise, hintsShown: hintsShown)
        return verdict(.failing, exit: ExitStatus.failure)
    }

    private func hintOffer(_ exercise: Catalogue.Entry, hintsShown: Int) -> String {
        guard !exercise.hints.isEmpty else { return "" }
        if hintsShown < exercise.hints.count {
            return "\nStuck? `lab hint \(exercise.number)` shows hint \(hintsShown + 1) of \(exercise.hints.count).\n"
        }
        return
            "\nYou have seen all \(exercise.hints.count) hints: `lab hint \(exercise.number) --all` shows them again.\n"
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}
