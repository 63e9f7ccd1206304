import Foundation

/// The parts of a Swift symbol graph file (`<Module>.symbols.json`) that documentation needs.
///
/// Produce one with `swift package dump-symbol-graph` (files under `.build/.../symbolgraph/`),
/// `swift symbolgraph-extract`, or `swiftc -emit-symbol-graph -emit-symbol-graph-dir <dir>`. Unknown
/// fields are ignored, so newer format versions still decode.
public struct SymbolGraph: Codable, Sendable {
    /// The module the symbols belong to.
    public var module: Module
    /// Every symbol the compiler emitted at or above the minimum access level.
    public var symbols: [Symbol]
    /// Relationships between symbols (`memberOf`, `conformsTo`...).
    public var relationships: [Relationship]

    /// Creates a graph.
    ///
    /// - Parameters:
    ///   - module: the module.
    ///   - symbols: its symbols.
    ///   - relationships: the relationships between them.
    public init(module: Module, symbols: [Symbol], relationships: [Relationship] = []) {
        self.module = module
        self.symbols = symbols
        self.relationships = relationships
    }

    /// Decodes a graph, tolerating a missing `relationships` list.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        module = try container.decode(Module.self, forKey: .module)
        symbols = try container.decode([Symbol].self, forKey: .symbols)
        relationships = try container.decodeIfPresent([Relationship].self, forKey: .relationships) ?? []
    }

    /// The module of a graph.
    public struct Module: Codable, Sendable {
        /// The module's name.
        public var name: String

        /// Creates a module description.
        ///
        /// - Parameter name: the module's name.
        public init(name: String) { self.name = name }
    }

    /// One declaration.
    public struct Symbol: Codable, Sendable {
        /// What kind of declaration it is.
        public var kind: Kind
        /// The symbol's unique identifier.
        public var identifier: Identifier
        /// The names from the module down to the symbol, e.g. `["Greeter", "greet(_:)"]`.
        public var pathComponents: [String]
        /// The declaration, as fragments of source text.
        public var declarationFragments: [Fragment]?
        /// The doc comment, when there is one.
        public var docComment: DocComment?
        /// `public`, `open`, `internal`...
        public var accessLevel: String
        /// Where the symbol is declared; absent for compiler-synthesized members.
        public var location: Location?

        /// Creates a symbol.
        ///
        /// - Parameters:
        ///   - kind: the kind.
        ///   - identifier: the unique identifier.
        ///   - pathComponents: the names from the module down to the symbol.
        ///   - declarationFragments: the declaration.
        ///   - docComment: the doc comment.
        ///   - accessLevel: the access level.
        ///   - location: where it is declared.
        public init(
            kind: Kind, identifier: Identifier, pathComponents: [String], declarationFragments: [Fragment]? = nil,
            docComment: DocComment? = nil, accessLevel: String = "public", location: Location? = nil
        ) {
            self.kind = kind
            self.identifier = identifier
            self.pathComponents = pathComponents
            self.declarationFragments = declarationFragments
            self.docComment = docComment
            self.accessLevel = accessLevel
            self.location = location
        }

        /// The declaration as one line of Swift, e.g. `func greet(_ name: String) -> String`.
        public var declaration: String {
            (declarationFragments ?? []).map(\.spelling).joined()
        }

        /// The doc comment's text with lines joined by newlines, or `nil` when absent or blank.
        public var documentation: String? {
            guard let lines = docComment?.lines else { return nil }
            let text = lines.map(\.text).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }

        /// The dot-separated path, e.g. `Greeter.greet(_:)`.
        public var qualifiedName: String { pathComponents.joined(separator: ".") }
    }

    /// The kind of a symbol.
    public struct Kind: Codable, Sendable {
        /// E.g. `swift.struct`, `swift.method`.
        public var identifier: String
        /// E.g. `Structure`, `Instance Method`.
        public var displayName: String

        /// Creates a kind.
        ///
        /// - Parameters:
        ///   - identifier: e.g. `swift.struct`.
        ///   - displayName: e.g. `Structure`.
        public init(identifier: String, displayName: String) {
            self.identifier = identifier
            self.displayName = displayName
        }
    }

    /// A symbol's unique identifier.
    public struct Identifier: Codable, Sendable {
        /// The USR, e.g. `s:7GreeterAAV`.
        public var precise: String

        /// Creates an identifier.
        ///
        /// - Parameter precise: the USR.
        public init(precise: String) { self.precise = precise }
    }

    /// A piece of declaration text.
    public struct Fragment: Codable, Sendable {
        /// `keyword`, `identifier`, `typeIdentifier`, `text`...
        public var kind: String
        /// The text.
        public var spelling: String

        /// Creates a fragment.
        ///
        /// - Parameters:
        ///   - kind: the fragment's kind.
        ///   - spelling: its text.
        public init(kind: String, spelling: String) {
            self.kind = kind
            self.spelling = spelling
        }
    }

    /// A doc comment.
    public struct DocComment: Codable, Sendable {
        /// The module the comment was written in: another module's when inherited.
        public var module: String?
        /// The comment's lines without the `///` markers.
        public var lines: [Line]

        /// Creates a doc comment.
        ///
        /// - Parameters:
        ///   - module: the module it was written in.
        ///   - lines: its lines.
        public init(module: String? = nil, lines: [Line]) {
            self.module = module
            self.lines = lines
        }

        /// One line of a doc comment.
        public struct Line: Codable, Sendable {
            /// The text.
            public var text: String

            /// Creates a line.
            ///
            /// - Parameter text: the text.
            public init(text: String) { self.text = text }
        }
    }

    /// Where a symbol is declared.
    public struct Location: Codable, Sendable {
        /// The source file's URI.
        public var uri: String

        /// Creates a location.
        ///
        /// - Parameter uri: the source file's URI.
        public init(uri: String) { self.uri = uri }
    }

    /// A relationship between two symbols.
    public struct Relationship: Codable, Sendable {
        /// `memberOf`, `conformsTo`, `inheritsFrom`, `defaultImplementationOf`...
        public var kind: String
        /// The symbol the relationship starts from.
        public var source: String
        /// The symbol it points to.
        public var target: String

        /// Creates a relationship.
        ///
        /// - Parameters:
        ///   - kind: the relationship's kind.
        ///   - source: the source USR.
        ///   - target: the target USR.
        public init(kind: String, source: String, target: String) {
            self.kind = kind
            self.source = source
            self.target = target
        }
    }
}
