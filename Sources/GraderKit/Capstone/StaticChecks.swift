import Foundation

/// The capstone's static items (`Project.static.<name>` in the rubric): evidence read from the build log, the
/// sources, the README, `moko-project --help` and the trainee's own tests instead of a scenario against the mock.
public enum StaticCheck: String, CaseIterable, Sendable {
    /// No compiler warning in a file of `Exercises/Project`.
    case noWarnings = "no-warnings"
    /// `swift format lint --strict` with the instructor's `.swift-format` is clean on `Exercises/Project`.
    case formatLint = "format-lint"
    /// No force unwrap, `as!`, `try!`, implicitly unwrapped optional, `fatalError` or `preconditionFailure` in
    /// `Exercises/Project/Sources`.
    case noCrashOperators = "no-crash-operators"
    /// `moko-project --help` exits 0 and lists every flag of the contract.
    case helpContract = "help-contract"
    /// Doc comments on the declarations of `Exercises/Project/Sources` (from the module's symbol graph).
    case docComments = "doc-comments"
    /// The README sections the contract asks for, written by the trainee.
    case readmeSections = "readme-sections"
    /// The trainee's own tests run and pass, and there are enough of them.
    case ownTests = "own-tests"
    /// Line coverage of `Exercises/Project/Sources` by the trainee's own tests.
    case coverage

    /// The check of a rubric item id (`Project.static.no-warnings`), or `nil`.
    public init?(itemID: String) {
        guard itemID.hasPrefix(Self.prefix) else { return nil }
        self.init(rawValue: String(itemID.dropFirst(Self.prefix.count)))
    }

    /// The rubric item id.
    public var itemID: String { Self.prefix + rawValue }

    private static let prefix = "Project.static."
}

/// What a static check found: the share of its points earned and a message safe to show a trainee.
public struct StaticVerdict: Sendable, Equatable {
    /// The share of the item's points earned, 0...1.
    public var fraction: Double
    /// What held or not.
    public var message: String
    /// `true` when the grader, not the submission, failed (not counted either way).
    public var infrastructure: Bool

    /// Creates a verdict (the fraction is clamped to 0...1).
    public init(fraction: Double, message: String, infrastructure: Bool = false) {
        self.fraction = min(1, max(0, fraction.isFinite ? fraction : 0))
        self.message = message
        self.infrastructure = infrastructure
    }

    /// Full points.
    public static func pass(_ message: String) -> StaticVerdict { StaticVerdict(fraction: 1, message: message) }
    /// No points.
    public static func fail(_ message: String) -> StaticVerdict { StaticVerdict(fraction: 0, message: message) }
    /// The grader failed.
    public static func infrastructure(_ message: String) -> StaticVerdict {
        StaticVerdict(fraction: 0, message: message, infrastructure: true)
    }

    /// The points earned out of `maximum` (rounded down to the hundredth).
    public func points(of maximum: Points) -> Points {
        Points(hundredths: Int((Double(maximum.hundredths) * fraction).rounded(.down)))
    }
}

/// The rules behind the static checks, as pure functions of their evidence (unit-tested on made-up input).
public enum StaticRules {
    /// The flags `--help` must list (the contract's).
    public static let contractFlags = [
        "--org", "--config", "--env", "--dry-run", "--concurrency", "--state-dir", "--report", "--format", "--verbose",
        "--json",
    ]
    /// The least number of own tests that must run and pass.
    public static let minimumOwnTests = 5
    /// Doc-comment coverage that earns full points (below it, points are proportional).
    public static let fullDocCoverage = 0.8
    /// Line coverage that earns full points (below it, points are proportional).
    public static let fullLineCoverage = 0.6
    /// The swift-format rules that find crash operators (the rest of the grader's configuration is switched off).
    public static let crashRules = ["NeverForceUnwrap", "NeverUseForceTry", "NeverUseImplicitlyUnwrappedOptionals"]

    // MARK: - Warnings

    /// The compiler warnings of a build log that are in a file under `folder` (e.g. `Exercises/Project/`), as
    /// `<path relative to the folder's parent>:<line>: <message>`, each once, in order.
    public static func compilerWarnings(inBuildLog log: String, folder: String) -> [String] {
        var found: [String] = []
        let marker = folder.hasSuffix("/") ? folder : folder + "/"
        for rawLine in log.split(separator: "\n") {
            let line = String(rawLine)
            guard let warning = line.range(of: ": warning: "), let start = line.range(of: marker) else { continue }
            guard start.lowerBound < warning.lowerBound else { continue }
            let location = line[start.lowerBound..<warning.lowerBound].split(separator: ":")
            guard let file = location.first else { continue }
            let lineNumber = location.count > 1 ? ":\(location[1])" : ""
            let entry = "\(file)\(lineNumber): \(line[warning.upperBound...])"
            if !found.contains(entry) { found.append(entry) }
        }
        return found
    }

    /// `true` when the build log shows `module`'s sources being compiled (`Compiling <module> <file>`).
    public static func compiled(module: String, inBuildLog log: String) -> Bool {
        log.contains("Compiling \(module) ") || log.contains("Compiling \(module)\n")
    }

    // MARK: - Crash operators

