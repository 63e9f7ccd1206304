import Exercise1_9
import ExerciseSupport
import Logging
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 1.9.
///
/// Messages never show the generated keys or values: comparisons use `XCTAssertTrue` (which, unlike
/// `XCTAssertEqual`, prints no values) and errors from the trainee's code are rethrown through
/// `HiddenCheckFailure.concealing`, which keeps only their type (a `WriteRejected` would name a key). The
/// managers log nothing: the library's warning for a failed operation names the generated key.
final class Exercise1_9HiddenChecks: XCTestCase {
    func test1_randomUpdatesFailingAtARandomPositionLeaveTheStoreUnchanged() async throws {
        var random = CheckRandomGenerator(seed: 1_901)
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
            let manager = Self.quietManager()
            let error = try await Self.applyExpectingFailure(changes, to: settings, manager: manager)
            XCTAssertTrue(
                error?.failedOperation == "set_\(changes[failing].key)",
                "The error did not name the operation of the rejected write. Run `lab hint 1.9`.")
            XCTAssertTrue(
                settings.snapshot == initial, "A failed generated update left changes behind. Run `lab hint 1.9`.")
            XCTAssertTrue(
                manager.getHistory().last?.status == .rolledBack,
                "A failed update was not recorded as rolled back. Run `lab hint 1.9`.")
        }
    }

    func test2_keysThatDidNotExistAreRemovedAgain() async throws {
        let settings = RepositorySettings(["a": "1"], rejecting: ["c"])
        let manager = Self.quietManager()
        let changes = [
            SettingChange(key: "b", value: "2"), SettingChange(key: "a", value: "3"),
            SettingChange(key: "c", value: "4"),
        ]
        _ = try await Self.applyExpectingFailure(changes, to: settings, manager: manager)
        XCTAssertTrue(
            settings.snapshot == ["a": "1"],
            "Rolling back a key that did not exist before left it behind (or lost an old value). "
                + "Run `lab hint 1.9`.")
    }

    func test3_successfulUpdateIsCommittedInHistoryWithEveryOperationInOrder() async throws {
        let settings = RepositorySettings()
        let manager = Self.quietManager()
        let keys = ["one", "two", "three", "four"]
        do {
            try await SettingsUpdate.apply(
                keys.map { SettingChange(key: $0, value: $0) }, to: settings, manager: manager)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "An update with no rejected write", exercise: "1.9")
        }
        XCTAssertTrue(
            settings.snapshot == Dictionary(uniqueKeysWithValues: keys.map { ($0, $0) }),
            "A successful update did not apply every change. Run `lab hint 1.9`.")
        let record = try XCTUnwrap(
            manager.getHistory().last, "A successful update left no history. Run `lab hint 1.9`.")
        XCTAssertTrue(
            record.status == .committed, "A successful update was not recorded as committed. Run `lab hint 1.9`.")
        XCTAssertTrue(
            record.name == SettingsUpdate.transactionName,
            "The transaction was not named `update_settings`. Run `lab hint 1.9`.")
        XCTAssertTrue(
            record.operations.map(\.name) == keys.map { "set_\($0)" },
            "The operations were not recorded one per change, named `set_<key>`, in order. Run `lab hint 1.9`.")
        XCTAssertTrue(
            manager.getHistory().count == 1, "One update should be one transaction. Run `lab hint 1.9`.")
    }

    func test4_failingFirstChangeChangesNothing() async throws {
        let settings = RepositorySettings(["x": "1"], rejecting: ["x"])
        let manager = Self.quietManager()
        let changes = [SettingChange(key: "x", value: "2"), SettingChange(key: "y", value: "3")]
        let error = try await Self.applyExpectingFailure(changes, to: settings, manager: manager)
        XCTAssertTrue(
            error != nil, "A failure at the first change did not throw `TransactionFailed`. Run `lab hint 1.9`.")
        XCTAssertTrue(
            settings.snapshot == ["x": "1"],
            "A failure at the first change still changed something. Run `lab hint 1.9`.")
        XCTAssertTrue(
            manager.stats.rolledBack == 1, "The failed update was not counted as rolled back. Run `lab hint 1.9`.")
    }

    func test5_sameKeyTwiceIsRestoredToTheOriginal() async throws {
        let settings = RepositorySettings(["k": "original"], rejecting: ["z"])
        let manager = Self.quietManager()
        let changes = [
            SettingChange(key: "k", value: "first"), SettingChange(key: "k", value: "second"),
            SettingChange(key: "z", value: "x"),
        ]
        _ = try await Self.applyExpectingFailure(changes, to: settings, manager: manager)
        XCTAssertTrue(
            settings.snapshot == ["k": "original"],
            "Changing one key twice was not fully undone. Run `lab hint 1.9`.")
    }

    /// A manager on a `ManualClock` whose logger discards everything.
    private static func quietManager() -> TransactionManager {
        TransactionManager(
            logger: Logger(label: "Exercise1_9HiddenChecks") { _ in SwiftLogNoOpLogHandler() },
            wallClock: ManualClock())
    }

    /// Applies changes that must fail with `TransactionFailed` and returns that error (`nil`, after a
    /// recorded failure, when `apply` did not throw). Any other error (e.g. `Unimplemented`) is rethrown,
    /// concealed, so the check fails on it.
    private static func applyExpectingFailure(
        _ changes: [SettingChange], to settings: RepositorySettings, manager: TransactionManager
    ) async throws -> TransactionFailed? {
        do {
            try await SettingsUpdate.apply(changes, to: settings, manager: manager)
            XCTFail("An update with a rejected write did not throw. Run `lab hint 1.9`.")
            return nil
        } catch let error as TransactionFailed {
            return error
        } catch {
            throw HiddenCheckFailure.concealing(
                error, while: "An update with a rejected write (expected TransactionFailed)", exercise: "1.9")
        }
    }
}
