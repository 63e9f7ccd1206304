// MUTANT every-failure-is-invalid-format: reports every refusal as `invalidFormat`, losing the rule that failed.
// Caught by Exercise1_10HiddenChecks.test2_generatedInvalidEmailsNameTheRuleThatFailed.

import MokoEnterprise

/// The fields of a contact form.
public enum ContactField: String, Sendable, CaseIterable {
    /// An e-mail address.
    case email
    /// The contact's web site: an absolute `http` or `https` URL.
    case website
    /// A phone number in the company's format (see ``ContactValidation/phonePattern``).
    case phone
}

/// Why one field was refused: which field, which rule failed, and what to fix.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field that was refused.
    public var field: ContactField
    /// The rule that failed (`empty`, `tooLong`, `invalidCharacter`, `invalidFormat`...).
    public var rule: InputValidationError.Code
    /// What is wrong, in words.
    public var reason: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - field: the field that was refused.
    ///   - rule: the rule that failed.
    ///   - reason: what is wrong.
    public init(field: ContactField, rule: InputValidationError.Code, reason: String) {
        self.field = field
        self.rule = rule
        self.reason = reason
    }

    /// `<field>: <reason> (rule: <rule>)`, e.g. `email: must contain exactly one '@' (rule: invalidFormat)`.
    public var description: String { "\(field.rawValue): \(reason) (rule: \(rule.rawValue))" }
}

/// A contact form as submitted: every field is raw text.
public struct ContactForm: Sendable, Equatable {
    /// The e-mail address.
    public var email: String
    /// The web site.
    public var website: String
    /// The phone number.
    public var phone: String

    /// Creates a form.
    public init(email: String, website: String, phone: String) {
        self.email = email
        self.website = website
        self.phone = phone
    }

    /// The value of `field`.
    public subscript(field: ContactField) -> String {
        switch field {
        case .email: email
        case .website: website
        case .phone: phone
        }
    }
}

/// Validates contact details with the library's ``SecurityValidator``.
public enum ContactValidation {
    /// The company's phone format, as a Swift `Regex` source that must match the whole value: `+`, a country
    /// code of 1–3 digits not starting with 0, then 2–4 groups of 2–4 digits, each after one space.
    ///
    /// `+44 20 7946 0958` and `+1 415 555 0132` match; `0044 20 7946 0958`, `+44-20-7946-0958` and
    /// `+44 20` do not.
    public static let phonePattern = #"\+[1-9][0-9]{0,2}( [0-9]{2,4}){2,4}"#

    /// The library's input type for `field`.
    ///
    /// - Parameter field: the field.
    /// - Returns: `.email`, `.url`, or a `.custom` type with ``phonePattern``.
    public static func inputType(for field: ContactField) throws -> SecurityInputType {
        switch field {
        case .email: .email
        case .website: .url
        // The library checks the whole value against the pattern (`wholeMatch`), so no ^…$ is needed.
        case .phone: .custom(pattern: phonePattern)
        }
    }

    /// Checks one value.
    ///
    /// - Parameters:
    ///   - value: the raw value.
    ///   - field: the field it was entered in.
    ///   - validator: the validator to use.
    /// - Returns: `value`, unchanged, when it is valid.
    /// - Throws: ``FieldError`` naming the field and the rule that failed.
    @discardableResult
    public static func validate(
        _ value: String, as field: ContactField, validator: SecurityValidator = SecurityValidator()
    ) throws -> String {
        let type = try inputType(for: field)
        do {
            return try validator.validateInput(value, type: type)
        } catch {
            // `validateInput` has typed throws: `error` is an `InputValidationError` here. Keep its code (the
            // rule) and its reason; a bare "invalid" would leave the user guessing what to fix.
            throw FieldError(field: field, rule: .invalidFormat, reason: error.reason)
        }
    }

    /// Checks every field of a form.
    ///
    /// - Parameters:
    ///   - form: the form.
    ///   - validator: the validator to use.
    /// - Returns: one error per invalid field, in the order email, website, phone; empty when the form is
    ///   valid. Every field is checked, so the user can fix everything at once.
    public static func validate(
        form: ContactForm, validator: SecurityValidator = SecurityValidator()
    ) throws -> [FieldError] {
        var errors: [FieldError] = []
        for field in ContactField.allCases {
            do {
                try validate(form[field], as: field, validator: validator)
            } catch let error as FieldError {
                errors.append(error)
            }
        }
        return errors
    }
}
