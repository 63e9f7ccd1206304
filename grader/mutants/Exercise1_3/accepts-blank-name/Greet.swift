// MUTANT accepts-blank-name: forgets to reject a blank `--name`.
// Caught by Exercise1_3HiddenChecks.test4_blankNameIsAUsageError.

import ArgumentParser
import Foundation
import MokoEnterprise

/// `greet --name Ada [--uppercase]`: prints `Hello, Ada!` (or `HELLO, ADA!`).
///
/// A ``CLIApp`` gets the standard flags (`--verbose`, `--dry-run`, `--json`...), a logger, exit codes
/// (64 for bad usage) and Ctrl-C handling from the library; the command only declares its own options
/// and does its work in ``execute(_:state:)``.
public struct Greet: CLIApp {
    /// The command's name and help text.
    public static let configuration = CommandConfiguration(
        commandName: "greet", abstract: "Prints a greeting.")

    /// The library's shared flags.
    @OptionGroup public var standardOptions: StandardOptions

    /// Who to greet. No default, so swift-argument-parser itself rejects a missing `--name` with a usage
    /// error (exit 64) before any of our code runs.
    @Option(help: "The name of the person to greet.")
    public var name: String

    /// Prints the whole greeting in capitals.
    @Flag(help: "Print the greeting in uppercase.")
    public var uppercase = false

    /// Creates a command with default values; swift-argument-parser fills the options in.
    public init() {}

    /// MUTANT (caught by Exercise1_3HiddenChecks.test4_blankNameIsAUsageError): no check for a blank name,
    /// so `--name ""` prints `Hello, !` and exits 0.
    public func validate() throws {
    }

    /// The text to print: `Hello, NAME!`, all capitals with `--uppercase`.
    public func greeting() throws -> String {
        let text = "Hello, \(name)!"
        return uppercase ? text.uppercased() : text
    }

    /// Writes the greeting through the context, never with `print`: the context decides where output goes
    /// (stdout in the real command, a buffer in the checks).
    public func execute(_ context: CLIContext, state: Void) async throws {
        context.outputText(try greeting())
    }
}
