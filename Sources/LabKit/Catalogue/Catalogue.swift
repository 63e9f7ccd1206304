import Foundation
import Yams

/// The exercise catalogue (`Exercises/catalogue.yaml`): titles, summaries, check filters and hints.
public struct Catalogue: Sendable, Equatable {
    /// One exercise as the catalogue describes it.
    public struct Entry: Sendable, Equatable, Decodable {
        /// The target name, e.g. `Exercise3_4`.
        public var id: String
        /// The session the exercise belongs to (1, 2 or 3).
        public var session: Int
        /// The number trainees type, e.g. `3.4`.
        public var number: String
        /// A short title.
        public var title: String
        /// The task in one or two sentences.
        public var summary: String
        /// The check module, e.g. `Exercise3_4Tests`.
        public var filter: String
        /// Whether the exercise builds a pattern itself (and so may not use the library's version).
        public var buildsPattern: Bool
        /// Progressive hints, from a nudge to most of the answer.
        public var hints: [String]

        /// Creates an entry.
        public init(
            id: String, session: Int, number: String, title: String, summary: String, filter: String,
            buildsPattern: Bool = false, hints: [String]
        ) {
            self.id = id
            self.session = session
            self.number = number
            self.title = title
            self.summary = summary
            self.filter = filter
            self.buildsPattern = buildsPattern
            self.hints = hints
        }

        enum CodingKeys: String, CodingKey {
            case id, session, number, title, summary, filter, hints
            case buildsPattern = "builds_pattern"
        }

        /// Decodes an entry; `builds_pattern` and `hints` may be left out.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            session = try container.decode(Int.self, forKey: .session)
            number = try container.decode(String.self, forKey: .number)
            title = try container.decode(String.self, forKey: .title)
            summary = try container.decodeIfPresent(String.self, forKey: .summary) ?? ""
            filter = try container.decode(String.self, forKey: .filter)
            buildsPattern = try container.decodeIfPresent(Bool.self, forKey: .buildsPattern) ?? false
            hints = try container.decodeIfPresent([String].self, forKey: .hints) ?? []
        }
    }

    private struct File: Decodable {
        var exercises: [Entry]
    }

    /// The entries, in curriculum order.
    public var entries: [Entry]

    /// Creates a catalogue from entries.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Parses the catalogue's YAML text.
    ///
    /// - Parameters:
    ///   - yaml: the file's text.
    ///   - source: where the text came from, for error messages.
    /// - Throws: ``LabError`` naming the file and the problem when the YAML is malformed or a field is missing.
    public init(yaml: String, source: String = "Exercises/catalogue.yaml") throws {
        do {
            entries = try YAMLDecoder().decode(File.self, from: yaml).exercises
        } catch let error as DecodingError {
            throw LabError.badFile(source, Self.describe(error))
        } catch {
            throw LabError.badFile(source, "\(error)")
        }
    }

    /// Reads `Exercises/catalogue.yaml` of a lab folder.
    public static func load(from url: URL) throws -> Catalogue {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw LabError.badFile(url.path, "cannot be read (\(error.localizedDescription))")
        }
        return try Catalogue(yaml: text, source: url.path)
    }

    /// The entry with this target name.
    public func entry(id: String) -> Entry? {
        entries.first { $0.id == id }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' at \(path(context).isEmpty ? "top level" : path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context).isEmpty ? "top level" : path(context))"
        @unknown default:
            return "\(error)"
        }
    }
}
