import Exercise1_1
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 1.1, an audited three-step import. Run them with
/// `swift test --disable-swift-testing --filter Exercise1_1Tests`.
final class Exercise1_1Checks: XCTestCase {
    private var directory: TemporaryDirectory?

    override func tearDown() {
        directory?.remove()
        super.tearDown()
    }

    private let batch = ImportBatch(
        id: "HR-2026-001", source: "hr_export", usernames: ["ada", " Grace ", "alan", "ADA"])

    /// A fresh audit logger in a temporary directory, stamped by a manual clock.
    private func makeLogger() throws -> AuditLogger {
        let directory = try TemporaryDirectory(prefix: "exercise1_1")
        self.directory = directory
        return try AuditLogger(
            service: "user_import", directory: directory.url, user: "trainee", wallClock: ManualClock())
    }

    func test1_transactionStartsWithTheBatchMetadata() async throws {
        let audit = try makeLogger()
        try await UserImport.run(batch, into: AccountStore(name: "ldap"), audit: audit)
        let records = try audit.records()
        let start = try XCTUnwrap(
            records.first,
            "The audit store is empty: run the steps inside `audit.transaction(...)`. Run `lab hint 1.1`.")
        XCTAssertEqual(
            start.eventType, .transactionStart,
            "The first record should be the transaction's start. Run `lab hint 1.1`.")
        XCTAssertEqual(start.name, "user_import", "The transaction should be named `user_import`. Run `lab hint 1.1`.")
        XCTAssertEqual(
            start.details, ["batch_id": "HR-2026-001", "source": "hr_export"],
            "The transaction's metadata should be the batch's `batch_id` and `source`. Run `lab hint 1.1`.")
    }

    func test2_threeStepsAreLoggedInOrderInsideTheTransaction() async throws {
        let audit = try makeLogger()
        try await UserImport.run(batch, into: AccountStore(name: "ldap"), audit: audit)
        let records = try audit.records()
        let events = records.filter { $0.eventType == .event }
        XCTAssertEqual(
            events.map(\.name), ["validate_input", "process_data", "save_results"],
            "The three steps should be logged once each, in order. Run `lab hint 1.1`.")
        let transactionID = try XCTUnwrap(
            records.first?.transactionID, "The first record carries no transaction id. Run `lab hint 1.1`.")
        for event in events {
            XCTAssertEqual(
                event.transactionID, transactionID,
                "Step `\(event.name)` is not part of the transaction: log it through the handle the transaction "
                    + "scope passes you (`txn.logEvent`), not through the logger. Run `lab hint 1.1`.")
        }
    }

    func test3_eachStepCarriesItsMetadata() async throws {
        let audit = try makeLogger()
        try await UserImport.run(batch, into: AccountStore(name: "ldap"), audit: audit)
        let events = Dictionary(
            try audit.records().filter { $0.eventType == .event }.map { ($0.name, $0.details) },
            uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(
            events["validate_input"], ["records": 4],
            "`validate_input` should record how many usernames were received. Run `lab hint 1.1`.")
        XCTAssertEqual(
            events["process_data"], ["unique_users": 3, "duplicates_removed": 1],
            "`process_data` should record `unique_users` and `duplicates_removed` (\"ada\" and \"ADA\" are the "
                + "same user). Run `lab hint 1.1`.")
        XCTAssertEqual(
            events["save_results"], ["saved": 3, "store": "ldap"],
            "`save_results` should record how many accounts were saved and the store's name. Run `lab hint 1.1`.")
    }

    func test4_transactionEndsWithSuccessAndTheChainVerifies() async throws {
        let audit = try makeLogger()
        let store = AccountStore(name: "ldap")
        let saved = try await UserImport.run(batch, into: store, audit: audit)
        XCTAssertEqual(saved, ["ada", "grace", "alan"], "`run` should return the saved usernames. Run `lab hint 1.1`.")
        XCTAssertEqual(store.accounts, ["ada", "grace", "alan"], "The accounts should be saved. Run `lab hint 1.1`.")
        let records = try audit.records()
        XCTAssertEqual(
            records.map(\.eventType), [.transactionStart, .event, .event, .event, .transactionEnd],
            "The store should hold exactly: start, three steps, end. Run `lab hint 1.1`.")
        let end = try XCTUnwrap(records.last)
        XCTAssertEqual(end.outcome, .success, "The transaction should end successfully. Run `lab hint 1.1`.")
        XCTAssertEqual(
            end.transactionID, records.first?.transactionID,
            "The end should belong to the same transaction as the start. Run `lab hint 1.1`.")
        let verification = try audit.verify()
        XCTAssertTrue(verification.isValid, "The audit chain does not verify: \(verification). Run `lab hint 1.1`.")
    }

    func test5_aRefusedBatchIsRecordedAsAFailedTransactionWithoutSteps() async throws {
        let audit = try makeLogger()
        let store = AccountStore(name: "ldap")
        let blank = ImportBatch(id: "HR-2026-002", source: "hr_export", usernames: ["ada", "  "])
        do {
            try await UserImport.run(blank, into: store, audit: audit)
            XCTFail("A batch with a blank username should be refused with `InvalidBatch`. Run `lab hint 1.1`.")
        } catch is InvalidBatch {
            // Expected; any other error (e.g. `Unimplemented`) fails the check with its own message.
        }
        XCTAssertEqual(store.accounts, [], "A refused batch must save nothing. Run `lab hint 1.1`.")
        let records = try audit.records()
        XCTAssertEqual(
            records.map(\.eventType), [.transactionStart, .transactionEnd],
            "A refused batch should leave only the transaction's start and end: log a step after it succeeded. "
                + "Run `lab hint 1.1`.")
        XCTAssertEqual(records.last?.outcome, .failure, "The transaction should end as a failure. Run `lab hint 1.1`.")
    }
}
