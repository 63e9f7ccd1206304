import ArgumentParser

/// An automation script built on swift-argument-parser with the MokoStandards lifecycle:
/// ``initialize(_:)`` → ``validateInputs(_:state:)`` → ``execute(_:state:)``, and ``onInterrupt(_:state:)``
/// on Ctrl-C.
///
/// Conform a command, include ``StandardOptions``, and implement the steps; `run()` is provided and calls
/// ``CliFramework/runLifecycle(_:context:)``, which maps errors to ``CLIExitCode``s (64 usage, 78
/// configuration, 1 failure, 130 interrupted).
///
/// ```swift
/// @main
/// struct Greet: CLIApp {
///     static let configuration = CommandConfiguration(commandName: "greet", version: "1.0.0")
///     @OptionGroup var standardOptions: StandardOptions
///     @Option var name: String
///
///     func initialize(_ context: CLIContext) async throws -> Config {
///         try context.loadConfig(requiredKeys: ["greeting.prefix"])
///     }
///
///     func execute(_ context: CLIContext, state config: Config) async throws {
///         context.outputText("\(try config.getString("greeting.prefix", default: "Hello")), \(name)!")
///     }
/// }
/// ```
///
/// Commands are `Sendable` (their flags are plain values): the work runs in a child task so Ctrl-C can
/// cancel it.
///
/// `State` is what ``initialize(_:)`` builds (configuration, clients, a checkpoint): commands are parsed
/// values, so they keep it out of their stored properties. It is `Void` when nothing is needed.
public protocol CLIApp: AsyncParsableCommand, Sendable {
    /// What ``initialize(_:)`` builds and the later steps use.
    associatedtype State: Sendable = Void

    /// The shared flags; declare it as `@OptionGroup var standardOptions: StandardOptions`.
    var standardOptions: StandardOptions { get }

    /// Sets up libraries (configuration, audit logger, API client). Throw ``ConfigError`` for a bad
    /// configuration (exit 78).
    ///
    /// - Parameter context: the options, logger and output helpers.
    /// - Returns: the state the later steps use.
    func initialize(_ context: CLIContext) async throws -> State

    /// Checks inputs that need the state (e.g. the organization named in the config exists).
    /// Throw `ValidationError` or ``CLIError/usage(_:)`` for bad usage (exit 64).
    ///
    /// - Parameters:
    ///   - context: the options, logger and output helpers.
    ///   - state: what ``initialize(_:)`` built.
    func validateInputs(_ context: CLIContext, state: State) throws

    /// The work. Check `context.isDryRun` before changing anything; honour task cancellation, which is
    /// how Ctrl-C reaches it.
    ///
    /// - Parameters:
    ///   - context: the options, logger and output helpers.
    ///   - state: what ``initialize(_:)`` built.
    func execute(_ context: CLIContext, state: State) async throws

    /// Runs after SIGINT/SIGTERM cancelled ``execute(_:state:)`` and it returned: save the checkpoint here.
    /// The process then exits 130 (143 for SIGTERM). A second Ctrl-C exits at once. Not called when the
    /// signal arrives before ``initialize(_:)`` returned (there is no state to save yet).
    ///
    /// - Parameters:
    ///   - context: the options, logger and output helpers.
    ///   - state: what ``initialize(_:)`` built.
    func onInterrupt(_ context: CLIContext, state: State) async
}

extension CLIApp where State == Void {
    /// Nothing to set up.
    public func initialize(_ context: CLIContext) async throws {}
}

extension CLIApp {
    /// No extra validation by default.
    public func validateInputs(_ context: CLIContext, state: State) throws {}

    /// Nothing to save by default.
    public func onInterrupt(_ context: CLIContext, state: State) async {}

    /// Runs the lifecycle with a context built from the standard options.
    public mutating func run() async throws {
        try await CliFramework.runLifecycle(self)
    }
}
