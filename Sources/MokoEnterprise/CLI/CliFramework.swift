import ArgumentParser
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The engine behind ``CLIApp``: runs the lifecycle, handles Ctrl-C, configures logging from the flags and
/// maps errors to exit codes.
///
/// Console log lines are redacted (``SecretRedactor``) like the `--log-file` ones.
///
/// The library never bootstraps swift-log globally: ``makeLogger(label:options:wallClock:)`` builds a
/// `Logger` with its own handlers. An app that wants every library's logs to follow its flags calls
/// ``bootstrapLogging(options:wallClock:)`` once, itself.
public enum CliFramework {
    /// Runs ``CLIApp/initialize(_:)`` → ``CLIApp/validateInputs(_:state:)`` → ``CLIApp/execute(_:state:)``
    /// and throws the exit code for anything but success, as `run()` must for swift-argument-parser.
    ///
    /// - Parameters:
    ///   - app: the parsed command.
    ///   - context: the context; by default built from the app's standard options.
    /// - Throws: `ExitCode` with a ``CLIExitCode`` value; the error was already reported on stderr.
    public static func runLifecycle<App: CLIApp>(_ app: App, context: CLIContext? = nil) async throws {
        let code = await run(app, context: context)
        if code != .success { throw code.exitCode }
    }

    /// Runs the lifecycle and returns the exit code instead of throwing it (for tests and custom `main`s).
    ///
    /// Errors are logged (redacted) and mapped by ``exitCode(for:)``. On SIGINT or SIGTERM (or a value of
    /// `interrupts`), the work's task is cancelled, awaited, then ``CLIApp/onInterrupt(_:state:)`` runs
    /// and the result is ``CLIExitCode/interrupted`` (or ``CLIExitCode/terminated``).
    ///
    /// - Parameters:
    ///   - app: the parsed command.
    ///   - context: the context; by default built from the app's standard options.
    ///   - interrupts: signal numbers that interrupt the run; `nil` watches the real SIGINT and SIGTERM.
    /// - Returns: the exit code.
    public static func run<App: CLIApp>(
        _ app: App, context providedContext: CLIContext? = nil, interrupts: AsyncStream<Int32>? = nil
    ) async -> CLIExitCode {
        let context: CLIContext
        do {
            context = try providedContext ?? CLIContext(options: app.standardOptions, commandName: App._commandName)
        } catch {
            FileHandle.standardError.write(Data("Error: \(SecretRedactor.redact(String(describing: error)))\n".utf8))
            return exitCode(for: error)
        }

        let monitor = interrupts == nil ? CLISignalMonitor() : nil
        defer { monitor?.stop() }
        await monitor?.waitUntilRegistered()
        let signals = interrupts ?? monitor?.signals ?? AsyncStream { $0.finish() }
        let stateBox = StateBox<App.State>()

        do {
            let outcome = try await withThrowingTaskGroup(of: Outcome.self) { group in
                group.addTask {
                    let state = try await app.initialize(context)
                    stateBox.store(state)
                    try app.validateInputs(context, state: state)
                    try await app.execute(context, state: state)
                    return .finished
                }
                group.addTask {
                    for await signal in signals { return .interrupted(signal) }
                    return .noSignal
                }
                while let outcome = try await group.next() {
                    switch outcome {
                    case .finished:
                        group.cancelAll()
                        return Outcome.finished
                    case .interrupted(let signal):
                        context.logger.warning(
                            "Interrupted, stopping the current work", metadata: ["signal": "\(signal)"])
                        group.cancelAll()
                        // Let the work wind down (it may save progress when cancelled); its error is expected.
                        do {
                            while try await group.next() != nil {}
                        } catch is CancellationError {
                        } catch {
                            context.logger.warning(
                                "Work ended with an error after the interrupt",
                                metadata: ["error": "\(SecretRedactor.redact(String(describing: error)))"])
                        }
                        return Outcome.interrupted(signal)
                    case .noSignal:
                        continue
                    }
                }
                return Outcome.finished
            }
            if case .interrupted(let signal) = outcome {
                if let state = stateBox.load() {
                    await app.onInterrupt(context, state: state)
                }
                return signal == SIGTERM ? .terminated : .interrupted
            }
            return .success
        } catch {
            report(error, context: context)
            return exitCode(for: error)
        }
    }

