import ArgumentParser
import Logging

/// The flags every automation script shares; include them with `@OptionGroup var options: StandardOptions`.
///
/// `--version` comes from the command's `CommandConfiguration(version:)`.
///
/// | Flag | Effect |
/// |---|---|
/// | `-v`, `--verbose` | log at debug level |
/// | `-q`, `--quiet` | log errors only |
/// | `--dry-run` | report what would change, change nothing (the app checks ``dryRun``) |
/// | `--json` | machine-readable output on stdout (``CLIContext/outputJSON(_:)``) |
/// | `--config <file>` | a YAML file merged over the environment's file |
/// | `--env <name>` | the environment (`development`, `staging`, `production`); default `MOKO_ENV` |
/// | `--log-file <file>` | also append log lines to this file (secrets redacted) |
/// | `--set <key=value>` | a runtime configuration override, repeatable; wins over every other layer |
public struct StandardOptions: ParsableArguments, Sendable {
    /// Log at debug level.
    @Flag(name: [.short, .long], help: "Log debug details.")
    public var verbose = false

    /// Log errors only.
    @Flag(name: [.short, .long], help: "Log errors only.")
    public var quiet = false

    /// Report what would change without changing anything.
    @Flag(name: .long, help: "Show what would change without changing anything.")
    public var dryRun = false

    /// Print machine-readable JSON on stdout.
    @Flag(name: .long, help: "Print machine-readable JSON on stdout.")
    public var json = false

    /// A YAML file merged over the environment's configuration file.
    @Option(
        name: .long, help: ArgumentHelp("A YAML configuration file merged over config/<env>.yaml.", valueName: "file"))
    public var config: String?

    /// The environment whose configuration is loaded.
    @Option(
        name: .long, help: ArgumentHelp("The environment (default: $MOKO_ENV, else development).", valueName: "name"))
    public var env: String?

    /// A file that receives the log lines too.
    @Option(name: .long, help: ArgumentHelp("Also append log lines to this file.", valueName: "file"))
    public var logFile: String?

    /// Runtime configuration overrides, `key=value`.
    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override a configuration key (repeatable).", valueName: "key=value"))
    public var overrides: [String] = []

    /// Creates the options with every flag off (swift-argument-parser fills them when parsing).
    public init() {}

    /// Refuses contradictory flags: `--verbose` with `--quiet`, and malformed `--set` values.
    ///
    /// - Throws: `ValidationError` (exit code 64).
    public func validate() throws {
        if verbose && quiet {
            throw ValidationError("--verbose and --quiet cannot be used together.")
        }
        for override in overrides where !override.contains("=") || override.hasPrefix("=") {
            throw ValidationError("--set expects key=value, got '\(override)'.")
        }
    }

    /// The log level the flags ask for: debug when verbose, error when quiet, info otherwise.
    public var logLevel: Logger.Level {
        if verbose { return .debug }
        if quiet { return .error }
        return .info
    }
}
