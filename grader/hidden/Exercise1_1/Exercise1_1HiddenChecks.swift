import Exercise1_1
import ExerciseSupport
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 1.1.
///
/// Messages never show the generated batches: comparisons use `XCTAssertTrue` (which prints no values), and
/// errors from the trainee's code are rethrown through `HiddenCheckFailure.concealing`.
final class Exercise1_1HiddenChecks: XCTestCase {
    private var directories: [TemporaryDirectory] = []

    override func tearDown() {
        for directory in directories { directory.remove() }
        directories = []
        super.tearDown()
    }

    func test1_randomBatchesEachRecordTheirOwnMetadata() async throws {
        var random = CheckRandomGenerator(seed: 1_101)
        let audit = try makeLogger()
        var expected: [(batch: ImportBatch, unique: [String], store: String)] = []
        for round in 0..<6 {
            let batch = Self.randomBatch(&random, round: round)
            let storeName = "store_" + random.word(length: 5)
            let store = AccountStore(name: storeName)
            let saved = try await runConcealed(batch, into: store, audit: audit, step: "A valid generated batch")
            XCTAssertTrue(
                saved == batch.normalizedUsernames() && store.accounts == saved,
                "A generated batch did not save (and return) its normalised usernames. Run `lab hint 1.1`.")
            expected.append((batch, batch.normalizedUsernames(), storeName))
        }
        let records = try audit.records()
        let starts = records.filter { $0.eventType == .transactionStart }
        XCTAssertTrue(starts.count == expected.count, "Each run should be one transaction. Run `lab hint 1.1`.")
        for (start, expectation) in zip(starts, expected) {
            let id = start.transactionID
            let own = records.filter { $0.transactionID == id && id != nil }
            XCTAssertTrue(
                own.map(\.eventType) == [.transactionStart, .event, .event, .event, .transactionEnd],
                "A generated run's transaction did not hold start, three steps and end. Run `lab hint 1.1`.")
            let batch = expectation.batch
            XCTAssertTrue(
                start.details == ["batch_id": .string(batch.id), "source": .string(batch.source)],
                "A generated run's transaction metadata was wrong. Run `lab hint 1.1`.")
            let events = own.filter { $0.eventType == .event }
            XCTAssertTrue(
                events.map(\.name) == UserImport.steps,
                "A generated run's steps were missing or out of order. Run `lab hint 1.1`.")
            guard events.count == 3 else { continue }
            XCTAssertTrue(
                events[0].details == ["records": .int(batch.usernames.count)],
                "`validate_input` recorded the wrong metadata for a generated batch. Run `lab hint 1.1`.")
            XCTAssertTrue(
                events[1].details == [
                    "unique_users": .int(expectation.unique.count),
                    "duplicates_removed": .int(batch.usernames.count - expectation.unique.count),
                ],
                "`process_data` recorded the wrong counts for a generated batch with duplicates. Run `lab hint 1.1`.")
            XCTAssertTrue(
                events[2].details == ["saved": .int(expectation.unique.count), "store": .string(expectation.store)],
                "`save_results` recorded the wrong metadata for a generated batch. Run `lab hint 1.1`.")
            XCTAssertTrue(
                own.last?.outcome == .success, "A successful run did not end with success. Run `lab hint 1.1`.")
        }
        XCTAssertTrue(
            records.allSatisfy { $0.transactionID != nil },
            "Some records belong to no transaction: log the steps through the transaction handle. "
                + "Run `lab hint 1.1`.")
        XCTAssertTrue(try audit.verify().isValid, "The audit chain does not verify. Run `lab hint 1.1`.")
    }

