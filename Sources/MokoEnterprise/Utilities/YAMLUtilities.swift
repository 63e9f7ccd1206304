import Foundation
import Yams

/// Safe YAML for configuration files: bounded size, depth and alias use, no custom tags, no duplicate keys.
///
/// YAML aliases (`*name`) let a few hundred bytes describe billions of values ("billion laughs").
/// The loader counts aliases before parsing, refuses aliases used as keys, and stops converting as soon
/// as the expanded document would exceed `maxNodes` values, so a hostile file is refused in
/// milliseconds instead of being expanded. Errors are ``YAMLUtilitiesError`` values that carry the
/// source, line and column.
///
/// ```swift
/// let config = try YAMLUtilities.safeLoadYAML(URL(fileURLWithPath: "config/development.yaml"))
/// let merged = YAMLUtilities.deepMerge(defaults, config)
/// ```
public enum YAMLUtilities {
    /// The default size limit: 1 MiB.
    public static let defaultMaxBytes = 1024 * 1024
    /// The default nesting limit.
    public static let defaultMaxDepth = 64
    /// The default number of alias uses a document may make, counted as it expands.
    public static let defaultMaxAliases = 100
    /// The default number of values a document may expand to.
    public static let defaultMaxNodes = 100_000

    /// Reads and parses a YAML file with limits.
    ///
    /// - Parameters:
    ///   - url: the file; its path is the error's source.
    ///   - maxBytes: the largest file accepted, in bytes.
    ///   - maxDepth: the deepest nesting of sequences and mappings accepted.
    ///   - maxAliases: the most alias uses (`*name`) accepted, counted in the text and again as the
    ///     document expands (an alias inside an aliased node counts each time it is reached).
    ///   - maxNodes: the most values the document may expand to once aliases are resolved.
    /// - Returns: the document's value; an empty document is ``ConfigValue/null``.
    /// - Throws: ``YAMLUtilitiesError``; a file that cannot be read is ``YAMLUtilitiesError/unreadable(_:)``.
    public static func safeLoadYAML(
        _ url: URL,
        maxBytes: Int = defaultMaxBytes,
        maxDepth: Int = defaultMaxDepth,
        maxAliases: Int = defaultMaxAliases,
        maxNodes: Int = defaultMaxNodes
    ) throws -> ConfigValue {
        let text: String
        do {
            text = try FileUtilities.safeReadFile(url, maxBytes: maxBytes)
        } catch let error as FileUtilitiesError {
            if case .tooLarge(let path, let size, let limit) = error {
                throw YAMLUtilitiesError.tooLarge(source: path, size: size, limit: limit)
            }
            throw YAMLUtilitiesError.unreadable(error)
        }
        return try safeParseYAML(
            text, source: url.path, maxBytes: maxBytes, maxDepth: maxDepth, maxAliases: maxAliases,
            maxNodes: maxNodes)
    }

    /// Parses YAML text with limits.
    ///
    /// - Parameters:
    ///   - text: the YAML document.
    ///   - source: a name for error messages, usually the file path.
    ///   - maxBytes: the largest document accepted, in UTF-8 bytes.
    ///   - maxDepth: the deepest nesting of sequences and mappings accepted.
    ///   - maxAliases: the most alias uses (`*name`) accepted, counted in the text and again as the
    ///     document expands (an alias inside an aliased node counts each time it is reached).
    ///   - maxNodes: the most values the document may expand to once aliases are resolved.
    /// - Returns: the document's value; an empty document is ``ConfigValue/null``.
    /// - Throws: ``YAMLUtilitiesError``.
    public static func safeParseYAML(
        _ text: String,
        source: String = "<string>",
        maxBytes: Int = defaultMaxBytes,
        maxDepth: Int = defaultMaxDepth,
        maxAliases: Int = defaultMaxAliases,
        maxNodes: Int = defaultMaxNodes
    ) throws -> ConfigValue {
        let size = text.utf8.count
        guard size <= maxBytes else { throw YAMLUtilitiesError.tooLarge(source: source, size: size, limit: maxBytes) }
        try AliasScan.check(text, source: source, maxAliases: maxAliases)

        let parser: Parser
        let root: Node?
        do {
            parser = try Parser(yaml: text)
            root = try parser.singleRoot()
        } catch let error as YamlError {
            throw translate(error, source: source, text: text)
        }
        guard let root else { return .null }
        var converter = NodeConverter(
            source: source, maxDepth: maxDepth, maxAliases: maxAliases, maxNodes: maxNodes)
        // Anchors are weak references owned by the parser: keep it alive while converting.
        return try withExtendedLifetime(parser) { try converter.convert(root, depth: 0) }
    }

