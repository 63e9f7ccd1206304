// MUTANT requires-before-flags: checks the required keys while loading, before the flags are applied, so a
// flag cannot supply a key the files lack.
// Caught by Exercise2_2HiddenChecks.test6_aFlagSuppliesAKeyTheFilesLack.

import ArgumentParser
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
        if let env = standardOptions.env, !Self.environments.contains(env) {
            throw ValidationError(
                "--env must be one of \(Self.environments.joined(separator: ", ")), got '\(env)'.")
        }
        if let maxRetries, maxRetries < 0 {
            throw ValidationError("--max-retries must be 0 or more.")
        }
    }

    /// Loads the configuration, applies the flags over it, checks the required keys and returns the
    /// settings.
    ///
    /// - Throws: ``ConfigError`` (exit 78): a missing file, an undefined `${VAR}`, or `missingKeys` naming
    ///   every missing required key; ``CLIError/usage(_:)`` when `MOKO_ENV` names an unknown environment.
    public func initialize(_ context: CLIContext) async throws -> ScriptSettings {
        // The library does the layering: <dir>/<env>.yaml, then --config on top, MOKO_* variables, then
        // --set. `${GITHUB_TOKEN}` in a file is resolved from the context's environment (an unset variable
        // is a ConfigError naming it), so nothing here reads the process environment directly.
        // `--env` was checked in validate(); MOKO_ENV (its fallback) is checked here, before any file is read.
        if standardOptions.env == nil, let name = context.environment["MOKO_ENV"], !name.isEmpty,
            !Self.environments.contains(name)
        {
            throw CLIError.usage("MOKO_ENV must be one of \(Self.environments.joined(separator: ", ")), got '\(name)'.")
        }
        var config = try context.loadConfig(directory: configDir, requiredKeys: Self.requiredKeys)
        // The dedicated flags are the highest layer. They go in BEFORE `require`: `--org acme` must satisfy
        // a file that has no github.organization.
        if let org { config.set("github.organization", .string(org)) }
        if let maxRetries { config.set("settings.max_retries", .int(maxRetries)) }
        if let cache { config.set("cache.enabled", .bool(cache)) }
        return ScriptSettings(
            environment: config.environmentName,
            organization: try config.getString("github.organization") ?? "",
            token: try config.getString("github.token") ?? "",
            maxRetries: try config.getInt("settings.max_retries") ?? 0,
            cacheEnabled: try config.getBool("cache.enabled", default: true))
    }

    /// Prints the settings: one line each, or a JSON object with `--json`. The token is never printed.
    public func execute(_ context: CLIContext, state settings: ScriptSettings) async throws {
        context.logger.info(
            "Configuration ready",
            metadata: ["environment": "\(settings.environment)", "organization": "\(settings.organization)"])
        try context.output(settings, text: settings.summaryLines.joined(separator: "\n"))
    }
}
