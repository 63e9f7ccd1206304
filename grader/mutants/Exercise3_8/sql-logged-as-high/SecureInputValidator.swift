// MUTANT sql-logged-as-high: an SQL-injection attempt is blocked and logged as HIGH instead of CRITICAL.
// Caught by Exercise3_8HiddenChecks.test3_sqlInjectionVariantsAreBlockedAsCritical.

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

    /// The severity of a block at `layer`: type LOW, pattern MEDIUM, credentials HIGH, SQL injection
    /// CRITICAL, path traversal HIGH.
    private static func severity(of layer: ValidationLayer) -> AuditSeverity {
        switch layer {
        case .type: .low  // a malformed request, most likely a client bug
        case .pattern: .medium  // a value in the wrong shape: probing or a bug
        case .credentials: .high  // a secret leaked into an input: it must be rotated
        case .sqlInjection: .high
        case .pathTraversal: .high  // an attempt to read outside the allowed directory
        }
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
        try await audit.transaction(Self.transactionName, metadata: ["fields": .int(input.count)]) { txn in
            let fields = input.sorted { $0.key < $1.key }  // a stable order: the same input, the same verdict
            for layer in ValidationLayer.allCases {
                for (name, value) in fields where !passes(layer, name: name, value: value) {
                    let severity = Self.severity(of: layer)
                    // Log the field and the layer, never the value: it may be the very secret we caught.
                    try txn.logSecurityEvent(
                        layer.eventName, severity: severity,
                        details: ["field": .string(name), "layer": .string(layer.rawValue)], outcome: .failure)
                    throw InputBlocked(layer: layer, field: name, severity: severity)
                }
            }
            try txn.logEvent(
                "validation_complete", details: ["fields_validated": .int(fields.count), "status": "success"])
            return fields.count
        }
    }

    /// Whether one field passes one layer.
    private func passes(_ layer: ValidationLayer, name: String, value: InputValue) -> Bool {
        switch layer {
        case .type:
            // An unknown field fails too: accept only what the schema names.
            return schema[name]?.kind == value.kind
        case .pattern:
            guard case .string(let text) = value, let pattern = schema[name]?.pattern else { return true }
            return security.isValidInput(text, type: pattern)
        case .credentials:
            return security.detectCredentials(value.description).isEmpty
        case .sqlInjection:
            guard case .string(let text) = value else { return true }
            return !security.detectSQLInjection(text).isInjection
        case .pathTraversal:
            guard schema[name]?.isPath == true, case .string(let path) = value else { return true }
            // The library canonicalises (decoding, normalisation, symlinks) before checking containment:
            // a `..` substring test would miss `%2e%2e/` and flag `a..b.txt`.
            do {
                try security.validatePath(path, allowedRoot: allowedRoot)
                return true
            } catch {
                return false
            }
        }
    }
}