    /// The source with comments and the text of string literals blanked out (newlines kept, so line numbers stay
    /// right; interpolations stay code).
    public static func codeOnly(_ source: String) -> String {
        enum Context {
            case code(parens: Int)
            case string(hashes: Int, multiline: Bool)
        }
        let scalars = Array(source.unicodeScalars)
        var output = String.UnicodeScalarView()
        var stack: [Context] = [.code(parens: 0)]
        var index = 0
        func at(_ offset: Int) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }
        func blank(_ count: Int) {
            for offset in 0..<count where index + offset < scalars.count {
                output.append(scalars[index + offset] == "\n" ? "\n" : " ")
            }
            index += count
        }
        func keep(_ count: Int) {
            for offset in 0..<count where index + offset < scalars.count { output.append(scalars[index + offset]) }
            index += count
        }
        func hashes(from offset: Int) -> Int {
            var count = 0
            while at(offset + count) == "#" { count += 1 }
            return count
        }
        while index < scalars.count {
            guard let context = stack.last else { break }
            let scalar = scalars[index]
            switch context {
            case .code(let parens):
                if scalar == "/" && at(1) == "/" {
                    var length = 0
                    while let next = at(length), next != "\n" { length += 1 }
                    blank(length)
                } else if scalar == "/" && at(1) == "*" {
                    var depth = 0
                    var length = 0
                    repeat {
                        if at(length) == "/" && at(length + 1) == "*" {
                            depth += 1
                            length += 2
                        } else if at(length) == "*" && at(length + 1) == "/" {
                            depth -= 1
                            length += 2
                        } else {
                            length += 1
                        }
                    } while depth > 0 && index + length < scalars.count
                    blank(length)
                } else if scalar == "\"" || (scalar == "#" && at(hashes(from: 0)) == "\"") {
                    let count = hashes(from: 0)
                    let multiline = at(count) == "\"" && at(count + 1) == "\"" && at(count + 2) == "\""
                    keep(count + (multiline ? 3 : 1))
                    stack.append(.string(hashes: count, multiline: multiline))
                } else if scalar == "(" {
                    stack[stack.count - 1] = .code(parens: parens + 1)
                    keep(1)
                } else if scalar == ")" {
                    if parens == 0 && stack.count > 1 {
                        stack.removeLast()  // the end of an interpolation: back in its string
                    } else {
                        stack[stack.count - 1] = .code(parens: max(0, parens - 1))
                    }
                    keep(1)
                } else {
                    keep(1)
                }
            case .string(let count, let multiline):
                if scalar == "\\" && hashes(from: 1) >= count {
                    if at(1 + count) == "(" {
                        blank(1 + count)
                        keep(1)
                        stack.append(.code(parens: 0))
                    } else {
                        blank(2 + count)
                    }
                } else if scalar == "\"" {
                    let quotes = multiline ? 3 : 1
                    let closes = (0..<quotes).allSatisfy { at($0) == "\"" } && hashes(from: quotes) >= count
                    if closes {
                        keep(quotes + count)
                        stack.removeLast()
                    } else {
                        blank(1)
                    }
                } else {
                    blank(1)
                }
            }
        }
        return String(output)
    }

    /// The 1-based lines of `source` that call `fatalError` or `preconditionFailure` (comments and string text
    /// ignored).
    public static func trapCalls(in source: String) -> [Int] {
        var lines: [Int] = []
        for (number, line) in codeOnly(source).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.contains(#/(?:^|[^A-Za-z0-9_.])(?:Swift\.)?(fatalError|preconditionFailure)(?![A-Za-z0-9_])/#) {
            lines.append(number + 1)
        }
        return lines
    }

    /// The findings of the crash rules in swift-format's lint output (`file:line:column: warning: [Rule] text`).
    public static func crashRuleFindings(inLintOutput output: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { line in
            crashRules.contains { line.contains("[\($0)]") }
        }
    }

    /// Findings of `swift format lint` (one per diagnostic line).
    public static func lintFindings(inLintOutput output: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { $0.contains(": warning: ") || $0.contains(": error: ") }
    }

    // MARK: - Hard-coded tokens

    /// The 1-based lines of `source` holding a GitHub token literal (`ghp_…`, `gho_…`, `ghu_…`, `ghs_…`, `ghr_…`
    /// with 36 characters, or `github_pat_…`): a token in source is a leaked token.
    public static func tokenLiterals(in source: String) -> [Int] {
        var lines: [Int] = []
        for (number, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.contains(#/gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}/#) {
            lines.append(number + 1)
        }
        return lines
    }

    // MARK: - --help

    /// The contract's flags that `help` does not mention (a flag is a whole word: `--org` is not in `--orgs`).
    public static func missingFlags(inHelp help: String) -> [String] {
        contractFlags.filter { flag in
            var searchRange = help.startIndex..<help.endIndex
            while let found = help.range(of: flag, range: searchRange) {
                let before = found.lowerBound == help.startIndex ? nil : help[help.index(before: found.lowerBound)]
                let after = found.upperBound == help.endIndex ? nil : help[found.upperBound]
                let wordCharacter: (Character?) -> Bool = { character in
                    guard let character else { return false }
                    return character.isLetter || character.isNumber || character == "-" || character == "_"
                }
                if !wordCharacter(before) && !wordCharacter(after) { return false }
                searchRange = found.upperBound..<help.endIndex
            }
            return true
        }
    }

    // MARK: - Doc comments

    /// Doc-comment coverage of a module's declarations.
    public struct DocCoverage: Sendable, Equatable {
        /// Declarations counted.
        public var total: Int
        /// Those with a doc comment.
        public var documented: Int
        /// The others, as `Type.member (File.swift)`, sorted.
        public var undocumented: [String]

        /// `documented / total` (1 when nothing is declared).
        public var ratio: Double { total == 0 ? 1 : Double(documented) / Double(total) }
    }

    private struct SymbolGraphFile: Decodable {
        struct Symbol: Decodable {
            struct Kind: Decodable { var identifier: String }
            struct Identifier: Decodable { var precise: String }
            struct Location: Decodable { var uri: String }
            struct DocComment: Decodable {
                struct Line: Decodable { var text: String }
                var lines: [Line]
            }
            var kind: Kind
            var identifier: Identifier
            var pathComponents: [String]
            var docComment: DocComment?
            var location: Location?
        }
        var symbols: [Symbol]
    }

    /// Doc-comment coverage of the symbols of a symbol graph (`swift-symbolgraph-extract -minimum-access-level
    /// internal`) declared in a file under `folder`: every declaration but extensions, compiler-synthesised
    /// members and `_`-prefixed names counts; a declaration is documented when its `///` comment is not blank.
    ///
    /// MokoEnterprise's `DocGenerator.validateDocs` applies the same rules but counts only `public` and `open`
    /// symbols: a trainee's executable target declares (almost) everything `internal`, so the grader reads the
    /// graph itself.
    ///
    /// - Throws: `DecodingError` when the file is not a symbol graph.
    public static func docCoverage(symbolGraph data: Data, folder: String) throws -> DocCoverage {
        let graph = try JSONDecoder().decode(SymbolGraphFile.self, from: data)
        var seen: Set<String> = []
        var total = 0
        var undocumented: [String] = []
        for symbol in graph.symbols {
            guard let uri = symbol.location?.uri, uri.contains(folder),
                symbol.kind.identifier != "swift.extension",
                !symbol.identifier.precise.contains("::SYNTHESIZED::"),
                !symbol.pathComponents.contains(where: { $0.hasPrefix("_") }),
                seen.insert(symbol.identifier.precise).inserted
            else { continue }
            total += 1
            let text = symbol.docComment?.lines.map(\.text).joined().trimmingCharacters(in: .whitespacesAndNewlines)
            if text?.isEmpty ?? true {
                let file = uri.split(separator: "/").last.map(String.init) ?? uri
                undocumented.append("\(symbol.pathComponents.joined(separator: ".")) (\(file))")
            }
        }
        return DocCoverage(total: total, documented: total - undocumented.count, undocumented: undocumented.sorted())
    }

    // MARK: - README

    /// A section the contract asks the README for, found by the words of its heading.
    public struct ReadmeTopic: Sendable, Equatable {
        /// Its name in messages.
        public var name: String
        /// A heading naming one of these (lowercased) is this topic's.
        public var headingWords: [String]
    }

    /// The sections of `Exercises/Project/README.md` ("Your documentation"): usage, configuration, exit codes,
    /// design, tests.
    public static let readmeTopics = [
        ReadmeTopic(name: "Usage", headingWords: ["usage", "how to run", "running", "getting started"]),
        ReadmeTopic(name: "Configuration", headingWords: ["configuration", "configuring"]),
        ReadmeTopic(name: "Exit codes", headingWords: ["exit code", "exit status"]),
        ReadmeTopic(name: "Design", headingWords: ["design", "architecture"]),
        ReadmeTopic(name: "Tests", headingWords: ["test"]),
    ]

    /// The `##`…`######` sections of a Markdown text: heading and body (up to the next heading of the same or a
    /// higher level, so a section's sub-sections are part of its body), outside fenced code blocks.
    public static func sections(of markdown: String) -> [(heading: String, body: String)] {
        var headings: [(index: Int, level: Int, text: String)] = []
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fenced = false
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { fenced.toggle() }
            guard !fenced, trimmed.hasPrefix("##") else { continue }
            let level = trimmed.prefix { $0 == "#" }.count
            let text = trimmed.dropFirst(level)
            guard level <= 6, text.first == " " else { continue }
            headings.append((index, level, text.trimmingCharacters(in: .whitespaces)))
        }
        return headings.enumerated().map { position, heading in
            let end =
                headings[(position + 1)...].first { $0.level <= heading.level }?.index ?? lines.count
            let body = lines[(heading.index + 1)..<end].joined(separator: "\n")
            return (heading.text, body)
        }
    }

    /// The topics `readme` lacks: a topic is present when a heading names it and its body is not blank, holds no
    /// `TODO:` placeholder and is not the text of a section of `skeleton` (the README as shipped).
    public static func missingTopics(readme: String, skeleton: String) -> [String] {
        func normalised(_ text: String) -> String {
            text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
        let shipped = Set(sections(of: skeleton).map { normalised($0.body) })
        let written = sections(of: readme).filter { section in
            let body = normalised(section.body)
            return !body.isEmpty && !body.contains("TODO:") && !shipped.contains(body)
        }
        return readmeTopics.filter { topic in
            !written.contains { section in
                let heading = section.heading.lowercased()
                return topic.headingWords.contains { heading.contains($0) }
            }
        }.map(\.name)
    }

    // MARK: - Coverage

    /// Line coverage of the files under `folder` in `llvm-cov export -summary-only` output: (covered, total).
    ///
    /// - Throws: `DecodingError` when the data is not llvm-cov's export.
    public static func lineCoverage(llvmCovExport data: Data, folder: String) throws -> (covered: Int, total: Int) {
        struct Export: Decodable {
            struct Unit: Decodable {
                struct File: Decodable {
                    struct Summary: Decodable {
                        struct Lines: Decodable {
                            var count: Int
                            var covered: Int
                        }
                        var lines: Lines
                    }
                    var filename: String
                    var summary: Summary
                }
                var files: [File]
            }
            var data: [Unit]
        }
        let export = try JSONDecoder().decode(Export.self, from: data)
        var covered = 0
        var total = 0
        var seen: Set<String> = []
        for file in export.data.flatMap(\.files) where file.filename.contains(folder) {
            guard seen.insert(file.filename).inserted else { continue }
            covered += file.summary.lines.covered
            total += file.summary.lines.count
        }
        return (covered, total)
    }

    // MARK: - Verdicts

    /// `no-warnings`.
    public static func warningsVerdict(_ warnings: [String]) -> StaticVerdict {
        warnings.isEmpty
            ? .pass("no compiler warning in Exercises/Project")
            : .fail(
                "\(warnings.count) compiler warning(s) in Exercises/Project, first: "
                    + warnings.prefix(3).joined(separator: "; "))
    }

    /// `format-lint`.
    public static func lintVerdict(_ findings: [String], exitCode: Int32) -> StaticVerdict {
        if findings.isEmpty && exitCode == 0 {
            return .pass("`swift format lint --strict` is clean on Exercises/Project")
        }
        return .fail(
            "`swift format lint --strict` reports \(findings.count) finding(s) in Exercises/Project (run "
                + "`swift format format -i -r Exercises/Project`), first: " + findings.prefix(3).joined(separator: "; ")
        )
    }

    /// `no-crash-operators`.
    public static func crashVerdict(ruleFindings: [String], trapCalls: [String]) -> StaticVerdict {
        let all = ruleFindings + trapCalls
        return all.isEmpty
            ? .pass(
                "no force unwrap, `as!`, `try!`, `fatalError` or `preconditionFailure` in Exercises/Project/Sources")
            : .fail(
                "\(all.count) crash operator(s) in Exercises/Project/Sources (handle the nil or the error instead), "
                    + "first: " + all.prefix(3).joined(separator: "; "))
    }

    /// `help-contract`.
    public static func helpVerdict(exitCode: Int32?, help: String) -> StaticVerdict {
        guard exitCode == 0 else {
            return .fail("`moko-project --help` did not exit 0 (\(exitCode.map(String.init) ?? "it crashed or hung"))")
        }
        let missing = missingFlags(inHelp: help)
        return missing.isEmpty
            ? .pass("`moko-project --help` exits 0 and lists every flag of the contract")
            : .fail("`moko-project --help` does not list " + missing.joined(separator: ", "))
    }

    /// `doc-comments`: full points at ``fullDocCoverage``, proportional below.
    public static func docVerdict(_ coverage: DocCoverage) -> StaticVerdict {
        let percent = Int((coverage.ratio * 100).rounded(.down))
        let summary = "\(coverage.documented) of \(coverage.total) declarations documented (\(percent) %"
        guard coverage.total > 0 else { return .fail("no declaration found in Exercises/Project/Sources") }
        if coverage.ratio >= fullDocCoverage { return .pass(summary + ")") }
        return StaticVerdict(
            fraction: coverage.ratio / fullDocCoverage,
            message: summary + "; full points from \(Int(fullDocCoverage * 100)) %), undocumented e.g. "
                + coverage.undocumented.prefix(5).joined(separator: ", "))
    }

    /// `readme-sections`: points in proportion to the topics present.
    public static func readmeVerdict(missing: [String]) -> StaticVerdict {
        let count = readmeTopics.count
        guard !missing.isEmpty else {
            return .pass("README.md has its own Usage, Configuration, Exit codes, Design and Tests sections")
        }
        return StaticVerdict(
            fraction: Double(count - missing.count) / Double(count),
            message: "README.md lacks its own section(s) (a heading with your text, not the TODO placeholder): "
                + missing.joined(separator: ", "))
    }

    /// `own-tests`: every test of `ProjectTests` passed, and at least ``minimumOwnTests`` of them.
    public static func ownTestsVerdict(passed: Int, failed: [String], ran: Bool) -> StaticVerdict {
        guard ran else { return .fail("the own tests (ProjectTests) did not run to the end (a crash or a hang?)") }
        if !failed.isEmpty {
            return .fail(
                "\(failed.count) of your own test(s) failed: " + failed.prefix(5).joined(separator: ", "))
        }
        guard passed >= minimumOwnTests else {
            return .fail("\(passed) own test(s) pass; at least \(minimumOwnTests) are expected")
        }
        return .pass("\(passed) own tests pass")
    }

    /// `coverage`: full points at ``fullLineCoverage``, proportional below; nothing when the own tests fail.
    public static func coverageVerdict(covered: Int, total: Int, testsPassed: Bool) -> StaticVerdict {
        guard testsPassed else { return .fail("line coverage counts once your own tests pass") }
        guard total > 0 else { return .fail("no line of Exercises/Project/Sources was measured") }
        let ratio = Double(covered) / Double(total)
        let summary =
            "your tests cover \(covered) of \(total) lines of Exercises/Project/Sources (\(Int((ratio * 100).rounded(.down))) %"
        if ratio >= fullLineCoverage { return .pass(summary + ")") }
        return StaticVerdict(
            fraction: ratio / fullLineCoverage,
            message: summary + "; full points from \(Int(fullLineCoverage * 100)) %)")
    }
}

