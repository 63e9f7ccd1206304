import ArgumentParser
import Exercise2_2
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Synchronization
import XCTest

/// Checks for Exercise 2.2, the configuration-driven script. Run them with
/// `swift test --disable-swift-testing --filter Exercise2_2Tests`.
///
/// Each check writes `development.yaml`, `staging.yaml` and `production.yaml` into a temporary folder
/// (passed as `--config-dir`), runs the command in-process with an environment it controls, and reads
/// what it printed.
final class Exercise2_2Checks: XCTestCase {
    func test1_loadsTheDevelopmentFileByDefault() async throws {
        let world = try Exercise2_2World()
        defer { world.remove() }
        let settings = try await world.settings([])
        XCTAssertEqual(
            settings,
            ScriptSettings(
                environment: "development", organization: "dev-org", token: "tok-dev-123", maxRetries: 3,
                cacheEnabled: true),
            "Without `--env` the script should load config/development.yaml. Run `lab hint 2.2`.")
    }

    func test2_envSelectsTheEnvironmentFile() async throws {
        let world = try Exercise2_2World()
        defer { world.remove() }
        let settings = try await world.settings(["--env", "production"])
        XCTAssertEqual(
            settings,
            ScriptSettings(
                environment: "production", organization: "prod-org", token: "tok-dev-123", maxRetries: 5,
                cacheEnabled: false),
            "`--env production` should load config/production.yaml. Run `lab hint 2.2`.")
    }

    func test3_unknownEnvironmentIsAUsageError() {
        XCTAssertEqual(
            Exercise2_2Run.exitCode(parsing: ["--env", "staging"]), 0,
            "`--env staging` is a known environment and should be accepted. Run `lab hint 2.2`.")
        XCTAssertEqual(
            Exercise2_2Run.exitCode(parsing: ["--env", "qa"]), 64,
            "`--env qa` is not development, staging or production: it should be rejected with exit code 64. "
                + "Run `lab hint 2.2`.")
    }

    func test4_configFileIsMergedOverTheEnvironmentFile() async throws {
        let world = try Exercise2_2World()
        defer { world.remove() }
        let override = world.directory.appending("override.yaml")
        try "github:\n  organization: override-org\n".write(to: override, atomically: true, encoding: .utf8)
        let settings = try await world.settings(["--config", override.path])
        XCTAssertEqual(
            settings.organization, "override-org",
            "A key in the `--config` file should win over config/development.yaml. Run `lab hint 2.2`.")
        XCTAssertEqual(
            settings.maxRetries, 3,
            "Keys the `--config` file does not mention should keep their development.yaml value. "
                + "Run `lab hint 2.2`.")
    }

    func test5_tokenIsInterpolatedFromGITHUB_TOKEN() async throws {
        let world = try Exercise2_2World()
        defer { world.remove() }
        let settings = try await world.settings([], environment: ["GITHUB_TOKEN": "tok-from-env-777"])
        XCTAssertEqual(
            settings.token, "tok-from-env-777",
            "`token: ${GITHUB_TOKEN}` should be read from the environment the context holds. Run `lab hint 2.2`.")
        do {
            _ = try await world.settings([], environment: [:])
            XCTFail("With GITHUB_TOKEN unset, loading should fail (exit 78). Run `lab hint 2.2`.")
        } catch let error as ConfigError {
            XCTAssertEqual(
                CliFramework.exitCode(for: error), .configuration,
                "An undefined `${GITHUB_TOKEN}` should end with exit code 78. Run `lab hint 2.2`.")
        }
    }

    func test6_flagsOverrideFileValues() async throws {
        let world = try Exercise2_2World()
        defer { world.remove() }
        let settings = try await world.settings([
            "--env", "production", "--org", "cli-org", "--max-retries", "9", "--cache",
        ])
        XCTAssertEqual(
            settings,
            ScriptSettings(
                environment: "production", organization: "cli-org", token: "tok-dev-123", maxRetries: 9,
                cacheEnabled: true),
            "`--org`, `--max-retries` and `--cache` should win over production.yaml. Run `lab hint 2.2`.")
    }

