import Foundation

/// Cleans what the audit logger writes: credentials redacted, line breaks removed from one-line fields,
/// values under credential-named keys masked, non-finite doubles turned into strings.
enum AuditSanitizer {
    /// A one-line field (name, user, action, object, message...): redacted, with CR, LF and the other
    /// line separators (VT, FF, NEL, U+2028, U+2029) and remaining control characters replaced by a
    /// space, so a forged second log entry cannot be injected.
    static func line(_ text: String) -> String {
        let redacted = SecretRedactor.redact(text)
        guard redacted.unicodeScalars.contains(where: isBreaking) else { return redacted }
        var scalars = String.UnicodeScalarView()
        for scalar in redacted.unicodeScalars {
            scalars.append(isBreaking(scalar) ? " " : scalar)
        }
        return String(scalars)
    }

    private static func isBreaking(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85 || scalar.value == 0x2028
            || scalar.value == 0x2029
    }

    /// A one-line optional field.
    static func line(_ text: String?) -> String? { text.map { line($0) } }

    /// Details with every key and string redacted (multi-line text is kept: JSON escapes it).
    static func details(_ details: AuditDetails) -> AuditDetails {
        var result: AuditDetails = [:]
        result.reserveCapacity(details.count)
        for (key, value) in details {
            let cleanKey = SecretRedactor.redact(key)
            result[cleanKey] = isCredentialKey(key) ? masked(value) : self.value(value)
        }
        return result
    }

    static func value(_ value: AuditValue) -> AuditValue {
        switch value {
        case .string(let string): return .string(SecretRedactor.redact(string))
        case .double(let double):
            guard double.isFinite else {
                return .string(double.isNaN ? "NaN" : (double > 0 ? "Infinity" : "-Infinity"))
            }
            return value
        case .array(let array): return .array(array.map { self.value($0) })
        case .object(let object): return .object(details(object))
        case .int, .bool, .null: return value
        }
    }

    /// Strings under a credential-named key are replaced whole; numbers and Booleans are kept.
    private static func masked(_ value: AuditValue) -> AuditValue {
        switch value {
        case .string: return .string(SecretRedactor.marker)
        case .array(let array): return .array(array.map { masked($0) })
        case .object(let object): return .object(details(object))
        default: return self.value(value)
        }
    }

    private static let credentialKeys: Set<String> = [
        "password", "passwd", "pwd", "secret", "token", "access_token", "refresh_token", "id_token", "api_key",
        "apikey", "authorization", "credential", "credentials", "private_key", "client_secret", "secret_key",
        "access_key", "secret_access_key", "session_token", "cookie", "set_cookie", "passphrase",
    ]

    /// Whether a details key names a credential (`password`, `api-key`, `github_token`, `db_password`...).
    static func isCredentialKey(_ key: String) -> Bool {
        let normalized = key.lowercased().replacingOccurrences(of: "-", with: "_")
        if credentialKeys.contains(normalized) { return true }
        return ["_password", "_secret", "_token", "_api_key", "_apikey", "_passwd"].contains {
            normalized.hasSuffix($0)
        }
    }
}
