import Foundation

/// Generates Markdown API documentation from Swift symbol graphs and measures documentation coverage
/// (the curriculum's Doc Helper).
///
/// ```swift
/// // swift package dump-symbol-graph   (writes .build/<triple>/symbolgraph/*.symbols.json)
/// let generator = DocGenerator()
/// let graphs = try generator.loadSymbolGraphs(directory: symbolGraphFolder, module: "MokoEnterprise")
/// try generator.saveMarkdown(generator.generateMarkdown(graphs), to: URL(fileURLWithPath: "docs/api.md"))
/// let report = generator.validateDocs(graphs)
/// print(report.summary)          // MokoEnterprise: 412/412 public symbols documented (100.0 %)
/// ```
public struct DocGenerator: Sendable {
    /// The largest symbol graph file read, in bytes.
    public var maxFileBytes: Int

    /// Creates a generator.
    ///
    /// - Parameter maxFileBytes: the largest symbol graph file read (64 MiB by default).
    public init(maxFileBytes: Int = 64 * 1024 * 1024) {
        self.maxFileBytes = maxFileBytes
    }

    // MARK: - Loading

    /// Reads one symbol graph file.
    ///
    /// - Parameter url: a `*.symbols.json` file.
    /// - Returns: the decoded graph.
    /// - Throws: ``DocHelperError``.
    public func loadSymbolGraph(_ url: URL) throws -> SymbolGraph {
        let text: String
        do {
            text = try FileUtilities.safeReadFile(url, maxBytes: maxFileBytes)
        } catch let error as FileUtilitiesError {
            throw DocHelperError.unreadable(error)
        }
        do {
            return try JSONDecoder().decode(SymbolGraph.self, from: Data(text.utf8))
        } catch {
            throw DocHelperError.invalidSymbolGraph(path: url.path, reason: String(describing: error))
        }
    }

