import ArgumentParser
import Foundation
import GraderKit

/// `grade`: the certification grader (see grader/README.md).
@main
struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade MokoLab submissions against the 200-point certification rubric.",
        subcommands: [GradeSubmission.self, RubricCommand.self, SamplesCommand.self, MergeCommand.self],
        defaultSubcommand: GradeSubmission.self)
}

/// Writes a progress line to standard error.
@Sendable func progressLine(_ line: String) {
    FileHandle.standardError.write(Data("[grade] \(line)\n".utf8))
}

/// Exits with a clear message for errors that mean grading itself failed.
func failGrading(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("grade: \(error)\n".utf8))
    switch error {
    case let error as GradingError:
        if case .usage = error { return ExitCode(64) }
        return ExitCode(2)
    case is RubricError: return ExitCode(65)
    default: return ExitCode(2)
    }
}

/// `grade <submission>`: grades one submission (or, with --verify, reproduces a receipt).
struct GradeSubmission: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submission",
        abstract: "Grade one submission folder (a copy of the trainee kit); exits 0 whatever the score.",
        discussion: """
            Writes results.json, gradescope-results.json, junit.xml, report.html, receipt.json (and certificate.html
            and badge.svg for a pass) to --out. Exit status: 0 graded (whatever the score), 1 a receipt was not
            reproduced, 2 grading failed, 3 graded but incomplete (the grader failed on some exercise), 64 bad usage,
            65 inconsistent rubric.
            """)

    @OptionGroup var options: RootOptions

    @Argument(help: "The submission folder.")
    var submission: String?

    @Option(help: "Where the reports go (default: <root>/.build-grader/results/<submission name>).")
    var out: String?

    @Option(help: "Exercises (and capstone scenarios) run at the same time; default: the number of CPUs.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Confinement of submission code: bwrap, unshare or none (default: the strongest available).")
    var sandbox: Sandbox.Mode?

    @Option(help: "For a cohort folder: grade only shard i of n (1-based), e.g. --shard 2/4; merge with `grade merge`.")
    var shard: String?

    @Option(help: "Grade the receipt's submission again and check the same score comes out.")
    var verify: String?

    func run() throws {
        let root = try options.instructorRoot()
        do {
            let grader = Grader(
                instructorRoot: root, rubricURL: options.rubricURL(root: root),
                sandbox: try Sandbox.detect(requested: sandbox), jobs: jobs, progress: progressLine)
            if let verify {
                let receipt = try Receipt.load(from: URL(fileURLWithPath: verify))
                let output = outputFolder(
                    root: root, name: "verify-" + URL(fileURLWithPath: receipt.submission).lastPathComponent)
                let (differences, result) = try grader.verify(receipt, output: output)
                print(ScoreTable.render(result, label: receipt.submission))
                if differences.isEmpty {
                    print(
                        "verified: the receipt's score \(receipt.score) is reproduced (every check has the same status)"
                    )
                    return
                }
                print("NOT reproduced:\n" + differences.map { "  - \($0)" }.joined(separator: "\n"))
                throw ExitCode(1)
            }
            guard let submission else { throw ValidationError("name a submission folder (or --verify a receipt)") }
            let directory = URL(fileURLWithPath: submission).standardizedFileURL
            if !Cohort.isSubmission(directory) {
                try gradeCohort(directory, grader: grader, root: root)
                return
            }
            if shard != nil { throw ValidationError("--shard applies to a cohort folder") }
            let output = outputFolder(root: root, name: directory.lastPathComponent)
            let result = try grader.grade(
                Cohort.resolve(directory, grader: grader), output: output, label: directory.lastPathComponent)
            print(ScoreTable.render(result, label: submission))
            print("reports: \(output.path)")
            if result.incomplete { throw ExitCode(3) }
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            throw failGrading(error)
        }
    }

    /// Grades every submission folder of `directory` (or this shard's share) in the one warm workspace.
    func gradeCohort(_ directory: URL, grader: Grader, root: URL) throws {
        let all = Cohort.submissions(in: directory)
        guard !all.isEmpty else {
            throw GradingError.usage(
                "\(directory.path) is neither a submission (no Exercises folder) nor a cohort (no sub-folder has one)")
        }
        var chosen = all
        var name = directory.lastPathComponent
        if let shard {
            let (index, count) = try Cohort.parseShard(shard)
            chosen = Cohort.shard(all, index: index, count: count)
            name += "-shard-\(index)-of-\(count)"
        }
        let output = outputFolder(root: root, name: name)
        let started = Date()
        let rows = try Cohort.grade(chosen, with: grader, output: output)
        let seconds = Date().timeIntervalSince(started)
        for row in rows {
            print(
                "\(row.name): \(row.error ?? "\(row.score)/\(row.maxScore) (gradable \(row.gradablePoints)) \(row.passed ? "pass" : "fail")")"
            )
        }
        print(
            "cohort: \(rows.count) submission(s) in \(Int(seconds)) s (\(rows.isEmpty ? 0 : Int(seconds) / rows.count) s each); "
                + "summary: \(output.path)/summary.csv, summary.html")
        if rows.contains(where: { $0.error != nil || $0.incomplete }) { throw ExitCode(3) }
    }

    func outputFolder(root: URL, name: String) -> URL {
        out.map { URL(fileURLWithPath: $0).standardizedFileURL }
            ?? root.appendingPathComponent(".build-grader/results/\(name)")
    }
}

