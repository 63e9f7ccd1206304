// manage-repositories-legacy: the team's old `manage_repositories` script, ported line for line to Swift so
// you can watch it run before you migrate it (Exercise 2.1). It is deliberately NOT good code: do not copy
// it. What to notice while it runs:
//   - arguments are picked out of CommandLine.arguments by hand: `--org` without a value, a typo such as
//     `--dryrun`, or an org name like `x/../y` are not caught;
//   - one GET of /orgs/<org>/repos and no pagination: an organization with more than 30 repositories is
//     only partly processed, and nothing says so;
//   - raw URLSession calls: no retry (a 502 fails the repository), no rate-limit handling, no ETag cache;
//   - `sleep(1)` after every update, whatever GitHub's rate-limit headers say;
//   - no audit trail, no metrics, no checkpoint: a rerun after a crash starts again from the first repository;
//   - `--dry-run` is honoured, but the exit code is 0 even when updates failed.
// The one change from the original: the API root comes from GITHUB_API_URL (default https://api.github.com)
// so that it can run against `swift run mock-github`.

import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Writes a line to stderr.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Writes a line to stdout at once (stdout to a pipe is block-buffered otherwise).
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Sends one request and returns the status code and body (status 0 when the request failed).
func send(_ request: URLRequest) async -> (Int, Data) {
    do {
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    } catch {
        return (0, Data())
    }
}

// The original used getopt('', ['org:', 'dry-run']).
var org: String?
var dryRun = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--org" {
        org = arguments.popFirst()
    } else if argument.hasPrefix("--org=") {
        org = String(argument.dropFirst("--org=".count))
    } else if argument == "--dry-run" {
        dryRun = true
    }
}

guard let org else {
    printError("Error: --org is required")
    exit(1)
}

// Get token from environment
let environment = ProcessInfo.processInfo.environment
guard let token = environment["GITHUB_TOKEN"], !token.isEmpty else {
    printError("Error: GITHUB_TOKEN not set")
    exit(1)
}
let apiRoot = environment["GITHUB_API_URL"] ?? "https://api.github.com"

// Fetch repositories
say("Fetching repositories for \(org)...")
var listRequest = URLRequest(url: URL(string: "\(apiRoot)/orgs/\(org)/repos") ?? URL(fileURLWithPath: "/"))
listRequest.setValue("token \(token)", forHTTPHeaderField: "Authorization")
listRequest.setValue("manage_repositories", forHTTPHeaderField: "User-Agent")
let (listStatus, listBody) = await send(listRequest)

if listStatus != 200 {
    printError("Error: API returned \(listStatus)")
    exit(1)
}

let repos = (try? JSONSerialization.jsonObject(with: listBody)) as? [[String: Any]] ?? []
let repoCount = repos.count
say("Found \(repoCount) repositories")

// Update each repository
var updatedCount = 0
var failedCount = 0

for repo in repos {
    let repoName = repo["name"] as? String ?? ""
    say("Processing \(repoName)...")

    if dryRun {
        say("  [DRY RUN] Would update \(repoName)")
        updatedCount += 1
        continue
    }

    // Update repository settings
    var updateRequest = URLRequest(
        url: URL(string: "\(apiRoot)/repos/\(org)/\(repoName)") ?? URL(fileURLWithPath: "/"))
    updateRequest.httpMethod = "PATCH"
    updateRequest.setValue("token \(token)", forHTTPHeaderField: "Authorization")
    updateRequest.setValue("manage_repositories", forHTTPHeaderField: "User-Agent")
    updateRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
    updateRequest.httpBody = Data(#"{"has_issues":true,"has_wiki":false,"has_projects":false}"#.utf8)
    let (updateStatus, _) = await send(updateRequest)

    if updateStatus == 200 {
        say("  ✓ Updated \(repoName)")
        updatedCount += 1
    } else {
        say("  ✗ Failed to update \(repoName): \(updateStatus)")
        failedCount += 1
    }

    // Rate limiting (simple sleep)
    sleep(1)
}

// Print summary
say("\nSummary:")
say("  Total repositories: \(repoCount)")
say("  Updated: \(updatedCount)")
say("  Failed: \(failedCount)")