    /// Reads a module's symbol graph files in a folder: `<module>.symbols.json` and the extension files
    /// `<module>@<OtherModule>.symbols.json`.
    ///
    /// - Parameters:
    ///   - directory: the folder (e.g. `.build/x86_64-unknown-linux-gnu/symbolgraph`).
    ///   - module: the module's name.
    /// - Returns: the graphs, main file first.
    /// - Throws: ``DocHelperError/noSymbolGraphs(directory:module:)`` when none is found, or a load error.
    public func loadSymbolGraphs(directory: URL, module: String) throws -> [SymbolGraph] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw DocHelperError.noSymbolGraphs(directory: directory.path, module: module)
        }
        let main = "\(module).symbols.json"
        let matching = names.filter { $0 == main || ($0.hasPrefix("\(module)@") && $0.hasSuffix(".symbols.json")) }
            .sorted { ($0 == main ? 0 : 1, $0) < ($1 == main ? 0 : 1, $1) }
        guard !matching.isEmpty else {
            throw DocHelperError.noSymbolGraphs(directory: directory.path, module: module)
        }
        return try matching.map { try loadSymbolGraph(directory.appendingPathComponent($0)) }
    }

    // MARK: - Markdown

    /// Renders Markdown API documentation: a section per type with its declaration, doc comment and
    /// members, then the global functions and variables. Only public and open symbols are shown.
    ///
    /// - Parameter graphs: the module's graphs (the first names the module).
    /// - Returns: the Markdown document.
    public func generateMarkdown(_ graphs: [SymbolGraph]) -> String {
        let module = graphs.first?.module.name ?? "Module"
        let symbols = graphs.flatMap(\.symbols).filter(Self.isShown)
        let report = validateDocs(graphs)

        var byPath: [String: SymbolGraph.Symbol] = [:]
        for symbol in symbols { byPath[symbol.qualifiedName] = symbol }
        var children: [String: [SymbolGraph.Symbol]] = [:]
        var globals: [SymbolGraph.Symbol] = []
        for symbol in symbols {
            if symbol.pathComponents.count > 1 {
                children[symbol.pathComponents.dropLast().joined(separator: "."), default: []].append(symbol)
            } else if !Self.isContainer(symbol) {
                globals.append(symbol)
            }
        }

        var lines = ["# \(module)", "", "API reference generated from the symbol graph. \(report.summary).", ""]
        let containerPaths = Set(symbols.filter(Self.isContainer).map(\.qualifiedName)).union(children.keys)
        for path in containerPaths.sorted() {
            if let type = byPath[path] {
                lines += ["## \(path)", "", "*\(type.kind.displayName)*", ""]
                lines += Self.body(of: type)
            } else {
                lines += ["## Extensions to \(path)", ""]
            }
            for member in (children[path] ?? []).sorted(by: Self.memberOrder) where !Self.isContainer(member) {
                lines += ["### \(member.pathComponents.last ?? member.qualifiedName)", ""]
                lines += ["*\(member.kind.displayName)*", ""]
                lines += Self.body(of: member)
            }
        }
        if !globals.isEmpty {
            lines += ["## Global Functions and Variables", ""]
            for symbol in globals.sorted(by: Self.memberOrder) {
                lines += ["### \(symbol.qualifiedName)", "", "*\(symbol.kind.displayName)*", ""]
                lines += Self.body(of: symbol)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Loads a module's graphs from a folder and renders them (the curriculum's `generate_module_docs`).
    ///
    /// - Parameters:
    ///   - directory: the folder of the symbol graph files.
    ///   - module: the module's name.
    /// - Returns: the Markdown document.
    /// - Throws: ``DocHelperError``.
    public func generateModuleDocs(directory: URL, module: String) throws -> String {
        generateMarkdown(try loadSymbolGraphs(directory: directory, module: module))
    }

    /// Writes Markdown atomically (`FileUtilities.atomicWrite(_:to:permissions:)`).
    ///
    /// - Parameters:
    ///   - markdown: the document.
    ///   - url: the destination; its directory is created when missing.
    /// - Throws: ``FileUtilitiesError``.
    public func saveMarkdown(_ markdown: String, to url: URL) throws {
        try FileUtilities.ensureDirectory(url.deletingLastPathComponent())
        try FileUtilities.atomicWrite(markdown, to: url)
    }

    // MARK: - Validation

    /// Lists the public symbols without a doc comment and the coverage ratio.
    ///
    /// - Parameter graphs: the module's graphs (the first names the module).
    /// - Returns: the report.
    public func validateDocs(_ graphs: [SymbolGraph]) -> DocCoverageReport {
        let module = graphs.first?.module.name ?? "Module"
        var seen: Set<String> = []
        var total = 0
        var undocumented: [String] = []
        for symbol in graphs.flatMap(\.symbols) where Self.isCounted(symbol) {
            guard seen.insert(symbol.identifier.precise).inserted else { continue }
            total += 1
            let ownComment = symbol.docComment?.module.map { $0 == module } ?? true
            if symbol.documentation == nil || !ownComment {
                undocumented.append(symbol.qualifiedName)
            }
        }
        return DocCoverageReport(
            module: module, totalSymbols: total, documentedSymbols: total - undocumented.count,
            undocumented: undocumented.sorted())
    }

    /// Loads a module's graphs from a folder and validates them (the curriculum's `validate_docs`).
    ///
    /// - Parameters:
    ///   - directory: the folder of the symbol graph files.
    ///   - module: the module's name.
    /// - Returns: the report.
    /// - Throws: ``DocHelperError``.
    public func validateDocs(directory: URL, module: String) throws -> DocCoverageReport {
        validateDocs(try loadSymbolGraphs(directory: directory, module: module))
    }

    // MARK: - Helpers

    private static let containerKinds: Set<String> = [
        "swift.struct", "swift.class", "swift.enum", "swift.protocol", "swift.actor",
    ]

    private static func isContainer(_ symbol: SymbolGraph.Symbol) -> Bool {
        containerKinds.contains(symbol.kind.identifier)
    }

    private static func isShown(_ symbol: SymbolGraph.Symbol) -> Bool {
        (symbol.accessLevel == "public" || symbol.accessLevel == "open")
            && symbol.kind.identifier != "swift.extension"
            && !symbol.pathComponents.contains { $0.hasPrefix("_") }
    }

    private static func isCounted(_ symbol: SymbolGraph.Symbol) -> Bool {
        isShown(symbol) && symbol.location != nil && !symbol.identifier.precise.contains("::SYNTHESIZED::")
    }

    private static func body(of symbol: SymbolGraph.Symbol) -> [String] {
        var lines: [String] = []
        let declaration = symbol.declaration
        if !declaration.isEmpty { lines += ["```swift", declaration, "```", ""] }
        lines += [symbol.documentation.map(demoteHeadings) ?? "_No documentation._", ""]
        return lines
    }

    /// Moves a doc comment's own headings (`## Layers`) two levels down, below the symbol's heading,
    /// leaving code blocks untouched.
    private static func demoteHeadings(_ text: String) -> String {
        var inCode = false
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { inCode.toggle() }
            guard !inCode, line.hasPrefix("#") else { return String(line) }
            let level = line.prefix { $0 == "#" }.count
            return String(repeating: "#", count: min(6, level + 2)) + line.dropFirst(level)
        }.joined(separator: "\n")
    }

    /// Cases, initializers, properties, then methods; by name within a kind.
    private static func memberOrder(_ lhs: SymbolGraph.Symbol, _ rhs: SymbolGraph.Symbol) -> Bool {
        func rank(_ symbol: SymbolGraph.Symbol) -> Int {
            switch symbol.kind.identifier {
            case "swift.enum.case": 0
            case "swift.init": 1
            case "swift.type.property", "swift.property", "swift.var": 2
            case "swift.subscript", "swift.type.subscript": 3
            default: 4
            }
        }
        return (rank(lhs), lhs.qualifiedName) < (rank(rhs), rhs.qualifiedName)
    }
}