extension Sandbox.Mode: ExpressibleByArgument {}

/// Options every subcommand shares.
struct RootOptions: ParsableArguments {
    @Option(
        help: "The instructor's copy (the package root); default: the nearest folder above with grader/rubric.yaml.")
    var root: String?

    @Option(help: "The rubric file (default: <root>/grader/rubric.yaml).")
    var rubric: String?

    func instructorRoot() throws -> URL {
        if let root { return URL(fileURLWithPath: root).standardizedFileURL }
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("grader/rubric.yaml").path) {
                return directory
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path {
                throw ValidationError("no grader/rubric.yaml in this folder or above; pass --root")
            }
            directory = parent
        }
    }

    func rubricURL(root: URL) -> URL {
        rubric.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? root.appendingPathComponent("grader/rubric.yaml")
    }
}

/// `grade rubric`: validates the rubric against the checks in the tree and prints the allocation.
struct RubricCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rubric",
        abstract: "Validate the rubric against the tree's checks and print how points are allocated.")

    @OptionGroup var options: RootOptions

    @Flag(help: "Also refuse exercise folders without hidden or visible checks (CI).")
    var strict = false

    func run() throws {
        let root = try options.instructorRoot()
        do {
            let rubric = try Rubric.load(from: options.rubricURL(root: root))
            let allocation = try RubricValidator.validate(
                rubric, against: try CheckInventory.scan(root: root), strict: strict)
            print(RubricSummary.render(allocation))
        } catch let error as RubricError {
            FileHandle.standardError.write(Data("grade: \(error)\n".utf8))
            throw ExitCode(65)
        }
    }
}

