import ArgumentParser
import Foundation
import InMemoryLogging
import Logging
import MokoEnterpriseTestSupport
import Testing

@testable import MokoEnterprise

#if canImport(Glibc)
import Glibc
#endif

/// What one in-process run of ``CliFrameworkProbeCommand`` records, found through its `--probe-id`.
private final class CliFrameworkProbeChannel: Sendable {
    let steps = TestRecorder<String>()
    let output = TestRecorder<String>()
    let interrupts: AsyncStream<Int32>
    let interruptContinuation: AsyncStream<Int32>.Continuation

    init() {
        (interrupts, interruptContinuation) = AsyncStream.makeStream(of: Int32.self)
    }
}

private let cliFrameworkProbeChannels = LockedValue<[String: CliFrameworkProbeChannel]>([:])

/// A command exercising every path of the lifecycle, in-process.
private struct CliFrameworkProbeCommand: CLIApp {
    static let configuration = CommandConfiguration(commandName: "probe", version: "9.9.9")

    @OptionGroup var standardOptions: StandardOptions
    @Option var probeID: String
    @Option var mode = "ok"

    struct State: Sendable {
        var channel: CliFrameworkProbeChannel
    }

    struct Report: Encodable {
        var zeta: Int
        var alpha: String
        var dryRun: Bool
    }

    func initialize(_ context: CLIContext) async throws -> State {
        guard let channel = cliFrameworkProbeChannels.value[probeID] else {
            throw CLIError.failure("no channel")
        }
        channel.steps.append("initialize")
        if mode == "config" { throw ConfigError.missingKeys(["github.token", "github.organization"]) }
        if mode == "failure-in-init" { throw CLIError.temporaryFailure("quota exhausted") }
        return State(channel: channel)
    }

    func validateInputs(_ context: CLIContext, state: State) throws {
        state.channel.steps.append("validateInputs")
        if mode == "usage" { throw ValidationError("--mode usage is not allowed") }
    }

    func execute(_ context: CLIContext, state: State) async throws {
        state.channel.steps.append("execute")
        switch mode {
        case "interrupt":
            state.channel.interruptContinuation.yield(SIGINT)
            let (never, keepAlive) = AsyncStream.makeStream(of: Int.self)
            for await _ in never {}
            withExtendedLifetime(keepAlive) {}
            state.channel.steps.append(Task.isCancelled ? "execute cancelled" : "execute not cancelled")
            throw CancellationError()
        case "failure":
            throw CLIError.failure("token=ghp_abcdefghijklmnopqrstuvwxyz0123456789 rejected")
        default:
            try context.output(
                Report(zeta: 1, alpha: "a", dryRun: context.isDryRun),
                text: context.isDryRun ? "DRY RUN: nothing changed" : "changed")
        }
    }

    func onInterrupt(_ context: CLIContext, state: State) async {
        state.channel.steps.append("onInterrupt")
    }
}

@Suite struct CliFrameworkTests {
    private func run(
        _ arguments: [String], logs: InMemoryLogHandler = InMemoryLogHandler()
    ) async throws -> (
        code: CLIExitCode, channel: CliFrameworkProbeChannel
    ) {
        let id = UUID().uuidString
        let channel = CliFrameworkProbeChannel()
        cliFrameworkProbeChannels.withLock { $0[id] = channel }
        defer { _ = cliFrameworkProbeChannels.withLock { $0.removeValue(forKey: id) } }
        let command = try CliFrameworkProbeCommand.parse(["--probe-id", id] + arguments)
        let context = try CLIContext(
            options: command.standardOptions, commandName: "probe", environment: [:], logHandler: logs,
            output: { channel.output.append($0) })
        let code = await CliFramework.run(command, context: context, interrupts: channel.interrupts)
        return (code, channel)
    }

    @Test func lifecycleRunsInitializeThenValidateThenExecute() async throws {
        let (code, channel) = try await run([])
        #expect(code == .success)
        #expect(channel.steps.values == ["initialize", "validateInputs", "execute"])
        #expect(channel.output.values == ["changed\n"])
    }

    @Test func dryRunIsVisibleToTheWork() async throws {
        let (code, channel) = try await run(["--dry-run"])
        #expect(code == .success)
        #expect(channel.output.values == ["DRY RUN: nothing changed\n"])
    }

    @Test func jsonOutputHasSortedKeysAndParses() async throws {
        let (code, channel) = try await run(["--json", "--dry-run"])
        #expect(code == .success)
        let text = try #require(channel.output.values.first)
        let alpha = try #require(text.range(of: "\"alpha\""))
        let zeta = try #require(text.range(of: "\"zeta\""))
        #expect(alpha.lowerBound < zeta.lowerBound)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(object?["dryRun"] as? Bool == true)
    }

