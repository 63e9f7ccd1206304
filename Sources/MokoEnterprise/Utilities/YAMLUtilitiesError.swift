import Foundation

/// Why ``YAMLUtilities`` refused a document: each case names the source (a file path or a label) and,
/// where there is one, the 1-based line and column.
public enum YAMLUtilitiesError: Error, Sendable, Equatable {
    /// The document is not well-formed YAML.
    case syntax(source: String, line: Int, column: Int, problem: String)
    /// A mapping repeats `key`.
    case duplicateKey(source: String, key: String, line: Int, column: Int)
    /// The document is larger than the limit, in bytes.
    case tooLarge(source: String, size: Int, limit: Int)
    /// Collections are nested deeper than `limit`.
    case tooDeep(source: String, limit: Int, line: Int, column: Int)
    /// The document uses more aliases (`*name`) than `limit`: a guard against "billion laughs" expansion.
    case tooManyAliases(source: String, limit: Int)
    /// Expanding aliases would produce more than `limit` values: a guard against "billion laughs".
    case tooManyNodes(source: String, limit: Int)
    /// An alias is used as a mapping key, which this loader refuses (it is costly to compare and never needed).
    case aliasAsKey(source: String, line: Int, column: Int)
    /// A mapping key is a sequence or a mapping; configuration keys must be scalars.
    case nonScalarKey(source: String, line: Int, column: Int)
    /// A tag other than the standard scalar and collection tags, e.g. `!!python/object`.
    case unsupportedTag(source: String, tag: String, line: Int, column: Int)
    /// A scalar's explicit tag does not match its text, e.g. `!!int abc`.
    case invalidScalar(source: String, text: String, tag: String, line: Int, column: Int)
    /// The stream holds more than one document (`---`).
    case multipleDocuments(source: String)
    /// The file could not be read.
    case unreadable(FileUtilitiesError)

    /// The 1-based line of the problem, when known.
    public var line: Int? {
        switch self {
        case .syntax(_, let line, _, _), .duplicateKey(_, _, let line, _), .tooDeep(_, _, let line, _),
            .aliasAsKey(_, let line, _), .nonScalarKey(_, let line, _), .unsupportedTag(_, _, let line, _),
            .invalidScalar(_, _, _, let line, _):
            line
        default: nil
        }
    }

    /// The 1-based column of the problem, when known.
    public var column: Int? {
        switch self {
        case .syntax(_, _, let column, _), .duplicateKey(_, _, _, let column), .tooDeep(_, _, _, let column),
            .aliasAsKey(_, _, let column), .nonScalarKey(_, _, let column), .unsupportedTag(_, _, _, let column),
            .invalidScalar(_, _, _, _, let column):
            column
        default: nil
        }
    }
}

extension YAMLUtilitiesError: CustomStringConvertible {
    /// `source:line:column: problem`, then what to do.
    public var description: String {
        switch self {
        case .syntax(let source, let line, let column, let problem):
            "\(source):\(line):\(column): invalid YAML: \(problem)."
        case .duplicateKey(let source, let key, let line, let column):
            "\(source):\(line):\(column): duplicate key '\(key)'. Keep one of the entries."
        case .tooLarge(let source, let size, let limit):
            "\(source): YAML document of \(size) bytes exceeds the limit of \(limit) bytes."
        case .tooDeep(let source, let limit, let line, let column):
            "\(source):\(line):\(column): nesting deeper than \(limit) levels. Flatten the document."
        case .tooManyAliases(let source, let limit):
            "\(source): more than \(limit) aliases (*name); refused to guard against alias expansion attacks."
        case .tooManyNodes(let source, let limit):
            "\(source): expanding aliases would create more than \(limit) values; refused (billion laughs guard)."
        case .aliasAsKey(let source, let line, let column):
            "\(source):\(line):\(column): an alias is used as a mapping key; write the key out instead."
        case .nonScalarKey(let source, let line, let column):
            "\(source):\(line):\(column): a mapping key must be a scalar, not a sequence or mapping."
        case .unsupportedTag(let source, let tag, let line, let column):
            "\(source):\(line):\(column): unsupported tag '\(tag)'; only standard YAML types are allowed."
        case .invalidScalar(let source, let text, let tag, let line, let column):
            "\(source):\(line):\(column): '\(text)' is not a valid \(tag)."
        case .multipleDocuments(let source):
            "\(source): expected one YAML document but found several ('---'). Split them into files."
        case .unreadable(let error):
            error.description
        }
    }
}

extension YAMLUtilitiesError: LocalizedError {
    /// The same text as ``description``.
    public var errorDescription: String? { description }
}
