import Foundation

extension SecurityValidator {
    /// Checks `value` against the rules of `type` and returns it unchanged when it passes.
    ///
    /// ```swift
    /// try validator.validateInput("my-org", type: .githubOrganization)      // ok
    /// try validator.validateInput("-my-org", type: .githubOrganization)
    /// // InputValidationError: invalid GitHub organization name: must not start with a hyphen
    /// ```
    ///
    /// - Throws: ``InputValidationError`` whose `reason` says what is wrong.
    @discardableResult
    public func validateInput(_ value: String, type: SecurityInputType) throws(InputValidationError) -> String {
        func fail(_ code: InputValidationError.Code, _ reason: String) -> InputValidationError {
            InputValidationError(inputType: type, code: code, reason: reason)
        }
        guard !value.isEmpty else { throw fail(.empty, "the value is empty") }
        if let control = value.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            throw fail(
                .invalidCharacter,
                "contains the control character U+\(String(control.value, radix: 16, uppercase: true))")
        }
        switch type {
        case .identifier:
            try Self.checkIdentifier(value, fail: fail)
        case .githubOrganization:
            try Self.checkGitHubLogin(value, fail: fail)
        case .githubRepository:
            try Self.checkGitHubRepository(value, fail: fail)
        case .email:
            try Self.checkEmail(value, fail: fail)
        case .url:
            try Self.checkURL(value, fail: fail)
        case .semver:
            try Self.checkSemver(value, fail: fail)
        case .custom(let pattern):
            guard value.utf8.count <= configuration.maximumInputLength else {
                throw fail(.tooLong, "longer than \(configuration.maximumInputLength) bytes")
            }
            let regex: Regex<AnyRegexOutput>
            do {
                regex = try Regex(pattern)
            } catch {
                throw fail(.invalidPattern, "the pattern does not compile: \(error)")
            }
            guard (try? regex.wholeMatch(in: value)) != nil else {
                throw fail(.invalidFormat, "does not match the pattern")
            }
        }
        return value
    }

    /// Whether `value` passes ``validateInput(_:type:)``.
    public func isValidInput(_ value: String, type: SecurityInputType) -> Bool {
        (try? validateInput(value, type: type)) != nil
    }

    // MARK: - Rules

    private typealias Fail = (InputValidationError.Code, String) -> InputValidationError

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func firstInvalid(_ value: String, allowed: (UInt8) -> Bool) -> Character? {
        for character in value where !character.utf8.allSatisfy(allowed) { return character }
        return nil
    }

    private static func checkIdentifier(_ value: String, fail: Fail) throws(InputValidationError) {
        guard value.utf8.count <= 255 else { throw fail(.tooLong, "longer than 255 characters") }
        if let bad = firstInvalid(value, allowed: { isASCIIAlphanumeric($0) || $0 == 0x5F }) {
            throw fail(.invalidCharacter, "'\(bad)' is not allowed: use letters, digits and '_'")
        }
        if let first = value.utf8.first, first >= 0x30 && first <= 0x39 {
            throw fail(.invalidFormat, "must not start with a digit")
        }
    }

    private static func checkGitHubLogin(_ value: String, fail: Fail) throws(InputValidationError) {
        guard value.utf8.count <= 39 else { throw fail(.tooLong, "longer than 39 characters") }
        if let bad = firstInvalid(value, allowed: { isASCIIAlphanumeric($0) || $0 == 0x2D }) {
            throw fail(.invalidCharacter, "'\(bad)' is not allowed: use ASCII letters, digits and single hyphens")
        }
        if value.hasPrefix("-") { throw fail(.invalidFormat, "must not start with a hyphen") }
        if value.hasSuffix("-") { throw fail(.invalidFormat, "must not end with a hyphen") }
        if value.contains("--") { throw fail(.invalidFormat, "must not contain consecutive hyphens") }
    }

    private static func checkGitHubRepository(_ value: String, fail: Fail) throws(InputValidationError) {
        guard value.utf8.count <= 100 else { throw fail(.tooLong, "longer than 100 characters") }
        if let bad = firstInvalid(value, allowed: { isASCIIAlphanumeric($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E })
        {
            throw fail(.invalidCharacter, "'\(bad)' is not allowed: use ASCII letters, digits, '.', '_' and '-'")
        }
        if value == "." || value == ".." { throw fail(.reserved, "'\(value)' is reserved") }
        if value.lowercased().hasSuffix(".git") {
            throw fail(.reserved, "must not end with '.git' (GitHub strips it): drop the suffix")
        }
    }

    private static func checkEmail(_ value: String, fail: Fail) throws(InputValidationError) {
        guard value.utf8.count <= 254 else { throw fail(.tooLong, "longer than 254 characters") }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw fail(.invalidFormat, "must contain exactly one '@'") }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty else { throw fail(.invalidFormat, "the part before '@' is empty") }
        guard local.utf8.count <= 64 else { throw fail(.tooLong, "the part before '@' is longer than 64 characters") }
        let localSpecials = Set("!#$%&'*+/=?^_`{|}~-.".utf8)
        if let bad = firstInvalid(String(local), allowed: { isASCIIAlphanumeric($0) || localSpecials.contains($0) }) {
            throw fail(.invalidCharacter, "'\(bad)' is not allowed before '@'")
        }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") {
            throw fail(.invalidFormat, "dots before '@' must separate characters (no leading, trailing or double dot)")
        }
        try checkHostName(String(domain), requireTLD: true, fail: fail)
    }

    private static func checkHostName(_ host: String, requireTLD: Bool, fail: Fail) throws(InputValidationError) {
        guard !host.isEmpty else { throw fail(.invalidFormat, "the domain is empty") }
        guard host.utf8.count <= 253 else { throw fail(.tooLong, "the domain is longer than 253 characters") }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty else {
                throw fail(.invalidFormat, "the domain has an empty label ('..' or a dot at an end)")
            }
            guard label.utf8.count <= 63 else {
                throw fail(.tooLong, "domain label '\(label)' is longer than 63 characters")
            }
            if let bad = firstInvalid(String(label), allowed: { isASCIIAlphanumeric($0) || $0 == 0x2D }) {
                throw fail(.invalidCharacter, "'\(bad)' is not allowed in a domain")
            }
            if label.hasPrefix("-") || label.hasSuffix("-") {
                throw fail(.invalidFormat, "domain label '\(label)' must not start or end with a hyphen")
            }
        }
        if requireTLD {
            guard labels.count >= 2, let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter) else {
                throw fail(.invalidFormat, "the domain needs a top-level domain of letters, e.g. example.com")
            }
        }
    }

    private static func checkURL(_ value: String, fail: Fail) throws(InputValidationError) {
        guard value.utf8.count <= 2_048 else { throw fail(.tooLong, "longer than 2048 characters") }
        if value.contains(where: \.isWhitespace) { throw fail(.invalidCharacter, "contains whitespace") }
        guard let components = URLComponents(string: value) else {
            throw fail(.invalidFormat, "is not a well-formed URL")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw fail(.invalidFormat, "the scheme must be http or https")
        }
        guard let host = components.host, !host.isEmpty else { throw fail(.invalidFormat, "has no host") }
        guard components.user == nil && components.password == nil else {
            throw fail(.invalidFormat, "must not carry credentials (user:password@): pass them separately")
        }
        if host.hasPrefix("[") || host.contains(":") {
            return  // IPv6 literal, validated by URLComponents.
        }
        try checkHostName(host, requireTLD: false, fail: fail)
    }

    private static func checkSemver(_ value: String, fail: Fail) throws(InputValidationError) {
        guard value.utf8.count <= 256 else { throw fail(.tooLong, "longer than 256 characters") }
        if value.hasPrefix("v") || value.hasPrefix("V") {
            throw fail(.invalidFormat, "must not start with 'v' (write 1.2.3, not v1.2.3)")
        }
        var rest = Substring(value)
        var build: Substring?
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...]
            rest = rest[..<plus]
        }
        var prerelease: Substring?
        if let dash = rest.firstIndex(of: "-") {
            prerelease = rest[rest.index(after: dash)...]
            rest = rest[..<dash]
        }
        let core = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3 else { throw fail(.invalidFormat, "needs MAJOR.MINOR.PATCH") }
        for number in core {
            guard !number.isEmpty, number.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw fail(.invalidFormat, "'\(number)' is not a number")
            }
            if number.count > 1 && number.hasPrefix("0") {
                throw fail(.invalidFormat, "'\(number)' has a leading zero")
            }
        }
        func checkIdentifiers(_ part: Substring, name: String, numericRule: Bool) throws(InputValidationError) {
            for identifier in part.split(separator: ".", omittingEmptySubsequences: false) {
                guard !identifier.isEmpty else { throw fail(.invalidFormat, "the \(name) has an empty identifier") }
                if let bad = firstInvalid(String(identifier), allowed: { isASCIIAlphanumeric($0) || $0 == 0x2D }) {
                    throw fail(.invalidCharacter, "'\(bad)' is not allowed in the \(name)")
                }
                let numeric = identifier.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
                if numericRule && numeric && identifier.count > 1 && identifier.hasPrefix("0") {
                    throw fail(.invalidFormat, "pre-release identifier '\(identifier)' has a leading zero")
                }
            }
        }
        if let prerelease { try checkIdentifiers(prerelease, name: "pre-release", numericRule: true) }
        if let build { try checkIdentifiers(build, name: "build metadata", numericRule: false) }
    }
}
