import Foundation

/// What a grading run depended on, hashed, with the score it gave: `grade --verify receipt.json` grades again
/// and proves the same inputs give the same score.
public struct Receipt: Sendable, Equatable, Codable {
    /// `mokolab-receipt/1`.
    public var schema = "mokolab-receipt/1"
    /// The submission folder graded.
    public var submission: String
    /// Digest of the trainee-owned files (paths and contents).
    public var submissionSHA256: String
    /// Digest of the rubric file.
    public var rubricSHA256: String
    /// Digest of the hidden checks of the graded exercises.
    public var hiddenChecksSHA256: String
    /// Digest of the visible checks of the graded exercises.
    public var visibleChecksSHA256: String
    /// Digest of the grader's own sources (GraderKit and grade).
    public var graderSHA256: String
    /// `swift --version`.
    public var toolchain: String
    /// The seeds of the hidden checks' random data (`CheckRandomGenerator(seed:)` literals), per exercise.
    public var seeds: [String: [String]]
    /// The score.
    public var score: Points
    /// Points gradable at the time.
    public var gradablePoints: Points
    /// Whether it passed.
    public var passed: Bool
    /// Every check's status.
    public var checks: [String: CheckStatus]
    /// When it was graded.
    public var gradedAt: String

    enum CodingKeys: String, CodingKey {
        case schema, submission, toolchain, seeds, score, passed, checks
        case submissionSHA256 = "submission_sha256"
        case rubricSHA256 = "rubric_sha256"
        case hiddenChecksSHA256 = "hidden_checks_sha256"
        case visibleChecksSHA256 = "visible_checks_sha256"
        case graderSHA256 = "grader_sha256"
        case gradablePoints = "gradable_points"
        case gradedAt = "graded_at"
    }

    /// The receipt of `result`.
    static func make(
        for result: GradeResult, grader: Grader, allocation: Allocation, submissionDirectory: URL
    ) throws
        -> Receipt
    {
        let inputs = Inputs.measure(grader: grader, allocation: allocation)
        return Receipt(
            submission: submissionDirectory.path, submissionSHA256: result.submissionSHA256,
            rubricSHA256: inputs.rubric, hiddenChecksSHA256: inputs.hidden, visibleChecksSHA256: inputs.visible,
            graderSHA256: inputs.grader, toolchain: inputs.toolchain, seeds: inputs.seeds, score: result.score,
            gradablePoints: result.gradablePoints, passed: result.passed, checks: result.checkStatuses,
            gradedAt: result.gradedAt)
    }

    /// Reads a receipt.
    ///
    /// - Throws: ``GradingError/usage(_:)`` when the file is missing or not a receipt.
    public static func load(from url: URL) throws -> Receipt {
        guard let data = try? Data(contentsOf: url) else { throw GradingError.usage("cannot read \(url.path)") }
        do {
            return try JSONDecoder().decode(Receipt.self, from: data)
        } catch {
            throw GradingError.usage("\(url.path) is not a grading receipt: \(error)")
        }
    }

    /// Writes the receipt as JSON.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    /// The inputs of a grading run, hashed.
    struct Inputs: Equatable {
        var rubric: String
        var hidden: String
        var visible: String
        var grader: String
        var toolchain: String
        var seeds: [String: [String]]

        static func measure(grader: Grader, allocation: Allocation) -> Inputs {
            let root = grader.instructorRoot
            let ids = allocation.gradableExercises.map(\.item.id)
            let hiddenFiles = ids.flatMap { id in
                FileTree.files(under: root.appendingPathComponent("grader/hidden/\(id)")).map {
                    "grader/hidden/\(id)/\($0)"
                }
            }
            let visibleFiles = ids.flatMap { id in
                FileTree.files(under: root.appendingPathComponent("Tests/\(id)Tests")).map { "Tests/\(id)Tests/\($0)" }
            }
            let graderFiles = ["Sources/GraderKit", "Sources/grade"].flatMap { folder in
                FileTree.files(under: root.appendingPathComponent(folder)).map { "\(folder)/\($0)" }
            }
            var seeds: [String: [String]] = [:]
            for file in hiddenFiles {
                guard let text = try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8) else {
                    continue
                }
                let id = file.split(separator: "/")[2]
                seeds[String(id), default: []] += seedLiterals(in: text)
            }
            return Inputs(
                rubric: FileTree.sha256(of: grader.rubricURL) ?? "missing",
                hidden: FileTree.treeDigest(root: root, files: hiddenFiles),
                visible: FileTree.treeDigest(root: root, files: visibleFiles),
                grader: FileTree.treeDigest(root: root, files: graderFiles), toolchain: toolchainVersion(),
                seeds: seeds)
        }

