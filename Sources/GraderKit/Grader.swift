import Foundation
import Synchronization

/// Grades submissions: validates the rubric, lays the submission over a pristine workspace, builds once,
/// runs each exercise's checks in its own confined process, scores, and writes the reports.
public struct Grader: Sendable {
    /// The instructor's copy.
    public var instructorRoot: URL
    /// The rubric file.
    public var rubricURL: URL
    /// The workspace the grader builds in.
    public var workspace: Workspace
    /// How submission code is confined.
    public var sandbox: Sandbox
    /// How many exercises run at the same time.
    public var jobs: Int
    /// Called with a line of progress.
    public var progress: @Sendable (String) -> Void

    /// Creates a grader.
    ///
    /// - Parameters:
    ///   - instructorRoot: the instructor's copy (package root).
    ///   - rubricURL: the rubric; default `<root>/grader/rubric.yaml`.
    ///   - workspace: default `<root>/.build-grader/workspace`.
    ///   - sandbox: how to confine submission code.
    ///   - jobs: exercises run at the same time.
    ///   - progress: receives progress lines.
    public init(
        instructorRoot: URL, rubricURL: URL? = nil, workspace: Workspace? = nil, sandbox: Sandbox, jobs: Int = 1,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.instructorRoot = instructorRoot
        self.rubricURL = rubricURL ?? instructorRoot.appendingPathComponent("grader/rubric.yaml")
        self.workspace = workspace ?? Workspace(instructorRoot: instructorRoot)
        self.sandbox = sandbox
        self.jobs = max(1, jobs)
        self.progress = progress
    }

    /// Validates the rubric against the instructor's tree.
    ///
    /// - Throws: ``RubricError`` for an inconsistent rubric.
    public func allocation() throws -> Allocation {
        try RubricValidator.validate(Rubric.load(from: rubricURL), against: CheckInventory.scan(root: instructorRoot))
    }