/// Gathers the static checks' evidence in the workspace after the build. The sources, the README, the build log
/// and the symbol graph are read by the grader; `--help` and the own tests run confined like the checks.
struct StaticCheckRunner: Sendable {
    var instructorRoot: URL
    var workspace: Workspace
    var sandbox: Sandbox
    var limits: Rubric.Limits
    var hide: [URL]
    var logDirectory: URL

    var projectFolder: URL { workspace.directory.appendingPathComponent("Exercises/Project") }
    var sourcesFolder: URL { projectFolder.appendingPathComponent("Sources") }
    var projectExecutable: URL { workspace.scratchPath.appendingPathComponent("debug/moko-project") }

    /// The Project files' digest.
    var digest: String { FileTree.treeDigest(root: projectFolder, files: FileTree.files(under: projectFolder)) }

    /// Where the warnings of each version of `Exercises/Project` are kept (a warm build does not compile unchanged
    /// files again, so their warnings are not in its log).
    static func warningsRecord(workspace: Workspace, digest: String) -> URL {
        workspace.directory.deletingLastPathComponent().appendingPathComponent("project-warnings/\(digest).txt")
    }

    /// Before the build: when no warnings are recorded for these Project files, touches them so the build
    /// compiles them and prints their warnings.
    func prepareBuild() {
        guard !FileManager.default.fileExists(atPath: Self.warningsRecord(workspace: workspace, digest: digest).path)
        else { return }
        let now = Date()
        for file in FileTree.files(under: projectFolder) where file.hasSuffix(".swift") {
            try? FileManager.default.setAttributes(
                [.modificationDate: now], ofItemAtPath: projectFolder.appendingPathComponent(file).path)
        }
    }

