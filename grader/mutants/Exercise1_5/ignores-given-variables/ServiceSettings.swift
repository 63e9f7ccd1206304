// MUTANT ignores-given-variables: loads with the process's environment instead of `variables`.
// Caught by Exercise1_5HiddenChecks.test2_environmentVariablesAreHonoured.

import Foundation
import MokoEnterprise

/// The settings a service needs, read from `<directory>/<environment>.yaml`.
///
/// ```yaml
/// # config/production.yaml
/// database:
///   host: db.internal
///   port: 5432
/// api:
///   base_url: https://api.example.com
/// features:
///   debug: false
/// ```
public struct ServiceSettings: Sendable, Equatable {
    /// The keys every environment's file must provide, in dot notation.
    public static let requiredKeys = ["database.host", "database.port", "api.base_url"]

    /// `database.host`.
    public var databaseHost: String
    /// `database.port`.
    public var databasePort: Int
    /// `api.base_url`.
    public var apiBaseURL: String
    /// `features.debug`; `false` when the file does not say.
    public var debug: Bool

    /// Creates settings from values.
    public init(databaseHost: String, databasePort: Int, apiBaseURL: String, debug: Bool) {
        self.databaseHost = databaseHost
        self.databasePort = databasePort
        self.apiBaseURL = apiBaseURL
        self.debug = debug
    }

    /// Loads the settings of one environment.
    ///
    /// - Parameters:
    ///   - environment: `development`, `staging`, `production`...: selects `<directory>/<environment>.yaml`.
    ///   - directory: the folder of the per-environment files.
    ///   - variables: the environment variables (`MOKO_DATABASE_PORT` overrides `database.port`); the
    ///     process's by default, an explicit dictionary in tests.
    /// - Returns: the settings.
    /// - Throws: ``ConfigError``: `fileNotFound`, `invalidFile`, `missingKeys` naming *every* missing key at
    ///   once, or `typeMismatch`.
    public static func load(
        environment: String, directory: String,
        variables: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ServiceSettings {
        // MUTANT: `variables` is not passed on, so the loader reads the process's environment.
        let config = try Config.load(env: environment, directory: directory)
        // One call checks all keys: the operator fixes the file once instead of once per missing key.
        try config.require(requiredKeys)
        // After `require`, the typed getters cannot return nil for these keys; `?? ""` only satisfies the
        // compiler without a force unwrap. They still throw `typeMismatch` for e.g. `port: fast`.
        return ServiceSettings(
            databaseHost: try config.getString("database.host") ?? "",
            databasePort: try config.getInt("database.port") ?? 0,
            apiBaseURL: try config.getString("api.base_url") ?? "",
            debug: try config.getBool("features.debug", default: false))
    }
}
