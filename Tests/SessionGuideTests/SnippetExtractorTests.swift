import Foundation
import MokoEnterpriseTestSupport
import Testing

/// `session-snippets` itself (the binary the plugin ran), on small guides: which fences it takes, what it
/// writes, and that a malformed fence stops the build with the file and line.
@Suite("session-snippets extractor")
struct SnippetExtractorTests {
    static let guide = """
        # Title

        ```swift declarations
        import MokoEnterprise
        struct Demo {}
        ```

        Text.

        ```swift
        let value = 1
        ```

        ```sh
        swift run mock-github
        ```

        ```swift runnable
        #if canImport(FoundationNetworking)
        import FoundationNetworking
        #endif
        print(value)
        ```

        """

    struct Run {
        var status: Int32
        var errorOutput: String
        var output: URL
    }

    /// Writes `guide` as `session-9-demo.md` and runs the tool on it.
    static func runTool(on guide: String, in folder: TemporaryDirectory) throws -> Run {
        let guideURL = folder.appending("session-9-demo.md")
        try Data(guide.utf8).write(to: guideURL)
        let output = folder.appending("out")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SessionGuideManifest.toolPath)
        process.arguments = ["--output", output.path, guideURL.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, errorOutput: String(decoding: errorData, as: UTF8.self), output: output)
    }

    @Test("writes each block at its guide line, hoists imports, and makes only runnable blocks tests")
    func generatesSwift() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let run = try Self.runTool(on: Self.guide, in: folder)
        #expect(run.status == 0, "\(run.errorOutput)")
        let text = try String(contentsOf: run.output.appendingPathComponent("Session9DemoGuide.swift"), encoding: .utf8)
        let guidePath = folder.appending("session-9-demo.md").path
        #expect(text.contains("#sourceLocation(file: \"\(guidePath)\", line: 4)"))
        #expect(text.contains("#sourceLocation(file: \"\(guidePath)\", line: 19)"))
        #expect(text.contains("#if canImport(FoundationNetworking)\nimport FoundationNetworking\n#endif\n"))
        #expect(text.contains("import MokoEnterprise\n"))
        #expect(text.contains("func session_9_demo_line11() async throws"))
        #expect(text.contains("try await session_9_demo_line19()"))
        #expect(!text.contains("try await session_9_demo_line11()"))
        #expect(!text.contains("swift run mock-github"))
        let manifest = try String(
            contentsOf: run.output.appendingPathComponent("SessionGuideManifest.swift"), encoding: .utf8)
        #expect(manifest.contains("compiled: 1, runnable: 1, declarations: 1"))
    }

    @Test(
        "a malformed fence is an error naming the guide's line",
        arguments: [
            ("text\n  ```swift\nlet a = 1\n  ```\n", ":2: an indented ```swift fence"),
            ("```swift ignore\nlet a = 1\n```\n", ":1: unknown fence word 'ignore'"),
            ("intro\n```swift\nlet a = 1\n", ":2: the ```swift block starting here is never closed"),
        ])
    func rejectsMalformedFences(guide: String, message: String) throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let run = try Self.runTool(on: guide, in: folder)
        #expect(run.status == 1)
        #expect(run.errorOutput.contains("session-9-demo.md" + message), "\(run.errorOutput)")
    }
}
