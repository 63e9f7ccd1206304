import ArgumentParser
import Exercise2_2
import ExerciseSupport
import Foundation
import Logging
import MokoEnterprise
import MokoEnterpriseTestSupport
import Synchronization
import XCTest

/// Hidden checks for Exercise 2.2: generated organizations, tokens and numbers in every layer, each
/// precedence rule on its own, and the edges (a flag supplying a missing key, `MOKO_ENV`, `--set`).
final class Exercise2_2HiddenChecks: XCTestCase {
    func test1_eachEnvironmentFileIsReadWithGeneratedValues() async throws {
        var random = CheckRandomGenerator(seed: 2_201)
        for _ in 0..<4 {
            let world = try Exercise2_2HiddenWorld(random: &random)
            defer { world.remove() }
            for environment in ConfigDrivenScript.environments {
                let settings = try await world.settings(["--env", environment])
                XCTAssertTrue(
                    settings == world.expected[environment],
                    "A generated environment file was not read exactly. Run `lab hint 2.2`.")
            }
            let byDefault = try await world.settings([])
            XCTAssertTrue(
                byDefault == world.expected["development"],
                "Without `--env` the development file should be read. Run `lab hint 2.2`.")
        }
    }

    func test2_mokoEnvSelectsTheEnvironmentAndAnUnknownOneIsRejected() async throws {
        var random = CheckRandomGenerator(seed: 2_202)
        let world = try Exercise2_2HiddenWorld(random: &random)
        defer { world.remove() }
        let chosen = try await world.settings([], extraEnvironment: ["MOKO_ENV": "staging"])
        XCTAssertTrue(
            chosen == world.expected["staging"],
            "MOKO_ENV=staging (without `--env`) should select staging.yaml. Run `lab hint 2.2`.")
        let flagWins = try await world.settings(["--env", "production"], extraEnvironment: ["MOKO_ENV": "staging"])
        XCTAssertTrue(
            flagWins == world.expected["production"], "`--env` should win over MOKO_ENV. Run `lab hint 2.2`.")
        for bad in ["qa", "Production", "dev"] {
            XCTAssertTrue(
                Exercise2_2HiddenRun.exitCode(parsing: ["--env", bad]) == 64,
                "An unknown `--env` should exit 64. Run `lab hint 2.2`.")
        }
        do {
            _ = try await world.settings([], extraEnvironment: ["MOKO_ENV": "qa"])
            XCTFail("MOKO_ENV naming an unknown environment was accepted. Run `lab hint 2.2`.")
        } catch let error as CLIError {
            XCTAssertTrue(
                CliFramework.exitCode(for: error) == .usage,
                "An unknown MOKO_ENV should be a usage error (exit 64). Run `lab hint 2.2`.")
        } catch let error as ConfigError {
            throw HiddenCheckFailure.concealing(error, while: "loading with an unknown MOKO_ENV", exercise: "2.2")
        }
    }

    func test3_configFileWinsKeyByKey() async throws {
        var random = CheckRandomGenerator(seed: 2_203)
        for _ in 0..<4 {
            let world = try Exercise2_2HiddenWorld(random: &random)
            defer { world.remove() }
            let retries = Int.random(in: 10...99, using: &random)
            let override = world.directory.appending("override-\(random.word(length: 5)).yaml")
            try "settings:\n  max_retries: \(retries)\n".write(to: override, atomically: true, encoding: .utf8)
            let settings = try await world.settings(["--env", "production", "--config", override.path])
            var expected = world.expected["production"]
            expected?.maxRetries = retries
            XCTAssertTrue(
                settings == expected,
                "A `--config` file should override only the keys it names. Run `lab hint 2.2`.")
        }
    }

