import Exercise1_10
import MokoEnterprise
import XCTest

/// Checks for Exercise 1.10, validating contact details. Run them with
/// `swift test --disable-swift-testing --filter Exercise1_10Tests` (`Exercise1_1` would also run 1.1 and 1.11).
final class Exercise1_10Checks: XCTestCase {
    func test1_validEmailAddressesPassUnchanged() throws {
        for email in ["ada@example.com", "grace.hopper@navy.mil", "first+tag@mail.example.org", "o'brien@example.ie"] {
            XCTAssertEqual(
                try Self.validate(email, as: .email), email,
                "`\(email)` is a valid e-mail address and should be returned unchanged. Run `lab hint 1.10`.")
        }
    }

    func test2_invalidEmailAddressesNameTheRuleThatFailed() throws {
        let corpus: [(String, InputValidationError.Code)] = [
            ("", .empty),
            ("ada.example.com", .invalidFormat),
            ("ada@@example.com", .invalidFormat),
            ("ada lovelace@example.com", .invalidCharacter),
            ("ada@example", .invalidFormat),
            (".ada@example.com", .invalidFormat),
        ]
        for (email, rule) in corpus {
            let error = try Self.expectFieldError(email, as: .email)
            XCTAssertEqual(error?.field, .email, "The error for `\(email)` should name the field. Run `lab hint 1.10`.")
            XCTAssertEqual(
                error?.rule, rule,
                "`\(email)` should fail the `\(rule.rawValue)` rule: keep the library error's `code`. "
                    + "Run `lab hint 1.10`.")
        }
    }

    func test3_websiteURLsAreClassified() throws {
        for url in ["https://example.com", "http://localhost:8080/status", "https://docs.example.org/a/b?q=1#top"] {
            XCTAssertEqual(
                try Self.validate(url, as: .website), url, "`\(url)` is a valid web site. Run `lab hint 1.10`.")
        }
        let corpus: [(String, InputValidationError.Code)] = [
            ("ftp://example.com/file", .invalidFormat),
            ("example.com", .invalidFormat),
            ("https://exa mple.com", .invalidCharacter),
            ("https://user:secret@example.com", .invalidFormat),
        ]
        for (url, rule) in corpus {
            let error = try Self.expectFieldError(url, as: .website)
            XCTAssertEqual(
                error?.field, .website, "The error for `\(url)` should name the `website` field. Run `lab hint 1.10`.")
            XCTAssertEqual(
                error?.rule, rule, "`\(url)` should fail the `\(rule.rawValue)` rule. Run `lab hint 1.10`.")
        }
    }

    func test4_phoneNumbersFollowTheCompanyFormat() throws {
        for phone in ["+44 20 7946 0958", "+1 415 555 0132", "+353 21 234 5678", "+49 30 12 34 56"] {
            XCTAssertEqual(
                try Self.validate(phone, as: .phone), phone,
                "`\(phone)` follows the phone format and should pass. Run `lab hint 1.10`.")
        }
        let invalid = [
            "0044 20 7946 0958", "+44-20-7946-0958", "+44 20", "+0 20 7946 0958", "+44 20 7946 0958 12 34",
            "+44 2O 7946 0958", "+1234 555 0132", "+44  20 7946 0958", "+44 20 79460958",
        ]
        for phone in invalid {
            let error = try Self.expectFieldError(phone, as: .phone)
            XCTAssertEqual(error?.field, .phone, "`\(phone)` should be refused as a phone. Run `lab hint 1.10`.")
            XCTAssertEqual(
                error?.rule, .invalidFormat,
                "`\(phone)` does not follow the phone format: the rule that failed is `invalidFormat`. "
                    + "Run `lab hint 1.10`.")
        }
    }

    func test5_aFormReportsEveryInvalidFieldWithItsRule() throws {
        let valid = ContactForm(email: "ada@example.com", website: "https://example.com", phone: "+44 20 7946 0958")
        XCTAssertEqual(
            try ContactValidation.validate(form: valid), [], "A valid form has no errors. Run `lab hint 1.10`.")
        let invalid = ContactForm(email: "ada@", website: "https://example.com", phone: "")
        let errors = try ContactValidation.validate(form: invalid)
        XCTAssertEqual(
            errors.map(\.field), [.email, .phone],
            "Every invalid field should be reported (email and phone here), not just the first. Run `lab hint 1.10`.")
        XCTAssertEqual(
            errors.map(\.rule), [.invalidFormat, .empty],
            "Each error should keep the rule that failed. Run `lab hint 1.10`.")
        XCTAssertEqual(
            errors.last?.description, "phone: the value is empty (rule: empty)",
            "An error should read `<field>: <reason> (rule: <rule>)`. Run `lab hint 1.10`.")
    }

    // MARK: - Helpers

    private static func validate(_ value: String, as field: ContactField) throws -> String {
        do {
            return try ContactValidation.validate(value, as: field)
        } catch let error as FieldError {
            throw Exercise1_10CheckFailure(
                "`\(value)` was refused as \(field.rawValue) (\(error)), but it is valid. Run `lab hint 1.10`.")
        }
    }

    /// Validates a value that must be refused and returns the `FieldError` (nil, after a recorded failure,
    /// when it was accepted). Other errors (e.g. `Unimplemented`) fail the check with their own message.
    private static func expectFieldError(_ value: String, as field: ContactField) throws -> FieldError? {
        do {
            try ContactValidation.validate(value, as: field)
            XCTFail("`\(value)` was accepted as \(field.rawValue), but it is not valid. Run `lab hint 1.10`.")
            return nil
        } catch let error as FieldError {
            return error
        }
    }
}

/// A check's own failure, thrown so the test stops with a clear message.
struct Exercise1_10CheckFailure: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    var description: String

    init(_ description: String) { self.description = description }
}
