import ArgumentParser
import MokoEnterprise

/// A small automation script on ``CLIApp``, run by the CLI end-to-end tests as a built binary.
///
/// - `moko-cli-example --name Ada` prints `Hello, Ada!`;
/// - `--use-config` loads `config/<env>.yaml` (+ `--config`, `--set`) and requires `greeting.prefix`
///   and `greeting.target` (a missing one exits 78);
/// - `--dry-run` prints what it would do; `--json` prints the result as JSON;
/// - `--wait-for-interrupt` prints `working`, waits for Ctrl-C, then the interrupt hook prints
///   `checkpoint saved` and the process exits 130.
@main
struct MokoCLIExample: CLIApp {
    static let configuration = CommandConfiguration(
        commandName: "moko-cli-example",
        abstract: "Greets someone; the end-to-end example of CliFramework.",
        version: "1.2.3"
    )

    @OptionGroup var standardOptions: StandardOptions

    @Option(help: "Who to greet.")
    var name = "world"

    @Flag(help: "Print the greeting in upper case.")
    var uppercase = false

    @Flag(help: "Read the greeting from the configuration (requires greeting.prefix and greeting.target).")
    var useConfig = false

    @Flag(help: "Work until interrupted, then save a checkpoint.")
    var waitForInterrupt = false

    struct State: Sendable {
        var prefix: String
        var target: String
    }

    struct Result: Encodable {
        var greeting: String
        var dryRun: Bool
        var environment: String?
    }

    func initialize(_ context: CLIContext) async throws -> State {
        guard useConfig else { return State(prefix: "Hello", target: name) }
        let config = try context.loadConfig(requiredKeys: ["greeting.prefix", "greeting.target"])
        context.logger.debug("Configuration", metadata: ["dump": "\(config.dump())"])
        return State(
            prefix: try config.getString("greeting.prefix", default: "Hello"),
            target: try config.getString("greeting.target", default: name))
    }

    func validateInputs(_ context: CLIContext, state: State) throws {
        if state.target.isEmpty { throw ValidationError("--name must not be empty.") }
    }

    func execute(_ context: CLIContext, state: State) async throws {
        if waitForInterrupt {
            context.outputText("working")
            // Waits until the task is cancelled (Ctrl-C): the stream never yields.
            let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
            for await _ in stream {}
            withExtendedLifetime(continuation) {}
            try Task.checkCancellation()
            return
        }
        var greeting = "\(state.prefix), \(state.target)!"
        if uppercase { greeting = greeting.uppercased() }
        let result = Result(
            greeting: greeting, dryRun: context.isDryRun, environment: useConfig ? context.options.env : nil)
        if context.isDryRun {
            try context.output(result, text: "DRY RUN: would print \"\(greeting)\"")
        } else {
            try context.output(result, text: greeting)
        }
    }

    func onInterrupt(_ context: CLIContext, state: State) async {
        context.outputText("checkpoint saved")
    }
}
