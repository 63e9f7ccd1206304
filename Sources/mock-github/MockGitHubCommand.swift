import ArgumentParser
import Foundation
import MockGitHub
import MockGitHubServer

/// `mock-github`: serves the mock GitHub API on 127.0.0.1 and prints its URL and a ready-made token.
@main
struct MockGitHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-github",
        abstract: "A stateful mock of the GitHub REST API for the MokoLab exercises (127.0.0.1 only)."
    )

    @Option(help: "Port to listen on; 0 picks a free port.")
    var port: Int = 0

    @Option(help: "Number of generated repositories in the standard fixture (org moko-lab).")
    var repos: Int = 10

    @Option(help: "Seed for ids, names, tokens and fault draws.")
    var seed: UInt64 = 1

    @Option(help: "A JSON fixture file (MockFixture) instead of the standard one.")
    var fixture: String?

    @Option(name: .customLong("fault-plan"), help: "A JSON fault plan file ({\"rules\":[…]}).")
    var faultPlan: String?

    @Option(help: "frozen (moves only through the admin API) or real (follows wall time).")
    var clock: String = "real"

    @Option(help: "Append the request journal (NDJSON) to this file.")
    var journal: String?

    @Option(name: .customLong("admin-token"), help: "Bearer token of the /__mock/ admin API.")
    var adminToken: String = "mock-admin"

    @Option(name: .customLong("rate-limit-status"), help: "Status of rate-limit responses: 403 or 429.")
    var rateLimitStatus: Int = 403

    @Option(name: .customLong("rate-limit"), help: "Primary rate limit per user and hour.")
    var rateLimit: Int = 5_000

    @Flag(name: .customLong("no-secondary-limits"), help: "Turn the secondary-limit engine off (for load tests).")
    var noSecondaryLimits = false

    @Option(name: .customLong("journal-capacity"), help: "Journal entries kept in memory for /__mock/journal.")
    var journalCapacity: Int = 10_000

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard (0...100_000).contains(repos) else { throw ValidationError("--repos must be between 0 and 100000.") }
        guard rateLimit >= 0, journalCapacity >= 0 else {
            throw ValidationError("--rate-limit and --journal-capacity must be ≥ 0.")
        }
        guard clock == "frozen" || clock == "real" else { throw ValidationError("--clock must be frozen or real.") }
        guard rateLimitStatus == 403 || rateLimitStatus == 429 else {
            throw ValidationError("--rate-limit-status must be 403 or 429.")
        }
    }

    func run() async throws {
        var fixtureValue = MockFixture.standard(repos: repos)
        if let fixture {
            let data = try Data(contentsOf: URL(fileURLWithPath: fixture))
            do {
                fixtureValue = try JSONDecoder().decode(MockFixture.self, from: data)
            } catch {
                throw ValidationError("--fixture \(fixture) is not a MockFixture JSON file: \(error)")
            }
        }
        let mockClock =
            clock == "real"
            ? MockClock(epoch: Date(), mode: .running, wallTime: { Date() })
            : MockClock()
        let mock = MockGitHub(
            configuration: .init(
                seed: seed,
                fixture: fixtureValue,
                adminToken: adminToken,
                rateLimitStatus: rateLimitStatus,
                userLimit: rateLimit,
                secondaryLimits: !noSecondaryLimits,
                journalCapacity: journalCapacity
            ),
            clock: mockClock
        )
        if let faultPlan {
            let data = try Data(contentsOf: URL(fileURLWithPath: faultPlan))
            do {
                try await mock.setFaultPlan(try JSONDecoder().decode(MockFaultPlan.self, from: data))
            } catch let error as MockGitHubAdminError {
                throw ValidationError("--fault-plan \(faultPlan): \(error.message)")
            } catch {
                throw ValidationError("--fault-plan \(faultPlan) is not a fault plan JSON file: \(error)")
            }
        }
        if let journal {
            if !FileManager.default.fileExists(atPath: journal) {
                _ = FileManager.default.createFile(atPath: journal, contents: nil)
            }
            guard let handle = FileHandle(forWritingAtPath: journal) else {
                throw ValidationError("--journal \(journal) cannot be opened for writing.")
            }
            handle.seekToEndOfFile()
            await mock.setJournalSink { line in handle.write(Data((line + "\n").utf8)) }
        }
        var tokens: [String] = []
        for login in ["mona", "hubot", "octocat"] {
            if let token = await mock.token(for: login) { tokens.append("\(login)=\(token)") }
        }
        let admin = adminToken
        let tokenList = tokens
        try await MockGitHubServer.run(mock: mock, port: port) { boundPort in
            // Unbuffered: scripts wait for this line on a pipe.
            let lines = [
                "mock-github listening on http://127.0.0.1:\(boundPort)",
                "token: " + (tokenList.first.map { String($0.split(separator: "=", maxSplits: 1)[1]) } ?? ""),
                "tokens: " + tokenList.joined(separator: " "),
                "admin token: " + admin,
            ]
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}
