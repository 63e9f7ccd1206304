import Foundation
import MokoEnterprise
import Testing

/// Runs the built `mock-github` executable on 127.0.0.1 with an ephemeral port and stops it afterwards.
///
/// The test target does not link the HTTP adapter (`MockGitHubServer`), so the real-socket check drives the same
/// server through its executable, which `swift build --build-tests` builds next to the test bundle.
private final class GitHubSocketServer: @unchecked Sendable {
    // Safe: `process` and `baseURL` are set once in `start` before the instance is shared.
    let process = Process()
    private(set) var baseURL = URL(fileURLWithPath: "/")
    private(set) var token = ""

    static var executable: URL? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        return candidates.map { $0.appendingPathComponent("mock-github") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    func start(executable: URL, repos: Int) throws {
        process.executableURL = executable
        process.arguments = ["--port", "0", "--repos", String(repos), "--clock", "frozen", "--seed", "3"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let handle = output.fileHandleForReading
        while !(text.contains("listening on") && text.contains("\ntoken: ") && text.hasSuffix("\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        for line in text.split(separator: "\n") {
            if let range = line.range(of: "listening on ") {
                baseURL = URL(string: String(line[range.upperBound...])) ?? baseURL
            } else if line.hasPrefix("token: ") {
                token = String(line.dropFirst("token: ".count))
            }
        }
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

@Suite("GitHubClient over a real socket")
struct GitHubClientSocketTests {
    @Test(.enabled(if: GitHubSocketServer.executable != nil, "needs the built mock-github executable"))
    func urlSessionTransportListsAndRevalidatesAgainstTheServer() async throws {
        let server = GitHubSocketServer()
        try server.start(executable: try #require(GitHubSocketServer.executable), repos: 130)
        defer { server.stop() }
        #expect(server.baseURL.port != nil, "the server did not print its address")
        let client = try GitHubClient(
            token: server.token, baseURL: server.baseURL, transport: URLSessionTransport(),
            environment: [:], requestTimeout: .seconds(10))
        let repos = try await client.listRepos(org: "moko-lab", perPage: 100).collect()
        #expect(repos.count == 130)
        #expect(Set(repos.map(\.id)).count == 130)
        let first = try await client.getRepo(owner: "moko-lab", repo: repos[0].name)
        let again = try await client.getRepo(owner: "moko-lab", repo: repos[0].name)
        #expect(first == again)
        #expect(client.getCacheStats().hits == 1, "the second GET should come back 304 over the socket")
        let missing = await #expect(throws: GitHubAPIError.self) {
            try await client.getRepo(owner: "moko-lab", repo: "does-not-exist")
        }
        #expect(missing?.statusCode == 404)
        #expect(missing?.message == "Not Found")
    }
}
