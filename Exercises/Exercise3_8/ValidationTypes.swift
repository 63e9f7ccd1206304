import MokoEnterprise

/// One input value as it arrives from a form, a CLI flag or a JSON body.
///
/// Provided: not part of the exercise.
public enum InputValue: Sendable, Hashable, CustomStringConvertible {
    /// Text.
    case string(String)
    /// A whole number.
    case integer(Int)
    /// A yes/no value.
    case boolean(Bool)

    /// The kind of value, for the type layer.
    public var kind: ValueKind {
        switch self {
        case .string: .string
        case .integer: .integer
        case .boolean: .boolean
        }
    }

    /// The value as text, e.g. `42`, `true`, or the string itself.
    public var description: String {
        switch self {
        case .string(let text): text
        case .integer(let number): String(number)
        case .boolean(let flag): String(flag)
        }
    }
}

/// The kinds of ``InputValue``.
///
/// Provided: not part of the exercise.
public enum ValueKind: String, Sendable, Hashable {
    /// ``InputValue/string(_:)``.
    case string
    /// ``InputValue/integer(_:)``.
    case integer
    /// ``InputValue/boolean(_:)``.
    case boolean
}

/// What one field must be.
///
/// Provided: not part of the exercise.
public struct FieldRule: Sendable, Hashable {
    /// The kind of value the field takes.
    public var kind: ValueKind
    /// The format a string field must have (layer 2), or `nil` for free text.
    public var pattern: SecurityInputType?
    /// Whether the field names a file (layer 5 checks it stays inside the allowed root).
    public var isPath: Bool

    /// Creates a rule.
    ///
    /// - Parameters:
    ///   - kind: the kind of value.
    ///   - pattern: the format of a string field, `nil` for free text.
    ///   - isPath: whether the field is a file path.
    public init(_ kind: ValueKind, pattern: SecurityInputType? = nil, isPath: Bool = false) {
        self.kind = kind
        self.pattern = pattern
        self.isPath = isPath
    }
}

/// The five layers of Pattern 10, in the order they run.
///
/// Provided: not part of the exercise.
public enum ValidationLayer: String, Sendable, Hashable, CaseIterable {
    /// 1. Every field is known and holds the kind of value its rule says.
    case type
    /// 2. Fields with a pattern match it (``SecurityValidator/validateInput(_:type:)``).
    case pattern
    /// 3. No value holds a credential (``SecurityValidator/detectCredentials(_:)``).
    case credentials
    /// 4. No string value reads as SQL injection (``SecurityValidator/detectSQLInjection(_:)``).
    case sqlInjection = "sql_injection"
    /// 5. Path fields stay inside the allowed root (``SecurityValidator/validatePath(_:allowedRoot:)``).
    case pathTraversal = "path_traversal"

    /// The name of the security event logged when this layer blocks an input.
    public var eventName: String {
        switch self {
        case .type: "type_validation_failure"
        case .pattern: "pattern_validation_failure"
        case .credentials: "credential_detected"
        case .sqlInjection: "sql_injection_attempt"
        case .pathTraversal: "path_traversal_attempt"
        }
    }
}

/// Thrown when a layer blocks an input: which layer, which field, how serious.
///
/// It never carries the rejected value (it may be a credential).
///
/// Provided: not part of the exercise.
public struct InputBlocked: Error, Sendable, Hashable, CustomStringConvertible {
    /// The layer that blocked the input.
    public var layer: ValidationLayer
    /// The field that failed it.
    public var field: String
    /// How serious the attempt is.
    public var severity: AuditSeverity

    /// Creates the error.
    public init(layer: ValidationLayer, field: String, severity: AuditSeverity) {
        self.layer = layer
        self.field = field
        self.severity = severity
    }

    /// `input blocked by the <layer> layer: field '<field>' (<SEVERITY>)`.
    public var description: String { "input blocked by the \(layer.rawValue) layer: field '\(field)' (\(severity))" }
}