    func test4_tokenInterpolationAndUndefinedVariable() async throws {
        var random = CheckRandomGenerator(seed: 2_204)
        let world = try Exercise2_2HiddenWorld(random: &random)
        defer { world.remove() }
        let token = "ghp_" + random.word(length: 20, alphabet: "abcdefghijklmnopqrstuvwxyz0123456789")
        let settings = try await world.settings([], environment: ["GITHUB_TOKEN": token])
        XCTAssertTrue(
            settings.token == token, "`${GITHUB_TOKEN}` was not resolved from the environment. Run `lab hint 2.2`.")
        do {
            _ = try await world.settings(["--env", "production"], environment: ["GITHUB_TOKEN": ""])
            XCTFail("An empty GITHUB_TOKEN left github.token empty and was accepted. Run `lab hint 2.2`.")
        } catch let error as ConfigError {
            XCTAssertTrue(
                CliFramework.exitCode(for: error) == .configuration,
                "An empty token should end with exit code 78. Run `lab hint 2.2`.")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "loading with an empty token", exercise: "2.2")
        }
    }

    func test5_dedicatedFlagsWinOverFilesEnvironmentAndSet() async throws {
        var random = CheckRandomGenerator(seed: 2_205)
        for _ in 0..<4 {
            let world = try Exercise2_2HiddenWorld(random: &random)
            defer { world.remove() }
            let org = "org-" + random.word(length: 7)
            let retries = Int.random(in: 0...50, using: &random)
            let settings = try await world.settings(
                [
                    "--env", "development", "--set", "github.organization=set-org", "--set", "cache.enabled=true",
                    "--org", org, "--max-retries", String(retries), "--no-cache",
                ],
                extraEnvironment: ["MOKO_GITHUB_ORGANIZATION": "env-org"])
            var expected = world.expected["development"]
            expected?.organization = org
            expected?.maxRetries = retries
            expected?.cacheEnabled = false
            XCTAssertTrue(
                settings == expected,
                "`--org`, `--max-retries` and `--no-cache` should win over every other layer. Run `lab hint 2.2`.")
            let viaSet = try await world.settings(["--set", "settings.max_retries=\(retries + 1)"])
            XCTAssertTrue(
                viaSet.maxRetries == retries + 1, "A `--set` override was not applied. Run `lab hint 2.2`.")
        }
    }

    func test6_aFlagSuppliesAKeyTheFilesLack() async throws {
        var random = CheckRandomGenerator(seed: 2_206)
        let world = try Exercise2_2HiddenWorld(random: &random)
        defer { world.remove() }
        let settings = try await world.settings(
            ["--env", "staging", "--max-retries", "4"], useStagingWithoutRetries: true)
        XCTAssertTrue(
            settings.maxRetries == 4,
            "`--max-retries` should satisfy the required settings.max_retries that staging.yaml lacks: apply the "
                + "flags before `require`. Run `lab hint 2.2`.")
    }

    func test7_everyMissingKeyIsNamedAtOnceWithExit78() async throws {
        var random = CheckRandomGenerator(seed: 2_207)
        let world = try Exercise2_2HiddenWorld(random: &random)
        defer { world.remove() }
        let bare = world.directory.appending("bare.yaml")
        try "cache:\n  enabled: true\n".write(to: bare, atomically: true, encoding: .utf8)
        let emptyDirectory = world.directory.appending("empty-config")
        try FileManager.default.createDirectory(at: emptyDirectory, withIntermediateDirectories: true)
        do {
            _ = try await world.settings(["--config", bare.path], configDirectory: emptyDirectory)
            XCTFail("A configuration without any required key was accepted. Run `lab hint 2.2`.")
        } catch let error as ConfigError {
            XCTAssertTrue(
                error == .missingKeys(ConfigDrivenScript.requiredKeys),
                "The error should name every missing required key, in one error. Run `lab hint 2.2`.")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "loading a configuration without keys", exercise: "2.2")
        }
        let command = try Exercise2_2HiddenRun.parse(["--config", bare.path, "--config-dir", emptyDirectory.path])
        let code = await CliFramework.run(
            command,
            context: try Exercise2_2HiddenRun.context(
                for: command, output: Exercise2_2HiddenOutput(), environment: [:]),
            interrupts: AsyncStream { $0.finish() })
        XCTAssertTrue(code == .configuration, "Missing required keys should exit 78. Run `lab hint 2.2`.")
    }

    func test8_badNumbersAndMissingFilesAreRejected() async throws {
        var random = CheckRandomGenerator(seed: 2_208)
        let world = try Exercise2_2HiddenWorld(random: &random)
        defer { world.remove() }
        XCTAssertTrue(
            Exercise2_2HiddenRun.exitCode(parsing: ["--max-retries", "-1"]) == 64,
            "A negative `--max-retries` should exit 64. Run `lab hint 2.2`.")
        XCTAssertTrue(
            Exercise2_2HiddenRun.exitCode(parsing: ["--max-retries", "0"]) == 0,
            "`--max-retries 0` is valid and was rejected. Run `lab hint 2.2`.")
        do {
            _ = try await world.settings(["--config", world.directory.appending("absent.yaml").path])
            XCTFail("A `--config` file that does not exist was accepted. Run `lab hint 2.2`.")
        } catch let error as ConfigError {
            XCTAssertTrue(
                CliFramework.exitCode(for: error) == .configuration,
                "A missing `--config` file should exit 78. Run `lab hint 2.2`.")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "loading a missing file", exercise: "2.2")
        }
    }

    func test9_outputNeverShowsTheTokenInTextOrJSON() async throws {
        var random = CheckRandomGenerator(seed: 2_209)
        let world = try Exercise2_2HiddenWorld(random: &random)
        defer { world.remove() }
        for environment in ConfigDrivenScript.environments where environment != "staging" {
            guard let expected = world.expected[environment] else { continue }
            let text = try await world.output(["--env", environment])
            XCTAssertTrue(
                text == expected.summaryLines.joined(separator: "\n") + "\n",
                "The text output did not list the generated settings exactly. Run `lab hint 2.2`.")
            let json = try await world.output(["--env", environment, "--json"])
            XCTAssertTrue(
                json.contains("\"organization\" : \"\(expected.organization)\""),
                "The JSON output did not hold the organization. Run `lab hint 2.2`.")
            XCTAssertTrue(
                !(text + json).contains(expected.token), "The token was printed. Run `lab hint 2.2`.")
        }
    }
}

