// moko-project: brings every repository of a GitHub organisation in line with a policy (repository
// settings, protection of the default branch, team access) and reports on it. The contract (flags,
// environment, files, exit codes) is in Exercises/Project/README.md: keep to it, the grader drives
// every submission through it.

import ArgumentParser
import ExerciseSupport
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
            GITHUB_TOKEN is required; GITHUB_API_URL points at another API (e.g. the mock). Exit codes: \
            0 every repository in line, 1 some repositories failed, 64 usage error, 75 GitHub unavailable \
            (circuit breaker open), 78 configuration error, 130 interrupted.
            """
    )

    /// --verbose, --quiet, --dry-run, --json, --config, --env, --log-file, --set.
    @OptionGroup var standardOptions: StandardOptions

    /// The organisation.
    @Option(help: ArgumentHelp("The organisation whose repositories to enforce (required).", valueName: "login"))
    var org: String?

    /// Repositories worked on at the same time.
    @Option(help: ArgumentHelp("Repositories processed in parallel, 1–32 (default 4).", valueName: "n"))
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

    /// Runs the job.
    func execute(_ context: CLIContext, state: Void) async throws {
        // TODO: validate every input before the first request (`--org`, paths, `--format`, `--concurrency`,
        //       GITHUB_API_URL, the token, the configuration) — better in `initialize`, returning your settings
        //       as the app's `State`. Bad flags are usage errors (64), bad configuration 78.
        // TODO: load the policy from the configuration (`context.loadConfig`), with the README's defaults.
        // TODO: build the GitHub client (retry policy, circuit breaker, rate limiter, ETags kept between runs)
        //       on `ProjectEnvironment.current.transport` and `.clock`, so your tests can use the mock.
        // TODO: one audit transaction for the run and one per repository; checkpoint + dead letter queue in
        //       the state directory; each repository's changes as a saga (compensated on failure).
        // TODO: process the repositories in parallel, never more than `--concurrency` at once.
        // TODO: write `<state-dir>/metrics.prom` and the report; print the summary (text, or JSON with --json);
        //       throw a `CLIError` for the exit code when some repositories are not done.
        throw Unimplemented("the policy run of moko-project", exercise: "Project")
    }
}

/// What a run talks to and measures time with. The command uses the real network and clock; tests bind
/// ``current`` to the in-process mock and a manual clock around the CLI framework's lifecycle:
///
/// ```swift
/// let environment = ProjectEnvironment(transport: MockGitHubTransport(mock: mock), clock: ErasedClock(clock))
/// let code = try await clock.run {
///     await ProjectEnvironment.$current.withValue(environment) {
///         await CliFramework.run(command, context: context, interrupts: AsyncStream { $0.finish() })
///     }
/// }
/// ```
struct ProjectEnvironment: Sendable {
    /// The HTTP transport; nil sends real requests.
    var transport: (any HTTPTransport)?
    /// The clock for backoff, rate-limit waits, the breaker and mutation spacing.
    var clock = ErasedClock(ContinuousClock())
    /// The minimum time between two mutating requests (GitHub asks for one second).
    var mutationSpacing: Duration = .milliseconds(1_050)

    /// The environment of the current task (the real one unless a test binds another).
    @TaskLocal static var current = ProjectEnvironment()
}
