/// Replaces values that look like credentials with a marker, before they are written anywhere.
///
/// The audit logger, the dead letter queue and error reports call ``redact(_:)`` on every free-text
/// value they persist. The rules are the credential rules of ``SecurityValidator`` (one source of
/// truth), run in a more eager mode: any value after a password-, secret-, token- or key-like name is
/// hidden, not only high-entropy ones, because hiding too much in a log costs little.
public enum SecretRedactor {
    /// The text written in place of a credential.
    public static let marker = "[REDACTED]"

    /// Returns `text` with every credential-looking value replaced by ``marker``.
    ///
    /// Keeps the key of a `key = value` assignment (and an `Authorization: Bearer` scheme) so the record
    /// still says *what* was redacted. Text without credentials is returned as is, after one pass over
    /// its bytes with no allocation. Redacting twice gives the same result as redacting once.
    public static func redact(_ text: String) -> String {
        var copy = text
        let matches = copy.withUTF8 { SecurityCredentialRules.scan($0, mode: .redaction) }
        guard !matches.isEmpty else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var position = 0
        for match in matches where match.secret.lowerBound >= position {
            output += bytes[position..<match.secret.lowerBound]
            output += marker.utf8
            position = match.secret.upperBound
        }
        output += bytes[position...]
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `text` holds anything ``redact(_:)`` would replace.
    static func mayContainSecret(_ text: String) -> Bool {
        var copy = text
        return !copy.withUTF8 { SecurityCredentialRules.scan($0, mode: .redaction) }.isEmpty
    }
}