/// `grade samples`: grades the reference, the skeleton and every mutant submission, and fails when a score
/// leaves its recorded band.
struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Grade the generated samples (reference, mutants, skeleton) and check each lands in its band.",
        discussion: "Exit status: 0 every sample in its band, 1 some sample out of its band, 2 grading failed.")

    @OptionGroup var options: RootOptions

    @Option(
        help:
            "Only samples whose name contains this text (e.g. Exercise1_3); the reference is always graded first (the others are compared with it)."
    )
    var only: String?

    @Option(help: "Exercises (and capstone scenarios) run at the same time; default: the number of CPUs.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Where the reports go (default: <root>/.build-grader/results/samples).")
    var out: String?

    func run() throws {
        let root = try options.instructorRoot()
        do {
            let grader = Grader(
                instructorRoot: root, rubricURL: options.rubricURL(root: root), sandbox: try Sandbox.detect(),
                jobs: jobs, progress: progressLine)
            let allocation = try grader.allocation()
            let samples = Samples(instructorRoot: root)
            let bands = try samples.bands()
            var points = Dictionary(
                uniqueKeysWithValues: allocation.gradableExercises.map { ($0.item.id, $0.item.points) })
            // A capstone mutant's default band: it may lose up to every gradable capstone point.
            points["Project"] = allocation.items.filter { $0.item.kind != .exercise && $0.isGradable }.map(
                \.item.points
            )
            .reduce(0, +)
            // The capstone's mutants (grader/mutants/Project/<name>) once some capstone item is graded.
            let capstone = allocation.items.contains { $0.item.kind != .exercise && $0.isGradable } ? ["Project"] : []
            let kinds = samples.all(exercises: allocation.gradableExercises.map(\.item.id) + capstone).filter {
                only == nil || $0 == .reference || $0.name.contains(only ?? "")
            }
            let output =
                out.map { URL(fileURLWithPath: $0) } ?? root.appendingPathComponent(".build-grader/results/samples")
            var outside = 0
            var lines: [String] = []
            var reference: GradeResult?
            let started = Date()
            for kind in kinds {
                let folder = try samples.materialize(kind)
                let sampleStart = Date()
                let result = try grader.grade(
                    folder, output: output.appendingPathComponent(kind.name.replacingOccurrences(of: "/", with: "--")),
                    label: kind.name, reuse: reference)
                var band = bands[kind.name]?.band
                var note = ""
                if band == nil, case .mutant(let exercise, _) = kind {
                    band = Samples.defaultMutantBand(points: points[exercise] ?? 0)
                    note = " (no recorded band: default)"
                }
                var mutated: String?
                if case .mutant(let exercise, _) = kind { mutated = exercise }
                var variant = false
                if case .variant = kind { variant = true }
                let baseline = variant ? reference : nil
                var inside = band?.contains(result, exercise: mutated, reference: baseline) ?? false
                let lost = Samples.Band.lost(result, exercise: mutated, reference: baseline)
                if let mutated, result.exercises.contains(where: { Samples.Band.belongs($0.id, to: mutated) }) {
                    // A mutant changes one exercise: every other must score what the reference scored.
                    if let reference {
                        let changed = result.exercises.filter { other in
                            !Samples.Band.belongs(other.id, to: mutated)
                                && reference.exercises.first(where: { $0.id == other.id })?.points != other.points
                        }
                        if !changed.isEmpty {
                            inside = false
                            note += "; other exercises changed: \(changed.map(\.id).joined(separator: ", "))"
                        }
                    }
                }
                // The check the mutant's header names must be among those that catch it (as `lab verify` asks).
                if let named = samples.namedCatcher(of: kind) {
                    let status = result.checks.first(where: { $0.name == named })?.status
                    if status == nil || status == .pass {
                        inside = false
                        note += "; \(named) (named in its header) \(status == nil ? "did not run" : "passed")"
                    }
                }
                if kind == .reference { reference = result }
                if !inside { outside += 1 }
                let line =
                    "\(inside ? "ok  " : "OUT ") \(kind.name): \(result.score)/\(result.gradablePoints) gradable "
                    + "(lost \(lost)\(mutated.map { " in \($0)" } ?? "")); band \(band?.description ?? "none recorded")\(note); "
                    + "\(Int(Date().timeIntervalSince(sampleStart))) s"
                progressLine(line)
                lines.append(line)
            }
            print(lines.joined(separator: "\n"))
            print(
                "samples: \(kinds.count) graded in \(Int(Date().timeIntervalSince(started))) s, \(outside) outside their band"
            )
            if outside > 0 { throw ExitCode(1) }
        } catch let error as ExitCode {
            throw error
        } catch {
            throw failGrading(error)
        }
    }
}

/// `grade merge`: one summary from the outputs of several shards.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge the summaries of cohort shards (grade COHORT --shard i/n) into one.")

    @Argument(help: "The shard output folders (each with a summary.json).")
    var folders: [String]

    @Option(help: "Where the merged summary goes.")
    var out: String

    func run() throws {
        do {
            let rows = try Cohort.merge(
                folders.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: out))
            print("merged \(rows.count) submission(s) from \(folders.count) shard(s): \(out)/summary.csv, summary.html")
        } catch {
            throw failGrading(error)
        }
    }
}
