import Foundation
import MokoEnterprise

/// Everything a run needs, read from the flags, the environment and the configuration, and validated
/// before the first request is sent.
struct ProjectSettings: Sendable {
    /// The organisation whose repositories are enforced.
    var organisation: String
    /// The environment whose configuration was loaded.
    var environment: String
    /// The policy.
    var policy: Policy
    /// Repositories worked on at the same time (1–32).
    var concurrency: Int
    /// Where the audit store, checkpoint, dead letter queue, ETag store and metrics go.
    var stateDirectory: URL
    /// Where the compliance report goes.
    var reportFile: URL
    /// The report's format.
    var format: ComplianceReportFormat
    /// Whether nothing may be changed.
    var dryRun: Bool
    /// Retries per request inside the client (transient errors, 5xx, rate limits).
    var maxRetries: Int
    /// Attempts per repository, over runs, before it is parked in the dead letter queue.
    var repositoryAttempts: Int
    /// Consecutive failures that open the circuit breaker.
    var breakerThreshold: Int
    /// How long the breaker stays open before a trial call.
    var breakerTimeout: Duration
    /// The GitHub API base URL (`GITHUB_API_URL`), nil for api.github.com.
    var apiURL: URL?
    /// The token (`GITHUB_TOKEN`). Never logged, audited or reported.
    var token: String

    /// Builds and validates the settings.
    ///
    /// - Parameters:
    ///   - command: the parsed command line.
    ///   - context: the CLI context (environment, options, logger).
    /// - Returns: the settings.
    /// - Throws: ``CLIError/usage(_:)`` for a bad flag value, ``CLIError/configuration(_:)`` for a bad or
    ///   missing configuration value or a missing token.
    static func resolve(_ command: MokoProject, context: CLIContext) throws -> ProjectSettings {
        let validator = SecurityValidator()
        guard let rawOrganisation = command.org else {
            throw CLIError.usage("--org is required (the organisation whose repositories to enforce)")
        }
        let organisation: String
        do {
            organisation = try validator.validateInput(rawOrganisation, type: .githubOrganization)
        } catch {
            throw CLIError.usage("--org: \(error)")
        }
        if validator.detectSQLInjection(rawOrganisation).isInjection {
            throw CLIError.usage("--org: the value looks like an injection attempt")
        }

        let config = try loadConfig(context: context)
        let policy = try Policy.load(from: config)
        func integer(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            let value: Int
            do {
                value = try config.getInt(key, default: fallback)
            } catch {
                throw CLIError.configuration("\(key): \(error)")
            }
            guard range.contains(value) else {
                throw CLIError.configuration("\(key) must be between \(range.lowerBound) and \(range.upperBound)")
            }
            return value
        }
        let concurrency = try command.concurrency ?? integer("run.concurrency", 4, 1...32)
        guard (1...32).contains(concurrency) else { throw CLIError.usage("--concurrency must be between 1 and 32") }

        let format: ComplianceReportFormat
        do {
            format = try ComplianceReportFormat(parsing: command.format)
        } catch {
            throw CLIError.usage("--format: \(error)")
        }
        guard format != .markdown else { throw CLIError.usage("--format must be json, html or csv") }

        let stateDirectory = URL(fileURLWithPath: try checkedPath(command.stateDir, flag: "--state-dir"))
        let reportFile = URL(
            fileURLWithPath: try checkedPath(
                command.report ?? stateDirectory.appendingPathComponent("report.\(format.fileExtension)").path,
                flag: "--report"))

        var apiURL: URL?
        if let raw = context.environment["GITHUB_API_URL"], !raw.isEmpty {
            guard validator.isValidInput(raw, type: .url), let url = URL(string: raw),
                let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil
            else {
                throw CLIError.configuration("GITHUB_API_URL must be an http(s) URL such as https://api.github.com")
            }
            apiURL = url
        }
        let token = try context.getToken()
        guard !token.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw CLIError.configuration("GITHUB_TOKEN holds whitespace; export the token alone")
        }

        return ProjectSettings(
            organisation: organisation,
            environment: config.environmentName,
            policy: policy,
            concurrency: concurrency,
            stateDirectory: stateDirectory,
            reportFile: reportFile,
            format: format,
            dryRun: context.isDryRun,
            maxRetries: try integer("resilience.max_retries", 4, 0...10),
            repositoryAttempts: try integer("resilience.repository_attempts", 3, 1...20),
            breakerThreshold: try integer("resilience.breaker_threshold", 5, 1...100),
            breakerTimeout: .seconds(try integer("resilience.breaker_timeout_seconds", 30, 1...3_600)),
            apiURL: apiURL,
            token: token)
    }

    /// Loads `config/<env>.yaml` and `--config`; with neither present, the built-in defaults.
    private static func loadConfig(context: CLIContext) throws -> Config {
        let known = [
            "policy.settings.has_issues", "policy.settings.has_wiki", "policy.settings.has_projects",
            "policy.branch_protection.required_approving_review_count",
            "policy.branch_protection.dismiss_stale_reviews", "policy.branch_protection.enforce_admins",
            "policy.teams", "run.concurrency", "resilience.max_retries", "resilience.repository_attempts",
            "resilience.breaker_threshold", "resilience.breaker_timeout_seconds",
        ]
        if let path = context.options.config {
            _ = try checkedPath(path, flag: "--config")
        }
        var config: Config
        do {
            config = try context.loadConfig()
        } catch ConfigError.fileNotFound where context.options.config == nil {
            // No config/<env>.yaml and no --config: the policy's defaults (and any --set).
            let name =
                [context.options.env, context.environment["MOKO_ENV"]].compactMap { $0 }
                .first { !$0.isEmpty } ?? "development"
            guard SecurityValidator().isValidInput(name, type: .identifier) else {
                throw CLIError.configuration("--env '\(name)' is not an environment name")
            }
            config = Config(environmentName: name)
            try config.applyOverrides(context.options.overrides)
        }
        do {
            try config.checkKnownKeys(known)
        } catch {
            throw CLIError.configuration("\(error)")
        }
        return config
    }

    /// Rejects a path with a NUL or control character or a `..` component (path traversal).
    private static func checkedPath(_ path: String, flag: String) throws -> String {
        guard !path.isEmpty else { throw CLIError.usage("\(flag) is empty") }
        guard !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw CLIError.usage("\(flag) holds a control character")
        }
        guard !path.split(separator: "/").contains("..") else {
            throw CLIError.usage("\(flag) must not contain '..' (path traversal)")
        }
        return path
    }
}
