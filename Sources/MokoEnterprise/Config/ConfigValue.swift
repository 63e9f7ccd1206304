import Foundation

/// A configuration value: what a YAML document, an environment variable or a runtime override supplies.
///
/// YAML scalars keep their YAML type (`5` is ``int(_:)``, `"5"` is ``string(_:)``). Only the YAML 1.2
/// spellings `true`/`false` are booleans in a file; `yes`, `no`, `on` and `off` stay strings so that
/// `country: NO` means Norway, and ``Config/getBool(_:)`` still accepts them when asked for a boolean.
/// Timestamps stay strings. Literals work: `config.set("api.max_retries", 5)`.
public enum ConfigValue: Sendable, Hashable {
    /// An explicit `null`, `~` or empty value.
    case null
    /// A boolean.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A floating-point number.
    case double(Double)
    /// A string.
    case string(String)
    /// A sequence.
    case array([ConfigValue])
    /// A mapping with string keys.
    case map([String: ConfigValue])

    /// A short name of the value's type, used in error messages (`"int"`, `"map"`...).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "string"
        case .array: "array"
        case .map: "map"
        }
    }

    /// The mapping, when the value is one.
    public var mapValue: [String: ConfigValue]? {
        if case .map(let map) = self { return map }
        return nil
    }

    /// The elements, when the value is a sequence.
    public var arrayValue: [ConfigValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// The string, when the value is a string.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// Whether the value is ``null``.
    public var isNull: Bool { self == .null }

    /// The value as plain text: scalars as written (`5`, `true`, `0.5`), `null` as an empty string,
    /// sequences and mappings as compact JSON with sorted keys.
    public var plainText: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): value
        case .array, .map: jsonText
        }
    }

    /// The value as compact JSON with sorted keys.
    public var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool, .int: return plainText
        case .double(let value): return value.isFinite ? String(value) : "null"
        case .string(let value): return Self.jsonQuoted(value)
        case .array(let values): return "[" + values.map(\.jsonText).joined(separator: ",") + "]"
        case .map(let map):
            let members = map.keys.sorted().map { key in
                Self.jsonQuoted(key) + ":" + (map[key] ?? .null).jsonText
            }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    /// The value at a dot-separated path (`"github.api_url"`, `"servers.0.host"`), or `nil`.
    ///
    /// A numeric segment indexes a sequence. An empty path returns the value itself.
    public func value(at path: String) -> ConfigValue? {
        value(at: Self.segments(of: path)[...])
    }

    func value(at segments: ArraySlice<String>) -> ConfigValue? {
        guard let first = segments.first else { return self }
        switch self {
        case .map(let map):
            return map[first]?.value(at: segments.dropFirst())
        case .array(let array):
            guard let index = Int(first), array.indices.contains(index) else { return nil }
            return array[index].value(at: segments.dropFirst())
        default:
            return nil
        }
    }

    /// Returns a copy with `newValue` stored at the dot-separated `segments`, creating mappings as needed
    /// and replacing a scalar that stands in the way.
    func setting(_ newValue: ConfigValue, at segments: ArraySlice<String>) -> ConfigValue {
        guard let first = segments.first else { return newValue }
        if case .array(var array) = self, let index = Int(first), array.indices.contains(index) {
            array[index] = array[index].setting(newValue, at: segments.dropFirst())
            return .array(array)
        }
        var map = mapValue ?? [:]
        map[first] = (map[first] ?? .null).setting(newValue, at: segments.dropFirst())
        return .map(map)
    }

    /// Every leaf (scalar, sequence or empty mapping) with its dot-separated path, sorted by path.
    ///
    /// Sequences are leaves: a later layer replaces a sequence as a whole.
    public func flattened(prefix: String = "") -> [(key: String, value: ConfigValue)] {
        var result: [(key: String, value: ConfigValue)] = []
        collectLeaves(prefix: prefix, into: &result)
        return result.sorted { $0.key < $1.key }
    }

    private func collectLeaves(prefix: String, into result: inout [(key: String, value: ConfigValue)]) {
        if case .map(let map) = self, !map.isEmpty {
            for (key, value) in map {
                value.collectLeaves(prefix: prefix.isEmpty ? key : prefix + "." + key, into: &result)
            }
        } else if !prefix.isEmpty {
            result.append((prefix, self))
        }
    }

    /// Splits a dot-notation key into its segments.
    static func segments(of key: String) -> [String] {
        key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    private static func jsonQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

extension ConfigValue: ExpressibleByNilLiteral {
    /// Creates ``null``.
    public init(nilLiteral: ()) { self = .null }
}

extension ConfigValue: ExpressibleByBooleanLiteral {
    /// Creates a boolean value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension ConfigValue: ExpressibleByIntegerLiteral {
    /// Creates an integer value.
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension ConfigValue: ExpressibleByFloatLiteral {
    /// Creates a floating-point value.
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension ConfigValue: ExpressibleByStringLiteral {
    /// Creates a string value.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension ConfigValue: ExpressibleByArrayLiteral {
    /// Creates a sequence.
    public init(arrayLiteral elements: ConfigValue...) { self = .array(elements) }
}

extension ConfigValue: ExpressibleByDictionaryLiteral {
    /// Creates a mapping; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension ConfigValue: CustomStringConvertible {
    /// The value as JSON text (this does not mask secrets: ``Config`` masks them in its own descriptions).
    public var description: String { jsonText }
}

extension ConfigValue: Codable {
    /// Decodes any JSON-like value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ConfigValue].self) {
            self = .array(value)
        } else {
            self = .map(try container.decode([String: ConfigValue].self))
        }
    }

    /// Encodes the value as the matching JSON-like value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .map(let value): try container.encode(value)
        }
    }
}