    /// The exit code for an error: the error's own (``CLIExitCodeProviding``: ``ConfigError`` → 78),
    /// 64 for swift-argument-parser validation errors, `ExitCode`'s value, otherwise 1.
    ///
    /// - Parameter error: the error that ended the run.
    /// - Returns: the exit code.
    public static func exitCode(for error: any Error) -> CLIExitCode {
        switch error {
        case let error as any CLIExitCodeProviding: return error.cliExitCode
        case is ValidationError: return .usage
        case let error as ExitCode: return CLIExitCode(rawValue: error.rawValue) ?? .failure
        case is FileUtilitiesError: return .failure
        case is YAMLUtilitiesError: return .configuration
        default: return .failure
        }
    }

    /// A logger for a command: stderr at the flags' level, plus a ``CLILogFileHandler`` for `--log-file`.
    ///
    /// - Parameters:
    ///   - label: the logger's label, usually the command name.
    ///   - options: the parsed flags.
    ///   - wallClock: the source of the log file's timestamps.
    /// - Returns: the logger (the global `LoggingSystem` is not touched).
    /// - Throws: ``CLIError/usage(_:)`` when the log file cannot be opened.
    public static func makeLogger(
        label: String, options: StandardOptions, wallClock: any WallClock = SystemWallClock()
    ) throws -> Logger {
        let handler = try makeLogHandler(label: label, options: options, wallClock: wallClock)
        var logger = Logger(label: label) { _ in handler }
        logger.logLevel = options.logLevel
        return logger
    }

    /// Makes every `Logger` of the process follow the flags (stderr at their level, plus `--log-file`).
    ///
    /// swift-log allows one bootstrap per process: call it once, from the app, never from a library.
    ///
    /// - Parameters:
    ///   - options: the parsed flags.
    ///   - wallClock: the source of the log file's timestamps.
    /// - Throws: ``CLIError/usage(_:)`` when the log file cannot be opened.
    public static func bootstrapLogging(
        options: StandardOptions, wallClock: any WallClock = SystemWallClock()
    )
        throws
    {
        // Open the file once up front so a bad path is reported here, not on the first log call.
        let fileHandler = try options.logFile.map { path in
            try openLogFile(path: path, label: "moko", wallClock: wallClock)
        }
        LoggingSystem.bootstrap { label in
            var handlers: [any LogHandler] = [
                CLIRedactingLogHandler(wrapped: StreamLogHandler.standardError(label: label))
            ]
            if let fileHandler { handlers.append(fileHandler) }
            var handler = MultiplexLogHandler(handlers)
            handler.logLevel = options.logLevel
            return handler
        }
    }

    private static func makeLogHandler(
        label: String, options: StandardOptions, wallClock: any WallClock
    ) throws -> any LogHandler {
        var handlers: [any LogHandler] = [
            CLIRedactingLogHandler(wrapped: StreamLogHandler.standardError(label: label))
        ]
        if let path = options.logFile {
            handlers.append(try openLogFile(path: path, label: label, wallClock: wallClock))
        }
        var handler = MultiplexLogHandler(handlers)
        handler.logLevel = options.logLevel
        return handler
    }

    private static func openLogFile(path: String, label: String, wallClock: any WallClock) throws -> CLILogFileHandler {
        do {
            return try CLILogFileHandler(path: path, label: label, wallClock: wallClock)
        } catch {
            throw CLIError.usage("--log-file: \(error)")
        }
    }

    private static func report(_ error: any Error, context: CLIContext) {
        let message = SecretRedactor.redact(String(describing: error))
        context.logger.error("\(message)", metadata: ["exitCode": "\(exitCode(for: error).rawValue)"])
    }

    private enum Outcome: Sendable {
        case finished
        case interrupted(Int32)
        case noSignal
    }

    /// Hands the state from the work's task to the interrupt path.
    private final class StateBox<State: Sendable>: Sendable {
        private let value = Mutex<State?>(nil)

        func store(_ state: State) { value.withLock { $0 = state } }
        func load() -> State? { value.withLock { $0 } }
    }
}
