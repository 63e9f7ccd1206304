import Exercise1_5
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 1.5, per-environment settings. Run them with `swift test --filter Exercise1_5Tests`.
final class Exercise1_5Checks: XCTestCase {
    private var directory: TemporaryDirectory?

    override func tearDown() {
        directory?.remove()
    }

    /// A temporary config folder holding `<environment>.yaml` files.
    private func configFolder(_ files: [String: String]) throws -> String {
        let directory = try TemporaryDirectory(prefix: "exercise1_5")
        self.directory = directory
        for (environment, text) in files {
            try Data(text.utf8).write(to: directory.appending("\(environment).yaml"))
        }
        return directory.path
    }

    private let development = """
        database:
          host: localhost
          port: 5432
        api:
          base_url: http://localhost:8080
        features:
          debug: true
        """

    private let production = """
        database:
          host: db.internal
          port: 6432
        api:
          base_url: https://api.example.com
        """

    func test1_loadsTheDevelopmentFile() throws {
        let folder = try configFolder(["development": development])
        let settings = try ServiceSettings.load(environment: "development", directory: folder, variables: [:])
        XCTAssertEqual(
            settings,
            ServiceSettings(
                databaseHost: "localhost", databasePort: 5432, apiBaseURL: "http://localhost:8080", debug: true),
            "development.yaml was not read correctly (host, port, base URL and debug). Run `lab hint 1.5`.")
    }

    func test2_eachEnvironmentReadsItsOwnFile() throws {
        let folder = try configFolder(["development": development, "production": production])
        let settings = try ServiceSettings.load(environment: "production", directory: folder, variables: [:])
        XCTAssertEqual(
            settings.databaseHost, "db.internal", "`production` should read production.yaml. Run `lab hint 1.5`.")
        XCTAssertEqual(settings.databasePort, 6432, "`production` should read production.yaml. Run `lab hint 1.5`.")
        XCTAssertFalse(
            settings.debug, "`features.debug` is not in production.yaml, so it should be false. Run `lab hint 1.5`.")
    }

    func test3_everyMissingKeyIsNamedInOneError() throws {
        let folder = try configFolder(["staging": "database:\n  host: staging-db\n"])
        do {
            _ = try ServiceSettings.load(environment: "staging", directory: folder, variables: [:])
            XCTFail("staging.yaml lacks required keys but loading succeeded. Run `lab hint 1.5`.")
        } catch let error as ConfigError {
            XCTAssertEqual(
                error, .missingKeys(["database.port", "api.base_url"]),
                "The error should name every missing key at once, in the order required. Run `lab hint 1.5`.")
        }
    }
}
