import ArgumentParser
import Exercise1_3
import ExerciseSupport
import Logging
import MokoEnterprise
import MokoEnterpriseTestSupport
import Synchronization
import XCTest

/// Hidden checks for Exercise 1.3.
///
/// Messages never show the generated names or the expected text: comparisons use `XCTAssertTrue` (which,
/// unlike `XCTAssertEqual`, prints no values) and errors from the trainee's code are rethrown through
/// `HiddenCheckFailure.concealing`, which keeps only their type.
final class Exercise1_3HiddenChecks: XCTestCase {
    func test1_greetsManyNamesExactly() async throws {
        var random = CheckRandomGenerator(seed: 1_303)
        for _ in 0..<20 {
            let name = Exercise1_3HiddenRun.name(using: &random)
            let output = try await Exercise1_3HiddenRun.output(of: ["--name", name])
            XCTAssertTrue(
                output == "Hello, \(name)!\n", "A generated name was not greeted exactly. Run `lab hint 1.3`.")
        }
    }

    func test2_uppercaseCapitalisesTheWholeGreetingForManyNames() async throws {
        var random = CheckRandomGenerator(seed: 1_304)
        for _ in 0..<20 {
            let name = Exercise1_3HiddenRun.name(using: &random)
            let output = try await Exercise1_3HiddenRun.output(of: ["--uppercase", "--name", name])
            XCTAssertTrue(
                output == "Hello, \(name)!\n".uppercased(),
                "`--uppercase` (given before `--name`) did not capitalise the whole greeting of a generated name. "
                    + "Run `lab hint 1.3`.")
        }
    }

    func test3_nameWithSpacesAndEqualsSyntaxIsKept() async throws {
        let output = try await Exercise1_3HiddenRun.output(of: ["--name=Ada Lovelace"])
        XCTAssertTrue(
            output == "Hello, Ada Lovelace!\n",
            "A name with a space, given as `--name=<value>`, was not greeted exactly. Run `lab hint 1.3`.")
    }

    func test4_blankNameIsAUsageError() {
        XCTAssertTrue(
            Exercise1_3HiddenRun.exitCode(parsing: ["--name", "Ada"]) == 0,
            "A valid `--name` was rejected. Run `lab hint 1.3`.")
        for blank in ["", "   "] {
            XCTAssertTrue(
                Exercise1_3HiddenRun.exitCode(parsing: ["--name", blank]) == 64,
                "A blank `--name` should be rejected with exit code 64. Run `lab hint 1.3`.")
        }
    }

    func test5_missingNameAndUnknownOptionAreUsageErrors() {
        XCTAssertTrue(
            Exercise1_3HiddenRun.exitCode(parsing: ["--name", "Ada", "--uppercase"]) == 0,
            "Valid arguments (`--name` and `--uppercase`) were rejected. Run `lab hint 1.3`.")
        XCTAssertTrue(
            Exercise1_3HiddenRun.exitCode(parsing: ["--uppercase"]) == 64,
            "`--uppercase` without `--name` should exit 64. Run `lab hint 1.3`.")
        XCTAssertTrue(
            Exercise1_3HiddenRun.exitCode(parsing: ["--name", "Ada", "--shout"]) == 64,
            "An unknown option should exit 64. Run `lab hint 1.3`.")
    }

    func test6_frameworkRunPrintsOnceAndExitsZero() async throws {
        let command = try Exercise1_3HiddenRun.parse(["--name", "Linus", "--uppercase"])
        let output = Exercise1_3HiddenOutput()
        let context = try Exercise1_3HiddenRun.context(for: command, output: output)
        let code = await CliFramework.run(command, context: context, interrupts: AsyncStream { $0.finish() })
        XCTAssertTrue(code == .success, "Running through `CliFramework.run` did not exit 0. Run `lab hint 1.3`.")
        XCTAssertTrue(
            output.text == "HELLO, LINUS!\n",
            "Running through `CliFramework.run` did not print the greeting exactly once. Run `lab hint 1.3`.")
    }
}

/// Collects what the command writes.
final class Exercise1_3HiddenOutput: Sendable {
    private let buffer = Mutex("")

    var text: String { buffer.withLock { $0 } }

    func write(_ text: String) { buffer.withLock { $0 += text } }
}

/// Parses and runs `Greet` in-process without letting an error's text (which may quote a generated
/// argument) reach the report.
enum Exercise1_3HiddenRun {
    static func name(using random: inout CheckRandomGenerator) -> String {
        let first = random.word(length: 1, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZÉØ")
        let length = Int.random(in: 1...9, using: &random)
        let rest = random.word(length: length, alphabet: "abcdefghijklmnopqrstuvwxyzëñ")
        let word = first + rest
        return Bool.random(using: &random) ? word : word + " " + word
    }

    /// The exit code of parsing `arguments` (0 when they parse).
    static func exitCode(parsing arguments: [String]) -> Int32 {
        do {
            _ = try Greet.parse(arguments)
            return 0
        } catch {
            return Greet.exitCode(for: error).rawValue
        }
    }

    static func parse(_ arguments: [String]) throws -> Greet {
        do {
            return try Greet.parse(arguments)
        } catch {
            throw HiddenCheckFailure(
                "Valid arguments were rejected with exit code \(Greet.exitCode(for: error).rawValue); declare "
                    + "`--name` and `--uppercase` as the README says",
                exercise: "1.3")
        }
    }

    /// A context that captures the output and discards the logs (an error logged by `CliFramework.run` could
    /// quote a generated name).
    static func context(for command: Greet, output: Exercise1_3HiddenOutput) throws -> CLIContext {
        try CLIContext(
            options: command.standardOptions, commandName: "greet", environment: [:], wallClock: ManualClock(),
            logHandler: SwiftLogNoOpLogHandler(), output: { output.write($0) })
    }

    static func output(of arguments: [String]) async throws -> String {
        let command = try parse(arguments)
        let output = Exercise1_3HiddenOutput()
        do {
            try await command.execute(try context(for: command, output: output), state: ())
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "Greet.execute", exercise: "1.3")
        }
        return output.text
    }
}
