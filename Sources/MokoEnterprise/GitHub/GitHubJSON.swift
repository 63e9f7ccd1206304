import Foundation

/// The JSON coders the GitHub client uses: ISO-8601 dates with or without fractional seconds.
enum GitHubJSON {
    /// One shared decoder: `JSONDecoder` is `Sendable` and decoding does not mutate it, and building one
    /// per response costs more than decoding a small body.
    static let decoder = makeDecoder()

    /// One shared encoder (sorted keys, so request bodies and journals are stable).
    static let encoder = makeEncoder()

    /// A decoder for GitHub bodies. Unknown fields are ignored; dates accept `2026-01-01T00:00:00Z`
    /// and `2026-01-01T00:00:00.123Z`.
    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = parseDate(text) { return date }
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an ISO-8601 date")
        }
        return decoder
    }

    /// An encoder for request bodies: ISO-8601 dates, sorted keys (stable bodies, stable journals).
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func parseDate(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return try? Date(text, strategy: fractional)
    }
}
