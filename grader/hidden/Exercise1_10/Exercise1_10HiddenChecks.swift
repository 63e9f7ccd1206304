import Exercise1_10
import ExerciseSupport
import MokoEnterprise
import XCTest

/// Hidden checks for Exercise 1.10.
///
/// Corpora are generated from seeds: valid values, and invalid ones made by breaking one rule of a valid
/// value, each with the rule that must be reported. Messages never show a generated value or the expected
/// rule: comparisons use `XCTAssertTrue` and errors other than `FieldError` are rethrown through
/// `HiddenCheckFailure.concealing`.
final class Exercise1_10HiddenChecks: XCTestCase {
    func test1_generatedValidValuesPassUnchanged() throws {
        var random = CheckRandomGenerator(seed: 11_001)
        for _ in 0..<40 {
            for (field, value) in [
                (ContactField.email, Self.email(&random)), (.website, Self.url(&random)), (.phone, Self.phone(&random)),
            ] {
                let result = try Self.outcome(value, as: field)
                XCTAssertTrue(
                    result == .valid(value),
                    "A generated valid \(field.rawValue) was refused or changed. Run `lab hint 1.10`.")
            }
        }
    }

    func test2_generatedInvalidEmailsNameTheRuleThatFailed() throws {
        var random = CheckRandomGenerator(seed: 11_002)
        for _ in 0..<30 {
            let valid = Self.email(&random)
            let at = valid.firstIndex(of: "@") ?? valid.endIndex
            let local = String(valid[..<at])
            let domain = String(valid[valid.index(after: at)...])
            let broken: [(String, InputValidationError.Code)] = [
                (local + domain, .invalidFormat),
                (local + "@@" + domain, .invalidFormat),
                (local + " x@" + domain, .invalidCharacter),
                (local + "@" + domain.replacingOccurrences(of: ".", with: "_"), .invalidCharacter),
                ("." + valid, .invalidFormat),
                (String(repeating: "a", count: 65) + "@" + domain, .tooLong),
                (local + "@" + (domain.split(separator: ".").first.map(String.init) ?? domain), .invalidFormat),
                (local + "\t@" + domain, .invalidCharacter),
            ]
            try Self.expectRules(broken, as: .email, kind: "e-mail address")
        }
        try Self.expectRules([("", .empty)], as: .email, kind: "empty e-mail address")
    }

    func test3_generatedInvalidURLsNameTheRuleThatFailed() throws {
        var random = CheckRandomGenerator(seed: 11_003)
        for _ in 0..<30 {
            let host = Self.host(&random)
            let broken: [(String, InputValidationError.Code)] = [
                ("ftp://" + host, .invalidFormat),
                (host + "/index.html", .invalidFormat),
                ("https://" + host + "/a b", .invalidCharacter),
                ("https://" + random.word(length: 4) + ":" + random.word(length: 6) + "@" + host, .invalidFormat),
                ("https://-" + host, .invalidFormat),
            ]
            try Self.expectRules(broken, as: .website, kind: "URL")
        }
        try Self.expectRules(
            [("", .empty), ("https://" + String(repeating: "a", count: 2_050) + ".com", .tooLong)], as: .website,
            kind: "URL")
    }

    func test4_generatedPhoneNumbersOutsideTheFormatAreRefused() throws {
        var random = CheckRandomGenerator(seed: 11_004)
        for _ in 0..<30 {
            let valid = Self.phone(&random)
            let body = String(valid.dropFirst())
            let groups = body.split(separator: " ").map(String.init)
            let broken: [String] = [
                body,
                "00" + body,
                "+0" + body,
                "+" + groups.joined(separator: "-"),
                "+" + groups.joined(separator: "  "),
                valid + " " + random.word(length: 1, alphabet: "0123456789"),
                valid + " 12345",
                "+" + groups[0] + " " + groups[1...].joined(),
                "+" + groups[0] + " 12",
                valid + " 12 34 56 78",
                "+1234" + " " + groups[1...].joined(separator: " "),
                valid.replacingOccurrences(of: "0", with: "O").replacingOccurrences(of: "1", with: "l") + " O1",
                valid + " ",
                " " + valid,
            ]
            try Self.expectRules(broken.map { ($0, .invalidFormat) }, as: .phone, kind: "phone number")
            try Self.expectRules([(valid + "\n", .invalidCharacter)], as: .phone, kind: "phone number")
        }
        try Self.expectRules([("", .empty)], as: .phone, kind: "empty phone number")
    }

    func test5_errorsReadFieldReasonAndRule() throws {
        var random = CheckRandomGenerator(seed: 11_005)
        for _ in 0..<10 {
            let value = random.word(length: 8)
            for field in ContactField.allCases {
                guard case .invalid(let error) = try Self.outcome(value, as: field) else {
                    XCTFail("A value without '@', scheme or '+' was accepted. Run `lab hint 1.10`.")
                    continue
                }
                XCTAssertTrue(
                    error.field == field, "The error does not name the field it was entered in. Run `lab hint 1.10`.")
                XCTAssertTrue(
                    error.description == "\(field.rawValue): \(error.reason) (rule: \(error.rule.rawValue))",
                    "An error does not read `<field>: <reason> (rule: <rule>)`. Run `lab hint 1.10`.")
                XCTAssertTrue(
                    !error.reason.isEmpty,
                    "An error has no reason: keep the library error's `reason`. "
                        + "Run `lab hint 1.10`.")
            }
        }
    }

