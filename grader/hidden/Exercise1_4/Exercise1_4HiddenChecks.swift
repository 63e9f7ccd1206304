import Exercise1_4
import ExerciseSupport
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 1.4. Messages never show the generated documents or expected values.
final class Exercise1_4HiddenChecks: XCTestCase {
    private var directory: TemporaryDirectory?

    override func tearDown() {
        directory?.remove()
    }

    private func settingsFile(_ text: String) throws -> URL {
        let directory = try TemporaryDirectory(prefix: "exercise1_4h")
        self.directory = directory
        let url = directory.appending("settings.yaml")
        try Data(text.utf8).write(to: url)
        return url
    }

    func test1_randomDocumentsKeepEveryUntouchedKey() throws {
        var random = SeededRandomNumberGenerator(seed: 1_401)
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

            try SettingsFile.update(url, setting: target, to: "changed", defaults: [:])

            let written = try YAMLUtilities.safeLoadYAML(url)
            XCTAssertEqual(written.value(at: target), .string("changed"), "A generated key was not changed.")
            for (key, value) in tree.flattened() where key != target {
                XCTAssertEqual(
                    written.value(at: key), value, "An untouched key of a generated file was changed or lost.")
            }
        }
    }

    func test2_valuesInTheFileWinOverDefaults() throws {
        let url = try settingsFile("log:\n  level: debug\nretries: 7\n")
        try SettingsFile.update(
            url, setting: "owner", to: "ops",
            defaults: ["log": ["level": "info", "format": "json"], "retries": 3])
        let written = try YAMLUtilities.safeLoadYAML(url)
        XCTAssertEqual(written.value(at: "log.level"), .string("debug"), "A default replaced a value the file had.")
        XCTAssertEqual(written.value(at: "retries"), .int(7), "A default replaced a value the file had.")
        XCTAssertEqual(written.value(at: "log.format"), .string("json"), "A nested default was not merged in.")
    }

    func test3_newKeyIsCreatedWithItsParents() throws {
        let url = try settingsFile("a:\n  x: 1\n")
        try SettingsFile.update(url, setting: "a.b.c", to: true, defaults: [:])
        let written = try YAMLUtilities.safeLoadYAML(url)
        XCTAssertEqual(written.value(at: "a.b.c"), .bool(true), "A new nested key was not created.")
        XCTAssertEqual(written.value(at: "a.x"), .int(1), "Creating a new nested key lost a sibling.")
    }

    func test4_emptyFileGetsTheDefaultsAndTheChange() throws {
        let url = try settingsFile("")
        try SettingsFile.update(url, setting: "server.port", to: 81, defaults: ["server": ["host": "h"]])
        let written = try YAMLUtilities.safeLoadYAML(url)
        XCTAssertEqual(written.value(at: "server.port"), .int(81), "An empty file did not get the change.")
        XCTAssertEqual(written.value(at: "server.host"), .string("h"), "An empty file did not get the defaults.")
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
                XCTFail("A broken or unsafe file was accepted.")
            } catch is YAMLUtilitiesError {
                // The loader's own error, with the file's line and column.
            }
            XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), original, "A broken file was modified.")
            let entries = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
            XCTAssertEqual(entries, ["settings.yaml"], "Refusing a broken file left other files behind.")
        }
    }

    func test6_stringsThatLookLikeNumbersStayStrings() throws {
        let url = try settingsFile("name: app\n")
        try SettingsFile.update(url, setting: "version", to: "1.0", defaults: ["enabled": "true"])
        let written = try YAMLUtilities.safeLoadYAML(url)
        XCTAssertEqual(written.value(at: "version"), .string("1.0"), "A string value was written as another type.")
        XCTAssertEqual(written.value(at: "enabled"), .string("true"), "A string default was written as another type.")
    }

    func test7_settingDoesNotChangeItsInput() throws {
        let document: ConfigValue = ["a": ["b": 1]]
        let changed = try SettingsFile.setting("a.b", to: 2, in: document)
        XCTAssertEqual(document.value(at: "a.b"), .int(1), "`setting` changed its input.")
        XCTAssertEqual(changed.value(at: "a.b"), .int(2), "`setting` did not change the value.")
    }
}
