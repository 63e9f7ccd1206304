import Exercise3_8
import ExerciseSupport
import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 3.8: generated benign inputs, generated credentials, SQL-injection and
/// traversal variants, and layer order across fields. No value is printed (`XCTAssertTrue` only) and errors
/// escaping the trainee's code are concealed.
final class Exercise3_8HiddenChecks: XCTestCase {
    private static let schema: [String: FieldRule] = [
        "org": FieldRule(.string, pattern: .githubOrganization),
        "repo": FieldRule(.string, pattern: .githubRepository),
        "title": FieldRule(.string),
        "comment": FieldRule(.string),
        "export_path": FieldRule(.string, isPath: true),
        "limit": FieldRule(.integer),
        "force": FieldRule(.boolean),
    ]

    private static let words = [
        "please", "select", "a", "size", "update", "the", "release", "notes", "for", "team", "review", "weekly",
        "report", "from", "where", "order", "table", "drop", "by", "and", "or", "union",
    ]

    private var directories: [TemporaryDirectory] = []

    override func tearDown() {
        for directory in directories { directory.remove() }
        super.tearDown()
    }

    private func makeValidator() throws -> SecureInputValidator {
        let directory = try TemporaryDirectory(prefix: "exercise-3-8-hidden")
        directories.append(directory)
        let root = directory.appending("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let audit = try AuditLogger(
            service: "secure_automation", directory: directory.appending("audit"), user: "grader",
            wallClock: ManualClock(), durability: .normal)
        return SecureInputValidator(schema: Self.schema, allowedRoot: root.path, audit: audit)
    }

    private static func benign(_ random: inout CheckRandomGenerator) -> [String: InputValue] {
        let alphanumeric = "abcdefghijklmnopqrstuvwxyz0123456789"
        let sentence = (0..<Int.random(in: 2...6, using: &random)).map { _ in
            words[Int.random(in: 0..<words.count, using: &random)]
        }
        return [
            "org": .string(
                random.word(length: 1, alphabet: "abcdefghij") + random.word(length: 6, alphabet: alphanumeric)),
            "repo": .string(random.word(length: 5) + "-" + random.word(length: 4, alphabet: alphanumeric)),
            "title": .string(sentence.joined(separator: " ").capitalized),
            "comment": .string(
                ["O'Brien", "it's fine", "size: 3", "select a size"][Int.random(in: 0..<4, using: &random)]),
            "export_path": .string("exports/\(random.word(length: 5))/\(random.word(length: 6)).csv"),
            "limit": .integer(Int.random(in: 1...500, using: &random)),
            "force": .boolean(Bool.random(using: &random)),
        ]
    }