    func test6_formsReportEveryInvalidFieldInOrder() throws {
        var random = CheckRandomGenerator(seed: 11_006)
        for _ in 0..<20 {
            let good = ContactForm(email: Self.email(&random), website: Self.url(&random), phone: Self.phone(&random))
            let bad = ContactForm(email: "x@", website: "mailto:" + good.email, phone: "0" + good.phone)
            var form = good
            var expected: [(ContactField, InputValidationError.Code)] = []
            if Bool.random(using: &random) {
                form.email = bad.email
                expected.append((.email, .invalidFormat))
            }
            if Bool.random(using: &random) {
                form.website = bad.website
                expected.append((.website, .invalidFormat))
            }
            if Bool.random(using: &random) {
                form.phone = Bool.random(using: &random) ? bad.phone : ""
                expected.append((.phone, form.phone.isEmpty ? .empty : .invalidFormat))
            }
            let errors: [FieldError]
            do {
                errors = try ContactValidation.validate(form: form)
            } catch {
                throw HiddenCheckFailure.concealing(
                    error, while: "ContactValidation.validate(form:validator:)", exercise: "1.10")
            }
            XCTAssertTrue(
                errors.map(\.field) == expected.map(\.0),
                "A generated form did not report exactly its invalid fields, in the order email, website, phone. "
                    + "Run `lab hint 1.10`.")
            XCTAssertTrue(
                errors.map(\.rule) == expected.map(\.1),
                "A generated form reported the wrong rule for a field. Run `lab hint 1.10`.")
        }
    }

    // MARK: - Generators

    private static func host(_ random: inout CheckRandomGenerator) -> String {
        let labels = (0..<Int.random(in: 1...3, using: &random)).map { _ in
            random.word(
                length: Int.random(in: 2...10, using: &random), alphabet: "abcdefghijklmnopqrstuvwxyz0123456789")
        }
        return (labels + [random.word(length: Int.random(in: 2...4, using: &random))]).joined(separator: ".")
    }

    private static func email(_ random: inout CheckRandomGenerator) -> String {
        let specials = ["", ".", "+", "_", "-", "'"]
        var local = random.word(
            length: Int.random(in: 1...10, using: &random), alphabet: "abcdefghijklmnopqrstuvwxyzABC0123456789")
        if Bool.random(using: &random) {
            local += specials[Int.random(in: 0..<specials.count, using: &random)] + random.word(length: 3)
        }
        return local + "@" + host(&random)
    }

    private static func url(_ random: inout CheckRandomGenerator) -> String {
        var url = (Bool.random(using: &random) ? "https://" : "http://") + host(&random)
        if Bool.random(using: &random) { url += ":" + String(Int.random(in: 1...65_535, using: &random)) }
        for _ in 0..<Int.random(in: 0...3, using: &random) { url += "/" + random.word(length: 5) }
        if Bool.random(using: &random) { url += "?q=" + random.word(length: 4) }
        return url
    }

    private static func phone(_ random: inout CheckRandomGenerator) -> String {
        let country =
            random.word(length: 1, alphabet: "123456789")
            + random.word(length: Int.random(in: 0...2, using: &random), alphabet: "0123456789")
        let groups = (0..<Int.random(in: 2...4, using: &random)).map { _ in
            random.word(length: Int.random(in: 2...4, using: &random), alphabet: "0123456789")
        }
        return "+" + ([country] + groups).joined(separator: " ")
    }

    // MARK: - Calling the trainee's code

    private enum Outcome: Equatable {
        case valid(String)
        case invalid(FieldError)
    }

    private static func outcome(_ value: String, as field: ContactField) throws -> Outcome {
        do {
            return .valid(try ContactValidation.validate(value, as: field))
        } catch let error as FieldError {
            return .invalid(error)
        } catch {
            throw HiddenCheckFailure.concealing(
                error, while: "ContactValidation.validate(_:as:validator:)", exercise: "1.10")
        }
    }

    private static func expectRules(
        _ corpus: [(String, InputValidationError.Code)], as field: ContactField, kind: String
    ) throws {
        for (value, rule) in corpus {
            switch try outcome(value, as: field) {
            case .valid:
                XCTFail("A generated invalid \(kind) was accepted. Run `lab hint 1.10`.")
            case .invalid(let error):
                XCTAssertTrue(
                    error.field == field, "The error for a generated \(kind) names another field. Run `lab hint 1.10`.")
                XCTAssertTrue(
                    error.rule == rule,
                    "A generated invalid \(kind) was refused with a rule other than the one that failed. "
                        + "Run `lab hint 1.10`.")
            }
        }
    }
}
