import Foundation

/// The result of building a workspace: which exercises compiled, which did not and why.
public struct BuildResult: Sendable {
    /// Exercises whose module and checks compiled.
    public var built: [String]
    /// Exercises left out because they did not compile, with the compiler's first errors (trainee-safe text).
    public var broken: [String: String]
    /// Number of `swift build` runs (1 when everything compiled).
    public var attempts: Int
    /// Wall time of all attempts.
    public var seconds: Double
}

/// Builds the workspace once; when an exercise does not compile, builds again without it so the others are
/// still graded.
public struct Builder: Sendable {
    /// The workspace.
    public var workspace: Workspace
    /// Where build logs go.
    public var logDirectory: URL
    /// The longest one build may take.
    public var buildSeconds: Double = 3_600
    /// Called with a line of progress.
    public var progress: @Sendable (String) -> Void = { _ in }
    /// Builds the capstone's `Project` module instrumented for line coverage (`LAB_COVERAGE=1`).
    public var coverage = false

    /// Creates a builder.
    public init(workspace: Workspace, logDirectory: URL, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.workspace = workspace
        self.logDirectory = logDirectory
        self.progress = progress
    }

    /// The environment of the build: the grader's own, without the lab switches, with `LAB_ONLY`.
    static func environment(only: [String], coverage: Bool = false) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in ["LAB_SOLUTIONS", "LAB_MUTANT", "LAB_ONLY", "LAB_EXCLUDE", "LAB_COVERAGE"] { environment[key] = nil }
        environment["LAB_ONLY"] = only.joined(separator: ",")
        if coverage { environment["LAB_COVERAGE"] = "1" }
        return environment
    }

    /// Builds `exercises` (and their visible and hidden checks).
    ///
    /// - Parameters:
    ///   - exercises: the exercises in the workspace (and `Project` for the capstone): each is left out when the
    ///     compiler errors are in its files.
    ///   - tools: other targets named in `LAB_ONLY` (the capstone's `mock-github`), never left out.
    /// - Returns: what compiled.
    /// - Throws: ``GradingError/infrastructure(_:)`` when the build fails for a reason no exercise explains.
    public func build(_ exercises: [String], tools: [String] = []) throws -> BuildResult {
        guard let swift = ProcessRunner.which("swift") else {
            throw GradingError.infrastructure("no `swift` on PATH")
        }
        var remaining = exercises
        var broken: [String: String] = [:]
        var attempts = 0
        var seconds = 0.0
        var retried = false
        while true {
            attempts += 1
            guard !remaining.isEmpty else { break }
            progress(
                "build: \(remaining.count) exercise(s)\(attempts > 1 ? " (again, without \(broken.keys.sorted().joined(separator: ", ")))" : "")"
            )
            let log = logDirectory.appendingPathComponent("build-\(attempts).log")
            let outcome = try ProcessRunner.run(
                [swift, "build", "--build-tests", "--scratch-path", workspace.scratchPath.path],
                directory: workspace.directory,
                environment: Self.environment(only: remaining + tools, coverage: coverage),
                wallSeconds: buildSeconds, outputBytes: 50_000_000, logFile: log)
            seconds += outcome.seconds
            if outcome.ending == .exited(0) { break }
            let culprits = Self.attribute(outcome.output, workspace: workspace.directory, exercises: remaining)
            if culprits.isEmpty && !retried {
                // A failure no exercise explains (a linker hiccup, a killed compiler) is retried once before it
                // counts as an infrastructure error.
                retried = true
                progress("build: failed with no compiler error in an exercise; retrying once")
                continue
            }
            guard !culprits.isEmpty else {
                let firstError = outcome.output.split(separator: "\n").first { $0.contains("error:") }
                throw GradingError.infrastructure(
                    "the build failed and no exercise explains it (\(firstError.map(String.init) ?? "\(outcome.ending)"); "
                        + "log: \(log.path))")
            }
            for (id, message) in culprits {
                broken[id] = message
                remaining.removeAll { $0 == id }
            }
        }
        return BuildResult(built: remaining, broken: broken, attempts: attempts, seconds: seconds)
    }

    /// The exercises the compiler errors in `log` belong to, each with its first errors (paths made relative;
    /// errors inside hidden check files are described without their text).
    static func attribute(_ log: String, workspace: URL, exercises: [String]) -> [String: String] {
        var messages: [String: [String]] = [:]
        let prefix = workspace.path.hasSuffix("/") ? workspace.path : workspace.path + "/"
        for rawLine in log.split(separator: "\n") {
            let line = String(rawLine)
            guard line.contains(": error:") else { continue }
            var relative = line
            if let range = line.range(of: prefix) { relative = String(line[range.upperBound...]) }
            let parts = relative.split(separator: "/", maxSplits: 2).map(String.init)
            guard parts.count >= 2 else { continue }
            var id: String?
            var safe = relative
            switch parts[0] {
            case "Exercises": id = parts[1]
            case "Tests" where parts[1].hasSuffix("Tests"): id = String(parts[1].dropLast("Tests".count))
            case "grader" where parts[1] == "hidden":
                id = relative.split(separator: "/").dropFirst(2).first.map(String.init)
                safe =
                    "a hidden check does not compile against this exercise's code (is the public API the skeleton's?)"
            default: break
            }
            guard let id, exercises.contains(id) else { continue }
            if !(messages[id]?.contains(safe) ?? false) { messages[id, default: []].append(safe) }
        }
        return messages.mapValues { $0.prefix(5).joined(separator: "\n") }
    }
}