        /// The `seed: <literal>` arguments in a source file.
        static func seedLiterals(in text: String) -> [String] {
            var seeds: [String] = []
            var rest = Substring(text)
            while let range = rest.range(of: "seed: ") {
                let literal = rest[range.upperBound...].prefix {
                    $0.isNumber || $0 == "_" || $0 == "x" || $0.isHexDigit
                }
                if !literal.isEmpty { seeds.append(String(literal)) }
                rest = rest[range.upperBound...]
            }
            return seeds
        }

        static func toolchainVersion() -> String {
            guard let swift = ProcessRunner.which("swift") else { return "no swift on PATH" }
            let log = FileManager.default.temporaryDirectory.appendingPathComponent(
                "grade-swift-version-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: log) }
            let outcome = try? ProcessRunner.run(
                [swift, "--version"], directory: FileManager.default.temporaryDirectory,
                environment: ProcessInfo.processInfo.environment, wallSeconds: 60, outputBytes: 10_000, logFile: log)
            return outcome?.output.split(separator: "\n").first { $0.contains("Swift version") }.map(String.init)
                ?? "unknown"
        }
    }

    /// Compares what this receipt recorded with the inputs now and with a new result.
    ///
    /// - Returns: one line per difference (empty when the grading is reproduced).
    func differences(inputs: Inputs, submissionDigest: String, result: GradeResult?) -> [String] {
        var lines: [String] = []
        if submissionDigest != submissionSHA256 { lines.append("the submission's files changed") }
        if inputs.rubric != rubricSHA256 { lines.append("the rubric changed") }
        if inputs.hidden != hiddenChecksSHA256 { lines.append("the hidden checks changed") }
        if inputs.visible != visibleChecksSHA256 { lines.append("the visible checks changed") }
        if inputs.grader != graderSHA256 { lines.append("the grader's sources changed") }
        if inputs.toolchain != toolchain { lines.append("the toolchain differs: \(inputs.toolchain) vs \(toolchain)") }
        if inputs.seeds != seeds { lines.append("the hidden checks' seeds changed") }
        guard let result else { return lines }
        if result.score != score { lines.append("the score differs: \(result.score) now, \(score) on the receipt") }
        for (name, status) in checks.sorted(by: { $0.key < $1.key }) where result.checkStatuses[name] != status {
            lines.append(
                "\(name): \(result.checkStatuses[name]?.rawValue ?? "missing") now, \(status.rawValue) on the receipt")
        }
        for name in result.checkStatuses.keys.sorted() where checks[name] == nil {
            lines.append("\(name): a check the receipt does not have")
        }
        return lines
    }
}

extension Grader {
    /// Grades the receipt's submission again and compares.
    ///
    /// - Parameters:
    ///   - receipt: the receipt.
    ///   - output: where the new reports go.
    /// - Returns: the differences (empty: reproduced) and the new result.
    /// - Throws: ``GradingError`` when grading fails.
    public func verify(_ receipt: Receipt, output: URL) throws -> (differences: [String], result: GradeResult) {
        let allocation = try allocation()
        let inputs = Receipt.Inputs.measure(grader: self, allocation: allocation)
        let directory = URL(fileURLWithPath: receipt.submission)
        let result = try grade(directory, output: output)
        return (receipt.differences(inputs: inputs, submissionDigest: result.submissionSHA256, result: result), result)
    }
}