    /// Renders a value as a YAML document with sorted keys, quoting strings that would read back as
    /// another type (`"5"`, `"true"`, `"null"`).
    ///
    /// - Parameter value: the value to render.
    /// - Returns: YAML text ending with a newline.
    /// - Throws: when the emitter fails (it does not for values built from ``ConfigValue``).
    public static func dumpYAML(_ value: ConfigValue) throws -> String {
        try Yams.serialize(node: node(for: value), sortKeys: true)
    }

    /// Merges two configuration trees: mappings merge key by key recursively, anything else in `override`
    /// (scalars, `null`, and sequences, which are replaced whole, never concatenated) wins.
    ///
    /// ```swift
    /// deepMerge(["db": ["host": "localhost", "port": 5432]], ["db": ["port": 3306], "cache": true])
    /// // ["db": ["host": "localhost", "port": 3306], "cache": true]
    /// ```
    ///
    /// - Parameters:
    ///   - base: the lower layer.
    ///   - override: the higher layer.
    /// - Returns: the merged tree.
    public static func deepMerge(_ base: ConfigValue, _ override: ConfigValue) -> ConfigValue {
        guard case .map(var merged) = base, case .map(let higher) = override else { return override }
        for (key, value) in higher {
            merged[key] = merged[key].map { deepMerge($0, value) } ?? value
        }
        return .map(merged)
    }

    // MARK: - Rendering

    private static func node(for value: ConfigValue) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let bool): return Node(bool ? "true" : "false", Tag(.bool))
        case .int(let int): return Node(String(int), Tag(.int))
        case .double(let double): return Node(yamlFloat(double), Tag(.float))
        case .string(let string):
            let needsQuotes = Resolver.default.resolveTagName(of: string) != .str || string.isEmpty
            return Node(string, Tag(.str), needsQuotes ? .doubleQuoted : .any)
        case .array(let values): return Node(values.map(node(for:)))
        case .map(let map):
            return Node(map.keys.sorted().map { (Node($0), node(for: map[$0] ?? .null)) })
        }
    }

    private static func yamlFloat(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        return String(value)
    }

    // MARK: - Errors

    private static func translate(_ error: YamlError, source: String, text: String) -> YAMLUtilitiesError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            if detail.contains("another document") { return .multipleDocuments(source: source) }
            return .syntax(source: source, line: mark.line, column: mark.column, problem: detail)
        case .reader(let problem, let offset, _, _):
            let (line, column) = lineAndColumn(ofByteOffset: offset ?? 0, in: text)
            return .syntax(source: source, line: line, column: column, problem: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .duplicateKey(
                source: source, key: duplicates.joined(separator: ", "), line: context.mark.line,
                column: context.mark.column)
        default:
            return .syntax(source: source, line: 1, column: 1, problem: String(describing: error))
        }
    }

    static func lineAndColumn(ofByteOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in text.utf8.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}

extension Resolver {
    /// The tag a plain scalar with this text resolves to.
    fileprivate func resolveTagName(of text: String) -> Tag.Name {
        Tag.Name(rawValue: Node.scalar(.init(text)).tag.rawValue)
    }
}

/// Converts a composed Yams node tree into ``ConfigValue``, enforcing depth, alias and expansion limits.
private struct NodeConverter {
    let source: String
    let maxDepth: Int
    let maxAliases: Int
    let maxNodes: Int
    var nodes = 0
    var aliases = 0
    var seenAnchors: Set<ObjectIdentifier> = []

    init(source: String, maxDepth: Int, maxAliases: Int, maxNodes: Int) {
        self.source = source
        self.maxDepth = maxDepth
        self.maxAliases = maxAliases
        self.maxNodes = maxNodes
    }

