import Exercise3_8
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 3.8, five-layer input validation inside an audit transaction. Run them with
/// `swift test --disable-swift-testing --filter Exercise3_8Tests`.
final class Exercise3_8Checks: XCTestCase {
    static let schema: [String: FieldRule] = [
        "owner": FieldRule(.string, pattern: .githubOrganization),
        "repository": FieldRule(.string, pattern: .githubRepository),
        "description": FieldRule(.string),
        "search": FieldRule(.string),
        "report_file": FieldRule(.string, isPath: true),
        "max_items": FieldRule(.integer),
        "dry_run": FieldRule(.boolean),
    ]

    static let benign: [String: InputValue] = [
        "owner": .string("moko-lab"),
        "repository": .string("moko-api"),
        "description": .string("Please select a size"),
        "search": .string("O'Brien"),
        "report_file": .string("reports/2026/summary.txt"),
        "max_items": .integer(50),
        "dry_run": .boolean(true),
    ]

    /// One malicious input: the benign one with one field replaced (or added).
    struct Attack {
        var field: String
        var value: InputValue
        var layer: ValidationLayer
        var severity: AuditSeverity
    }

    static let corpus: [Attack] = [
        Attack(field: "max_items", value: .string("50"), layer: .type, severity: .low),
        Attack(field: "is_admin", value: .boolean(true), layer: .type, severity: .low),
        Attack(field: "repository", value: .string("moko-api; rm -rf /"), layer: .pattern, severity: .medium),
        Attack(field: "owner", value: .string("-moko-lab"), layer: .pattern, severity: .medium),
        Attack(
            field: "description", value: .string("deploy with ghp_NqVwYS81VP7Hb1DX8pPd5khxE3pyIgKpaUnA"),
            layer: .credentials, severity: .high),
        Attack(field: "search", value: .string("AKIARLYKEI4IIAANNKKS"), layer: .credentials, severity: .high),
        Attack(field: "search", value: .string("' OR '1'='1"), layer: .sqlInjection, severity: .critical),
        Attack(field: "description", value: .string("1; DROP TABLE users"), layer: .sqlInjection, severity: .critical),
        Attack(field: "report_file", value: .string("../../etc/passwd"), layer: .pathTraversal, severity: .high),
        Attack(
            field: "report_file", value: .string("%2e%2e/%2e%2e/etc/shadow"), layer: .pathTraversal, severity: .high),
    ]

    private var directory: TemporaryDirectory?

    override func tearDown() {
        directory?.remove()
        super.tearDown()
    }

    private func makeValidator() throws -> SecureInputValidator {
        let directory = try TemporaryDirectory(prefix: "exercise-3-8")
        self.directory = directory
        let root = directory.appending("workspace")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let audit = try AuditLogger(
            service: "secure_automation", directory: directory.appending("audit"), user: "trainee",
            wallClock: ManualClock(), durability: .normal)
        return SecureInputValidator(schema: Self.schema, allowedRoot: root.path, audit: audit)
    }

    /// Validates an input that must be blocked and returns the error.
    private func expectBlocked(
        _ validator: SecureInputValidator, _ input: [String: InputValue], _ what: String
    )
        async throws -> InputBlocked?
    {
        do {
            try await validator.validate(input)
            XCTFail("\(what) was not blocked. Run `lab hint 3.8`.")
            return nil
        } catch let error as InputBlocked {
            return error
        }
    }

    func test1_benignInputPassesAndIsAudited() async throws {
        let validator = try makeValidator()
        let count = try await validator.validate(Self.benign)
        XCTAssertEqual(count, Self.benign.count, "`validate` should return the number of fields. Run `lab hint 3.8`.")
        let records = try validator.audit.records()
        XCTAssertTrue(
            records.contains { $0.eventType == .event && $0.name == "validation_complete" && $0.transactionID != nil },
            "A clean input should log `validation_complete` inside the transaction. Run `lab hint 3.8`.")
        XCTAssertTrue(
            records.contains {
                $0.eventType == .transactionEnd && $0.name == SecureInputValidator.transactionName
                    && $0.outcome == .success
            }, "The `input_validation` transaction should end successfully. Run `lab hint 3.8`.")
        XCTAssertEqual(
            records.filter { $0.eventType == .security }.count, 0,
            "A benign input should leave no security event. Run `lab hint 3.8`.")
    }