    /// A tool of the toolchain that runs `swift` (falling back to `PATH`).
    static func tool(_ name: String) -> String? {
        if let swift = ProcessRunner.which("swift") {
            let folder = URL(fileURLWithPath: swift).resolvingSymlinksInPath().deletingLastPathComponent()
            let candidate = folder.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return ProcessRunner.which(name)
    }

    /// The grader's own tools (never the submission's code), unconfined.
    private func runTool(_ arguments: [String], log: String, seconds: Double = 300) throws -> ProcessOutcome {
        try ProcessRunner.run(
            arguments, directory: workspace.directory, environment: ProcessInfo.processInfo.environment,
            wallSeconds: seconds, outputBytes: limits.exerciseOutputBytes,
            logFile: logDirectory.appendingPathComponent("Project-static-\(log).log"))
    }

    /// The submission's code, confined like the checks.
    private func runConfined(
        _ arguments: [String], log: String, seconds: Double, extraEnvironment: [String: String] = [:],
        writable: [URL] = []
    ) throws -> ProcessOutcome {
        var environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8",
            "NO_COLOR": "1",
        ]
        environment.merge(extraEnvironment) { _, new in new }
        let command = sandbox.wrap(
            arguments, limits: limits, hide: hide, readOnly: [workspace.scratchPath], environment: environment,
            writable: writable)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("grade-static-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        return try ProcessRunner.run(
            command, directory: scratch, environment: environment, wallSeconds: seconds,
            outputBytes: limits.exerciseOutputBytes,
            logFile: logDirectory.appendingPathComponent("Project-static-\(log).log"))
    }

