import Foundation

/// `session-snippets --output DIR GUIDE.md...`: turns every ```` ```swift ```` block of the session guides into
/// Swift source, so the test suite compiles (and partly runs) the code the guides show.
///
/// Run by the `SessionSnippets` build-tool plugin for the `SessionGuideTests` target. A block's fence says how
/// it is used:
///
/// | Fence | Becomes |
/// |---|---|
/// | ```` ```swift ```` | the body of an `async throws` function: compiled, never run |
/// | ```` ```swift runnable ```` | the same, plus a Swift Testing `@Test` that runs it |
/// | ```` ```swift declarations ```` | top-level declarations (types, functions) visible to the guide's other blocks |
///
/// `import` lines inside blocks move to the top of the guide's generated file. Every block is preceded by
/// `#sourceLocation`, so compiler errors and warnings point at the guide's Markdown line. An unknown fence
/// word, an indented ```` ```swift ```` fence or an unterminated block is an error naming the file and line.
/// Output: one `<Guide>.swift` per guide and `SessionGuideManifest.swift` with the block counts.
@main
enum SessionSnippetsTool {
    static func main() {
        do {
            let (output, guides) = try parseArguments(Array(CommandLine.arguments.dropFirst()))
            try generate(guides: guides, output: output)
        } catch {
            FileHandle.standardError.write(Data("session-snippets: error: \(error)\n".utf8))
            exit(1)
        }
    }

    static func parseArguments(_ arguments: [String]) throws -> (output: URL, guides: [URL]) {
        guard arguments.count >= 2, arguments[0] == "--output" else {
            throw SnippetError("usage: session-snippets --output DIR [GUIDE.md ...]")
        }
        let guides = arguments.dropFirst(2).map { URL(fileURLWithPath: $0) }
        return (URL(fileURLWithPath: arguments[1]), guides)
    }

    static func generate(guides: [URL], output: URL) throws {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        var manifest: [(guide: Guide, blocks: [Block])] = []
        for url in guides.sorted(by: { $0.path < $1.path }) {
            let text: String
            do {
                text = try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw SnippetError("\(url.path): cannot be read as UTF-8 text (\(error.localizedDescription))")
            }
            let guide = Guide(url: url)
            let blocks = try extractBlocks(from: text, path: url.path)
            manifest.append((guide, blocks))
            try write(render(guide: guide, blocks: blocks), to: output.appendingPathComponent(guide.swiftFileName))
        }
        try write(renderManifest(manifest), to: output.appendingPathComponent("SessionGuideManifest.swift"))
    }

    /// Writes only when the content changed, so an unchanged guide does not recompile the test target.
    static func write(_ text: String, to url: URL) throws {
        if let existing = try? String(contentsOf: url, encoding: .utf8), existing == text { return }
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}

/// A usage or input error, printed as `session-snippets: error: ...`.
struct SnippetError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One session guide file and the names derived from it.
struct Guide {
    var url: URL

    /// `session-1-libraries-overview`.
    var stem: String { url.deletingPathExtension().lastPathComponent }

    /// `sessions/session-1-libraries-overview.md`: how tests and messages name the guide.
    var displayPath: String { url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent }

    /// `session_1_libraries_overview`: a prefix for generated Swift names.
    var identifier: String {
        String(stem.map { $0.isLetter || $0.isNumber ? $0 : "_" }).lowercased()
    }

    /// `Session1LibrariesOverviewGuide.swift`.
    var swiftFileName: String { typeName + ".swift" }

    /// `Session1LibrariesOverviewGuide`: the suite of the guide's runnable blocks.
    var typeName: String {
        stem.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined() + "Guide"
    }
}

/// One ```` ```swift ```` block.
struct Block {
    enum Kind: String {
        case compiled
        case runnable
        case declarations
    }

    var kind: Kind
    /// The Markdown line of the block's first code line (1-based).
    var firstLine: Int
    var lines: [String]
}

/// Finds the Swift blocks of a guide.
func extractBlocks(from text: String, path: String) throws -> [Block] {
    var blocks: [Block] = []
    var open: Block?
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
        $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
    }
    for (index, line) in lines.enumerated() {
        let lineNumber = index + 1
        if var block = open {
            if line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append(block)
                open = nil
            } else {
                block.lines.append(line)
                open = block
            }
            continue
        }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("```swift") else { continue }
        let words = trimmed.dropFirst(3).split(separator: " ").map(String.init)
        guard words.first == "swift" else { continue }  // ```swiftlang or similar: not ours
        guard line.hasPrefix("```") else {
            throw SnippetError(
                "\(path):\(lineNumber): an indented ```swift fence; start Swift blocks at column 1 so they are checked"
            )
        }
        let kind: Block.Kind
        switch words.dropFirst().first {
        case nil: kind = .compiled
        case "runnable": kind = .runnable
        case "declarations": kind = .declarations
        case let other?:
            throw SnippetError(
                "\(path):\(lineNumber): unknown fence word '\(other)'; use ```swift, ```swift runnable or ```swift declarations"
            )
        }
        guard words.count <= 2 else {
            throw SnippetError("\(path):\(lineNumber): one fence word at most after swift")
        }
        open = Block(kind: kind, firstLine: lineNumber + 1, lines: [])
    }
    if let open {
        throw SnippetError("\(path):\(open.firstLine - 1): the ```swift block starting here is never closed")
    }
    return blocks
}

