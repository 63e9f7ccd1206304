/// HTTP header fields with case-insensitive lookup that keep the order and spelling they were given in.
///
/// HTTP header names are case-insensitive, and Linux `URLSession` re-cases them (`Etag`,
/// `X-Ratelimit-Remaining`), so every lookup here lower-cases the name first.
///
/// ```swift
/// var headers = HTTPHeaderFields(["ETag": "\"abc\""])
/// headers["etag"]        // "\"abc\""
/// headers["If-None-Match"] = "\"abc\""
/// ```
public struct HTTPHeaderFields: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    private var fields: [(name: String, value: String)]

    /// Creates an empty set of headers.
    public init() { fields = [] }

    /// Creates headers from a dictionary (order is the dictionary's).
    ///
    /// - Parameter dictionary: header names and values.
    public init(_ dictionary: [String: String]) {
        fields = dictionary.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
    }

    /// Creates headers from name–value pairs, keeping their order; later duplicates are kept too.
    ///
    /// - Parameter pairs: header names and values.
    public init(pairs: [(String, String)]) {
        fields = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// Creates headers from a dictionary literal.
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of the header called `name` (any case); setting replaces every value, `nil` removes it.
    public subscript(name: String) -> String? {
        get {
            let lowered = name.lowercased()
            return fields.first { $0.name.lowercased() == lowered }?.value
        }
        set {
            let lowered = name.lowercased()
            if let value = newValue {
                if let index = fields.firstIndex(where: { $0.name.lowercased() == lowered }) {
                    fields[index].value = value
                    var next = fields.index(after: index)
                    while next < fields.endIndex {
                        if fields[next].name.lowercased() == lowered {
                            fields.remove(at: next)
                        } else {
                            next = fields.index(after: next)
                        }
                    }
                } else {
                    fields.append((name: name, value: value))
                }
            } else {
                fields.removeAll { $0.name.lowercased() == lowered }
            }
        }
    }

    /// Every value of the header called `name` (any case), in order.
    ///
    /// - Parameter name: the header name.
    /// - Returns: the values, empty when absent.
    public func values(for name: String) -> [String] {
        let lowered = name.lowercased()
        return fields.filter { $0.name.lowercased() == lowered }.map(\.value)
    }

    /// Appends a value without removing existing values of the same header.
    ///
    /// - Parameters:
    ///   - value: the value.
    ///   - name: the header name.
    public mutating func add(_ value: String, for name: String) {
        fields.append((name: name, value: value))
    }

    /// The number of fields.
    public var count: Int { fields.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { fields.isEmpty }

    /// Iterates over `(name, value)` pairs in order.
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    /// Whether both hold the same names (ignoring case) and values in the same order.
    public static func == (lhs: HTTPHeaderFields, rhs: HTTPHeaderFields) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy {
                $0.0.name.lowercased() == $0.1.name.lowercased() && $0.0.value == $0.1.value
            }
    }
}
