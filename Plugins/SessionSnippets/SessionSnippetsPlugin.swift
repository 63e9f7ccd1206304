import Foundation
import PackagePlugin

/// Compiles the session guides' Swift blocks into the target it is applied to (`SessionGuideTests`).
///
/// Runs `session-snippets` over every `sessions/*.md` file of the package; the tool writes one Swift file per
/// guide and `SessionGuideManifest.swift` into the plugin's work directory, and the build compiles them with
/// the target. A guide that changes re-runs the tool; a block that does not compile fails the build with the
/// error at the guide's Markdown line.
@main
struct SessionSnippetsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let sessions = context.package.directoryURL.appending(path: "sessions")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sessions.path(percentEncoded: false))) ?? []
        let guides = names.filter { $0.hasSuffix(".md") }.sorted().map { sessions.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "GeneratedSnippets")
        let tool = try context.tool(named: "session-snippets")
        let generated =
            guides.map { output.appending(path: Self.typeName(of: $0) + ".swift") }
            + [output.appending(path: "SessionGuideManifest.swift")]
        return [
            .buildCommand(
                displayName: "Extracting the Swift blocks of \(guides.count) session guides",
                executable: tool.url,
                arguments: ["--output", output.path(percentEncoded: false)]
                    + guides.map { $0.path(percentEncoded: false) },
                inputFiles: guides + [tool.url],
                outputFiles: generated
            )
        ]
    }

    /// The generated file's base name; must match `Guide.typeName` in `session-snippets`.
    static func typeName(of guide: URL) -> String {
        guide.deletingPathExtension().lastPathComponent
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined() + "Guide"
    }
}
