import ArgumentParser
import Exercise1_3
import ExerciseSupport
import MokoEnterprise
import MokoEnterpriseTestSupport
import Synchronization
import XCTest

/// Hidden checks for Exercise 1.3. Messages never show the generated names or the expected text.
final class Exercise1_3HiddenChecks: XCTestCase {
    func test1_greetsManyNamesExactly() async throws {
        var random = SeededRandomNumberGenerator(seed: 1_303)
        for _ in 0..<20 {
            let name = Exercise1_3HiddenRun.name(using: &random)
            let output = try await Exercise1_3HiddenRun.output(of: ["--name", name])
            XCTAssertEqual(output, "Hello, \(name)!\n", "A generated name was not greeted exactly. Run `lab hint 1.3`.")
        }
    }

    func test2_uppercaseCapitalisesTheWholeGreetingForManyNames() async throws {
        var random = SeededRandomNumberGenerator(seed: 1_304)
        for _ in 0..<20 {
            let name = Exercise1_3HiddenRun.name(using: &random)
            let output = try await Exercise1_3HiddenRun.output(of: ["--uppercase", "--name", name])
            XCTAssertEqual(
                output, "Hello, \(name)!\n".uppercased(),
                "`--uppercase` (given before `--name`) did not capitalise the whole greeting. Run `lab hint 1.3`.")
        }
    }

    func test3_nameWithSpacesAndEqualsSyntaxIsKept() async throws {
        let output = try await Exercise1_3HiddenRun.output(of: ["--name=Ada Lovelace"])
        XCTAssertEqual(output, "Hello, Ada Lovelace!\n", "`--name=<value>` with a space was not greeted exactly.")
    }

    func test4_blankNameIsAUsageError() {
        XCTAssertEqual(
            Exercise1_3HiddenRun.exitCode(parsing: ["--name", "Ada"]), 0, "A valid `--name` was rejected.")
        for blank in ["", "   "] {
            XCTAssertEqual(
                Exercise1_3HiddenRun.exitCode(parsing: ["--name", blank]), 64,
                "A blank `--name` should be rejected with exit code 64. Run `lab hint 1.3`.")
        }
    }

    func test5_missingNameAndUnknownOptionAreUsageErrors() {
        XCTAssertEqual(
            Exercise1_3HiddenRun.exitCode(parsing: ["--name", "Ada", "--uppercase"]), 0,
            "Valid arguments were rejected.")
        XCTAssertEqual(
            Exercise1_3HiddenRun.exitCode(parsing: ["--uppercase"]), 64,
            "`--uppercase` without `--name` should exit 64.")
        XCTAssertEqual(
            Exercise1_3HiddenRun.exitCode(parsing: ["--name", "Ada", "--shout"]), 64,
            "An unknown option should exit 64.")
    }

    func test6_frameworkRunPrintsOnceAndExitsZero() async throws {
        let command = try Greet.parse(["--name", "Linus", "--uppercase"])
        let output = Exercise1_3HiddenOutput()
        let context = try CLIContext(
            options: command.standardOptions, commandName: "greet", environment: [:], wallClock: ManualClock(),
            output: { output.write($0) })
        let code = await CliFramework.run(command, context: context, interrupts: AsyncStream { $0.finish() })
        XCTAssertEqual(code, .success, "The framework run did not exit 0.")
        XCTAssertEqual(output.text, "HELLO, LINUS!\n", "The framework run did not print the greeting exactly once.")
    }
}

/// Collects what the command writes.
final class Exercise1_3HiddenOutput: Sendable {
    private let buffer = Mutex("")

    var text: String { buffer.withLock { $0 } }

    func write(_ text: String) { buffer.withLock { $0 += text } }
}

enum Exercise1_3HiddenRun {
    static func name(using random: inout SeededRandomNumberGenerator) -> String {
        let first = random.word(length: 1, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZÉØ")
        let length = Int.random(in: 1...9, using: &random)
        let rest = random.word(length: length, alphabet: "abcdefghijklmnopqrstuvwxyzëñ")
        return Bool.random(using: &random) ? first + rest : first + rest + " " + first + rest
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

    static func output(of arguments: [String]) async throws -> String {
        let command = try Greet.parse(arguments)
        let output = Exercise1_3HiddenOutput()
        let context = try CLIContext(
            options: command.standardOptions, commandName: "greet", environment: [:], wallClock: ManualClock(),
            output: { output.write($0) })
        try await command.execute(context, state: ())
        return output.text
    }
}