    @Test func errorsMapToExitCodes() async throws {
        let logs = InMemoryLogHandler()
        let config = try await run(["--mode", "config"], logs: logs)
        #expect(config.code == .configuration)
        #expect(config.channel.steps.values == ["initialize"])
        let logged = logs.entries.map(\.message.description).joined(separator: "\n")
        #expect(logged.contains("github.token") && logged.contains("github.organization"))

        #expect(try await run(["--mode", "usage"]).code == .usage)
        #expect(try await run(["--mode", "failure-in-init"]).code == .temporaryFailure)

        let failureLogs = InMemoryLogHandler()
        #expect(try await run(["--mode", "failure"], logs: failureLogs).code == .failure)
        let failureText = failureLogs.entries.map(\.message.description).joined()
        #expect(failureText.contains("rejected"))
        #expect(!failureText.contains("ghp_abcdefghijklmnopqrstuvwxyz0123456789"), "errors are logged redacted")
    }

    @Test func interruptCancelsTheWorkThenRunsTheHook() async throws {
        let (code, channel) = try await run(["--mode", "interrupt"])
        #expect(code == .interrupted)
        #expect(
            channel.steps.values == ["initialize", "validateInputs", "execute", "execute cancelled", "onInterrupt"])
    }

    @Test func exitCodesFollowSysexits() {
        #expect(CLIExitCode.success.rawValue == 0)
        #expect(CLIExitCode.failure.rawValue == 1)
        #expect(CLIExitCode.usage.rawValue == 64)
        #expect(CLIExitCode.configuration.rawValue == 78)
        #expect(CLIExitCode.interrupted.rawValue == 130)
        #expect(CliFramework.exitCode(for: ConfigError.missingKeys(["a"])) == .configuration)
        #expect(CliFramework.exitCode(for: ValidationError("x")) == .usage)
        #expect(CliFramework.exitCode(for: CocoaError(.fileNoSuchFile)) == .failure)
        #expect(CliFramework.exitCode(for: ExitCode(64)) == .usage)
    }

    @Test func logFileReceivesRedactedLinesWithWallClockTimestamps() throws {
        let folder = try TemporaryDirectory(prefix: "cli-log")
        defer { folder.remove() }
        let path = folder.appending("run.log").path
        let clock = ManualClock(epoch: Date(timeIntervalSince1970: 1_769_949_005))
        let options = try StandardOptions.parse(["--quiet", "--log-file", path])
        let logger = try CliFramework.makeLogger(label: "probe", options: options, wallClock: clock)
        logger.info("not written: below the quiet level")
        logger.error("Login failed password=hunter2secret", metadata: ["api_token": "abc123456", "org": "acme"])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("2026-02-01T12:30:05Z error probe: Login failed password=[REDACTED]"))
        #expect(text.contains("api_token=[REDACTED]"))
        #expect(text.contains("org=acme"))
        #expect(!text.contains("hunter2secret") && !text.contains("abc123456"))
        #expect(!text.contains("not written"))
    }

    @Test func consoleLogLinesAreRedacted() {
        let memory = InMemoryLogHandler()
        let logger = Logger(label: "probe") { _ in CLIRedactingLogHandler(wrapped: memory) }
        logger.error(
            "Using ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            metadata: ["password": "hunter2secret", "note": "token=abcdef123456", "org": "acme"])
        let entry = memory.entries.first
        #expect(entry?.message.description == "Using [REDACTED]")
        #expect(entry?.metadata["password"] == "[REDACTED]")
        #expect(entry?.metadata["note"] == "token=[REDACTED]")
        #expect(entry?.metadata["org"] == "acme")
    }

    @Test func unopenableLogFileIsAUsageError() throws {
        let options = try StandardOptions.parse(["--log-file", "/nonexistent-dir/sub/run.log"])
        #expect(throws: CLIError.self) { try CliFramework.makeLogger(label: "probe", options: options) }
        do {
            _ = try CliFramework.makeLogger(label: "probe", options: options)
        } catch {
            #expect(CliFramework.exitCode(for: error) == .usage)
        }
    }

    @Test func contextLoadsConfigurationFromTheStandardFlags() throws {
        let folder = try TemporaryDirectory(prefix: "cli-config")
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.appending("config"), withIntermediateDirectories: true)
        try "github:\n  org: file-org\n  token: ${GITHUB_TOKEN}\n".write(
            to: folder.appending("config/staging.yaml"), atomically: true, encoding: .utf8)
        let options = try StandardOptions.parse(["--env", "staging", "--set", "github.org=cli-org"])
        let context = try CLIContext(
            options: options, commandName: "probe", environment: ["GITHUB_TOKEN": "t", "MOKO_GITHUB_ORG": "env-org"],
            logHandler: InMemoryLogHandler(), output: { _ in })
        let config = try context.loadConfig(directory: folder.appending("config").path, requiredKeys: ["github.token"])
        #expect(config.environmentName == "staging")
        #expect(config.get("github.org") == "cli-org", "--set wins over the environment and the file")
        #expect(throws: ConfigError.missingKeys(["github.team"])) {
            try context.loadConfig(directory: folder.appending("config").path, requiredKeys: ["github.team"])
        }
        #expect(throws: CLIError.self) { try context.getToken(variable: "NOT_SET_TOKEN") }
        #expect(try context.getToken() == "t")
    }
}
