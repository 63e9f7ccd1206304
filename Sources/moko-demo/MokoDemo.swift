// moko-demo: the README's main job on embedded defaults.
//
// Starts the mock GitHub server on 127.0.0.1 with a seeded organisation and a fault plan, then brings
// every repository in line with a policy (issues on, wiki and projects off, the default branch
// protected) through the MokoEnterprise GitHub client, over real HTTP. Each repository is one saga
// (settings, then protection, compensated in reverse on failure), audited and counted; the run is
// checkpointed so a second run with the same --state-dir skips finished repositories, and repositories
// that keep failing land in the dead letter queue.

import ArgumentParser
import Foundation
import Logging
import MockGitHub
import MockGitHubServer
import MokoEnterprise

@main
struct MokoDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moko-demo",
        abstract: "Enforce a repository policy on a seeded mock GitHub organisation, resiliently.",
        discussion: """
            Everything runs locally: the mock GitHub server binds 127.0.0.1 on an ephemeral port. \
            Rerun with the same --state-dir to see the checkpoint skip finished repositories.
            """
    )

    @Option(help: "Number of repositories in the seeded organisation.")
    var repos = 120

    @Option(help: "Seed for the organisation and the fault plan.")
    var seed: UInt64 = 7

    @Option(help: "How many repositories refuse branch protection for good (they end in the dead letter queue).")
    var brokenRepos = 0

    @Option(
        help: "Directory for the audit log, checkpoint, dead letter queue and metrics (default: a new temporary one).")
    var stateDir: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    mutating func run() async throws {
        let stateURL =
            stateDir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("moko-demo-\(UUID().uuidString.prefix(8))")
        let summary = try await DemoJob(repos: repos, seed: seed, brokenRepos: brokenRepos, stateDirectory: stateURL)
            .run()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(summary) + Data("\n".utf8))
        } else {
            print(summary.text)
        }
        if summary.deadLettered > 0 { throw ExitCode(1) }
    }
}
