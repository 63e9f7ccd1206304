/// A retry policy, circuit breaker or rate limiter was given a setting outside its valid range.
///
/// Thrown before anything runs: nothing was attempted and no state changed. Fix the named setting.
public struct ResilienceConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The component that rejected the setting, e.g. `RetryPolicy`.
    public var component: String
    /// The setting, e.g. `maxRetries`.
    public var setting: String
    /// The rejected value, as text.
    public var value: String
    /// What the setting must satisfy, e.g. `>= 0`.
    public var requirement: String

    /// Creates the error.
    ///
    /// - Parameters:
    ///   - component: the component that rejected the setting.
    ///   - setting: the setting's name.
    ///   - value: the rejected value, as text.
    ///   - requirement: what a valid value satisfies.
    public init(component: String, setting: String, value: String, requirement: String) {
        self.component = component
        self.setting = setting
        self.value = value
        self.requirement = requirement
    }

    /// A sentence naming the setting, its value and the requirement.
    public var description: String {
        "\(component).\(setting) is \(value) but must be \(requirement); nothing was run, fix the setting"
    }

    /// Throws unless `condition` holds.
    static func check(
        _ condition: Bool,
        _ component: String,
        _ setting: String,
        _ value: some CustomStringConvertible,
        _ requirement: String
    ) throws(ResilienceConfigurationError) {
        guard condition else {
            throw ResilienceConfigurationError(
                component: component,
                setting: setting,
                value: value.description,
                requirement: requirement
            )
        }
    }
}
