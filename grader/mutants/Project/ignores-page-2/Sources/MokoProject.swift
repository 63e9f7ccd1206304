// moko-project: brings every repository of a GitHub organisation in line with a policy (repository
// settings, protection of the default branch, team access) and reports on it. The contract (flags,
// environment, files, exit codes) is in Exercises/Project/README.md.

import ArgumentParser
import Foundation
import MokoEnterprise

/// The command line of `moko-project`, run through the CLI framework's lifecycle (validated inputs,
/// redacted logs, signal handling, exit codes).
@main
struct MokoProject: CLIApp {
    static let configuration = CommandConfiguration(
        commandName: "moko-project",
        abstract: "Bring every repository of an organisation in line with a policy, and report on it.",
        discussion: """
            The policy (repository settings, protection of the default branch, team access) comes from \
            config/<env>.yaml and --config; built-in defaults apply without them. GITHUB_TOKEN is required; \
            GITHUB_API_URL points at another API (e.g. the mock: http://127.0.0.1:8080). State (audit log, \
            checkpoint, dead letter queue, ETag store, metrics) is kept in --state-dir; a killed run resumes \
            from it. Exit codes: 0 every repository in line, 1 some repositories failed, 64 usage error, \
            75 GitHub unavailable (circuit breaker open, run again later), 78 configuration error, \
            130 interrupted.
            """
    )

    /// --verbose, --quiet, --dry-run, --json, --config, --env, --log-file, --set.
    @OptionGroup var standardOptions: StandardOptions

    /// The organisation.
    @Option(help: ArgumentHelp("The organisation whose repositories to enforce (required).", valueName: "login"))
    var org: String?

    /// Repositories worked on at the same time.
    @Option(
        help: ArgumentHelp(
            "Repositories processed in parallel, 1–32 (default: run.concurrency, else 4).", valueName: "n"))
    var concurrency: Int?

    /// The state directory.
    @Option(
        help: ArgumentHelp(
            "Directory for the audit log, checkpoint, dead letter queue, ETags and metrics.", valueName: "dir"))
    var stateDir = ".moko-project"

    /// The report file.
    @Option(
        help: ArgumentHelp(
            "Where to write the compliance report (default: <state-dir>/report.<format>).", valueName: "file"))
    var report: String?

    /// The report format.
    @Option(help: ArgumentHelp("The report format: json, html or csv.", valueName: "format"))
    var format = "json"

    init() {}

    /// Reads and validates every input before any request is sent.
    func initialize(_ context: CLIContext) throws -> ProjectSettings {
        try ProjectSettings.resolve(self, context: context)
    }

    /// Runs the job, prints the summary (text or --json) and maps unfinished repositories to the exit code.
    func execute(_ context: CLIContext, state settings: ProjectSettings) async throws {
        let environment = ProjectEnvironment.current
        let run = PolicyRun(
            settings: settings, logger: context.logger, transport: environment.transport, clock: environment.clock,
            wallClock: context.wallClock, mutationSpacing: environment.mutationSpacing)
        try Self.finish(try await run.run(), context: context)
    }

    /// Prints `report` and throws the error that sets the exit code when some repositories are unfinished.
    static func finish(_ report: RunReport, context: CLIContext) throws {
        try context.output(report, text: report.text)
        let unfinished = report.unfinished
        if unfinished.contains(where: { $0.status == .deferred }) {
            throw CLIError.temporaryFailure(
                "GitHub kept failing and the circuit breaker opened; \(unfinished.count) repositories are not done. "
                    + "Run again later: finished repositories are skipped.")
        }
        if !unfinished.isEmpty {
            throw CLIError.failure(
                "\(unfinished.count) of \(report.repositories.count) repositories are not in line with the policy; "
                    + "see \(report.reportFile)")
        }
    }
}

/// What a run talks to and measures time with. The command uses the real network and clock; tests bind
/// ``current`` to the in-process mock and a manual clock around the CLI framework's lifecycle.
struct ProjectEnvironment: Sendable {
    /// The HTTP transport; nil sends real requests.
    var transport: (any HTTPTransport)?
    /// The clock for backoff, rate-limit waits, the breaker and mutation spacing.
    var clock = ErasedClock(ContinuousClock())
    /// The minimum time between two mutating requests.
    var mutationSpacing: Duration = .milliseconds(1_050)

    /// The environment of the current task (the real one unless a test binds another).
    @TaskLocal static var current = ProjectEnvironment()
}
