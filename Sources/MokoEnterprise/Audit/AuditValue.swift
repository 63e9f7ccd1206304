import Foundation

/// A JSON-shaped value carried in the `details` of an audit record.
///
/// Details are typed so that every record serialises to one canonical JSON text (sorted keys, no
/// insignificant whitespace), which is what the audit chain hashes. Write them with literals:
///
/// ```swift
/// try logger.logEvent("create_user", details: ["username": "john.doe", "attempt": 2, "admin": false])
/// ```
///
/// Doubles that are not finite (NaN, ±infinity) have no JSON form: the logger stores them as the
/// strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
public enum AuditValue: Sendable, Hashable {
    /// A string; credentials in it are redacted before it is written.
    case string(String)
    /// A whole number.
    case int(Int)
    /// A floating-point number.
    case double(Double)
    /// A Boolean.
    case bool(Bool)
    /// An ordered list of values.
    case array([AuditValue])
    /// A nested object.
    case object([String: AuditValue])
    /// JSON `null`.
    case null

    /// The string, when this value is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The whole number, when this value is one.
    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The number as a `Double`, when this value is an integer or a double.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The Boolean, when this value is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The nested object, when this value is one.
    public var objectValue: [String: AuditValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The list, when this value is one.
    public var arrayValue: [AuditValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The canonical JSON text of this value: sorted keys, no whitespace, minimal escaping.
    public var canonicalJSON: String {
        var bytes: [UInt8] = []
        AuditJSON.write(self, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses one JSON text into a value.
    ///
    /// - Throws: ``AuditError`` with code `.malformedJSON` saying where the text is not valid JSON
    ///   (duplicate keys and integers beyond 64 bits are refused too).
    public init(parsingJSON text: String) throws {
        self = try AuditJSON.parse(Array(text.utf8))
    }
}

/// The details of an audit record: a JSON object with typed values.
public typealias AuditDetails = [String: AuditValue]

extension AuditValue: ExpressibleByStringLiteral {
    /// Creates a string value.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension AuditValue: ExpressibleByStringInterpolation {}

extension AuditValue: ExpressibleByIntegerLiteral {
    /// Creates an integer value.
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension AuditValue: ExpressibleByFloatLiteral {
    /// Creates a double value.
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension AuditValue: ExpressibleByBooleanLiteral {
    /// Creates a Boolean value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension AuditValue: ExpressibleByArrayLiteral {
    /// Creates a list value.
    public init(arrayLiteral elements: AuditValue...) { self = .array(elements) }
}

extension AuditValue: ExpressibleByDictionaryLiteral {
    /// Creates an object value; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, AuditValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension AuditValue: ExpressibleByNilLiteral {
    /// Creates JSON `null`.
    public init(nilLiteral: ()) { self = .null }
}

extension AuditValue: CustomStringConvertible {
    /// The canonical JSON text.
    public var description: String { canonicalJSON }
}