    func test7_missingRequiredKeyExits78NamingIt() async throws {
        let world = try Exercise2_2World()
        defer { world.remove() }
        do {
            _ = try await world.settings(["--env", "staging"])
            XCTFail(
                "staging.yaml has no settings.max_retries: loading should fail with a ConfigError. "
                    + "Run `lab hint 2.2`.")
        } catch let error as ConfigError {
            XCTAssertEqual(
                error, .missingKeys(["settings.max_retries"]),
                "The error should name exactly the missing key. Run `lab hint 2.2`.")
        }
        let command = try Exercise2_2Run.parse(["--env", "staging", "--config-dir", world.configDirectory.path])
        let output = Exercise2_2Output()
        let code = await CliFramework.run(
            command, context: try Exercise2_2Run.context(for: command, output: output, environment: world.environment),
            interrupts: AsyncStream { $0.finish() })
        XCTAssertEqual(code, .configuration, "A missing required key should exit 78. Run `lab hint 2.2`.")
    }

    func test8_printsTheSettingsButNeverTheToken() async throws {
        let world = try Exercise2_2World()
        defer { world.remove() }
        let text = try await world.output(["--env", "production"])
        XCTAssertEqual(
            text, "Environment: production\nOrganization: prod-org\nMax retries: 5\nCache enabled: false\n",
            "The script should print `settings.summaryLines`, one per line. Run `lab hint 2.2`.")
        let json = try await world.output(["--env", "production", "--json"])
        XCTAssertTrue(
            json.contains("\"organization\" : \"prod-org\""),
            "With `--json` the script should print the settings as JSON. Run `lab hint 2.2`.")
        XCTAssertFalse(
            (text + json).contains("tok-dev-123"), "The token must never be printed. Run `lab hint 2.2`.")
    }
}

/// A temporary folder with the three environment files.
struct Exercise2_2World {
    let directory: TemporaryDirectory
    let configDirectory: URL
    let environment = ["GITHUB_TOKEN": "tok-dev-123"]

    init() throws {
        directory = try TemporaryDirectory(prefix: "exercise2_2")
        configDirectory = directory.appending("config")
        try FileManager.default.createDirectory(at: configDirectory, withIntermediateDirectories: true)
        let files = [
            "development": """
            github:
              organization: dev-org
              token: ${GITHUB_TOKEN}
            settings:
              max_retries: 3
              timeout: 30
            cache:
              enabled: true
              ttl: 300
            """,
            "staging": """
            github:
              organization: staging-org
              token: ${GITHUB_TOKEN}
            settings:
              timeout: 30
            """,
            "production": """
            github:
              organization: prod-org
              token: ${GITHUB_TOKEN}
            settings:
              max_retries: 5
            cache:
              enabled: false
            """,
        ]
        for (name, text) in files {
            try (text + "\n").write(
                to: configDirectory.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        }
    }

    func remove() { directory.remove() }

    /// Parses `arguments` (plus `--config-dir`) and runs `initialize`.
    func settings(_ arguments: [String], environment: [String: String]? = nil) async throws -> ScriptSettings {
        let command = try Exercise2_2Run.parse(arguments + ["--config-dir", configDirectory.path])
        let context = try Exercise2_2Run.context(
            for: command, output: Exercise2_2Output(), environment: environment ?? self.environment)
        return try await command.initialize(context)
    }

    /// Parses `arguments`, runs `initialize` and `execute`, and returns what was printed.
    func output(_ arguments: [String]) async throws -> String {
        let command = try Exercise2_2Run.parse(arguments + ["--config-dir", configDirectory.path])
        let output = Exercise2_2Output()
        let context = try Exercise2_2Run.context(for: command, output: output, environment: environment)
        try await command.execute(context, state: try await command.initialize(context))
        return output.text
    }
}

/// Collects what the command writes.
final class Exercise2_2Output: Sendable {
    private let buffer = Mutex("")

    var text: String { buffer.withLock { $0 } }

    func write(_ text: String) { buffer.withLock { $0 += text } }
}

enum Exercise2_2Run {
    /// The exit code of parsing `arguments` (0 when they parse).
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
            throw Exercise2_2CheckFailure(
                "`config-driven-script \(arguments.joined(separator: " "))` was rejected: "
                    + "\(ConfigDrivenScript.message(for: error)). Run `lab hint 2.2`.")
        }
    }

    static func context(
        for command: ConfigDrivenScript, output: Exercise2_2Output, environment: [String: String]
    ) throws -> CLIContext {
        try CLIContext(
            options: command.standardOptions, commandName: "config-driven-script", environment: environment,
            wallClock: ManualClock(), output: { output.write($0) })
    }
}

/// A check's own failure, thrown so the test stops with a clear message.
struct Exercise2_2CheckFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
