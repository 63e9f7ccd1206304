import Exercise1_4
import ExerciseSupport
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 1.4.
///
/// Messages never show the generated documents or expected values: comparisons use `XCTAssertTrue` (which,
/// unlike `XCTAssertEqual`, prints no values) and errors from the trainee's code are rethrown through
/// `HiddenCheckFailure.concealing`, which keeps only their type.
final class Exercise1_4HiddenChecks: XCTestCase {
    private var directory: TemporaryDirectory?

    override func tearDown() {
        directory?.remove()
    }

    private func settingsFile(_ text: String) throws -> URL {
        directory?.remove()
        let directory = try TemporaryDirectory(prefix: "exercise1_4h")
        self.directory = directory
        let url = directory.appending("settings.yaml")
        try Data(text.utf8).write(to: url)
        return url
    }

    func test1_randomDocumentsKeepEveryUntouchedKey() throws {
        var random = CheckRandomGenerator(seed: 1_401)
        for _ in 0..<15 {
            var document: [String: ConfigValue] = [:]
            for _ in 0..<Int.random(in: 2...5, using: &random) {
                var section: [String: ConfigValue] = [:]
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    section[random.word(length: 6)] = .int(Int.random(in: 0...9_999, using: &random))
                }
                document[random.word(length: 5)] = .map(section)
            }
            let tree = ConfigValue.map(document)
            let keys = tree.flattened().map(\.key)
            let target = keys[Int.random(in: 0..<keys.count, using: &random)]
            let url = try settingsFile(try YAMLUtilities.dumpYAML(tree))

            try Self.update(url, setting: target, to: "changed", defaults: [:])

            let written = try Self.written(url)
            XCTAssertTrue(
                written.value(at: target) == .string("changed"),
                "A generated key was not changed. Run `lab hint 1.4`.")
            for (key, value) in tree.flattened() where key != target {
                XCTAssertTrue(
                    written.value(at: key) == value,
                    "An untouched key of a generated file was changed or lost. Run `lab hint 1.4`.")
            }
        }
    }

    func test2_valuesInTheFileWinOverDefaults() throws {
        let url = try settingsFile("log:\n  level: debug\nretries: 7\n")
        try Self.update(
            url, setting: "owner", to: "ops",
            defaults: ["log": ["level": "info", "format": "json"], "retries": 3])
        let written = try Self.written(url)
        XCTAssertTrue(
            written.value(at: "log.level") == .string("debug"),
            "A default replaced a nested value the file had. Run `lab hint 1.4`.")
        XCTAssertTrue(
            written.value(at: "retries") == .int(7),
            "A default replaced a top-level value the file had. Run `lab hint 1.4`.")
        XCTAssertTrue(
            written.value(at: "log.format") == .string("json"),
            "A nested default was not merged in. Run `lab hint 1.4`.")
        XCTAssertTrue(written.value(at: "owner") == .string("ops"), "The new key was not set. Run `lab hint 1.4`.")
    }

    func test3_newKeyIsCreatedWithItsParents() throws {
        let url = try settingsFile("a:\n  x: 1\n")
        try Self.update(url, setting: "a.b.c", to: true, defaults: [:])
        let written = try Self.written(url)
        XCTAssertTrue(
            written.value(at: "a.b.c") == .bool(true), "A new nested key was not created. Run `lab hint 1.4`.")
        XCTAssertTrue(
            written.value(at: "a.x") == .int(1), "Creating a new nested key lost a sibling. Run `lab hint 1.4`.")
    }

    func test4_emptyFileGetsTheDefaultsAndTheChange() throws {
        let url = try settingsFile("")
        try Self.update(url, setting: "server.port", to: 81, defaults: ["server": ["host": "h"]])
        let written = try Self.written(url)
        XCTAssertTrue(
            written.value(at: "server.port") == .int(81), "An empty file did not get the change. Run `lab hint 1.4`.")
        XCTAssertTrue(
            written.value(at: "server.host") == .string("h"),
            "An empty file did not get the defaults. Run `lab hint 1.4`.")
    }

    func test5_brokenFilesAreRefusedAndLeftUnchangedWithNoTemporaryFiles() throws {
        let broken = [
            "a: 1\na: 2\n",
            "list: [1, 2\n",
            "key: value\n  bad indentation: here\n",
            "x: !!python/object:os.system ls\n",
        ]
        for original in broken {
            let url = try settingsFile(original)
            do {
                try SettingsFile.update(url, setting: "a", to: 3, defaults: ["d": 1])
                XCTFail("A broken or unsafe file was accepted. Run `lab hint 1.4`.")
            } catch is YAMLUtilitiesError {
                // The loader's own error, with the file's line and column.
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "Refusing a broken file", exercise: "1.4")
            }
            XCTAssertTrue(
                try String(contentsOf: url, encoding: .utf8) == original,
                "A broken file was modified. Run `lab hint 1.4`.")
            let entries = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
            XCTAssertTrue(
                entries == ["settings.yaml"], "Refusing a broken file left other files behind. Run `lab hint 1.4`.")
        }
    }

    func test6_stringsThatLookLikeOtherTypesStayStrings() throws {
        let url = try settingsFile("name: app\n")
        try Self.update(url, setting: "version", to: "1.0", defaults: ["enabled": "true"])
        let written = try Self.written(url)
        XCTAssertTrue(
            written.value(at: "version") == .string("1.0"),
            "A string value was written as another type. Run `lab hint 1.4`.")
        XCTAssertTrue(
            written.value(at: "enabled") == .string("true"),
            "A string default was written as another type. Run `lab hint 1.4`.")
    }

    func test7_settingDoesNotChangeItsInput() throws {
        let document: ConfigValue = ["a": ["b": 1]]
        let changed: ConfigValue
        do {
            changed = try SettingsFile.setting("a.b", to: 2, in: document)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "SettingsFile.setting", exercise: "1.4")
        }
        XCTAssertTrue(document.value(at: "a.b") == .int(1), "`setting` changed its input. Run `lab hint 1.4`.")
        XCTAssertTrue(changed.value(at: "a.b") == .int(2), "`setting` did not change the value. Run `lab hint 1.4`.")
    }

    /// Calls `SettingsFile.update` on a valid file; any error is concealed.
    private static func update(_ url: URL, setting key: String, to value: ConfigValue, defaults: ConfigValue) throws {
        do {
            try SettingsFile.update(url, setting: key, to: value, defaults: defaults)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "Updating a valid file", exercise: "1.4")
        }
    }

    /// The document `update` wrote.
    private static func written(_ url: URL) throws -> ConfigValue {
        do {
            return try YAMLUtilities.safeLoadYAML(url)
        } catch {
            throw HiddenCheckFailure("The file written by `update` is not valid YAML", exercise: "1.4")
        }
    }
}
