import Foundation

/// Cleans what the audit logger writes: credentials redacted, line breaks removed from one-line fields,
/// values under credential-named keys masked, non-finite doubles turned into strings.
enum AuditSanitizer {
    /// A one-line field (name, user, action, object, message...): redacted, with CR, LF and the other
    /// line separators (VT, FF, NEL, U+2028, U+2029) and remaining control characters replaced by a
    /// space, so a forged second log entry cannot be injected.
    static func line(_ text: String) -> String {
        let redacted = redact(text)
        // Every breaking scalar starts with a byte below 0x20, 0x7F, 0xC2 (U+0085) or 0xE2 (U+2028/9).
        guard
            Self.mayHoldBreaking(redacted),
            redacted.unicodeScalars.contains(where: isBreaking)
        else { return redacted }
        var scalars = String.UnicodeScalarView()
        for scalar in redacted.unicodeScalars {
            scalars.append(isBreaking(scalar) ? " " : scalar)
        }
        return String(scalars)
    }

    /// Whether `text` holds a byte that starts a breaking scalar (below 0x20, 0x7F, 0xC2, 0xE2).
    private static func mayHoldBreaking(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xE2 { return true }
            return false
        }
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
    ///
    /// Compares ASCII-lower-cased bytes (`-` read as `_`) without building the normalised key.
    static func isCredentialKey(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { bytes -> Bool in
            @inline(__always) func normalized(_ byte: UInt8) -> UInt8 {
                if byte >= 0x41 && byte <= 0x5A { return byte + 0x20 }
                return byte == UInt8(ascii: "-") ? UInt8(ascii: "_") : byte
            }
            func equals(_ candidate: [UInt8], at start: Int) -> Bool {
                for offset in 0..<candidate.count where normalized(bytes[start + offset]) != candidate[offset] {
                    return false
                }
                return true
            }
            for candidate in credentialKeyBytes where candidate.count == bytes.count && equals(candidate, at: 0) {
                return true
            }
            for suffix in credentialSuffixBytes
            where suffix.count <= bytes.count && equals(suffix, at: bytes.count - suffix.count) {
                return true
            }
            return false
        }
    }

    private static let credentialKeyBytes: [[UInt8]] = credentialKeys.sorted().map { Array($0.utf8) }

    private static let credentialSuffixBytes: [[UInt8]] = [
        "_password", "_secret", "_token", "_api_key", "_apikey", "_passwd",
    ].map { Array($0.utf8) }

    /// `SecretRedactor.redact(text)`: one pass over the bytes, returning `text` itself when nothing matches
    /// (the redactor's own pre-filter, so the audit log and the redactor cannot disagree).
    @inline(__always)
    static func redact(_ text: String) -> String {
        SecretRedactor.redact(text)
    }

    // MARK: Canonical details

    /// Appends the canonical JSON of `details(object)` without building the cleaned dictionary: the same
    /// bytes as `AuditJSON.writeObject(details(object), into: &out)`.
    ///
    /// When the redactor finds anything in a key (redacting it could change it, and two keys could then
    /// merge), it falls back to exactly that.
    static func writeDetails(_ object: AuditDetails, into out: inout [UInt8]) {
        for key in object.keys where SecretRedactor.mayContainSecret(key) {
            AuditJSON.writeObject(details(object), into: &out)
            return
        }
        out.append(UInt8(ascii: "{"))
        if object.count == 1, let (key, value) = object.first {
            writeMember(key, value, into: &out)
        } else if !object.isEmpty {
            // Sorted in a temporary buffer (on the stack for the usual few members), not a new array.
            withUnsafeTemporaryAllocation(of: (key: String, value: AuditValue).self, capacity: object.count) {
                members in
                let initialized = members.initialize(fromContentsOf: object)
                var sorted = UnsafeMutableBufferPointer(rebasing: members[..<initialized])
                defer { sorted.deinitialize() }
                sorted.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                for (index, member) in sorted.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    writeMember(member.key, member.value, into: &out)
                }
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func writeMember(_ key: String, _ value: AuditValue, into out: inout [UInt8]) {
        AuditJSON.writeString(key, into: &out)
        out.append(UInt8(ascii: ":"))
        writeValue(value, masked: isCredentialKey(key), into: &out)
    }

    /// Appends `masked ? masked(value) : self.value(value)` in canonical form.
    private static func writeValue(_ value: AuditValue, masked: Bool, into out: inout [UInt8]) {
        switch value {
        case .string(let string):
            AuditJSON.writeString(masked ? SecretRedactor.marker : redact(string), into: &out)
        case .double(let double):
            if double.isFinite {
                AuditJSON.writeDouble(double, into: &out)
            } else {
                AuditJSON.writeString(double.isNaN ? "NaN" : (double > 0 ? "Infinity" : "-Infinity"), into: &out)
            }
        case .array(let array):
            out.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeValue(element, masked: masked, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            writeDetails(object, into: &out)
        case .int, .bool, .null:
            AuditJSON.write(value, into: &out)
        }
    }
}
