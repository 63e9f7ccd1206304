import Foundation
import SamplePatches

/// `lab verify`: proves the exercises are sound (the author check CI runs).
///
/// For each exercise: the static rules (``StaticRules``); on the skeleton every visible and hidden check runs
/// and none passes; on the reference solution every check runs and passes; every mutant
/// (`grader/mutants/<id>/<name>/mutant.yaml`, a patch of the solution, or a folder of files) makes at least one
/// hidden check fail, including the one its header names
/// ("Caught by <id>HiddenChecks.<method>"). Runs are counted, not assumed: the result lines must match the
/// `func test…` methods declared, so a filter that matches nothing, a failed build or a crash is a violation.
public struct Verifier: Sendable {
    /// Scratch paths and where logs go.
    public struct Configuration: Sendable, Equatable {
        /// Scratch path of the skeleton tree.
        public var skeletonScratchPath: String
        /// Scratch path of the solutions tree (`LAB_SOLUTIONS=1`).
        public var solutionsScratchPath: String
        /// Scratch path of the mutant runs (default: the solutions tree: each mutant rebuilds one module).
        public var mutantsScratchPath: String
        /// Folder for the run logs, relative to the lab (or absolute).
        public var logsFolder: String
        /// `false` runs no mutant (their `Caught by` headers are still required): CI proves the mutants with
        /// `grade samples`, which asks the same of each and more.
        public var runMutants: Bool

        /// The defaults of `scripts/verify-exercises.sh`.
        public init(
            skeletonScratchPath: String = ".build", solutionsScratchPath: String = ".build-solutions",
            mutantsScratchPath: String? = nil, logsFolder: String = ".build-verify-logs", runMutants: Bool = true
        ) {
            self.skeletonScratchPath = skeletonScratchPath
            self.solutionsScratchPath = solutionsScratchPath
            self.mutantsScratchPath = mutantsScratchPath ?? solutionsScratchPath
            self.logsFolder = logsFolder
            self.runMutants = runMutants
        }

