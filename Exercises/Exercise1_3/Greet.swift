import ArgumentParser
import ExerciseSupport
import MokoEnterprise

/// `greet --name Ada [--uppercase]`: prints `Hello, Ada!` (or `HELLO, ADA!`).
public struct Greet: CLIApp {
    /// The command's name and help text.
    public static let configuration = CommandConfiguration(
        commandName: "greet", abstract: "Prints a greeting.")

    /// The library's shared flags.
    @OptionGroup public var standardOptions: StandardOptions

    // TODO: declare the command's own arguments:
    //   - `--name <name>`: required (no default value), the person to greet;
    //   - `--uppercase`: a flag, `false` unless given.

    /// Creates a command with default values; swift-argument-parser fills the options in.
    public init() {}

    /// Rejects bad usage that the declarations alone cannot express.
    public func validate() throws {
        // TODO: a blank `--name ""` is bad usage: throw a `ValidationError` with a helpful message.
    }

    /// The text to print: `Hello, NAME!`, all capitals with `--uppercase`.
    public func greeting() throws -> String {
        // TODO: build the greeting from the options.
        throw Unimplemented("the greeting text (Greet.greeting())", exercise: "1.3")
    }

    /// Writes the greeting.
    public func execute(_ context: CLIContext, state: Void) async throws {
        // TODO: write the greeting with `context.outputText(_:)` (not `print`), so the checks can read it.
        throw Unimplemented("writing the greeting (Greet.execute(_:state:))", exercise: "1.3")
    }
}