    /// Grades one submission and writes its reports to `output`.
    ///
    /// - Parameters:
    ///   - directory: the submission folder.
    ///   - output: where results.json and the other reports go.
    ///   - label: the submission's name in reports (default: the folder's name).
    /// - Returns: the result.
    /// - Throws: ``RubricError`` or ``GradingError`` when grading itself fails.
    ///   - reuse: an earlier result in this workspace (the reference, for mutant samples): an exercise whose files
    ///     are identical to that run's is not run again; its check results are taken over (and a note says so).
    public func grade(
        _ directory: URL, output: URL, label: String? = nil, reuse: GradeResult? = nil
    ) throws
        -> GradeResult
    {
        let started = Date()
        let allocation = try allocation()
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let logs = output.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let inventoryIDs = try CheckInventory.scan(root: instructorRoot).curriculum
        let submission = try Submission.read(
            directory: directory, instructorRoot: instructorRoot, exerciseIDs: inventoryIDs)
        let gradable = allocation.gradableExercises
        let ids = gradable.map(\.item.id)
        progress(
            "grading \(directory.path): \(ids.count) exercise(s), \(allocation.gradablePoints) of \(allocation.rubric.total) points gradable"
        )
        for edit in submission.ignoredEdits {
            progress("ignored: \(edit.path) (\(edit.change.rawValue); the trainee does not own it)")
        }
        // One grading at a time per workspace: a second `grade` waits here.
        let lock = try workspace.lock()
        defer { lock.unlock() }
        let sources = try workspace.prepare(submission: submission, exercises: ids)

        let buildStart = Date()
        // The capstone's scenarios need `moko-project` and the instructor's `mock-github` in the same build.
        let scenarios = allocation.items.filter { $0.item.kind == .scenario && $0.isGradable }
        // The static items need `Project` built (its files compiled again when their warnings are not on record),
        // and `coverage` needs its module instrumented (`LAB_COVERAGE=1`, see Package.swift).
        let statics = allocation.items.filter { $0.item.kind == .static && $0.isGradable }
        if !statics.isEmpty {
            StaticCheckRunner(
                instructorRoot: instructorRoot, workspace: workspace, sandbox: sandbox,
                limits: allocation.rubric.limits,
                hide: [], logDirectory: logs
            ).prepareBuild()
        }
        var builder = Builder(workspace: workspace, logDirectory: logs, progress: progress)
        builder.coverage = statics.contains { $0.item.id == StaticCheck.coverage.itemID }
        let build = try builder.build(
            ids + (scenarios.isEmpty && statics.isEmpty ? [] : ["Project"]),
            tools: scenarios.isEmpty ? [] : ["mock-github", "MockGitHubServer"])
        let buildSeconds = Date().timeIntervalSince(buildStart)
        progress(
            "build: done in \(Int(buildSeconds)) s\(build.broken.isEmpty ? "" : "; does not compile: \(build.broken.keys.sorted().joined(separator: ", "))")"
        )

        let runner = ExerciseRunner(
            workspace: workspace, sandbox: sandbox, limits: allocation.rubric.limits,
            hide: [instructorRoot, workspace.directory, output, directory.deletingLastPathComponent()],
            logDirectory: logs)
        let checksStart = Date()
        var digests: [String: String] = [:]
        for id in ids {
            let folder = workspace.directory.appendingPathComponent("Exercises/\(id)")
            digests[id] = FileTree.treeDigest(root: folder, files: FileTree.files(under: folder))
        }
        var reused: [String: [CheckResult]] = [:]
        for exercise in reuse?.exercises ?? []
        where exercise.status == .graded && exercise.sha256 != nil && exercise.sha256 == digests[exercise.id] {
            reused[exercise.id] = reuse?.checks.filter { $0.exercise == exercise.id }
        }
        let toRun = gradable.filter { build.built.contains($0.item.id) && reused[$0.item.id] == nil }
        let collected = Mutex<[String: [CheckResult]]>([:])
        let progress = self.progress
        let total = toRun.count
        let done = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(1, total))) { worker in
            var index = worker
            while index < total {
                let entry = toRun[index]
                let results = runner.run(entry)
                collected.withLock { $0[entry.item.id] = results }
                let finished = done.add(1, ordering: .relaxed).newValue
                let earned = results.map(\.points).sum()
                let passed = results.filter { $0.status == .pass }.count
                progress(
                    "[\(finished)/\(total)] \(entry.item.id): \(passed)/\(results.count) checks pass, \(earned)/\(entry.item.points) points"
                )
                index += jobs
            }
        }
        let checksSeconds = Date().timeIntervalSince(checksStart)

        let capstoneStart = Date()
        var capstone = gradeCapstone(
            scenarios, build: build, reuse: reuse, runner: runner,
            projectSource: submission.project == nil ? "skeleton" : "submission")
        gradeStatic(
            statics, build: build, capstone: &capstone, reuse: reuse, runner: runner,
            projectSource: submission.project == nil ? "skeleton" : "submission")
        let capstoneSeconds = Date().timeIntervalSince(capstoneStart)

        var exercises: [GradeResult.ExerciseScore] = []
        var checks: [CheckResult] = []
        let runResults = collected.withLock { $0 }.merging(reused) { run, _ in run }
        for entry in gradable {
            let id = entry.item.id
            let source = sources[id]?.rawValue ?? "skeleton"
            if let message = build.broken[id] {
                let failed = entry.checks.map {
                    CheckResult(
                        name: $0.check.description, exercise: id, hidden: $0.hidden, criterion: $0.criterion,
                        status: .error, points: .zero, maxPoints: $0.points,
                        message: "the exercise does not compile", infrastructure: false, seconds: 0)
                }
                checks += failed
                exercises.append(
                    .init(
                        id: id, criterion: entry.item.criterion, status: .compileError, points: .zero,
                        maxPoints: Points(entry.item.points), source: source,
                        message: ExerciseRunner.cap(message, 2_000), sha256: digests[id]))
                continue
            }
            let results = runResults[id] ?? []
            checks += results
            let infrastructure = results.contains(where: \.infrastructure)
            exercises.append(
                .init(
                    id: id, criterion: entry.item.criterion, status: infrastructure ? .infrastructureError : .graded,
                    points: infrastructure ? .zero : results.map(\.points).sum(), maxPoints: Points(entry.item.points),
                    source: source, message: infrastructure ? results.first(where: \.infrastructure)?.message : nil,
                    sha256: digests[id]))
        }
        exercises += capstone.exercises
        checks += capstone.checks
        var notes: [String] = []
        for (id, source) in sources.sorted(by: { $0.key < $1.key }) where source == .skeleton {
            notes.append("the submission has no Exercises/\(id) folder: the skeleton was graded")
        }
        for file in submission.skippedFiles {
            notes.append("not taken: \(file) (a symbolic link or a file over \(Submission.maximumFileBytes) bytes)")
        }
        if let project = submission.project {
            notes.append(
                "Exercises/Project: \(project.count) file(s) received; "
                    + (scenarios.isEmpty
                        ? "the capstone is not graded yet (its items are pending)"
                        : "graded: \(scenarios.count) scenario(s) and \(statics.count) static check(s)"
                            + (allocation.items.contains { $0.item.kind != .exercise && !$0.isGradable }
                                ? "; its other items are pending" : ""))
            )
        } else if !scenarios.isEmpty {
            notes.append("the submission has no Exercises/Project folder: the capstone's skeleton was graded")
        }
        if capstone.reused {
            notes.append("capstone scenarios not run again (Exercises/Project identical to the earlier run's)")
        }
        if sandbox.mode != .bwrap { notes.append("sandbox: \(sandbox.summary)") }
        if !reused.isEmpty {
            notes.append(
                "not run again (files identical to the earlier run's, results taken over): "
                    + reused.keys.sorted().joined(separator: ", "))
        }
        let result = GradeResult.score(
            allocation: allocation, submission: submission, exercises: exercises, checks: checks, notes: notes,
            sandbox: sandbox.summary,
            timings: [
                "build": buildSeconds.rounded(toPlaces: 1), "checks": checksSeconds.rounded(toPlaces: 1),
                "capstone": capstoneSeconds.rounded(toPlaces: 1),
                "total": Date().timeIntervalSince(started).rounded(toPlaces: 1),
            ])
        try Reports.write(result, allocation: allocation, label: label ?? directory.lastPathComponent, to: output)
        let receipt = try Receipt.make(
            for: result, grader: self, allocation: allocation, submissionDirectory: directory)
        try receipt.write(to: output.appendingPathComponent("receipt.json"))
        return result
    }
}