    mutating func convert(_ node: Node, depth: Int) throws -> ConfigValue {
        nodes += 1
        guard nodes <= maxNodes else { throw YAMLUtilitiesError.tooManyNodes(source: source, limit: maxNodes) }
        if let anchor = node.anchor {
            // The first occurrence of an anchored node is its definition; every later one is an alias.
            if !seenAnchors.insert(ObjectIdentifier(anchor)).inserted {
                aliases += 1
                guard aliases <= maxAliases else {
                    throw YAMLUtilitiesError.tooManyAliases(source: source, limit: maxAliases)
                }
            }
        }
        let mark = Position(node.mark)
        switch node {
        case .scalar(let scalar):
            return try convertScalar(scalar, mark: mark)
        case .sequence(let sequence):
            try checkDepth(depth + 1, mark: mark)
            try checkCollectionTag(sequence.tag, allowed: .seq, mark: mark)
            var values: [ConfigValue] = []
            values.reserveCapacity(sequence.count)
            for element in sequence {
                values.append(try convert(element, depth: depth + 1))
            }
            return .array(values)
        case .mapping(let mapping):
            try checkDepth(depth + 1, mark: mark)
            try checkCollectionTag(mapping.tag, allowed: .map, mark: mark)
            var explicit: [String: ConfigValue] = [:]
            var merged: [String: ConfigValue] = [:]
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else {
                    let keyMark = keyNode.mark.map(Position.init) ?? mark
                    throw YAMLUtilitiesError.nonScalarKey(source: source, line: keyMark.line, column: keyMark.column)
                }
                let value = try convert(valueNode, depth: depth + 1)
                if Tag.Name(rawValue: keyNode.tag.rawValue) == .merge {
                    try mergeKey(value, into: &merged, mark: keyNode.mark.map(Position.init) ?? mark)
                } else {
                    explicit[keyScalar.string] = value
                }
            }
            // Explicit keys win over keys merged in with `<<`.
            return .map(merged.merging(explicit) { _, explicitValue in explicitValue })
        case .alias(let alias):
            let aliasMark = alias.mark.map(Position.init) ?? mark
            throw YAMLUtilitiesError.syntax(
                source: source, line: aliasMark.line, column: aliasMark.column, problem: "unresolved alias")
        }
    }

    /// `<<: *base` or `<<: [*a, *b]`: earlier mappings in the list win, as the YAML merge key specifies.
    private func mergeKey(_ value: ConfigValue, into merged: inout [String: ConfigValue], mark: Position) throws {
        let sources: [ConfigValue]
        switch value {
        case .map: sources = [value]
        case .array(let values): sources = values
        default: sources = []
        }
        for case .map(let map) in sources.reversed() {
            merged.merge(map) { _, later in later }
        }
        guard sources.allSatisfy({ $0.mapValue != nil }), !sources.isEmpty else {
            throw YAMLUtilitiesError.syntax(
                source: source, line: mark.line, column: mark.column,
                problem: "the merge key '<<' needs a mapping or a sequence of mappings")
        }
    }

    private func checkDepth(_ depth: Int, mark: Position) throws {
        guard depth <= maxDepth else {
            throw YAMLUtilitiesError.tooDeep(source: source, limit: maxDepth, line: mark.line, column: mark.column)
        }
    }

    private func checkCollectionTag(_ tag: Tag, allowed: Tag.Name, mark: Position) throws {
        let name = Tag.Name(rawValue: tag.rawValue)
        guard name == .implicit || name == .nonSpecific || name == allowed else {
            throw YAMLUtilitiesError.unsupportedTag(
                source: source, tag: name.rawValue, line: mark.line, column: mark.column)
        }
    }

    private func convertScalar(_ scalar: Node.Scalar, mark: Position) throws -> ConfigValue {
        let text = scalar.string
        let resolved = Tag.Name(rawValue: Node.scalar(scalar).tag.rawValue)
        let invalid = YAMLUtilitiesError.invalidScalar(
            source: source, text: text, tag: resolved.rawValue, line: mark.line, column: mark.column)
        switch resolved {
        case .str, .timestamp, .value, .merge:
            return .string(text)
        case .null:
            return .null
        case .bool:
            // YAML 1.2 booleans only: `yes`, `no`, `on`, `off` stay text, so `country: NO` means Norway.
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return .string(text)
            }
        case .int:
            if let value = Int.construct(from: scalar) { return .int(value) }
            // An integer too large for Int keeps its text rather than failing the whole file.
            guard text.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "_" }), !text.isEmpty else {
                throw invalid
            }
            return .string(text)
        case .float:
            guard let value = Double.construct(from: scalar) else { throw invalid }
            return .double(value)
        default:
            throw YAMLUtilitiesError.unsupportedTag(
                source: source, tag: resolved.rawValue, line: mark.line, column: mark.column)
        }
    }

    /// A 1-based line and column.
    struct Position {
        var line: Int
        var column: Int

        init(_ mark: Mark?) {
            line = mark?.line ?? 1
            column = mark?.column ?? 1
        }
    }
}