    func test2_eachMaliciousInputIsBlockedAtTheRightLayerWithTheRightSeverity() async throws {
        let validator = try makeValidator()
        for attack in Self.corpus {
            var input = Self.benign
            input[attack.field] = attack.value
            let blocked = try await expectBlocked(validator, input, "`\(attack.field)` = \(attack.value)")
            XCTAssertEqual(
                blocked?.layer, attack.layer,
                "`\(attack.field)` = \(attack.value) was blocked at the wrong layer. Run `lab hint 3.8`.")
            XCTAssertEqual(
                blocked?.field, attack.field, "The error should name the field `\(attack.field)`. Run `lab hint 3.8`.")
            XCTAssertEqual(
                blocked?.severity, attack.severity,
                "A block at the \(attack.layer.rawValue) layer should be \(attack.severity). Run `lab hint 3.8`.")
        }
    }

    func test3_everyBlockLeavesASecurityEventInTheAuditStore() async throws {
        let validator = try makeValidator()
        for attack in Self.corpus {
            var input = Self.benign
            input[attack.field] = attack.value
            _ = try await expectBlocked(validator, input, "`\(attack.field)` = \(attack.value)")
        }
        let records = try validator.audit.records()
        let events = records.filter { $0.eventType == .security }
        XCTAssertEqual(
            events.count, Self.corpus.count, "Every blocked input should log one security event. Run `lab hint 3.8`.")
        for (event, attack) in zip(events, Self.corpus) {
            XCTAssertEqual(
                event.name, attack.layer.eventName,
                "The security event should be named after the layer (`layer.eventName`). Run `lab hint 3.8`.")
            XCTAssertEqual(event.severity, attack.severity, "The event's severity is wrong. Run `lab hint 3.8`.")
            XCTAssertEqual(event.outcome, .failure, "A block is a failure outcome. Run `lab hint 3.8`.")
            XCTAssertEqual(
                event.details["field"]?.stringValue, attack.field,
                "The event's details should name the field (`field`). Run `lab hint 3.8`.")
            XCTAssertEqual(
                event.details["layer"]?.stringValue, attack.layer.rawValue,
                "The event's details should name the layer (`layer`). Run `lab hint 3.8`.")
            XCTAssertNotNil(
                event.transactionID, "Log the event through the transaction handle (`txn`). Run `lab hint 3.8`.")
        }
        let failedEnds = records.filter {
            $0.eventType == .transactionEnd && $0.name == SecureInputValidator.transactionName && $0.outcome == .failure
        }
        XCTAssertEqual(
            failedEnds.count, Self.corpus.count,
            "Every blocked validation should end its `input_validation` transaction as a failure. Run `lab hint 3.8`.")
        XCTAssertFalse(
            records.contains { $0.jsonLine.contains("ghp_NqVwYS81VP7Hb1DX8pPd5khxE3pyIgKpaUnA") },
            "The detected token must never be written to the audit store. Run `lab hint 3.8`.")
    }

    func test4_anInputIsBlockedAtTheFirstLayerAnyFieldFails() async throws {
        let validator = try makeValidator()
        var input = Self.benign
        input["search"] = .string("' OR '1'='1")  // layer 4
        input["description"] = .string("ghp_NqVwYS81VP7Hb1DX8pPd5khxE3pyIgKpaUnA")  // layer 3
        let first = try await expectBlocked(validator, input, "An input with a credential and an SQL injection")
        XCTAssertEqual(
            first?.layer, .credentials,
            "The credentials layer runs over every field before the SQL-injection layer. Run `lab hint 3.8`.")
        input["max_items"] = .string("many")  // layer 1
        let second = try await expectBlocked(validator, input, "An input with a type error too")
        XCTAssertEqual(second?.layer, .type, "The type layer runs first. Run `lab hint 3.8`.")
    }
}