/// Swift string literal contents for `text`.
func literal(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
}

func isImport(_ line: String) -> Bool {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    return trimmed.hasPrefix("import ") || trimmed.hasPrefix("@testable import ")
        || trimmed.hasPrefix("@preconcurrency import ")
}

/// Splits a block into its imports — `import X` lines, and `#if canImport(X)` / `import X` / `#endif` groups —
/// and the rest; imported lines become blank lines, so line numbers stay right.
func hoistImports(_ lines: [String]) -> (imports: [String], body: [String]) {
    var imports: [String] = []
    var body = lines
    var index = 0
    while index < lines.count {
        let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("#if canImport("), index + 2 < lines.count, isImport(lines[index + 1]),
            lines[index + 2].trimmingCharacters(in: .whitespaces) == "#endif"
        {
            imports.append(
                lines[index...(index + 2)].map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n"))
            for blank in index...(index + 2) { body[blank] = "" }
            index += 3
        } else {
            if isImport(lines[index]) {
                imports.append(trimmed)
                body[index] = ""
            }
            index += 1
        }
    }
    return (imports, body)
}

/// The generated Swift file of one guide.
func render(guide: Guide, blocks: [Block]) -> String {
    var imports: [String] = ["import Foundation", "import Testing"]
    var bodies: [[String]] = []
    for block in blocks {
        let (groups, body) = hoistImports(block.lines)
        for group in groups where !imports.contains(group) { imports.append(group) }
        bodies.append(body)
    }
    var out = "// Generated by session-snippets from \(guide.displayPath). Do not edit: edit the guide.\n\n"
    out += imports.sorted().joined(separator: "\n") + "\n"
    var tests: [String] = []
    for (block, body) in zip(blocks, bodies) {
        let location = "#sourceLocation(file: \"\(literal(guide.url.path))\", line: \(block.firstLine))\n"
        switch block.kind {
        case .declarations:
            out += "\n" + location + body.joined(separator: "\n") + "\n#sourceLocation()\n"
        case .compiled, .runnable:
            let function = "\(guide.identifier)_line\(block.firstLine)"
            out += "\nfunc \(function)() async throws {\n" + location
            out += body.joined(separator: "\n") + "\n#sourceLocation()\n}\n"
            if block.kind == .runnable {
                tests.append(
                    "    @Test(\"\(literal(guide.displayPath)) line \(block.firstLine)\") func line\(block.firstLine)() async throws {\n"
                        + "        try await \(function)()\n    }\n")
            }
        }
    }
    out += "\n/// The runnable blocks of \(guide.displayPath).\n"
    out += "@Suite(\"Runnable blocks of \(literal(guide.displayPath))\")\nstruct \(guide.typeName) {\n"
    out += tests.joined(separator: "\n") + "}\n"
    return out
}

/// `SessionGuideManifest.swift`: what the extractor found, for the block-count tests.
func renderManifest(_ guides: [(guide: Guide, blocks: [Block])]) -> String {
    var out = "// Generated by session-snippets. Do not edit.\n\n"
    out += "/// The Swift blocks session-snippets extracted from each guide.\n"
    out += "enum SessionGuideManifest {\n"
    out += "    struct Entry: Sendable {\n"
    out += "        var guide: String\n        var compiled: Int\n        var runnable: Int\n"
    out += "        var declarations: Int\n        var total: Int { compiled + runnable + declarations }\n    }\n\n"
    // The tests run the tool itself on broken guides; SwiftPM decides where it lives, so it records its path.
    let tool = Bundle.main.executablePath ?? CommandLine.arguments[0]
    out += "    /// The `session-snippets` executable that generated this file.\n"
    out += "    static let toolPath = \"\(literal(tool))\"\n\n"
    out += "    static let entries: [Entry] = [\n"
    for (guide, blocks) in guides {
        let count = { (kind: Block.Kind) in blocks.filter { $0.kind == kind }.count }
        out += "        Entry(guide: \"\(literal(guide.displayPath))\", compiled: \(count(.compiled)), "
        out += "runnable: \(count(.runnable)), declarations: \(count(.declarations))),\n"
    }
    out += "    ]\n}\n"
    return out
}
