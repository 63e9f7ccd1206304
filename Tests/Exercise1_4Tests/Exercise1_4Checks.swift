import Exercise1_4
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 1.4, editing a YAML settings file. Run them with `swift test --filter Exercise1_4Tests`.
final class Exercise1_4Checks: XCTestCase {
    private var directory: TemporaryDirectory?

    override func tearDown() {
        directory?.remove()
    }

    /// Writes `text` to `settings.yaml` in a fresh temporary directory.
    private func settingsFile(_ text: String) throws -> URL {
        let directory = try TemporaryDirectory(prefix: "exercise1_4")
        self.directory = directory
        let url = directory.appending("settings.yaml")
        try Data(text.utf8).write(to: url)
        return url
    }

    func test1_loadReadsAValidFile() throws {
        let url = try settingsFile("server:\n  host: example.org\n  port: 8080\n")
        let document = try SettingsFile.load(url)
        XCTAssertEqual(
            document.value(at: "server.port"), .int(8080),
            "`load` should return the file's values (server.port = 8080). Run `lab hint 1.4`.")
    }

    func test2_settingChangesOneNestedValueAndKeepsItsSiblings() throws {
        let document: ConfigValue = ["server": ["host": "example.org", "port": 8080]]
        let changed = try SettingsFile.setting("server.port", to: 9090, in: document)
        XCTAssertEqual(
            changed.value(at: "server.port"), .int(9090), "`setting` did not change server.port. Run `lab hint 1.4`.")
        XCTAssertEqual(
            changed.value(at: "server.host"), .string("example.org"),
            "`setting` lost server.host, a sibling of the changed key. Run `lab hint 1.4`.")
    }

    func test3_updateWritesValidYAMLWithTheChangeTheDefaultsAndTheUntouchedKeys() throws {
        let url = try settingsFile("server:\n  host: example.org\n  port: 8080\nowner: ops\n")
        try SettingsFile.update(
            url, setting: "server.port", to: 9090, defaults: ["server": ["timeout": 30], "log": ["level": "info"]])

        let written = try YAMLUtilities.safeLoadYAML(url)
        XCTAssertEqual(
            written.value(at: "server.port"), .int(9090),
            "The file does not hold the new server.port. Run `lab hint 1.4`.")
        XCTAssertEqual(
            written.value(at: "server.host"), .string("example.org"), "The file lost server.host. Run `lab hint 1.4`.")
        XCTAssertEqual(
            written.value(at: "owner"), .string("ops"), "The file lost the top-level key `owner`. Run `lab hint 1.4`.")
        XCTAssertEqual(
            written.value(at: "server.timeout"), .int(30),
            "A default missing from the file (server.timeout) was not added. Run `lab hint 1.4`.")
        XCTAssertEqual(
            written.value(at: "log.level"), .string("info"), "The default log.level was not added. Run `lab hint 1.4`.")
    }

    func test4_malformedFileIsAClearErrorAndIsLeftUnchanged() throws {
        let original = "server:\n  host: [example.org\n  port: 8080\n"
        let url = try settingsFile(original)
        do {
            try SettingsFile.update(url, setting: "server.port", to: 9090, defaults: [:])
            XCTFail("`update` accepted a malformed file; it should throw the loader's error. Run `lab hint 1.4`.")
        } catch let error as YAMLUtilitiesError {
            XCTAssertNotNil(error.line, "The error should say on which line the file is broken. Run `lab hint 1.4`.")
        }
        XCTAssertEqual(
            try String(contentsOf: url, encoding: .utf8), original,
            "A malformed file must be left exactly as it was. Run `lab hint 1.4`.")
    }
}
