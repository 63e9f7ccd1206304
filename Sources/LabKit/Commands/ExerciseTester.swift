import Foundation

/// `lab test`: builds and runs exactly one exercise's checks, and says what to fix first.
public struct ExerciseTester: Sendable {
    /// The lab.
    public var lab: LabFolder
    /// Starts `swift build` and the test bundle.
    public var runner: any ProcessRunning
    /// The scratch path (`--scratch-path`); nil uses ``defaultScratchPath(solutions:)``.
    public var scratchPath: String?
    /// Runs the reference solution (`LAB_SOLUTIONS=1`) instead of the skeleton: for authors.
    public var solutions: Bool
    /// How many compiler errors to show at most.
    public var maximumErrors = 8
    /// Rebuilds without SwiftPM when only files SwiftPM's plan knows changed (``FastPathBuilder``); `lab test`
    /// turns it off for `LAB_FAST=0` and `--swiftpm`.
    public var fastPath = true
    /// Called with one line saying how the exercise was built (with or without SwiftPM, and why): `--verbose`.
    public var onNote: @Sendable (String) -> Void = { _ in }

    /// Creates a tester.
    public init(lab: LabFolder, runner: any ProcessRunning, scratchPath: String? = nil, solutions: Bool = false) {
        self.lab = lab
        self.runner = runner
        self.scratchPath = scratchPath
        self.solutions = solutions
    }

    /// `lab test`'s own build folder: `.build-lab` (`.build-lab-solutions` for `--solutions`).
    ///
    /// Not `.build`: SwiftPM caches the evaluated manifest keyed on the environment, and `lab test` sets
    /// `LAB_ONLY`, so sharing `.build` with a plain `swift build`/`swift test` re-reads the manifest and relinks
    /// the test bundle (a different set of targets) every time the two alternate.
    public static func defaultScratchPath(solutions: Bool) -> String {
        solutions ? ".build-lab-solutions" : ".build-lab"
    }

    /// The scratch path in use.
    public var effectiveScratchPath: String {
        scratchPath ?? Self.defaultScratchPath(solutions: solutions)
    }

    /// The environment of the build: `LAB_ONLY` declares only this exercise, so a half-finished exercise
    /// elsewhere cannot break the build and only its targets compile and link.
    func buildEnvironment(for exercise: Catalogue.Entry) -> [String: String] {
        var environment = ["LAB_ONLY": exercise.id]
        if solutions { environment["LAB_SOLUTIONS"] = "1" }
        return environment
    }

    /// Step 1: `swift build --build-tests`, only this exercise's targets declared.
    public func buildInvocation(for exercise: Catalogue.Entry) -> Invocation {
        Invocation(
            program: "swift", arguments: ["build", "--scratch-path", effectiveScratchPath, "--build-tests"],
            environment: buildEnvironment(for: exercise), directory: lab.root)
    }

    /// The build folder as a URL.
    var scratchFolder: URL {
        effectiveScratchPath.hasPrefix("/") ? URL(fileURLWithPath: effectiveScratchPath) : lab.url(effectiveScratchPath)
    }

    /// The builder that rebuilds this exercise's bundle without SwiftPM, its plan stored in the build folder
    /// (`.build-lab/lab-fastpath-Exercise3_4.json`).
    public func fastPathBuilder(for exercise: Catalogue.Entry) -> FastPathBuilder {
        FastPathBuilder(
            planFile: scratchFolder.appendingPathComponent("lab-fastpath-\(exercise.id).json"),
            manifestFile: scratchFolder.appendingPathComponent("debug.yaml"), target: testBundle(),
            labRoot: lab.root, scratch: scratchFolder, environment: buildEnvironment(for: exercise), runner: runner)
    }

    /// The test bundle the build links (Linux: an executable), e.g. `.build-lab/debug/MokoLabPackageTests.xctest`.
    public func testBundle() -> URL {
        let bin = scratchFolder.appendingPathComponent("debug")
        let name = (try? lab.manifestText()).flatMap(PackageManifest.packageName(in:)) ?? "MokoLab"
        return bin.appendingPathComponent("\(name)PackageTests.xctest")
    }

    /// Step 2: the bundle lists its checks (`Module.Class/method`), to pick this exercise's classes.
    public func listInvocation(bundle: URL) -> Invocation {
        Invocation(program: bundle.path, arguments: ["--list-tests"], directory: lab.root)
    }

    /// Step 3: the bundle runs exactly these classes (`Exercise3_4Tests.Exercise3_4Checks`), nothing else: not
    /// the hidden checks linked into the same bundle, not 1.10 when 1.1 is asked for.
    public func runInvocation(bundle: URL, classes: [String]) -> Invocation {
        Invocation(program: bundle.path, arguments: [classes.joined(separator: ",")], directory: lab.root)
    }

    /// The classes of `module` in a `--list-tests` output, in order of appearance.
    public static func checkClasses(of module: String, inListing listing: String) -> [String] {
        var classes: [String] = []
        for line in listing.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let match = trimmed.wholeMatch(of: #/([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)/[^ ]+/#),
                match.1 == module
            else { continue }
            let name = "\(match.1).\(match.2)"
            if !classes.contains(name) { classes.append(name) }
        }
        return classes
    }

