import ExerciseSupport
import Foundation
import MokoEnterprise

/// The settings a service needs, read from `<directory>/<environment>.yaml`.
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
    ///   - environment: selects `<directory>/<environment>.yaml`.
    ///   - directory: the folder of the per-environment files.
    ///   - variables: the environment variables; the process's by default, an explicit dictionary in tests.
    /// - Returns: the settings.
    /// - Throws: the library's configuration error; a missing-keys error must name every missing key.
    public static func load(
        environment: String, directory: String,
        variables: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ServiceSettings {
        // TODO: load the environment's configuration with the library (pass `variables` through),
        // require every key of `requiredKeys` at once, then read each value with dot notation
        // (`features.debug` is optional and defaults to false).
        throw Unimplemented(
            "loading the settings (ServiceSettings.load(environment:directory:variables:))", exercise: "1.5")
    }
}