    /// Validates an input that must pass; concealed errors fail the check.
    private func expectPass(
        _ validator: SecureInputValidator, _ input: [String: InputValue], _ step: String
    )
        async throws
    {
        do {
            try await validator.validate(input)
        } catch is InputBlocked {
            XCTFail("A benign input was blocked (\(step)). Run `lab hint 3.8`.")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: step, exercise: "3.8")
        }
    }

    /// Validates an input that must be blocked; returns the error.
    private func expectBlocked(
        _ validator: SecureInputValidator, _ input: [String: InputValue], _ step: String
    )
        async throws -> InputBlocked?
    {
        do {
            try await validator.validate(input)
            XCTFail("A malicious input was not blocked (\(step)). Run `lab hint 3.8`.")
            return nil
        } catch let error as InputBlocked {
            return error
        } catch {
            throw HiddenCheckFailure.concealing(error, while: step, exercise: "3.8")
        }
    }

    private func check(
        _ blocked: InputBlocked?, layer: ValidationLayer, severity: AuditSeverity, field: String, _ what: String
    ) {
        XCTAssertTrue(blocked?.layer == layer, "\(what) was blocked at the wrong layer. Run `lab hint 3.8`.")
        XCTAssertTrue(blocked?.severity == severity, "\(what) was blocked with the wrong severity. Run `lab hint 3.8`.")
        XCTAssertTrue(blocked?.field == field, "\(what): the error named the wrong field. Run `lab hint 3.8`.")
    }

    func test1_generatedBenignInputsPassWithoutSecurityEvents() async throws {
        var random = CheckRandomGenerator(seed: 3_801)
        let validator = try makeValidator()
        for _ in 0..<20 {
            try await expectPass(validator, Self.benign(&random), "validating a generated benign input")
        }
        let records = try validator.audit.records()
        XCTAssertTrue(
            records.filter { $0.eventType == .security }.isEmpty,
            "Benign inputs left security events. Run `lab hint 3.8`.")
        XCTAssertTrue(
            records.filter { $0.name == "validation_complete" }.count == 20,
            "Not every clean validation logged `validation_complete`. Run `lab hint 3.8`.")
    }

    func test2_generatedCredentialsAreBlockedHighAndNeverStored() async throws {
        var random = CheckRandomGenerator(seed: 3_802)
        let validator = try makeValidator()
        let alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        var secrets: [String] = []
        for index in 0..<12 {
            let secret =
                index.isMultiple(of: 2)
                ? "ghp_" + random.word(length: 36, alphabet: alphanumeric)
                : "AKIA" + random.word(length: 16, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
            secrets.append(secret)
            let field = Bool.random(using: &random) ? "title" : "comment"
            var input = Self.benign(&random)
            input[field] = .string("use \(secret) for the deploy")
            let blocked = try await expectBlocked(validator, input, "a generated credential")
            check(blocked, layer: .credentials, severity: .high, field: field, "A generated credential")
        }
        let records = try validator.audit.records()
        let events = records.filter { $0.eventType == .security }
        XCTAssertTrue(events.count == 12, "Not every blocked credential left one security event. Run `lab hint 3.8`.")
        XCTAssertTrue(
            events.allSatisfy {
                $0.name == "credential_detected" && $0.severity == .high
                    && $0.details["layer"]?.stringValue
                        == "credentials"
            }, "A credential's security event had the wrong name, severity or layer. Run `lab hint 3.8`.")
        XCTAssertTrue(
            !records.contains { record in secrets.contains { record.jsonLine.contains($0) } },
            "A detected credential was written to the audit store. Run `lab hint 3.8`.")
    }

    func test3_sqlInjectionVariantsAreBlockedAsCritical() async throws {
        var random = CheckRandomGenerator(seed: 3_803)
        let validator = try makeValidator()
        let attacks = [
            "' OR '1'='1", "admin'--", "1 UNION SELECT password FROM users", "1; DROP TABLE users",
            "%27%20OR%201=1", "x' AND 1=1 --", "1' UN/**/ION SELECT 1,2 --",
        ]
        for attack in attacks {
            let field = Bool.random(using: &random) ? "title" : "comment"
            var input = Self.benign(&random)
            input[field] = .string(attack)
            let blocked = try await expectBlocked(validator, input, "an SQL-injection variant")
            check(blocked, layer: .sqlInjection, severity: .critical, field: field, "An SQL-injection variant")
        }
        let events = try validator.audit.records(types: [.security])
        XCTAssertTrue(
            events.count == attacks.count
                && events.allSatisfy { $0.name == "sql_injection_attempt" && $0.severity == .critical },
            "SQL-injection blocks were not each logged as a CRITICAL `sql_injection_attempt`. Run `lab hint 3.8`.")
    }

    func test4_encodedAndAbsoluteTraversalIsBlockedButDotsInNamesAreFine() async throws {
        var random = CheckRandomGenerator(seed: 3_804)
        let validator = try makeValidator()
        let attacks = [
            "../secrets.txt", "exports/../../etc/passwd", "%2e%2e/%2e%2e/etc/shadow", "..%2f..%2fetc%2fpasswd",
            "/etc/passwd", "exports/%252e%252e/x", "..\\..\\windows\\win.ini",
        ]
        for attack in attacks {
            var input = Self.benign(&random)
            input["export_path"] = .string(attack)
            let blocked = try await expectBlocked(validator, input, "a traversal variant")
            check(blocked, layer: .pathTraversal, severity: .high, field: "export_path", "A traversal variant")
        }
        for name in ["exports/a..b.csv", "exports/v1.2..3/report.csv", "report..csv"] {
            var input = Self.benign(&random)
            input["export_path"] = .string(name)
            try await expectPass(validator, input, "a file name with two dots inside")
        }
        let events = try validator.audit.records(types: [.security])
        XCTAssertTrue(
            events.count == attacks.count
                && events.allSatisfy { $0.name == "path_traversal_attempt" && $0.severity == .high },
            "Traversal blocks were not each logged as a HIGH `path_traversal_attempt`. Run `lab hint 3.8`.")
    }

    func test5_theFirstLayerAnyFieldFailsDecidesWhateverTheFieldOrder() async throws {
        var random = CheckRandomGenerator(seed: 3_805)
        let validator = try makeValidator()
        // For each layer: a field and a value that fail exactly that layer.
        let failing: [(ValidationLayer, String, InputValue, AuditSeverity)] = [
            (.type, "limit", .string("ten"), .low),
            (.pattern, "repo", .string("bad repo name!"), .medium),
            (.credentials, "title", .string("ghp_NqVwYS81VP7Hb1DX8pPd5khxE3pyIgKpaUnA"), .high),
            (.sqlInjection, "comment", .string("' OR '1'='1"), .critical),
            (.pathTraversal, "export_path", .string("../../etc/passwd"), .high),
        ]
        var cases = 0
        for first in 0..<failing.count {
            for second in (first + 1)..<failing.count {
                var input = Self.benign(&random)
                input[failing[first].1] = failing[first].2
                input[failing[second].1] = failing[second].2
                let blocked = try await expectBlocked(validator, input, "an input failing two layers")
                check(
                    blocked, layer: failing[first].0, severity: failing[first].3, field: failing[first].1,
                    "An input failing two layers")
                cases += 1
            }
        }
        let events = try validator.audit.records(types: [.security])
        XCTAssertTrue(
            events.count == cases,
            "An input failing two layers did not leave exactly one security event. "
                + "Run `lab hint 3.8`.")
    }

    func test6_unknownFieldsAndWrongKindsStopAtTheTypeLayerInAFailedTransaction() async throws {
        var random = CheckRandomGenerator(seed: 3_806)
        let validator = try makeValidator()
        let wrong: [(String, InputValue)] = [
            ("limit", .boolean(true)), ("force", .string("yes")), ("repo", .integer(7)),
            (random.word(length: 7), .string("x")),
        ]
        for (field, value) in wrong {
            var input = Self.benign(&random)
            input[field] = value
            let blocked = try await expectBlocked(validator, input, "a wrong kind or unknown field")
            check(blocked, layer: .type, severity: .low, field: field, "A wrong kind or unknown field")
        }
        let records = try validator.audit.records()
        let ends = records.filter { $0.eventType == .transactionEnd && $0.name == SecureInputValidator.transactionName }
        XCTAssertTrue(
            ends.count == wrong.count && ends.allSatisfy { $0.outcome == .failure },
            "Blocked validations did not each end an `input_validation` transaction as a failure. "
                + "Run `lab hint 3.8`.")
        let events = records.filter { $0.eventType == .security }
        let transactionIDs = Set(ends.compactMap(\.transactionID))
        XCTAssertTrue(
            events.count == wrong.count && events.allSatisfy { $0.transactionID.map(transactionIDs.contains) == true },
            "A security event was not logged inside its validation transaction. Run `lab hint 3.8`.")
        XCTAssertTrue(
            !records.contains { $0.name == "validation_complete" },
            "A blocked input logged `validation_complete`. Run `lab hint 3.8`.")
    }
}
