/// What the configuration-driven script works with, once the configuration is loaded, checked and
/// overridden. Provided: not part of the exercise.
///
/// The token is kept out of everything the script prints: `Encodable` leaves it out, and so does
/// ``summaryLines``.
public struct ScriptSettings: Sendable, Equatable, Encodable {
    /// The environment whose file was loaded (`development`, `staging` or `production`).
    public var environment: String
    /// The GitHub organization to work on (`github.organization`).
    public var organization: String
    /// The API token (`github.token`, usually `${GITHUB_TOKEN}` in the file). Never printed.
    public var token: String
    /// How often a failed call is retried (`settings.max_retries`).
    public var maxRetries: Int
    /// Whether responses are cached (`cache.enabled`, `true` when absent).
    public var cacheEnabled: Bool

    /// Creates the settings.
    public init(environment: String, organization: String, token: String, maxRetries: Int, cacheEnabled: Bool) {
        self.environment = environment
        self.organization = organization
        self.token = token
        self.maxRetries = maxRetries
        self.cacheEnabled = cacheEnabled
    }

    private enum CodingKeys: String, CodingKey {
        case environment, organization
        case maxRetries = "max_retries"
        case cacheEnabled = "cache_enabled"
    }

    /// The lines the script prints without `--json`, in this order.
    public var summaryLines: [String] {
        [
            "Environment: \(environment)",
            "Organization: \(organization)",
            "Max retries: \(maxRetries)",
            "Cache enabled: \(cacheEnabled)",
        ]
    }
}