    func test2_refusedBatchesLogNoStepAndSaveNothing() async throws {
        var random = CheckRandomGenerator(seed: 1_102)
        for round in 0..<4 {
            let audit = try makeLogger()
            let store = AccountStore(name: "ldap")
            var usernames = Self.randomBatch(&random, round: round).usernames
            if round == 3 {
                usernames = []
            } else {
                usernames.insert(
                    String(repeating: " ", count: round), at: Int.random(in: 0...usernames.count, using: &random))
            }
            let batch = ImportBatch(id: "B-" + random.word(length: 6), source: "hr_export", usernames: usernames)
            do {
                try await UserImport.run(batch, into: store, audit: audit)
                XCTFail("A generated invalid batch was not refused. Run `lab hint 1.1`.")
            } catch is InvalidBatch {
                // Expected.
            } catch {
                throw HiddenCheckFailure.concealing(
                    error, while: "An invalid generated batch (expected InvalidBatch)", exercise: "1.1")
            }
            XCTAssertTrue(store.accounts.isEmpty, "A refused batch saved accounts. Run `lab hint 1.1`.")
            let records = try audit.records()
            XCTAssertTrue(
                records.map(\.eventType) == [.transactionStart, .transactionEnd],
                "A refused batch left step events (or no transaction): log each step after it succeeded. "
                    + "Run `lab hint 1.1`.")
            XCTAssertTrue(
                records.last?.outcome == .failure,
                "A refused batch's transaction did not end as a failure. "
                    + "Run `lab hint 1.1`.")
            XCTAssertTrue(try audit.verify().isValid, "The audit chain does not verify. Run `lab hint 1.1`.")
        }
    }

    func test3_twoRunsAreTwoTransactionsWithDistinctIDs() async throws {
        let audit = try makeLogger()
        let store = AccountStore(name: "ldap")
        let first = ImportBatch(id: "A-1", source: "hr_export", usernames: ["x1", "x2"])
        let second = ImportBatch(id: "A-2", source: "contractors", usernames: ["Y1", "y1", "y2", "y3"])
        _ = try await runConcealed(first, into: store, audit: audit, step: "A first valid batch")
        _ = try await runConcealed(second, into: store, audit: audit, step: "A second valid batch")
        let records = try audit.records()
        XCTAssertTrue(records.count == 10, "Two runs should leave ten records. Run `lab hint 1.1`.")
        let ids = records.compactMap(\.transactionID)
        XCTAssertTrue(
            ids.count == 10 && Set(ids).count == 2 && Set(ids[0..<5]).count == 1,
            "Two runs should be two transactions, each holding its own five records. Run `lab hint 1.1`.")
        XCTAssertTrue(
            store.accounts == ["x1", "x2", "y1", "y2", "y3"],
            "The two runs did not save the normalised accounts. Run `lab hint 1.1`.")
        XCTAssertTrue(try audit.verify().isValid, "The audit chain does not verify. Run `lab hint 1.1`.")
    }

    // MARK: Helpers

    private func makeLogger() throws -> AuditLogger {
        let directory = try TemporaryDirectory(prefix: "exercise1_1_hidden")
        directories.append(directory)
        return try AuditLogger(
            service: "user_import", directory: directory.url, user: "grader", wallClock: ManualClock())
    }

    private func runConcealed(
        _ batch: ImportBatch, into store: AccountStore, audit: AuditLogger, step: String
    )
        async throws -> [String]
    {
        do {
            return try await UserImport.run(batch, into: store, audit: audit)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: step, exercise: "1.1")
        }
    }

    /// A valid batch of 2–9 usernames with some duplicates in other spellings (capitals, spaces).
    private static func randomBatch(_ random: inout CheckRandomGenerator, round: Int) -> ImportBatch {
        var usernames: [String] = []
        for _ in 0..<Int.random(in: 2...9, using: &random) {
            if let earlier = usernames.randomElement(using: &random), Int.random(in: 0..<3, using: &random) == 0 {
                usernames.append(" " + earlier.uppercased())
            } else {
                usernames.append(random.word(length: Int.random(in: 3...8, using: &random)))
            }
        }
        return ImportBatch(
            id: "HR-\(round)-" + random.word(length: 4), source: random.word(length: 6), usernames: usernames)
    }
}
