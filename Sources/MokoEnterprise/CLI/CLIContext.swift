import Foundation
import Logging

/// What a running ``CLIApp`` gets from the framework: its parsed standard options, a configured logger,
/// the environment, and the output helpers.
///
/// Human-readable logs go to stderr (and `--log-file`); results go to stdout through ``outputText(_:)``
/// or ``outputJSON(_:)``, so `--json` output can be piped into `jq`.
public final class CLIContext: Sendable {
    /// The parsed standard flags.
    public let options: StandardOptions
    /// The command's name, the logger's label.
    public let commandName: String
    /// A logger at the level the flags ask for, writing to stderr and the `--log-file`.
    public let logger: Logger
    /// The process environment (injected in tests).
    public let environment: [String: String]
    /// The source of calendar dates for logs and reports.
    public let wallClock: any WallClock

    private let writeOutput: @Sendable (String) -> Void

    /// Creates a context.
    ///
    /// - Parameters:
    ///   - options: the parsed standard flags.
    ///   - commandName: the logger's label.
    ///   - environment: the variables for configuration and tokens.
    ///   - wallClock: the source of timestamps in the log file.
    ///   - logHandler: a handler to use instead of stderr + `--log-file` (e.g. an in-memory one in tests);
    ///     its level is set from the flags.
    ///   - output: where stdout text goes; the default writes to the standard output unbuffered.
    /// - Throws: ``CLIError/usage(_:)`` when the `--log-file` cannot be opened.
    public init(
        options: StandardOptions,
        commandName: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        wallClock: any WallClock = SystemWallClock(),
        logHandler: (any LogHandler)? = nil,
        output: @escaping @Sendable (String) -> Void = CLIContext.writeToStandardOutput
    ) throws {
        self.options = options
        self.commandName = commandName
        self.environment = environment
        self.wallClock = wallClock
        self.writeOutput = output
        if let logHandler {
            var handler = logHandler
            handler.logLevel = options.logLevel
            logger = Logger(label: commandName) { _ in handler }
        } else {
            logger = try CliFramework.makeLogger(label: commandName, options: options, wallClock: wallClock)
        }
    }

    /// Whether `--dry-run` was given: report what would change, change nothing.
    public var isDryRun: Bool { options.dryRun }

    /// Whether `--json` was given.
    public var wantsJSON: Bool { options.json }

    /// Writes a line of text to stdout.
    ///
    /// - Parameter text: the text; a newline is added.
    public func outputText(_ text: String) {
        writeOutput(text + "\n")
    }

    /// Writes a value as pretty-printed JSON with sorted keys to stdout.
    ///
    /// - Parameter value: any `Encodable` value; dates are ISO 8601.
    /// - Throws: `EncodingError` when the value cannot be encoded (e.g. a non-finite number).
    public func outputJSON<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        writeOutput(String(decoding: data, as: UTF8.self) + "\n")
    }

    /// Writes `value` as JSON when `--json` was given, otherwise `text` as a line.
    ///
    /// - Parameters:
    ///   - value: the machine-readable result.
    ///   - text: the human-readable result.
    /// - Throws: `EncodingError` from ``outputJSON(_:)``.
    public func output<Value: Encodable>(_ value: Value, text: @autoclosure () -> String) throws {
        if options.json { try outputJSON(value) } else { outputText(text()) }
    }

    /// Loads the configuration the flags select: `--env`, `--config`, then the `--set` overrides on top.
    ///
    /// - Parameters:
    ///   - directory: the folder of the per-environment files.
    ///   - defaults: the lowest layer.
    ///   - requiredKeys: keys checked with ``Config/require(_:)`` before returning.
    /// - Returns: the configuration.
    /// - Throws: ``ConfigError`` (exit code 78 through ``CliFramework/runLifecycle(_:context:)``).
    public func loadConfig(
        directory: String = "config", defaults: ConfigValue = [:], requiredKeys: [String] = []
    )
        throws -> Config
    {
        var config = try Config.load(
            env: options.env, configFile: options.config, directory: directory, environment: environment,
            defaults: defaults)
        try config.applyOverrides(options.overrides)
        try config.require(requiredKeys)
        logger.debug(
            "Configuration loaded",
            metadata: ["environment": "\(config.environmentName)", "keys": "\(config.keys.count)"])
        return config
    }

    /// The API token from the environment (the curriculum's `get_token`).
    ///
    /// - Parameter variable: the variable holding it.
    /// - Returns: the token.
    /// - Throws: ``CLIError/configuration(_:)`` (exit 78) when it is unset or empty.
    public func getToken(variable: String = "GITHUB_TOKEN") throws -> String {
        guard let token = environment[variable], !token.isEmpty else {
            throw CLIError.configuration("\(variable) is not set. Export it (e.g. export \(variable)=...) and retry.")
        }
        return token
    }

    /// Writes text to the process's standard output without buffering.
    public static let writeToStandardOutput: @Sendable (String) -> Void = { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