    /// Runs `checks` and returns a verdict for each.
    func run(_ checks: Set<StaticCheck>) -> [StaticCheck: StaticVerdict] {
        var verdicts: [StaticCheck: StaticVerdict] = [:]
        func attempt(_ check: StaticCheck, _ body: () throws -> StaticVerdict) {
            guard checks.contains(check) else { return }
            do {
                verdicts[check] = try body()
            } catch {
                verdicts[check] = .infrastructure("the grader could not check \(check.rawValue): \(error)")
            }
        }
        attempt(.noWarnings, noWarnings)
        attempt(.formatLint, formatLint)
        attempt(.noCrashOperators, noCrashOperators)
        attempt(.helpContract, helpContract)
        attempt(.docComments, docComments)
        attempt(.readmeSections, readmeSections)
        if checks.contains(.ownTests) || checks.contains(.coverage) {
            let (tests, coverage) = ownTestsAndCoverage(measure: checks.contains(.coverage))
            if checks.contains(.ownTests) { verdicts[.ownTests] = tests }
            if checks.contains(.coverage) { verdicts[.coverage] = coverage }
        }
        return verdicts
    }

    func noWarnings() throws -> StaticVerdict {
        let record = Self.warningsRecord(workspace: workspace, digest: digest)
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: logDirectory.path)) ?? []
        let log = logs.filter { $0.hasPrefix("build-") && $0.hasSuffix(".log") }.sorted()
            .compactMap { try? String(contentsOf: logDirectory.appendingPathComponent($0), encoding: .utf8) }
            .joined(separator: "\n")
        let warnings: [String]
        if StaticRules.compiled(module: "Project", inBuildLog: log)
            || StaticRules.compiled(module: "ProjectTests", inBuildLog: log)
        {
            warnings = StaticRules.compilerWarnings(inBuildLog: log, folder: "Exercises/Project")
            try FileManager.default.createDirectory(
                at: record.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(warnings.joined(separator: "\n").utf8).write(to: record)
        } else if let recorded = try? String(contentsOf: record, encoding: .utf8) {
            warnings = recorded.split(separator: "\n").map(String.init)
        } else {
            return .infrastructure(
                "the build did not compile Exercises/Project and no earlier build's warnings are kept")
        }
        return StaticRules.warningsVerdict(warnings)
    }

    func formatLint() throws -> StaticVerdict {
        guard let swift = ProcessRunner.which("swift") else { return .infrastructure("no `swift` on PATH") }
        let configuration = instructorRoot.appendingPathComponent(".swift-format")
        let outcome = try runTool(
            [swift, "format", "lint", "--strict", "--configuration", configuration.path, "-r", projectFolder.path],
            log: "format-lint")
        let findings = StaticRules.lintFindings(inLintOutput: outcome.output).map(relative)
        guard case .exited(let code) = outcome.ending else {
            return .infrastructure("`swift format lint` did not finish (\(outcome.ending))")
        }
        return StaticRules.lintVerdict(findings, exitCode: code)
    }

    func noCrashOperators() throws -> StaticVerdict {
        guard let swift = ProcessRunner.which("swift") else { return .infrastructure("no `swift` on PATH") }
        // The instructor's configuration with every rule off but the crash rules (formatting is not this item's).
        let instructor = try Data(contentsOf: instructorRoot.appendingPathComponent(".swift-format"))
        var configuration = (try JSONSerialization.jsonObject(with: instructor) as? [String: Any]) ?? [:]
        var rules = (configuration["rules"] as? [String: Bool] ?? [:]).mapValues { _ in false }
        for rule in StaticRules.crashRules { rules[rule] = true }
        configuration["rules"] = rules
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grade-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("crash-rules.swift-format")
        try JSONSerialization.data(withJSONObject: configuration).write(to: file)
        let outcome = try runTool(
            [swift, "format", "lint", "--configuration", file.path, "-r", sourcesFolder.path], log: "crash-rules")
        guard case .exited = outcome.ending else {
            return .infrastructure("`swift format lint` did not finish (\(outcome.ending))")
        }
        let findings = StaticRules.crashRuleFindings(inLintOutput: outcome.output).map(relative)
        var traps: [String] = []
        for name in FileTree.files(under: sourcesFolder) where name.hasSuffix(".swift") {
            let source = try String(contentsOf: sourcesFolder.appendingPathComponent(name), encoding: .utf8)
            traps += StaticRules.trapCalls(in: source).map {
                "Exercises/Project/Sources/\(name):\($0): fatalError/preconditionFailure"
            }
        }
        return StaticRules.crashVerdict(ruleFindings: findings, trapCalls: traps)
    }

    func helpContract() throws -> StaticVerdict {
        guard FileManager.default.isExecutableFile(atPath: projectExecutable.path) else {
            return .fail("moko-project was not built")
        }
        let outcome = try runConfined([projectExecutable.path, "--help"], log: "help", seconds: 30)
        let code: Int32? = if case .exited(let code) = outcome.ending { code } else { nil }
        return StaticRules.helpVerdict(exitCode: code, help: outcome.output)
    }

    func docComments() throws -> StaticVerdict {
        guard let extract = Self.tool("swift-symbolgraph-extract") else {
            return .infrastructure("no swift-symbolgraph-extract in the toolchain")
        }
        let scratch = workspace.scratchPath
        let debug = scratch.appendingPathComponent("debug")
        var arguments = [
            extract, "-module-name", "Project", "-target", Self.targetTriple, "-I",
            debug.appendingPathComponent("Modules").path, "-minimum-access-level", "internal",
            "-skip-synthesized-members",
        ]
        // The C modules the package's Swift modules import: SwiftPM's generated module maps and the dependencies'.
        var moduleMaps = ((try? FileManager.default.contentsOfDirectory(atPath: debug.path)) ?? [])
            .filter { $0.hasSuffix(".build") }
            .map { debug.appendingPathComponent("\($0)/module.modulemap").path }
        let checkouts = scratch.appendingPathComponent("checkouts")
        var includes: [String] = []
        for package in (try? FileManager.default.contentsOfDirectory(atPath: checkouts.path)) ?? [] {
            let sources = checkouts.appendingPathComponent("\(package)/Sources")
            for file in FileTree.files(under: sources) {
                if file.hasSuffix("/module.modulemap") { moduleMaps.append(sources.appendingPathComponent(file).path) }
                if file.hasSuffix(".h"), let range = file.range(of: "/include/") {
                    let include = sources.appendingPathComponent(String(file[..<range.lowerBound]) + "/include").path
                    if !includes.contains(include) { includes.append(include) }
                }
            }
        }
        for map in moduleMaps where FileManager.default.fileExists(atPath: map) {
            arguments += ["-Xcc", "-fmodule-map-file=\(map)"]
        }
        for include in includes { arguments += ["-Xcc", "-I\(include)"] }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("grade-symbols-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }
        arguments += ["-output-dir", output.path]
        let outcome = try runTool(arguments, log: "symbolgraph", seconds: 120)
        let graph = output.appendingPathComponent("Project.symbols.json")
        guard outcome.ending == .exited(0), let data = try? Data(contentsOf: graph) else {
            return .infrastructure("swift-symbolgraph-extract failed on the built Project module (\(outcome.ending))")
        }
        return StaticRules.docVerdict(
            try StaticRules.docCoverage(symbolGraph: data, folder: "/Exercises/Project/Sources/"))
    }

    static var targetTriple: String {
        #if arch(arm64)
        "aarch64-unknown-linux-gnu"
        #else
        "x86_64-unknown-linux-gnu"
        #endif
    }

    func readmeSections() throws -> StaticVerdict {
        let readme = projectFolder.appendingPathComponent("README.md")
        guard let text = try? String(contentsOf: readme, encoding: .utf8) else {
            return .fail("Exercises/Project/README.md is missing")
        }
        let skeleton = try String(
            contentsOf: instructorRoot.appendingPathComponent("Exercises/Project/README.md"), encoding: .utf8)
        return StaticRules.readmeVerdict(missing: StaticRules.missingTopics(readme: text, skeleton: skeleton))
    }

    /// Runs the test classes of `ProjectTests` (listed by the bundle) in one confined process, with the profile
    /// of the instrumented `Project` module written to a work folder; then llvm-cov measures the line coverage.
    func ownTestsAndCoverage(measure: Bool) -> (tests: StaticVerdict, coverage: StaticVerdict) {
        let bundle = workspace.testBundle.path
        let seconds = Double(limits.exerciseWallSeconds)
        do {
            let listing = try runConfined([bundle, "--list-tests"], log: "own-tests-list", seconds: 60)
            var classes: [String] = []
            var listed: [String] = []
            for line in listing.output.split(separator: "\n") where line.hasPrefix("ProjectTests.") {
                let name = line.dropFirst("ProjectTests.".count)
                guard let slash = name.firstIndex(of: "/") else { continue }
                let className = String(name[..<slash])
                listed.append("\(className).\(name[name.index(after: slash)...])")
                if !classes.contains(className) { classes.append(className) }
            }
            guard !classes.isEmpty else {
                let verdict = StaticVerdict.fail("no test found in Exercises/Project/Tests (module ProjectTests)")
                return (verdict, .fail("line coverage counts once your own tests pass"))
            }
            let work = URL(fileURLWithPath: "/tmp/grade-coverage-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: work) }
            let filter = classes.map { "ProjectTests.\($0)" }.joined(separator: ",")
            let outcome = try runConfined(
                [bundle, filter], log: "own-tests", seconds: seconds,
                extraEnvironment: ["LLVM_PROFILE_FILE": work.appendingPathComponent("own-%p.profraw").path],
                writable: [work])
            let log = XCTestLog(parsing: outcome.output)
            let results = log.results.filter { listed.contains($0.key.description) }
            let failed = results.filter { !$0.value.passed }.map(\.key.description).sorted()
            let passed = results.count - failed.count
            let ran = results.count == listed.count
            let tests = StaticRules.ownTestsVerdict(passed: passed, failed: failed, ran: ran)
            guard measure else { return (tests, .fail("not measured")) }
            guard tests.fraction == 1 else { return (tests, .fail("line coverage counts once your own tests pass")) }
            return (tests, try coverage(profiles: work))
        } catch {
            let verdict = StaticVerdict.infrastructure("the grader could not run the own tests: \(error)")
            return (verdict, verdict)
        }
    }

    private func coverage(profiles work: URL) throws -> StaticVerdict {
        let raw = ((try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? [])
            .filter { $0.hasSuffix(".profraw") }.map { work.appendingPathComponent($0).path }
        guard !raw.isEmpty else {
            return .infrastructure("no coverage profile was written (was the workspace built with LAB_COVERAGE=1?)")
        }
        guard let profdata = Self.tool("llvm-profdata"), let cov = Self.tool("llvm-cov") else {
            return .infrastructure("llvm-profdata or llvm-cov is missing")
        }
        let merged = work.appendingPathComponent("own.profdata").path
        let merge = try runTool([profdata, "merge", "-sparse", "-o", merged] + raw, log: "coverage-merge")
        guard merge.ending == .exited(0) else { return .infrastructure("llvm-profdata merge failed") }
        let export = work.appendingPathComponent("export.json")
        let outcome = try runTool(
            [
                "/bin/sh", "-c", "exec \"$0\" export -summary-only -instr-profile \"$1\" \"$2\" > \"$3\"", cov, merged,
                workspace.testBundle.path, export.path,
            ], log: "coverage-export")
        guard outcome.ending == .exited(0) else { return .infrastructure("llvm-cov export failed") }
        let (covered, total) = try StaticRules.lineCoverage(
            llvmCovExport: Data(contentsOf: export), folder: "/Exercises/Project/Sources/")
        return StaticRules.coverageVerdict(covered: covered, total: total, testsPassed: true)
    }

    /// A lint line with the workspace's path cut off.
    private func relative(_ line: String) -> String {
        let prefix = workspace.directory.path.hasSuffix("/") ? workspace.directory.path : workspace.directory.path + "/"
        return line.replacingOccurrences(of: prefix, with: "")
    }
}

extension Grader {
    /// Grades the gradable static items (after the scenarios: they count only once the capstone works, i.e. its
    /// `normal-run` scenario passed, or, when that scenario is not graded, its own tests pass), and fails the
    /// `token-never-leaked` scenario when a GitHub token literal is in `Exercises/Project/Sources`.
    func gradeStatic(
        _ items: [ItemAllocation], build: BuildResult, capstone: inout CapstoneOutcome, reuse: GradeResult?,
        runner: ExerciseRunner, projectSource: String
    ) {
        let staticRunner = StaticCheckRunner(
            instructorRoot: instructorRoot, workspace: workspace, sandbox: sandbox, limits: runner.limits,
            hide: runner.hide, logDirectory: runner.logDirectory)
        let digest = staticRunner.digest
        if build.broken["Project"] == nil,
            let index = capstone.checks.firstIndex(where: { $0.exercise == "Project.scenario.token-never-leaked" }),
            capstone.checks[index].status == .pass
        {
            var found: [String] = []
            for name in FileTree.files(under: staticRunner.sourcesFolder) where name.hasSuffix(".swift") {
                let text =
                    (try? String(contentsOf: staticRunner.sourcesFolder.appendingPathComponent(name), encoding: .utf8))
                    ?? ""
                found += StaticRules.tokenLiterals(in: text).map { "Exercises/Project/Sources/\(name):\($0)" }
            }
            if !found.isEmpty {
                capstone.checks[index].status = .fail
                capstone.checks[index].points = .zero
                capstone.checks[index].message =
                    "a GitHub token literal is in the source (\(found.prefix(3).joined(separator: ", "))): a token in "
                    + "source is a leaked token; read it from GITHUB_TOKEN only"
                if let entry = capstone.exercises.firstIndex(where: { $0.id == "Project.scenario.token-never-leaked" })
                {
                    capstone.exercises[entry].points = .zero
                }
            }
        }
        guard !items.isEmpty else { return }
        func record(_ entry: ItemAllocation, _ check: CheckResult, _ status: GradeResult.ExerciseScore.Status) {
            capstone.checks.append(check)
            capstone.exercises.append(
                .init(
                    id: entry.item.id, criterion: entry.item.criterion, status: status,
                    points: status == .graded ? check.points : .zero, maxPoints: Points(entry.item.points),
                    source: projectSource, message: status == .graded ? nil : check.message, sha256: digest))
        }
        func check(_ entry: ItemAllocation, _ verdict: StaticVerdict, seconds: Double = 0) -> CheckResult {
            let maximum = Points(entry.item.points)
            let points = verdict.infrastructure ? .zero : verdict.points(of: maximum)
            return CheckResult(
                name: entry.item.id, exercise: entry.item.id, hidden: false, criterion: entry.item.criterion,
                status: verdict.infrastructure ? .error : (points == maximum ? .pass : .fail), points: points,
                maxPoints: maximum, message: ExerciseRunner.cap(verdict.message, runner.limits.messageCharacters),
                infrastructure: verdict.infrastructure, seconds: seconds)
        }
        if build.broken["Project"] != nil {
            for entry in items {
                var failed = check(entry, .fail("the capstone does not compile"))
                failed.status = .error
                record(entry, failed, .compileError)
            }
            return
        }
        var toRun: [ItemAllocation] = []
        for entry in items {
            if let earlier = reuse?.exercises.first(where: { $0.id == entry.item.id }), earlier.status == .graded,
                earlier.sha256 == digest, let result = reuse?.checks.first(where: { $0.exercise == entry.item.id })
            {
                capstone.reused = true
                record(entry, result, .graded)
            } else {
                toRun.append(entry)
            }
        }
        guard !toRun.isEmpty else { return }
        progress(
            "capstone static checks: \(toRun.map { $0.item.id.replacingOccurrences(of: "Project.static.", with: "") }.joined(separator: ", "))"
        )
        let started = Date()
        let verdicts = staticRunner.run(Set(toRun.compactMap { StaticCheck(itemID: $0.item.id) }))
        // A skeleton that does nothing has no warnings and few undocumented declarations: static points count
        // only once the capstone works.
        let gate: String?
        if let normalRun = capstone.checks.first(where: { $0.exercise == "Project.scenario.normal-run" }) {
            gate = normalRun.status == .pass ? nil : "its normal-run scenario must pass first"
        } else if let tests = verdicts[.ownTests] {
            gate = tests.fraction == 1 ? nil : "its own tests must pass first"
        } else {
            gate = nil
        }
        let seconds = Date().timeIntervalSince(started) / Double(max(1, toRun.count))
        for entry in toRun {
            guard let kind = StaticCheck(itemID: entry.item.id), var verdict = verdicts[kind] else { continue }
            if let gate, !verdict.infrastructure {
                verdict = StaticVerdict(
                    fraction: 0,
                    message: "static checks count once the capstone works: \(gate) (found: \(verdict.message))")
            }
            let result = check(entry, verdict, seconds: seconds)
            record(entry, result, result.infrastructure ? .infrastructureError : .graded)
            progress(
                "capstone static \(kind.rawValue): \(result.status.rawValue), \(result.points)/\(result.maxPoints) points"
            )
        }
    }
}
