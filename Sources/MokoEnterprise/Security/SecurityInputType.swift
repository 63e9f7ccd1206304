/// The kinds of input ``SecurityValidator/validateInput(_:type:)`` checks.
public enum SecurityInputType: Sendable, Hashable, CustomStringConvertible {
    /// A programming identifier: `[A-Za-z_][A-Za-z0-9_]*`, at most 255 characters.
    case identifier
    /// A GitHub user or organization login: 1–39 characters, ASCII letters, digits and single hyphens,
    /// not starting or ending with a hyphen.
    case githubOrganization
    /// A GitHub repository name: 1–100 characters from `A-Z a-z 0-9 . _ -`, not `.` or `..`, not ending in
    /// `.git`.
    case githubRepository
    /// An e-mail address (practical RFC 5321 subset: dot-atom local part, DNS host name with a TLD).
    case email
    /// An absolute `http` or `https` URL with a host, without credentials, whitespace or control characters.
    case url
    /// A Semantic Versioning 2.0.0 version, e.g. `1.2.3`, `1.0.0-rc.1+build.5` (no leading `v`).
    case semver
    /// Anything that the whole of `pattern` (a Swift `Regex` source) matches.
    case custom(pattern: String)

    /// The type's name, for messages.
    public var description: String {
        switch self {
        case .identifier: "identifier"
        case .githubOrganization: "GitHub organization name"
        case .githubRepository: "GitHub repository name"
        case .email: "e-mail address"
        case .url: "URL"
        case .semver: "semantic version"
        case .custom(let pattern): "value matching /\(pattern)/"
        }
    }
}

/// Why ``SecurityValidator/validateInput(_:type:)`` refused a value.
public struct InputValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Code: String, Sendable, Hashable {
        /// The value is empty.
        case empty
        /// The value is longer than the type allows.
        case tooLong
        /// The value holds a character the type does not allow (or a control character).
        case invalidCharacter
        /// The characters are allowed but their arrangement is not.
        case invalidFormat
        /// The value is reserved (`.`, `..`, a name ending in `.git`).
        case reserved
        /// A custom pattern could not be compiled.
        case invalidPattern
    }

    /// The type the value was checked against.
    public var inputType: SecurityInputType
    /// The kind of problem.
    public var code: Code
    /// What is wrong and how to fix it.
    public var reason: String

    /// Creates an error.
    public init(inputType: SecurityInputType, code: Code, reason: String) {
        self.inputType = inputType
        self.code = code
        self.reason = reason
    }

    /// "invalid <type>: <reason>".
    public var description: String { "invalid \(inputType): \(reason)" }
}