    /// Where the test bundle is not a runnable executable (macOS `.xctest` bundles): one `swift test` that
    /// builds and runs this exercise's visible checks (anchored filter: `Exercise1_1` would also match 1.10).
    public func invocation(for exercise: Catalogue.Entry) -> Invocation {
        Invocation(
            program: "swift",
            arguments: [
                "test", "--scratch-path", effectiveScratchPath, "--disable-swift-testing", "--filter",
                "^\(exercise.filter)\\.",
            ],
            environment: buildEnvironment(for: exercise), directory: lab.root)
    }

    /// Builds and runs the exercise's visible checks: the combined output of the steps and the commands run.
    ///
    /// `swift build --build-tests` (only this exercise declared), then the test bundle directly: it lists its
    /// checks and runs this exercise's classes. This skips `swift test`'s second package load and planning
    /// (about a second per run). When only files SwiftPM's last plan knows changed, ``FastPathBuilder`` rebuilds
    /// the bundle without SwiftPM at all. Falls back to ``invocation(for:)`` where the bundle is not an executable.
    func runChecks(
        of exercise: Catalogue.Entry, onBuildLine: @escaping @Sendable (String) -> Void
    ) throws -> (outcome: ProcessOutcome, commands: String) {
        let progress: @Sendable (String) -> Void = { line in
            if TestOutputParser.isBuildProgress(line) { onBuildLine(line) }
        }
        let single = invocation(for: exercise)
        guard Self.bundlesAreExecutables else { return (try runner.run(single, onLine: progress), single.commandLine) }
        let build = buildInvocation(for: exercise)
        let built: ProcessOutcome
        switch fastPath ? fastPathBuilder(for: exercise).build(onLine: progress) : .needsSwiftPM("turned off") {
        case .built(let commands, let output):
            onNote("lab: built without SwiftPM (\(commands) command\(commands == 1 ? "" : "s"))")
            built = ProcessOutcome(exitCode: 0, output: output)
        case .failed(let outcome, let command):
            onNote("lab: built without SwiftPM: a compiler command failed")
            return (outcome, command)
        case .needsSwiftPM(let reason):
            onNote("lab: building with SwiftPM (\(reason))")
            built = try buildWithSwiftPM(build, exercise: exercise, onLine: progress)
            guard built.exitCode == 0 else { return (built, build.commandLine) }
        }
        let bundle = testBundle()
        guard FileManager.default.isExecutableFile(atPath: bundle.path) else {
            return (try runner.run(single, onLine: progress), single.commandLine)
        }
        let list = listInvocation(bundle: bundle)
        let listing = try runner.run(list, onLine: { _ in })
        let classes = Self.checkClasses(of: exercise.filter, inListing: listing.output)
        guard listing.exitCode == 0, !classes.isEmpty else {
            return (
                ProcessOutcome(exitCode: listing.exitCode, output: built.output + listing.output),
                "\(build.commandLine) && \(list.commandLine)"
            )
        }
        let run = runInvocation(bundle: bundle, classes: classes)
        let ran = try runner.run(run, onLine: { _ in })
        return (ProcessOutcome(exitCode: ran.exitCode, output: built.output + ran.output), run.commandLine)
    }

    /// `swift build`, then (when it succeeded and the fast path is on) the plan for the next fast build.
    private func buildWithSwiftPM(
        _ build: Invocation, exercise: Catalogue.Entry, onLine: @escaping @Sendable (String) -> Void
    ) throws -> ProcessOutcome {
        let started = Date()
        let built = try runner.run(build, onLine: onLine)
        if built.exitCode == 0, fastPath {
            let problem = fastPathBuilder(for: exercise).record(builtSince: started)
            onNote(problem.map { "lab: no fast-path plan recorded (\($0))" } ?? "lab: fast-path plan recorded")
        }
        return built
    }

    /// Whether test bundles are executables run directly (Linux) rather than loaded by `xctest` (macOS).
    static var bundlesAreExecutables: Bool {
        #if os(Linux)
        true
        #else
        false
        #endif
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
        let (outcome, commands) = try runChecks(of: exercise, onBuildLine: onBuildLine)
        let store = ProgressStore(lab: lab)
        let progress = try store.load()
        var verdict = judge(
            exercise: exercise, outcome: outcome, declared: lab.declaredChecks(in: "Tests/\(exercise.filter)"),
            hintsShown: progress.hintsShown[exercise.id] ?? 0, command: commands)
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
    ///   - command: the command that produced the outcome, for messages (default: ``invocation(for:)``).
    public func judge(
        exercise: Catalogue.Entry, outcome: ProcessOutcome, declared: Int, hintsShown: Int, command: String? = nil
    ) -> Verdict {
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
            text +=
                "  `\(command ?? invocation(for: exercise).commandLine)` exited \(outcome.exitCode) without running any "
            text += "check"
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
            text += "The checks exited \(outcome.exitCode) although every check passed; its last lines:\n"
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