        /// A logs folder of one's own for a run started at `date` by process `processID`:
        /// `<base>/<UTC date and time>-<pid>`, so that concurrent `lab verify` runs never write the same logs.
        public static func runLogsFolder(base: String = ".build-verify-logs", date: Date, processID: Int32) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withYear, .withMonth, .withDay, .withTime, .withTimeZone]
            let stamp = formatter.string(from: date).filter { $0 != ":" && $0 != "-" }
            return "\(base)/\(stamp)-\(processID)"
        }
    }

    /// One exercise's line of the table.
    public struct Row: Sendable, Equatable {
        /// The exercise.
        public var id: String
        /// Checks that passed on the skeleton (must be 0).
        public var skeletonPassed = 0
        /// Checks that ran on the skeleton.
        public var skeletonRan = 0
        /// Visible checks that passed on the solution.
        public var solutionVisiblePassed = 0
        /// Hidden checks that passed on the solution.
        public var solutionHiddenPassed = 0
        /// Checks that failed on the solution (must be 0).
        public var solutionFailed = 0
        /// Mutants caught as their header says.
        public var mutantsCaught = 0
        /// Mutants there are.
        public var mutants = 0
        /// `false` when the mutants were not run (`lab verify --skip-mutants`).
        public var mutantsRun = true
        /// What is wrong.
        public var problems: [String] = []

        /// Creates a row.
        public init(
            id: String, skeletonPassed: Int = 0, skeletonRan: Int = 0, solutionVisiblePassed: Int = 0,
            solutionHiddenPassed: Int = 0, solutionFailed: Int = 0, mutantsCaught: Int = 0, mutants: Int = 0,
            problems: [String] = []
        ) {
            self.id = id
            self.skeletonPassed = skeletonPassed
            self.skeletonRan = skeletonRan
            self.solutionVisiblePassed = solutionVisiblePassed
            self.solutionHiddenPassed = solutionHiddenPassed
            self.solutionFailed = solutionFailed
            self.mutantsCaught = mutantsCaught
            self.mutants = mutants
            self.problems = problems
        }
    }

    /// The outcome of a verification.
    public struct Result: Sendable, Equatable {
        /// One row per exercise.
        public var rows: [Row]
        /// Problems not tied to one exercise (catalogue, crashed or failing runs).
        public var generalProblems: [String]

        /// Every violation, one per line, prefixed with its exercise.
        public var violations: [String] {
            generalProblems
                + rows.flatMap { row in
                    row.problems.map { "\(row.id) (\(ExerciseReference.number(of: row.id))): \($0)" }
                }
        }

        /// The table, in Markdown.
        public var table: String {
            var text = "| Exercise     | skel pass / run | vis. | hid. | fail | mutants caught | status |\n"
            text += "|--------------|-----------------|------|------|------|----------------|--------|\n"
            for row in rows {
                let cells = [
                    row.id + String(repeating: " ", count: max(0, 12 - row.id.count)),
                    "\(right(row.skeletonPassed, 6)) / \(left(row.skeletonRan, 6))",
                    right(row.solutionVisiblePassed, 4), right(row.solutionHiddenPassed, 4),
                    right(row.solutionFailed, 4),
                    "\(row.mutantsRun ? right(row.mutantsCaught, 6) : "  skip") / \(left(row.mutants, 5))",
                    (row.problems.isEmpty ? "ok" : "FAIL").padding(toLength: 6, withPad: " ", startingAt: 0),
                ]
                text += "| " + cells.joined(separator: " | ") + " |\n"
            }
            return text
        }

        /// 0 when sound, 1 on any violation.
        public var exitCode: Int32 { violations.isEmpty ? ExitStatus.success : ExitStatus.failure }

        private func right(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }

        private func left(_ value: Int, _ width: Int) -> String {
            String(value).padding(toLength: max(width, String(value).count), withPad: " ", startingAt: 0)
        }
    }

    /// The lab.
    public var lab: LabFolder
    /// Starts `swift test`.
    public var runner: any ProcessRunning
    /// Scratch paths and logs.
    public var configuration: Configuration

    /// Creates a verifier.
    public init(lab: LabFolder, runner: any ProcessRunning, configuration: Configuration = Configuration()) {
        self.lab = lab
        self.runner = runner
        self.configuration = configuration
    }

    /// The exercises to verify: those named (as `1.3` or `Exercise1_3`), or every declared exercise whose
    /// folder exists.
    ///
    /// - Throws: ``LabError`` (usage) for a name that is not a declared exercise with a folder.
    public func exerciseIDs(_ references: [String]) throws -> [String] {
        let declared = try lab.packageExerciseIDs().filter { lab.exists("Exercises/\($0)") }
        if references.isEmpty {
            guard !declared.isEmpty else { throw LabError("lab verify: no exercises found in Package.swift") }
            return declared
        }
        return try references.map { reference in
            guard let id = ExerciseReference.targetName(reference), declared.contains(id) else {
                throw LabError.usage(
                    "lab verify: '\(reference)' is not an exercise of Package.swift with an Exercises/ folder "
                        + "(there are: \(declared.map(ExerciseReference.number).joined(separator: ", "))).")
            }
            return id
        }
    }

    /// Verifies `ids`, reporting each run as it starts.
    ///
    /// - Parameters:
    ///   - ids: exercise target names (see ``exerciseIDs(_:)``).
    ///   - log: receives a line as each run starts.
    public func verify(_ ids: [String], log: any TextSink) throws -> Result {
        let catalogue = try lab.catalogue()
        let manifest = try lab.manifestText()
        let packageIDs = PackageManifest.exerciseIDs(in: manifest)
        var general = StaticRules.catalogueViolations(catalogue: catalogue, packageIDs: packageIDs)
        try FileManager.default.createDirectory(at: url(configuration.logsFolder), withIntermediateDirectories: true)

        let filter = "^(" + ids.map { "\($0)(Hidden)?Tests\\." }.joined(separator: "|") + ")"
        let only = ids.joined(separator: ",")
        log.line("== skeletons (\(configuration.skeletonScratchPath))")
        let skeletons = try run(
            scratch: configuration.skeletonScratchPath, environment: ["LAB_ONLY": only], filter: filter,
            log: "skeletons.log")
        log.line("== solutions (\(configuration.solutionsScratchPath))")
        let solutions = try run(
            scratch: configuration.solutionsScratchPath, environment: ["LAB_ONLY": only, "LAB_SOLUTIONS": "1"],
            filter: filter, log: "solutions.log")

        var rows: [Row] = []
        for id in ids {
            var row = Row(id: id)
            row.problems = StaticRules.violations(
                of: id, in: lab, catalogue: catalogue, packageIDs: packageIDs,
                excluded: PackageManifest.excludedPaths(of: id, in: manifest))
            let visibleDeclared = lab.declaredChecks(in: "Tests/\(id)Tests")
            let hiddenDeclared = lab.declaredChecks(in: "grader/hidden/\(id)")
            let declared = visibleDeclared + hiddenDeclared

            // 1. Skeleton: everything runs, nothing passes.
            let skeletonChecks =
                skeletons.report.checks(ofClass: "\(id)Checks")
                + skeletons.report.checks(ofClass: "\(id)HiddenChecks")
            row.skeletonPassed = skeletonChecks.filter { $0.status == .passed }.count
            row.skeletonRan = skeletonChecks.filter { $0.status == .passed || $0.status == .failed }.count
            if row.skeletonRan != declared {
                row.problems.append(
                    "\(row.skeletonRan) of \(declared) checks ran on the skeleton (see \(skeletons.logPath))"
                        + firstError(skeletons.report))
            }
            if row.skeletonPassed > 0 {
                let names = skeletonChecks.filter { $0.status == .passed }.map(\.name).joined(separator: " ")
                row.problems.append("\(row.skeletonPassed) check(s) pass on the skeleton: \(names)")
            }

            // 2. Solution: everything runs and passes.
            let visible = solutions.report.checks(ofClass: "\(id)Checks")
            let hidden = solutions.report.checks(ofClass: "\(id)HiddenChecks")
            row.solutionVisiblePassed = visible.filter { $0.status == .passed }.count
            row.solutionHiddenPassed = hidden.filter { $0.status == .passed }.count
            let failing = (visible + hidden).filter { $0.status != .passed }
            row.solutionFailed = failing.count
            if !failing.isEmpty {
                row.problems.append(
                    "\(failing.count) check(s) fail on the solution: \(failing.map(\.method).joined(separator: " "))")
            }
            if row.solutionVisiblePassed != visibleDeclared {
                row.problems.append(
                    "\(row.solutionVisiblePassed) of \(visibleDeclared) visible checks passed on the solution"
                        + firstError(solutions.report))
            }
            if row.solutionHiddenPassed != hiddenDeclared {
                row.problems.append(
                    "\(row.solutionHiddenPassed) of \(hiddenDeclared) hidden checks passed on the solution")
            }

            // 3. Mutants: each caught, by the check its header names among others.
            row.mutantsRun = configuration.runMutants
            for mutant in mutants(of: id) {
                row.mutants += 1
                guard configuration.runMutants else {
                    do {
                        _ = try patchedSources(of: mutant, exercise: id)
                    } catch {
                        row.problems.append("mutant \(mutant.name): \(error)")
                    }
                    if mutant.caughtBy == nil {
                        row.problems.append(
                            "mutant \(mutant.name): no 'Caught by \(id)HiddenChecks.<method>' comment in its files")
                    }
                    continue
                }
                log.line("== mutant \(id)/\(mutant.name) (\(configuration.mutantsScratchPath))")
                var environment = ["LAB_ONLY": id, "LAB_SOLUTIONS": "1", "LAB_MUTANT": "\(id)/\(mutant.name)"]
                do {
                    if let folder = try materialize(mutant, of: id) { environment["LAB_MUTANT_DIR"] = folder }
                } catch {
                    row.problems.append("mutant \(mutant.name): \(error)")
                    continue
                }
                let run = try run(
                    scratch: configuration.mutantsScratchPath, environment: environment,
                    filter: "^\(id)HiddenTests\\.", log: "mutant-\(id)-\(mutant.name).log")
                let checks = run.report.checks(ofClass: "\(id)HiddenChecks")
                let caught = checks.filter { $0.status == .failed }.map(\.method)
                let ran = checks.filter { $0.status == .passed || $0.status == .failed }.count
                if ran != hiddenDeclared {
                    row.problems.append(
                        "mutant \(mutant.name): \(ran) of \(hiddenDeclared) hidden checks ran (see \(run.logPath))"
                            + firstError(run.report))
                } else if caught.isEmpty {
                    row.problems.append("mutant \(mutant.name) is not caught by any hidden check")
                } else if let named = mutant.caughtBy {
                    if caught.contains(named) {
                        row.mutantsCaught += 1
                    } else {
                        row.problems.append(
                            "mutant \(mutant.name): the check its comment names (\(named)) did not fail")
                    }
                } else {
                    row.problems.append(
                        "mutant \(mutant.name): no 'Caught by \(id)HiddenChecks.<method>' comment in its files")
                }
                if let crash = run.report.crash {
                    row.problems.append("mutant \(mutant.name) crashed the test process: \(crash)")
                }
            }
            if row.mutants == 0 { row.problems.append("no mutant under grader/mutants/\(id)") }
            rows.append(row)
        }

        if let crash = skeletons.report.crash {
            general.append("the skeleton run crashed (skeletons must throw, never crash): \(crash)")
        }
        if let crash = solutions.report.crash { general.append("the solutions run crashed: \(crash)") }
        if solutions.exitCode != 0 {
            general.append("the solutions run exited \(solutions.exitCode) (see \(solutions.logPath))")
        }
        return Result(rows: rows, generalProblems: general)
    }

    /// A mutant, the hidden check its header says catches it, and for a patch mutant its edits.
    struct Mutant {
        var name: String
        var caughtBy: String?
        /// The edits of `mutant.yaml` (a patch of the solution); `nil` for a mutant written as a folder of files.
        var patch: SampleRecipe?
        /// Why `mutant.yaml` cannot be read, if it cannot.
        var problem: SamplePatchError?
    }

    func mutants(of id: String) -> [Mutant] {
        let folder = lab.url("grader/mutants/\(id)")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(
                atPath: folder.appendingPathComponent($0).path, isDirectory: &isFolder)
                && isFolder.boolValue
        }.sorted()
        return names.map { name in
            let mutantFolder = folder.appendingPathComponent(name)
            var mutant = Mutant(name: name)
            do throws(SamplePatchError) {
                mutant.patch = try SampleRecipe.mutantPatch(in: mutantFolder)
            } catch {
                mutant.problem = error
            }
            let files = SourceScan.files(in: mutantFolder).filter {
                $0.pathExtension == "swift" || $0.lastPathComponent == "mutant.yaml"
            }
            let text = files.map { (try? String(contentsOf: $0, encoding: .utf8)) ?? "" }.joined(separator: "\n")
            let prefix = "\(id)HiddenChecks."
            if let named = SampleRecipe.namedCatcher(in: text), named.hasPrefix(prefix) {
                let method = String(named.dropFirst(prefix.count))
                mutant.caughtBy = method.hasPrefix("test") && !method.contains(".") ? method : nil
            }
            return mutant
        }
    }

    /// For a patch mutant, writes the solution with the mutant's edits to
    /// `<mutants scratch path>/lab-mutants/<id>/<name>` (replacing what an earlier run left there) and returns that
    /// folder for `LAB_MUTANT_DIR`; `nil` for a mutant written as a folder, which builds in place.
    ///
    /// - Throws: ``SamplePatchError`` when `mutant.yaml` is malformed or an edit no longer fits the solution, or
    ///   edits a file outside `Exercises/<id>/`; an error of the file system when the folder cannot be written.
    func materialize(_ mutant: Mutant, of id: String) throws -> String? {
        guard let files = try patchedSources(of: mutant, exercise: id) else { return nil }
        let folder = "\(configuration.mutantsScratchPath)/lab-mutants/\(id)/\(mutant.name)"
        let target = url(folder)
        try? FileManager.default.removeItem(at: target)
        for (path, data) in files {
            let destination = target.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: destination)
        }
        return folder
    }

    /// A patch mutant's sources, by path inside the exercise: the solution's files with the mutant's edits
    /// applied (in memory); `nil` for a mutant written as a folder.
    ///
    /// - Throws: ``SamplePatchError`` when `mutant.yaml` is malformed, an edit no longer fits the solution, or an
    ///   edit names a file outside `Exercises/<id>/`.
    func patchedSources(of mutant: Mutant, exercise id: String) throws -> [String: Data]? {
        if let problem = mutant.problem { throw problem }
        guard let patch = mutant.patch else { return nil }
        let prefix = "Exercises/\(id)/"
        let solution = lab.url("Solutions/\(id)")
        var files: [String: Data] = [:]
        for file in SourceScan.files(in: solution) {
            let relative = String(file.standardizedFileURL.path.dropFirst(solution.standardizedFileURL.path.count + 1))
            files[prefix + relative] = try Data(contentsOf: file)
        }
        for edit in patch.edits ?? [] {
            guard edit.file.hasPrefix(prefix) else {
                throw SamplePatchError(
                    file: edit.file, reason: "is not a file of \(id) (a mutant changes only its exercise)")
            }
            try edit.apply(to: &files, instructorRoot: lab.root)
        }
        return Dictionary(uniqueKeysWithValues: files.map { (String($0.key.dropFirst(prefix.count)), $0.value) })
    }

    private struct Run {
        var report: TestRunReport
        var exitCode: Int32
        var logPath: String
    }

    private func run(scratch: String, environment: [String: String], filter: String, log: String) throws -> Run {
        let invocation = Invocation(
            program: "swift",
            arguments: ["test", "--scratch-path", scratch, "--disable-swift-testing", "--filter", filter],
            environment: environment, directory: lab.root)
        let outcome = try runner.run(invocation) { _ in }
        let logPath = "\(configuration.logsFolder)/\(log)"
        try? Data((invocation.commandLine + "\n" + outcome.output).utf8).write(to: url(logPath))
        return Run(report: TestOutputParser.parse(outcome.output), exitCode: outcome.exitCode, logPath: logPath)
    }

    /// `path` inside the lab, or `path` itself when absolute.
    private func url(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : lab.url(path)
    }

    private func firstError(_ report: TestRunReport) -> String {
        if let error = report.compileErrors.first {
            let path = error.path.replacingOccurrences(of: lab.root.path + "/", with: "")
            return " — \(path):\(error.line):\(error.column): error: \(error.message)"
        }
        return report.buildErrors.first.map { " — error: \($0)" } ?? ""
    }
}
