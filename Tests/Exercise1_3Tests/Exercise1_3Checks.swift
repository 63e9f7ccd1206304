import ArgumentParser
import Exercise1_3
import MokoEnterprise
import MokoEnterpriseTestSupport
import Synchronization
import XCTest

/// Checks for Exercise 1.3, the `greet` command. Run them with `swift test --filter Exercise1_3Tests`.
///
/// The command runs in-process: arguments are parsed with `Greet.parse(_:)` and its output is captured
/// through the `CLIContext`, so nothing is printed and no process is started.
final class Exercise1_3Checks: XCTestCase {
    func test1_printsHelloWithTheGivenName() async throws {
        let output = try await Exercise1_3Run.output(of: ["--name", "Ada"])
        XCTAssertEqual(
            output, "Hello, Ada!\n",
            "`greet --name Ada` should print exactly `Hello, Ada!` on one line. Run `lab hint 1.3`.")
    }

    func test2_uppercaseFlagPrintsTheGreetingInCapitals() async throws {
        let output = try await Exercise1_3Run.output(of: ["--name", "Ada", "--uppercase"])
        XCTAssertEqual(
            output, "HELLO, ADA!\n",
            "`greet --name Ada --uppercase` should print the whole greeting in capitals. Run `lab hint 1.3`.")
    }

    func test3_missingNameIsAUsageErrorWithExitCode64() {
        do {
            _ = try Greet.parse([])
            XCTFail("`greet` without `--name` was accepted; `--name` must be required. Run `lab hint 1.3`.")
        } catch {
            XCTAssertEqual(
                Greet.exitCode(for: error).rawValue, 64,
                "A missing `--name` should end with exit code 64 (bad usage). Run `lab hint 1.3`.")
        }
    }

    func test4_runsThroughTheFrameworkAndExitsWithZero() async throws {
        let command = try Exercise1_3Run.parse(["--name", "Grace"])
        let output = Exercise1_3Output()
        let code = await CliFramework.run(
            command, context: try Exercise1_3Run.context(for: command, output: output),
            interrupts: AsyncStream { $0.finish() })
        XCTAssertEqual(
            code, .success,
            "Running `greet --name Grace` through the framework should exit 0; the error is logged above. "
                + "Run `lab hint 1.3`.")
        XCTAssertEqual(
            output.text, "Hello, Grace!\n", "The framework run should print the greeting. Run `lab hint 1.3`.")
    }
}

/// Collects what the command writes.
final class Exercise1_3Output: Sendable {
    private let buffer = Mutex("")

    /// Everything written so far.
    var text: String { buffer.withLock { $0 } }

    /// Appends text.
    func write(_ text: String) { buffer.withLock { $0 += text } }
}

/// Parses and runs `Greet` in-process.
enum Exercise1_3Run {
    /// Parses `arguments`, turning a parse error into a failure that names the arguments.
    static func parse(_ arguments: [String]) throws -> Greet {
        do {
            return try Greet.parse(arguments)
        } catch {
            let message = Greet.message(for: error)
            throw Exercise1_3CheckFailure(
                "`greet \(arguments.joined(separator: " "))` was rejected: \(message). Declare `--name` and "
                    + "`--uppercase` — see the TODO in Greet.swift; run `lab hint 1.3`.")
        }
    }

    /// A context whose output goes to `output` and whose logs go to stderr.
    static func context(for command: Greet, output: Exercise1_3Output) throws -> CLIContext {
        try CLIContext(
            options: command.standardOptions, commandName: "greet", environment: [:], wallClock: ManualClock(),
            output: { output.write($0) })
    }

    /// Parses `arguments`, runs the command's `execute` step and returns what it printed.
    static func output(of arguments: [String]) async throws -> String {
        let command = try parse(arguments)
        let output = Exercise1_3Output()
        try await command.execute(try context(for: command, output: output), state: ())
        return output.text
    }
}

/// A check's own failure, thrown so the test stops with a clear message.
struct Exercise1_3CheckFailure: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    var description: String

    init(_ description: String) { self.description = description }
}
