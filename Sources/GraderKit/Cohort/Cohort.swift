import Foundation

/// One line of a cohort summary.
public struct CohortRow: Sendable, Equatable, Codable {
    /// The submission's folder name.
    public var name: String
    /// Score, gradable points, rubric total.
    public var score: Points
    /// Points gradable when it was graded.
    public var gradablePoints: Points
    /// The rubric total.
    public var maxScore: Points
    /// Whether it passed.
    public var passed: Bool
    /// Whether points were pending.
    public var provisional: Bool
    /// Whether the grader failed on part of it.
    public var incomplete: Bool
    /// Points per criterion id.
    public var criteria: [String: Points]
    /// Files it edited that it does not own.
    public var ignoredEdits: Int
    /// Seconds it took.
    public var seconds: Double
    /// Why grading failed, when it did.
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case name, score, passed, provisional, incomplete, criteria, seconds, error
        case gradablePoints = "gradable_points"
        case maxScore = "max_score"
        case ignoredEdits = "ignored_edits"
    }
}

/// A cohort: a folder of submission folders, graded one after another in the one warm workspace.
public enum Cohort {
    /// The submission folders of `directory` (sub-folders with an `Exercises` folder or a `sample.yaml`), sorted.
    public static func submissions(in directory: URL) -> [URL] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        return names.map { directory.appendingPathComponent($0) }.filter {
            FileTree.isDirectory($0.appendingPathComponent("Exercises")) || Samples.kind(ofSampleFolder: $0) != nil
        }
    }

    /// `true` when `directory` looks like one submission rather than a cohort.
    public static func isSubmission(_ directory: URL) -> Bool {
        FileTree.isDirectory(directory.appendingPathComponent("Exercises"))
            || Samples.kind(ofSampleFolder: directory) != nil
    }

    /// Parses `i/n` (1-based shard `i` of `n`).
    ///
    /// - Throws: ``GradingError/usage(_:)`` for anything else.
    public static func parseShard(_ text: String) throws -> (index: Int, count: Int) {
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else {
            throw GradingError.usage("--shard wants i/n with 1 ≤ i ≤ n, e.g. 2/4 (got '\(text)')")
        }
        return (parts[0], parts[1])
    }

    /// The submissions of shard `index` of `count`: every `count`-th, starting at `index - 1`.
    public static func shard<T>(_ items: [T], index: Int, count: Int) -> [T] {
        items.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }

    /// Grades `submissions` one after another, writing each one's reports to `output/<name>` and the summary.
    ///
    /// - Returns: the summary rows.
    public static func grade(_ submissions: [URL], with grader: Grader, output: URL) throws -> [CohortRow] {
        var rows: [CohortRow] = []
        for (index, submission) in submissions.enumerated() {
            let name = submission.lastPathComponent
            grader.progress("cohort: [\(index + 1)/\(submissions.count)] \(name)")
            let started = Date()
            do {
                let result = try grader.grade(
                    resolve(submission, grader: grader), output: output.appendingPathComponent(name), label: name)
                rows.append(row(name: name, result: result, seconds: Date().timeIntervalSince(started)))
            } catch let error as GradingError {
                if case .infrastructure = error {
                    rows.append(failedRow(name: name, error: "\(error)", seconds: Date().timeIntervalSince(started)))
                } else {
                    throw error
                }
            }
        }
        try writeSummary(rows, to: output)
        return rows
    }

    /// The folder to grade for `submission`: itself, or the generated sample a `sample.yaml` asks for.
    public static func resolve(_ submission: URL, grader: Grader) throws -> URL {
        guard let kind = Samples.kind(ofSampleFolder: submission) else { return submission }
        return try Samples(instructorRoot: grader.instructorRoot).materialize(kind)
    }

    static func row(name: String, result: GradeResult, seconds: Double) -> CohortRow {
        CohortRow(
            name: name, score: result.score, gradablePoints: result.gradablePoints, maxScore: result.maxScore,
            passed: result.passed, provisional: result.provisional, incomplete: result.incomplete,
            criteria: Dictionary(uniqueKeysWithValues: result.criteria.map { ($0.id, $0.points) }),
            ignoredEdits: result.ignoredEdits.count, seconds: seconds.rounded(toPlaces: 1), error: nil)
    }

    static func failedRow(name: String, error: String, seconds: Double) -> CohortRow {
        CohortRow(
            name: name, score: .zero, gradablePoints: .zero, maxScore: .zero, passed: false, provisional: false,
            incomplete: true, criteria: [:], ignoredEdits: 0, seconds: seconds.rounded(toPlaces: 1), error: error)
    }

    /// Writes summary.json, summary.csv and summary.html.
    public static func writeSummary(_ rows: [CohortRow], to output: URL) throws {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(rows).write(to: output.appendingPathComponent("summary.json"), options: .atomic)
        try Data(csv(rows).utf8).write(to: output.appendingPathComponent("summary.csv"), options: .atomic)
        try Data(html(rows).utf8).write(to: output.appendingPathComponent("summary.html"), options: .atomic)
    }

    /// Merges the summary.json of shard outputs into one summary (rows sorted by name; a name seen twice is an
    /// error).
    public static func merge(_ folders: [URL], into output: URL) throws -> [CohortRow] {
        var rows: [CohortRow] = []
        for folder in folders {
            let url = folder.appendingPathComponent("summary.json")
            guard let data = try? Data(contentsOf: url) else { throw GradingError.usage("no \(url.path)") }
            do {
                rows += try JSONDecoder().decode([CohortRow].self, from: data)
            } catch {
                throw GradingError.usage("\(url.path) is not a cohort summary: \(error)")
            }
        }
        let names = rows.map(\.name)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw GradingError.usage("submission '\(duplicate)' appears in more than one shard")
        }
        rows.sort { $0.name < $1.name }
        try writeSummary(rows, to: output)
        return rows
    }

    static func criterionIDs(_ rows: [CohortRow]) -> [String] {
        Array(Set(rows.flatMap(\.criteria.keys))).sorted()
    }

    static func csv(_ rows: [CohortRow]) -> String {
        let criteria = criterionIDs(rows)
        func field(_ text: String) -> String {
            text.contains(where: { ",\"\n".contains($0) })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var lines = [
            (["name", "score", "gradable_points", "max_score", "passed", "provisional", "incomplete"] + criteria + [
                "ignored_edits", "seconds", "error",
            ]).joined(separator: ",")
        ]
        for row in rows {
            var fields = [
                field(row.name), "\(row.score)", "\(row.gradablePoints)", "\(row.maxScore)", "\(row.passed)",
                "\(row.provisional)", "\(row.incomplete)",
            ]
            fields += criteria.map { row.criteria[$0].map(\.description) ?? "" }
            fields += ["\(row.ignoredEdits)", "\(row.seconds)", field(row.error ?? "")]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func html(_ rows: [CohortRow]) -> String {
        let escape = Reports.escape
        let criteria = criterionIDs(rows)
        var html =
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>MokoLab cohort</title><style>\(HTMLReport.style)</style></head><body>"
        html +=
            "<h1>Cohort: \(rows.count) submissions, \(rows.filter(\.passed).count) pass</h1><table><tr><th>Submission</th><th>Score</th><th>Gradable</th><th>Result</th>"
        html += criteria.map { "<th>\(escape($0))</th>" }.joined() + "<th>Ignored edits</th><th>Seconds</th></tr>"
        for row in rows {
            let verdict =
                row.error != nil
                ? "<span class=error>grading failed</span>"
                : row.passed ? "<span class=pass>pass</span>" : "<span class=fail>fail</span>"
            html +=
                "<tr><td><a href=\"\(escape(row.name))/report.html\">\(escape(row.name))</a></td><td>\(row.score)</td><td>\(row.gradablePoints)</td><td>\(verdict)\(row.provisional ? " (provisional)" : "")</td>"
            html += criteria.map { "<td>\(row.criteria[$0].map(\.description) ?? "")</td>" }.joined()
            html += "<td>\(row.ignoredEdits)</td><td>\(row.seconds)</td></tr>"
        }
        html += "</table></body></html>\n"
        return html
    }
}