/// Three environment files with generated values; staging has every key (the variant used by test 6 lacks
/// `settings.max_retries`).
struct Exercise2_2HiddenWorld {
    let directory: TemporaryDirectory
    let configDirectory: URL
    let stagingWithoutRetries: URL
    let token: String
    var expected: [String: ScriptSettings] = [:]

    var environment: [String: String] { ["GITHUB_TOKEN": token] }

    init(random: inout CheckRandomGenerator) throws {
        directory = try TemporaryDirectory(prefix: "exercise2_2h")
        configDirectory = directory.appending("config")
        stagingWithoutRetries = directory.appending("config-partial")
        for folder in [configDirectory, stagingWithoutRetries] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        token = "tok" + random.word(length: 16, alphabet: "abcdefghijklmnopqrstuvwxyz0123456789")
        for environment in ConfigDrivenScript.environments {
            let org = random.word(length: Int.random(in: 3...12, using: &random)) + "-" + environment.prefix(3)
            let retries = Int.random(in: 0...20, using: &random)
            let cache = Bool.random(using: &random)
            let omitCache = Bool.random(using: &random)
            var text = "github:\n  organization: \(org)\n  token: ${GITHUB_TOKEN}\nsettings:\n"
            text += "  max_retries: \(retries)\n  timeout: 30\n"
            if !omitCache { text += "cache:\n  enabled: \(cache)\n" }
            try text.write(
                to: configDirectory.appendingPathComponent("\(environment).yaml"), atomically: true, encoding: .utf8)
            expected[environment] = ScriptSettings(
                environment: environment, organization: org, token: token, maxRetries: retries,
                cacheEnabled: omitCache ? true : cache)
        }
        try "github:\n  organization: partial\n  token: ${GITHUB_TOKEN}\n".write(
            to: stagingWithoutRetries.appendingPathComponent("staging.yaml"), atomically: true, encoding: .utf8)
    }

    func remove() { directory.remove() }

    func settings(
        _ arguments: [String], environment: [String: String]? = nil, extraEnvironment: [String: String] = [:],
        configDirectory folder: URL? = nil, useStagingWithoutRetries: Bool = false
    ) async throws -> ScriptSettings {
        let chosenFolder = folder ?? (useStagingWithoutRetries ? stagingWithoutRetries : configDirectory)
        let command = try Exercise2_2HiddenRun.parse(arguments + ["--config-dir", chosenFolder.path])
        let variables = (environment ?? self.environment).merging(extraEnvironment) { $1 }
        let context = try Exercise2_2HiddenRun.context(
            for: command, output: Exercise2_2HiddenOutput(), environment: variables)
        do {
            return try await command.initialize(context)
        } catch let error as ConfigError {
            throw error
        } catch let error as CLIError {
            throw error
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "ConfigDrivenScript.initialize", exercise: "2.2")
        }
    }

    func output(_ arguments: [String]) async throws -> String {
        let command = try Exercise2_2HiddenRun.parse(arguments + ["--config-dir", configDirectory.path])
        let output = Exercise2_2HiddenOutput()
        let context = try Exercise2_2HiddenRun.context(for: command, output: output, environment: environment)
        do {
            try await command.execute(context, state: try await command.initialize(context))
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "running the script", exercise: "2.2")
        }
        return output.text
    }
}

final class Exercise2_2HiddenOutput: Sendable {
    private let buffer = Mutex("")

    var text: String { buffer.withLock { $0 } }

    func write(_ text: String) { buffer.withLock { $0 += text } }
}

enum Exercise2_2HiddenRun {
    static func exitCode(parsing arguments: [String]) -> Int32 {
        do {
            _ = try ConfigDrivenScript.parse(arguments)
            return 0
        } catch {
            return ConfigDrivenScript.exitCode(for: error).rawValue
        }
    }

    static func parse(_ arguments: [String]) throws -> ConfigDrivenScript {
        do {
            return try ConfigDrivenScript.parse(arguments)
        } catch {
            throw HiddenCheckFailure(
                "Valid arguments were rejected with exit code \(ConfigDrivenScript.exitCode(for: error).rawValue)",
                exercise: "2.2")
        }
    }

    /// A context that captures the output and discards the logs (they could quote generated values).
    static func context(
        for command: ConfigDrivenScript, output: Exercise2_2HiddenOutput, environment: [String: String]
    ) throws -> CLIContext {
        try CLIContext(
            options: command.standardOptions, commandName: "config-driven-script", environment: environment,
            wallClock: ManualClock(), logHandler: SwiftLogNoOpLogHandler(), output: { output.write($0) })
    }
}
