import Foundation

/// Parses RFC 8288 `Link` headers as GitHub sends them: `<url>; rel="next", <url>; rel="last"`.
enum GitHubLinkHeader {
    /// The URL of the link with relation `relation` (e.g. `next`), or `nil`.
    static func url(in header: String?, relation: String) -> URL? {
        guard let header else { return nil }
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";")
            guard let target = pieces.first else { continue }
            let trimmed = target.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("<"), trimmed.hasSuffix(">") else { continue }
            let hasRelation = pieces.dropFirst().contains { parameter in
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "rel" else {
                    return false
                }
                let values = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(
                    in: CharacterSet(charactersIn: "\""))
                return values.split(separator: " ").contains { $0.lowercased() == relation }
            }
            if hasRelation {
                return URL(string: String(trimmed.dropFirst().dropLast()))
            }
        }
        return nil
    }
}
