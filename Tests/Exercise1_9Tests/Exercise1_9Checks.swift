import Exercise1_9
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 1.9, a transaction of three changes. Run them with `swift test --filter Exercise1_9Tests`.
final class Exercise1_9Checks: XCTestCase {
    private let initial = ["description": "Old description", "topics": "swift"]
    private let changes = [
        SettingChange(key: "description", value: "New description"),
        SettingChange(key: "topics", value: "swift,training"),
        SettingChange(key: "visibility", value: "private"),
    ]

    func test1_allThreeChangesAreAppliedWhenNothingFails() async throws {
        let settings = RepositorySettings(initial)
        let manager = TransactionManager(wallClock: ManualClock())
        try await SettingsUpdate.apply(changes, to: settings, manager: manager)
        XCTAssertEqual(
            settings.snapshot,
            ["description": "New description", "topics": "swift,training", "visibility": "private"],
            "All three changes should be applied. Run `lab hint 1.9`.")
    }

    func test2_whenTheThirdChangeFailsTheFirstTwoAreRolledBack() async throws {
        let settings = RepositorySettings(initial, rejecting: ["visibility"])
        let manager = TransactionManager(wallClock: ManualClock())
        do {
            try await SettingsUpdate.apply(changes, to: settings, manager: manager)
            XCTFail("The write to `visibility` is rejected, so `apply` should throw. Run `lab hint 1.9`.")
        } catch let error as TransactionFailed {
            XCTAssertEqual(
                error.failedOperation, "set_visibility",
                "The error should name the failed operation. Run `lab hint 1.9`.")
        }
        XCTAssertEqual(
            settings.snapshot, initial,
            "After the third change failed, the first two should be undone. Run `lab hint 1.9`.")
    }

    func test3_historyRecordsTheFailedTransaction() async throws {
        let settings = RepositorySettings(initial, rejecting: ["visibility"])
        let manager = TransactionManager(wallClock: ManualClock())
        do {
            try await SettingsUpdate.apply(changes, to: settings, manager: manager)
            XCTFail("The write to `visibility` is rejected, so `apply` should throw. Run `lab hint 1.9`.")
        } catch is TransactionFailed {
            // Expected; any other error (e.g. `Unimplemented`) fails the check with its own message.
        }
        let record = try XCTUnwrap(
            manager.getHistory().last,
            "The manager's history is empty: run the changes in a transaction begun with the manager. "
                + "Run `lab hint 1.9`.")
        XCTAssertEqual(
            record.name, SettingsUpdate.transactionName,
            "The transaction should be named `update_settings`. Run `lab hint 1.9`.")
        XCTAssertEqual(
            record.status, .rolledBack, "The failed transaction should be recorded as rolled back. Run `lab hint 1.9`.")
        XCTAssertEqual(
            record.failedOperation, "set_visibility",
            "The history should name the failed operation. Run `lab hint 1.9`.")
    }
}
