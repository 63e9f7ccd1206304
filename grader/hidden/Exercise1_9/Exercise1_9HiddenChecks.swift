import Exercise1_9
import ExerciseSupport
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 1.9. Messages never show the generated keys or values.
final class Exercise1_9HiddenChecks: XCTestCase {
    func test1_randomUpdatesFailingAtARandomPositionLeaveTheStoreUnchanged() async throws {
        var random = SeededRandomNumberGenerator(seed: 1_901)
        for _ in 0..<15 {
            var initial: [String: String] = [:]
            var changes: [SettingChange] = []
            for index in 0..<Int.random(in: 3...8, using: &random) {
                let key = "k\(index)_" + random.word(length: 4)
                if Bool.random(using: &random) { initial[key] = random.word(length: 5) }
                changes.append(SettingChange(key: key, value: random.word(length: 6)))
            }
            let failing = Int.random(in: 0..<changes.count, using: &random)
            let settings = RepositorySettings(initial, rejecting: [changes[failing].key])
            let manager = TransactionManager(wallClock: ManualClock())
            do {
                try await SettingsUpdate.apply(changes, to: settings, manager: manager)
                XCTFail("An update with a rejected write did not throw.")
            } catch let error as TransactionFailed {
                XCTAssertEqual(error.failedOperation, "set_\(changes[failing].key)", "The wrong operation was named.")
            }
            XCTAssertEqual(settings.snapshot, initial, "A failed generated update left changes behind.")
            XCTAssertEqual(
                manager.getHistory().last?.status, .rolledBack, "A failed update was not recorded as rolled back.")
        }
    }

    func test2_keysThatDidNotExistAreRemovedAgain() async throws {
        let settings = RepositorySettings(["a": "1"], rejecting: ["c"])
        let manager = TransactionManager(wallClock: ManualClock())
        let changes = [
            SettingChange(key: "b", value: "2"), SettingChange(key: "a", value: "3"),
            SettingChange(key: "c", value: "4"),
        ]
        try await Self.applyExpectingFailure(changes, to: settings, manager: manager)
        XCTAssertEqual(settings.snapshot, ["a": "1"], "Rolling back a key that did not exist before left it behind.")
    }

    func test3_successfulUpdateIsCommittedInHistoryWithEveryOperationInOrder() async throws {
        let settings = RepositorySettings()
        let manager = TransactionManager(wallClock: ManualClock())
        let keys = ["one", "two", "three", "four"]
        try await SettingsUpdate.apply(keys.map { SettingChange(key: $0, value: $0) }, to: settings, manager: manager)
        let record = try XCTUnwrap(manager.getHistory().last, "A successful update left no history.")
        XCTAssertEqual(record.status, .committed, "A successful update was not recorded as committed.")
        XCTAssertEqual(
            record.operations.map(\.name), keys.map { "set_\($0)" }, "The operations were not recorded in order.")
        XCTAssertEqual(manager.getHistory().count, 1, "One update should be one transaction.")
    }

    func test4_failingFirstChangeChangesNothing() async throws {
        let settings = RepositorySettings(["x": "1"], rejecting: ["x"])
        let manager = TransactionManager(wallClock: ManualClock())
        let changes = [SettingChange(key: "x", value: "2"), SettingChange(key: "y", value: "3")]
        try await Self.applyExpectingFailure(changes, to: settings, manager: manager)
        XCTAssertEqual(settings.snapshot, ["x": "1"], "A failure at the first change still changed something.")
        XCTAssertEqual(manager.stats.rolledBack, 1, "The failed update was not counted as rolled back.")
    }

    func test5_sameKeyTwiceIsRestoredToTheOriginal() async throws {
        let settings = RepositorySettings(["k": "original"], rejecting: ["z"])
        let manager = TransactionManager(wallClock: ManualClock())
        let changes = [
            SettingChange(key: "k", value: "first"), SettingChange(key: "k", value: "second"),
            SettingChange(key: "z", value: "x"),
        ]
        try await Self.applyExpectingFailure(changes, to: settings, manager: manager)
        XCTAssertEqual(settings.snapshot, ["k": "original"], "Changing one key twice was not fully undone.")
    }

    /// Applies changes that must fail with `TransactionFailed`; any other error (e.g. `Unimplemented`) is
    /// rethrown so the check fails on it.
    private static func applyExpectingFailure(
        _ changes: [SettingChange], to settings: RepositorySettings, manager: TransactionManager
    ) async throws {
        do {
            try await SettingsUpdate.apply(changes, to: settings, manager: manager)
            XCTFail("An update with a rejected write did not throw.")
        } catch is TransactionFailed {
            // Expected: the rejected write makes the whole transaction fail.
        }
    }
}
