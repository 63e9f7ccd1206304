import Foundation

/// Cleans what the audit logger writes: credentials redacted, line breaks removed from one-line fields,
/// values under credential-named keys masked, non-finite doubles turned into strings.
enum AuditSanitizer {
    /// A one-line field (name, user, action, object, message...): redacted, with CR, LF and the other
    /// line separators (VT, FF, NEL, U+2028, U+2029) and remaining control characters replaced by a
    /// space, so a forged second log entry cannot be injected.
    static func line(_ text: String) -> String {
        let redacted = redact(text)
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
            let cleanKey = redact(key)
            result[cleanKey] = isCredentialKey(key) ? masked(value) : self.value(value)
        }
        return result
    }

    static func value(_ value: AuditValue) -> AuditValue {
        switch value {
        case .string(let string): return .string(redact(string))
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
        let normalized = String(
            decoding: key.utf8.map { byte -> UInt8 in
                if byte >= 0x41 && byte <= 0x5A { return byte + 0x20 }
                return byte == UInt8(ascii: "-") ? UInt8(ascii: "_") : byte
            }, as: UTF8.self)
        if credentialKeys.contains(normalized) { return true }
        return ["_password", "_secret", "_token", "_api_key", "_apikey", "_passwd"].contains {
            normalized.hasSuffix($0)
        }
    }

    /// `SecretRedactor.redact(text)`, skipped for text that cannot match any of its rules.
    ///
    /// `SecretRedactor` first looks, case-insensitively, for one of the keywords below and returns the
    /// text unchanged when none occurs. That pre-filter goes through Foundation's `contains`, which
    /// costs about 1 µs per keyword on Linux — most of the cost of an audit record. This is the same
    /// test on bytes: ASCII text without any keyword is returned as is; anything else (a keyword, or
    /// any non-ASCII byte, whose lower-casing the byte test does not model) goes to the redactor.
    /// Keep ``redactorKeywords`` equal to `SecretRedactor`'s list.
    static func redact(_ text: String) -> String {
        mayContainSecret(text) ? SecretRedactor.redact(text) : text
    }

    static let redactorKeywords: [[UInt8]] = [
        "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "akia", "asia", "abia", "acca", "a3t",
        "private key", "xox", "sk_", "rk_", "password", "passwd", "secret", "token", "api_key", "apikey",
        "api-key", "authorization", "bearer", "credential",
    ].map { Array($0.utf8) }

    /// Whether `text` is non-ASCII or holds a redactor keyword (ASCII case-insensitive).
    static func mayContainSecret(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes -> Bool in
            let count = bytes.count
            for index in 0..<count {
                let byte = bytes[index]
                if byte >= 0x80 { return true }
                let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                for keyword in redactorKeywords where keyword[0] == lower && index + keyword.count <= count {
                    var offset = 1
                    while offset < keyword.count {
                        let other = bytes[index + offset]
                        let otherLower = other >= 0x41 && other <= 0x5A ? other + 0x20 : other
                        if otherLower != keyword[offset] { break }
                        offset += 1
                    }
                    if offset == keyword.count { return true }
                }
            }
            return false
        }
    }
}
