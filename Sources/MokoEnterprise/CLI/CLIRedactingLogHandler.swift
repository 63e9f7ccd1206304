import Logging

/// Wraps a log handler so messages, metadata and errors pass through ``SecretRedactor`` first; values of
/// metadata keys that name a secret (``Config/isSecretKey(_:)``) are replaced whole.
///
/// The CLI framework puts it around the stderr handler, so a token never reaches a terminal or a CI log.
struct CLIRedactingLogHandler: LogHandler {
    var wrapped: any LogHandler

    var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = Self.redact(newValue) }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue.map { Self.redact([key: $0])[key] ?? $0 } }
    }

    func log(event: LogEvent) {
        var redacted = event
        redacted.message = "\(SecretRedactor.redact(event.message.description))"
        redacted.metadata = event.metadata.map(Self.redact)
        if let error = event.error {
            redacted.error = RedactedError(description: SecretRedactor.redact(String(describing: error)))
        }
        wrapped.log(event: redacted)
    }

    private static func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var result: Logger.Metadata = [:]
        for (key, value) in metadata {
            result[key] =
                Config.isSecretKey(key) ? .string(SecretRedactor.marker) : .string(SecretRedactor.redact("\(value)"))
        }
        return result
    }

    /// An error reduced to its redacted description.
    struct RedactedError: Error, CustomStringConvertible {
        var description: String
    }
}
