import Exercise1_5
import ExerciseSupport
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 1.5.
///
/// Messages never show the generated values: comparisons use `XCTAssertTrue` (which, unlike
/// `XCTAssertEqual`, prints no values) and errors from the trainee's code are rethrown through
/// `HiddenCheckFailure.concealing`, which keeps only their type.
final class Exercise1_5HiddenChecks: XCTestCase {
    private var directory: TemporaryDirectory?

    override func tearDown() {
        directory?.remove()
    }

    private func configFolder(_ files: [String: ConfigValue]) throws -> String {
        directory?.remove()
        let directory = try TemporaryDirectory(prefix: "exercise1_5h")
        self.directory = directory
        for (environment, value) in files {
            try Data(try YAMLUtilities.dumpYAML(value).utf8).write(to: directory.appending("\(environment).yaml"))
        }
        return directory.path
    }

    private static func document(host: String, port: Int, url: String, debug: Bool?) -> ConfigValue {
        var document: ConfigValue = [
            "database": ["host": .string(host), "port": .int(port)], "api": ["base_url": .string(url)],
        ]
        if let debug { document = YAMLUtilities.deepMerge(document, ["features": ["debug": .bool(debug)]]) }
        return document
    }

    func test1_randomValuesAreReadForEachEnvironment() throws {
        var random = CheckRandomGenerator(seed: 1_501)
        var expected: [(environment: String, settings: ServiceSettings)] = []
        var files: [String: ConfigValue] = [:]
        for environment in ["development", "staging", "production", "qa"] {
            let settings = ServiceSettings(
                databaseHost: random.word(length: 8) + ".internal",
                databasePort: Int.random(in: 1_024...65_000, using: &random),
                apiBaseURL: "https://" + random.word(length: 6) + ".example", debug: Bool.random(using: &random))
            expected.append((environment, settings))
            files[environment] = Self.document(
                host: settings.databaseHost, port: settings.databasePort, url: settings.apiBaseURL,
                debug: settings.debug)
        }
        let folder = try configFolder(files)
        for (environment, settings) in expected {
            let loaded = try Self.load(environment: environment, directory: folder, variables: [:])
            XCTAssertTrue(
                loaded == settings,
                "An environment's settings were not all read from its own file. Run `lab hint 1.5`.")
        }
    }

    func test2_environmentVariablesAreHonoured() throws {
        let folder = try configFolder(["production": Self.document(host: "h", port: 1, url: "u", debug: nil)])
        let loaded = try Self.load(
            environment: "production", directory: folder, variables: ["MOKO_DATABASE_PORT": "4242"])
        XCTAssertTrue(
            loaded.databasePort == 4_242,
            "The given environment variables were not passed to the loader. Run `lab hint 1.5`.")
    }

    func test3_everyMissingKeyIsNamedForRandomSubsets() throws {
        var random = CheckRandomGenerator(seed: 1_503)
        var subsetsTried = 0
        for _ in 0..<12 {
            let missing = ServiceSettings.requiredKeys.filter { _ in Bool.random(using: &random) }
            guard !missing.isEmpty else { continue }
            subsetsTried += 1
            var document: ConfigValue = [:]
            for key in ServiceSettings.requiredKeys where !missing.contains(key) {
                document = YAMLUtilities.deepMerge(
                    document, Self.nested(key, value: key == "database.port" ? .int(5) : .string("v")))
            }
            document = YAMLUtilities.deepMerge(document, ["unrelated": 1])
            let folder = try configFolder(["staging": document])
            do {
                _ = try ServiceSettings.load(environment: "staging", directory: folder, variables: [:])
                XCTFail("A file without some required keys was accepted. Run `lab hint 1.5`.")
            } catch let error as ConfigError {
                XCTAssertTrue(
                    error == .missingKeys(missing),
                    "The error did not name exactly every missing key, in the required order. Run `lab hint 1.5`.")
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "Loading a file without some keys", exercise: "1.5")
            }
        }
        XCTAssertTrue(subsetsTried >= 5, "The check generated too few cases; the grader's seed needs changing.")
    }

    func test4_emptyOrNullValuesCountAsMissing() throws {
        let document: ConfigValue = ["database": ["host": "", "port": nil], "api": ["base_url": "u"]]
        let folder = try configFolder(["qa": document])
        do {
            _ = try ServiceSettings.load(environment: "qa", directory: folder, variables: [:])
            XCTFail("Empty or null required values were accepted. Run `lab hint 1.5`.")
        } catch let error as ConfigError {
            XCTAssertTrue(
                error == .missingKeys(["database.host", "database.port"]),
                "Empty or null required values should be reported as missing. Run `lab hint 1.5`.")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "Loading a file with empty values", exercise: "1.5")
        }
    }

    func test5_unknownEnvironmentIsFileNotFound() throws {
        let folder = try configFolder(["development": Self.document(host: "h", port: 1, url: "u", debug: nil)])
        do {
            _ = try ServiceSettings.load(environment: "production", directory: folder, variables: [:])
            XCTFail(
                "An environment without a file was accepted (maybe another environment's file was used). "
                    + "Run `lab hint 1.5`.")
        } catch ConfigError.fileNotFound {
            // Expected: the environment's own file is missing.
        } catch {
            throw HiddenCheckFailure.concealing(
                error, while: "Loading an environment without a file (expected a file-not-found ConfigError)",
                exercise: "1.5")
        }
    }

    func test6_wrongTypeIsAnError() throws {
        let document: ConfigValue = ["database": ["host": "h", "port": "fast"], "api": ["base_url": "u"]]
        let folder = try configFolder(["qa": document])
        do {
            _ = try ServiceSettings.load(environment: "qa", directory: folder, variables: [:])
            XCTFail("A port that is not a number was accepted. Run `lab hint 1.5`.")
        } catch ConfigError.typeMismatch {
            // Expected: the typed getter refuses the text.
        } catch {
            throw HiddenCheckFailure.concealing(
                error, while: "Loading a port that is not a number (expected a type-mismatch ConfigError)",
                exercise: "1.5")
        }
    }

    /// Loads settings that must load; any error is concealed.
    private static func load(
        environment: String, directory: String, variables: [String: String]
    ) throws -> ServiceSettings {
        do {
            return try ServiceSettings.load(environment: environment, directory: directory, variables: variables)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "Loading a valid file", exercise: "1.5")
        }
    }

    private static func nested(_ key: String, value: ConfigValue) -> ConfigValue {
        key.split(separator: ".").reversed().reduce(value) { inner, part in .map([String(part): inner]) }
    }
}