extension Grader {
    struct CapstoneOutcome {
        var exercises: [GradeResult.ExerciseScore] = []
        var checks: [CheckResult] = []
        var reused = false
    }

    /// Runs the gradable capstone scenarios one after another (each against its own fresh mock), or takes an
    /// earlier run's results over when `Exercises/Project` is identical.
    func gradeCapstone(
        _ scenarios: [ItemAllocation], build: BuildResult, reuse: GradeResult?, runner: ExerciseRunner,
        projectSource: String
    ) -> CapstoneOutcome {
        var outcome = CapstoneOutcome()
        guard !scenarios.isEmpty else { return outcome }
        let folder = workspace.directory.appendingPathComponent("Exercises/Project")
        let digest = FileTree.treeDigest(root: folder, files: FileTree.files(under: folder))
        let capstoneRunner = CapstoneRunner(
            workspace: workspace, sandbox: sandbox, limits: runner.limits, hide: runner.hide,
            logDirectory: runner.logDirectory, wallSeconds: Double(runner.limits.exerciseWallSeconds))
        // Scenarios that need a run go to `jobs` workers at once (each has its own mock, port and work folder;
        // most of a scenario's wall time is waiting for the mock's mutation spacing or a quota reset); the
        // results are recorded in the rubric's order whatever order they finish in.
        var toRun: [(index: Int, scenario: CapstoneScenario)] = []
        var reused: [Int: CheckResult] = [:]
        for (index, entry) in scenarios.enumerated() where build.broken["Project"] == nil {
            let id = entry.item.id
            if let earlier = reuse?.exercises.first(where: { $0.id == id }), earlier.status == .graded,
                earlier.sha256 == digest, let check = reuse?.checks.first(where: { $0.exercise == id })
            {
                reused[index] = check
            } else if let scenario = CapstoneScenario(itemID: id) {
                toRun.append((index, scenario))
            }
        }
        let queue = toRun
        let ran = Mutex<[Int: CheckResult]>([:])
        let progress = self.progress
        let workers = min(max(1, jobs), max(1, queue.count))
        DispatchQueue.concurrentPerform(iterations: queue.isEmpty ? 0 : workers) { worker in
            var next = worker
            while next < queue.count {
                let (index, scenario) = queue[next]
                let entry = scenarios[index]
                progress(
                    "capstone [\(index + 1)/\(scenarios.count)] \(entry.item.id): running against a fresh mock-github")
                let check = capstoneRunner.run(scenario, allocation: entry)
                progress(
                    "capstone [\(index + 1)/\(scenarios.count)] \(entry.item.id): \(check.status.rawValue), \(check.points)/\(Points(entry.item.points)) points (\(Int(check.seconds)) s)"
                )
                ran.withLock { $0[index] = check }
                next += workers
            }
        }
        let results = ran.withLock { $0 }
        for (index, entry) in scenarios.enumerated() {
            let id = entry.item.id
            let maxPoints = Points(entry.item.points)
            func record(_ check: CheckResult, status: GradeResult.ExerciseScore.Status, message: String? = nil) {
                outcome.checks.append(check)
                outcome.exercises.append(
                    .init(
                        id: id, criterion: entry.item.criterion, status: status,
                        points: status == .graded ? check.points : .zero, maxPoints: maxPoints, source: projectSource,
                        message: message, sha256: digest))
            }
            if let message = build.broken["Project"] {
                let check = CheckResult(
                    name: id, exercise: id, hidden: true, criterion: entry.item.criterion, status: .error,
                    points: .zero, maxPoints: maxPoints, message: "the capstone does not compile",
                    infrastructure: false,
                    seconds: 0)
                record(check, status: .compileError, message: ExerciseRunner.cap(message, 2_000))
                continue
            }
            if let check = results[index] {
                record(
                    check, status: check.infrastructure ? .infrastructureError : .graded,
                    message: check.infrastructure ? check.message : nil)
                continue
            }
            if let check = reused[index] {
                outcome.reused = true
                record(check, status: .graded)
            }
        }
        return outcome
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