/// A conservative pre-scan of the raw text, before Yams composes it: counts alias uses and refuses
/// aliases used as keys (Yams compares keys structurally, which an alias to a huge node makes
/// exponential). It skips comments and quoted scalars; an asterisk in an unquoted scalar that looks like
/// an alias is counted too, which can only make the check stricter.
private enum AliasScan {
    static func check(_ text: String, source: String, maxAliases: Int) throws {
        guard text.utf8.contains(UInt8(ascii: "*")) else { return }
        let bytes = Array(text.utf8)
        var aliases = 0
        var index = 0
        var line = 1
        var lineStart = 0
        var previousSignificant: UInt8 = UInt8(ascii: "\n")
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
                lineStart = index + 1
                previousSignificant = byte
                index += 1
            case UInt8(ascii: "#") where index == 0 || isSpace(bytes[index - 1]):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                guard isNodeStart(previousSignificant, bytes: bytes, at: index) else {
                    previousSignificant = byte
                    index += 1
                    continue
                }
                index = skipQuoted(bytes, from: index, line: &line, lineStart: &lineStart)
                previousSignificant = byte
            case UInt8(ascii: "*"):
                let starts = isNodeStart(previousSignificant, bytes: bytes, at: index)
                if starts, index + 1 < bytes.count, isAnchorCharacter(bytes[index + 1]) {
                    aliases += 1
                    guard aliases <= maxAliases else {
                        throw YAMLUtilitiesError.tooManyAliases(source: source, limit: maxAliases)
                    }
                    let column = index - lineStart + 1
                    var end = index + 1
                    while end < bytes.count, isAnchorCharacter(bytes[end]) { end += 1 }
                    if previousSignificant == UInt8(ascii: "?") || isFollowedByKeyIndicator(bytes, from: end) {
                        throw YAMLUtilitiesError.aliasAsKey(source: source, line: line, column: column)
                    }
                    index = end
                    previousSignificant = UInt8(ascii: "a")
                } else {
                    previousSignificant = byte
                    index += 1
                }
            default:
                if !isSpace(byte) { previousSignificant = byte }
                index += 1
            }
        }
    }

    /// A node starts at the beginning of a line, after `[`, `{` or `,`, or after an indicator (`-`, `:`, `?`)
    /// that is followed by a space (`a:*b` and `-*x` are plain text).
    private static func isNodeStart(_ previous: UInt8, bytes: [UInt8], at index: Int) -> Bool {
        if index == 0 || "\n[{,".utf8.contains(previous) { return true }
        return "-:?".utf8.contains(previous) && isSpace(bytes[index - 1])
    }

    private static func isFollowedByKeyIndicator(_ bytes: [UInt8], from start: Int) -> Bool {
        var index = start
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
            index += 1
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
        return index + 1 == bytes.count || isSpace(bytes[index + 1]) || ",]}".utf8.contains(bytes[index + 1])
    }

    private static func skipQuoted(_ bytes: [UInt8], from start: Int, line: inout Int, lineStart: inout Int) -> Int {
        let quote = bytes[start]
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            } else if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                index += 2
                continue
            } else if byte == quote {
                if quote == UInt8(ascii: "'"), index + 1 < bytes.count, bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return index
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }

    private static func isAnchorCharacter(_ byte: UInt8) -> Bool {
        !isSpace(byte) && !",[]{}".utf8.contains(byte)
    }
}
