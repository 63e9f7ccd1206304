import ExerciseSupport
import MokoEnterprise

/// Defence in depth for inputs (Pattern 10): five layers, each a different kind of check, all inside one
/// audit transaction so that every blocked attempt leaves a security event.
public struct SecureInputValidator: Sendable {
    /// The name of the audit transaction every validation runs in.
    public static let transactionName = "input_validation"

    /// The fields an input may have, and what each must be.
    public var schema: [String: FieldRule]
    /// The directory path fields must stay inside.
    public var allowedRoot: String
    /// The library's validator used by layers 2–5.
    public var security: SecurityValidator
    /// Where security events and the transaction go.
    public var audit: AuditLogger

    /// Creates a validator.
    ///
    /// - Parameters:
    ///   - schema: the allowed fields and their rules.
    ///   - allowedRoot: the directory path fields must stay inside.
    ///   - security: the library's validator.
    ///   - audit: the audit store.
    public init(
        schema: [String: FieldRule], allowedRoot: String, security: SecurityValidator = SecurityValidator(),
        audit: AuditLogger
    ) {
        self.schema = schema
        self.allowedRoot = allowedRoot
        self.security = security
        self.audit = audit
    }

    /// Runs the five layers over `input` in one audit transaction named ``transactionName``.
    ///
    /// Each layer checks every field (in name order) before the next layer runs, so an input is blocked
    /// at the first layer any of its fields fails. A block logs one security event (the layer's
    /// ``ValidationLayer/eventName``, its severity, the field and the layer, never the value) and throws
    /// ``InputBlocked``; the transaction then ends as a failure. A clean input logs `validation_complete`.
    ///
    /// - Parameter input: field names and values.
    /// - Returns: the number of fields validated.
    /// - Throws: ``InputBlocked``; the audit store's errors.
    @discardableResult
    public func validate(_ input: [String: InputValue]) async throws -> Int {
        // TODO: open `audit.transaction(Self.transactionName) { txn in ... }`. For each layer of
        // `ValidationLayer.allCases`, check every field (sorted by name) with `security`:
        //   type: the field is in `schema` and `value.kind` matches;  pattern: `isValidInput` when the rule
        //   has a pattern;  credentials: `detectCredentials` finds nothing;  SQL injection:
        //   `detectSQLInjection(...).isInjection` is false;  path traversal: `validatePath(_:allowedRoot:)`
        //   for fields whose rule `isPath`.
        // On the first failure log `txn.logSecurityEvent(layer.eventName, severity:, details: field and layer,
        // outcome: .failure)` and throw `InputBlocked`. Severities: type LOW, pattern MEDIUM, credentials
        // HIGH, SQL injection CRITICAL, path traversal HIGH. When all pass, log `validation_complete` with
        // `fields_validated` and return the field count.
        throw Unimplemented("the five validation layers (SecureInputValidator.validate(_:))", exercise: "3.8")
    }
}
