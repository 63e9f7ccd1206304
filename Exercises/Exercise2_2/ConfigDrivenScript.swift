import ArgumentParser
import ExerciseSupport
import MokoEnterprise

/// `config-driven-script [--env development|staging|production] [--config <file>] [--org <name>]
/// [--max-retries <n>] [--cache|--no-cache]`: loads the environment's configuration, checks it, lets
/// command-line flags override it, and prints the settings it would work with.
///
/// The precedence, lowest first: `<config-dir>/<env>.yaml` → the `--config` file → `MOKO_*` environment
/// variables → `--set key=value` → the dedicated flags (`--org`, `--max-retries`, `--cache`). Required keys
/// are checked after every layer is applied, so a flag can supply a key the files lack.
public struct ConfigDrivenScript: CLIApp {
    /// The command's name and help text.
    public static let configuration = CommandConfiguration(
        commandName: "config-driven-script", abstract: "Prints the settings the configuration selects.")

    /// The environments the script knows.
    public static let environments = ["development", "staging", "production"]

    /// The keys without which the script cannot run.
    public static let requiredKeys = ["github.organization", "github.token", "settings.max_retries"]

    /// The library's shared flags: `--env`, `--config`, `--set`, `--dry-run`, `--json`...
    @OptionGroup public var standardOptions: StandardOptions

    /// The folder holding `development.yaml`, `staging.yaml` and `production.yaml`.
    @Option(help: ArgumentHelp("The folder of the per-environment files.", valueName: "dir"))
    public var configDir = "config"

    /// Overrides `github.organization`.
    @Option(help: "The GitHub organization (overrides github.organization).")
    public var org: String?

    /// Overrides `settings.max_retries`.
    @Option(help: "How often a failed call is retried (overrides settings.max_retries).")
    public var maxRetries: Int?

    /// Overrides `cache.enabled`: `--cache` or `--no-cache`; `nil` when neither is given.
    @Flag(inversion: .prefixedNo, help: "Cache responses (overrides cache.enabled).")
    public var cache: Bool?

    /// Creates a command with default values; swift-argument-parser fills the options in.
    public init() {}

    /// Rejects an unknown `--env` and a negative `--max-retries` before anything is read (exit 64).
    public func validate() throws {
        // TODO: throw a `ValidationError` when `standardOptions.env` is given and is not one of
        //   `Self.environments`, and when `maxRetries` is negative.
    }

    /// Loads the configuration, applies the flags over it, checks the required keys and returns the
    /// settings.
    ///
    /// - Throws: ``ConfigError`` (exit 78): a missing file, an undefined `${VAR}`, or `missingKeys` naming
    ///   every missing required key; ``CLIError/usage(_:)`` when `MOKO_ENV` names an unknown environment.
    public func initialize(_ context: CLIContext) async throws -> ScriptSettings {
        // TODO: 1. without `--env`, MOKO_ENV (from `context.environment`) picks the environment: refuse a name
        //          that is not one of `Self.environments` with `CLIError.usage` before reading any file;
        //       2. load the configuration the standard flags select (`--env`, `--config`, `--set`) from
        //          `configDir`, with `${VAR}` resolved from `context.environment` (the context can do it);
        //       3. apply `--org`, `--max-retries` and `--cache/--no-cache` over the file values;
        //       4. check `Self.requiredKeys` (one error naming every missing key: exit 78);
        //       5. read the values into a `ScriptSettings` (`cache.enabled` is true when absent).
        throw Unimplemented("loading the configuration (ConfigDrivenScript.initialize(_:))", exercise: "2.2")
    }

    /// Prints the settings: one line each, or a JSON object with `--json`. The token is never printed.
    public func execute(_ context: CLIContext, state settings: ScriptSettings) async throws {
        // TODO: write `settings.summaryLines` (one per line), or `settings` as JSON with `--json`, through
        //   the context's output helpers (never `print`).
        throw Unimplemented("printing the settings (ConfigDrivenScript.execute(_:state:))", exercise: "2.2")
    }
}
