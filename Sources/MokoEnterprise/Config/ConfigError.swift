import Foundation

/// Why loading or reading a ``Config`` failed. Command-line apps exit with code 78 (`EX_CONFIG`) on it.
public enum ConfigError: Error, Sendable, Equatable {
    /// `require` found these keys missing, null or empty: all of them, in the order asked.
    case missingKeys([String])
    /// `${VAR}` references to variables that are not set and have no `:-default`: all of them.
    case undefinedVariables([VariableReference])
    /// A malformed `${...}` expression in the value of `key` in `source`.
    case invalidInterpolation(key: String, source: String, expression: String)
    /// The value of `key` cannot be read as `expected`; `found` describes it (secrets masked).
    case typeMismatch(key: String, expected: String, found: String)
    /// The configuration file is missing.
    case fileNotFound(path: String)
    /// The file is not valid or safe YAML (the error carries file, line and column).
    case invalidFile(YAMLUtilitiesError)
    /// The file's top level is not a mapping of keys.
    case notAMapping(path: String, found: String)
    /// The environment name is not a plain name (letters, digits, `.`, `_`, `-`; no path separators).
    case invalidEnvironmentName(String)
    /// A runtime override is not of the form `key=value`.
    case invalidOverride(String)
    /// Keys that no part of the program reads, each with the closest known key when one is near (a typo).
    case unknownKeys([UnknownKey])

    /// A key ``Config/checkKnownKeys(_:)`` did not expect, and the known key it probably meant.
    public struct UnknownKey: Sendable, Equatable, CustomStringConvertible {
        /// The unexpected key, in dot notation.
        public var key: String
        /// The closest known key, when the difference looks like a typo.
        public var suggestion: String?

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - key: the unexpected key.
        ///   - suggestion: the closest known key.
        public init(key: String, suggestion: String?) {
            self.key = key
            self.suggestion = suggestion
        }

        /// `key (did you mean known?)` or just `key`.
        public var description: String { suggestion.map { "\(key) (did you mean \($0)?)" } ?? key }
    }

    /// One use of an undefined variable: which variable, in which key, in which file.
    public struct VariableReference: Sendable, Equatable, CustomStringConvertible {
        /// The environment variable's name.
        public var variable: String
        /// The configuration key whose value uses it.
        public var key: String
        /// The file (or layer) the value came from.
        public var source: String

        /// Creates a reference.
        ///
        /// - Parameters:
        ///   - variable: the environment variable's name.
        ///   - key: the configuration key whose value uses it.
        ///   - source: the file the value came from.
        public init(variable: String, key: String, source: String) {
            self.variable = variable
            self.key = key
            self.source = source
        }

        /// `VAR (used by key in file)`.
        public var description: String { "\(variable) (used by \(key) in \(source))" }
    }
}

extension ConfigError: CustomStringConvertible {
    /// What failed and what to do.
    public var description: String {
        switch self {
        case .missingKeys(let keys):
            "Missing required configuration keys: \(keys.joined(separator: ", ")). Set them in the YAML file, "
                + "the environment (\(keys.map { Config.environmentVariableName(for: $0) }.joined(separator: ", ")))"
                + " or with --set key=value."
        case .undefinedVariables(let references):
            "Undefined environment variables: \(references.map(\.description).joined(separator: "; ")). "
                + "Export them or write ${VAR:-default}."
        case .invalidInterpolation(let key, let source, let expression):
            "Invalid interpolation '\(expression)' in \(key) (\(source)). Use ${NAME} or ${NAME:-default}; "
                + "write $${ for a literal ${."
        case .typeMismatch(let key, let expected, let found):
            "Configuration key \(key) is not \(expected): found \(found)."
        case .fileNotFound(let path):
            "Configuration file not found: \(path). Create it, pass --config <file>, or choose another --env."
        case .invalidFile(let error):
            error.description
        case .notAMapping(let path, let found):
            "\(path): the top level must be a mapping of keys, found \(found)."
        case .invalidEnvironmentName(let name):
            "Invalid environment name '\(name)': use letters, digits, '.', '_' or '-' (e.g. production)."
        case .invalidOverride(let text):
            "Invalid override '\(text)': write key=value, e.g. github.organization=acme."
        case .unknownKeys(let keys):
            "Unknown configuration keys: \(keys.map(\.description).joined(separator: ", ")). "
                + "Fix the spelling or remove them."
        }
    }
}

extension ConfigError: LocalizedError {
    /// The same text as ``description``.
    public var errorDescription: String? { description }
}
