import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

/// The fixture is the symbol graph of `Fixtures/config/symbolgraph/Greeter.swift.txt`, produced with
/// `swiftc -emit-module -module-name Greeter -emit-symbol-graph -emit-symbol-graph-dir out Greeter.swift`.
@Suite struct DocGeneratorTests {
    private func fixtureFolder() throws -> URL {
        try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/config/symbolgraph")
    }

    @Test func markdownContainsTheDocumentedSymbols() throws {
        let generator = DocGenerator()
        let markdown = try generator.generateModuleDocs(directory: fixtureFolder(), module: "Greeter")
        #expect(markdown.hasPrefix("# Greeter\n"))
        #expect(markdown.contains("## Greeter\n\n*Structure*"))
        #expect(markdown.contains("Builds greetings for people."))
        #expect(markdown.contains("### greet(_:)"))
        #expect(markdown.contains("```swift\nfunc greet(_ name: String) -> String\n```"))
        #expect(markdown.contains("- Returns: the greeting, e.g. `Hello, Ada!`."))
        #expect(markdown.contains("## Volume"))
        #expect(markdown.contains("### loud"))
        #expect(markdown.contains("### defaultGreeting"))
        #expect(
            markdown.contains(
                "### shout(_:)\n\n*Instance Method*\n\n```swift\nfunc shout(_ name: String) -> String\n```\n\n_No documentation._"
            ))
        #expect(!markdown.contains("internalHelper"))
        // Members follow their type: cases and initializers before methods.
        let initializer = try #require(markdown.range(of: "### init(salutation:)"))
        let method = try #require(markdown.range(of: "### greet(_:)"))
        #expect(initializer.lowerBound < method.lowerBound)
    }

    @Test func validateDocsFindsTheUndocumentedSymbolAndTheRatio() throws {
        let report = try DocGenerator().validateDocs(directory: fixtureFolder(), module: "Greeter")
        #expect(report.module == "Greeter")
        #expect(report.undocumented == ["Greeter.shout(_:)"])
        #expect(report.totalSymbols == 9, "synthesized members (init(rawValue:), hashValue, !=) are not counted")
        #expect(report.documentedSymbols == 8)
        #expect(abs(report.coverage - 8.0 / 9.0) < 1e-9)
        #expect(report.summary == "Greeter: 8/9 public symbols documented (88.9 %)")
        #expect(report.issues == ["Greeter.shout(_:): public symbol has no doc comment"])
    }

    @Test func docCommentHeadingsNestBelowTheSymbolHeading() {
        let graph = SymbolGraph(
            module: .init(name: "Demo"),
            symbols: [
                .init(
                    kind: .init(identifier: "swift.struct", displayName: "Structure"),
                    identifier: .init(precise: "s:4Demo1AV"), pathComponents: ["A"],
                    docComment: .init(lines: [
                        .init(text: "An A."), .init(text: "## Layers"), .init(text: "```"),
                        .init(text: "# a shell comment"), .init(text: "```"),
                    ]),
                    location: .init(uri: "file:///A.swift"))
            ])
        let markdown = DocGenerator().generateMarkdown([graph])
        #expect(markdown.contains("\n#### Layers\n"))
        #expect(markdown.contains("\n# a shell comment\n"), "code blocks are left alone")
    }

    @Test func inheritedDocCommentsDoNotCountAsDocumentation() {
        let graph = SymbolGraph(
            module: .init(name: "Demo"),
            symbols: [
                .init(
                    kind: .init(identifier: "swift.property", displayName: "Instance Property"),
                    identifier: .init(precise: "s:4Demo1AV11descriptionSSvp"), pathComponents: ["A", "description"],
                    docComment: .init(module: "Swift", lines: [.init(text: "A textual representation.")]),
                    location: .init(uri: "file:///A.swift")),
                .init(
                    kind: .init(identifier: "swift.struct", displayName: "Structure"),
                    identifier: .init(precise: "s:4Demo1AV"), pathComponents: ["A"],
                    docComment: .init(lines: [.init(text: "An A.")]), location: .init(uri: "file:///A.swift")),
                .init(
                    kind: .init(identifier: "swift.func", displayName: "Function"),
                    identifier: .init(precise: "s:4Demo6hiddenyyF"), pathComponents: ["_hidden"],
                    location: .init(uri: "file:///A.swift")),
            ])
        let report = DocGenerator().validateDocs([graph])
        #expect(report.undocumented == ["A.description"])
        #expect(report.totalSymbols == 2)
    }

    @Test func saveMarkdownWritesAtomicallyAndMissingGraphsAreClearErrors() throws {
        let folder = try TemporaryDirectory(prefix: "dochelper")
        defer { folder.remove() }
        let generator = DocGenerator()
        let destination = folder.appending("docs/api/Greeter.md")
        let markdown = try generator.generateModuleDocs(directory: fixtureFolder(), module: "Greeter")
        try generator.saveMarkdown(markdown, to: destination)
        #expect(try String(contentsOf: destination, encoding: .utf8) == markdown)

        #expect(throws: DocHelperError.noSymbolGraphs(directory: folder.path, module: "Greeter")) {
            try generator.validateDocs(directory: folder.url, module: "Greeter")
        }
        try "{\"not\": \"a graph\"}".write(
            to: folder.appending("Greeter.symbols.json"), atomically: true, encoding: .utf8)
        #expect(throws: DocHelperError.self) { try generator.validateDocs(directory: folder.url, module: "Greeter") }
    }
}
