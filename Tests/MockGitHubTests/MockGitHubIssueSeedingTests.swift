import Foundation
import MockGitHub
import Testing

@Suite("MockGitHub issue seeding")
struct MockGitHubIssueSeedingTests {
    @Test func addedIssuesAreListedOnceAcrossPagesWithTheirStates() async throws {
        let client = await MockGitHubTestClient.make(repos: 2)
        let repo = try #require(await client.mock.dumpState().repos.first)
        let open = try await client.mock.addIssues(
            owner: repo.ownerLogin.uppercased(), repo: repo.name, titles: (1...120).map { "Open \($0)" })
        let closed = try await client.mock.addIssues(
            owner: repo.ownerLogin, repo: repo.name, titles: ["Done 1", "Done 2"], closed: true, author: "hubot")
        #expect(open == Array(1...120))
        #expect(closed == [121, 122])

        var target: String? = "/repos/\(repo.fullName)/issues?per_page=100&state=all"
        var titles: [String] = []
        var states: [String: String] = [:]
        while let current = target {
            let response = await client.get(current)
            #expect(response.status == 200)
            for item in try #require(response.json?.arrayValue) {
                let title = try #require(item["title"]?.stringValue)
                titles.append(title)
                states[title] = item["state"]?.stringValue
            }
            target = mockGitHubLinks(response.header("link"), base: await client.mock.baseURL)["next"]
        }
        #expect(titles.count == 122)
        #expect(Set(titles) == Set((1...120).map { "Open \($0)" } + ["Done 1", "Done 2"]))
        #expect(states["Done 2"] == "closed" && states["Open 7"] == "open")

        let openOnly = await client.get("/repos/\(repo.fullName)/issues?per_page=100&page=2")
        #expect(openOnly.json?.arrayValue?.count == 20)
        #expect(await client.mock.journalEntries().allSatisfy { $0.method == "GET" })
    }

    @Test func unknownRepositoryOrEmptyTitleAddsNothing() async throws {
        let client = await MockGitHubTestClient.make(repos: 1)
        let repo = try #require(await client.mock.dumpState().repos.first)
        await #expect(throws: MockGitHubAdminError.self) {
            try await client.mock.addIssues(owner: repo.ownerLogin, repo: "missing", titles: ["A"])
        }
        await #expect(throws: MockGitHubAdminError.self) {
            try await client.mock.addIssues(owner: repo.ownerLogin, repo: repo.name, titles: ["A", ""])
        }
        #expect(await client.mock.dumpState().repos.first?.issues.isEmpty == true)
        try await client.mock.addIssues(owner: repo.ownerLogin, repo: repo.name, titles: ["A"])
        await client.mock.reset()
        #expect(await client.mock.dumpState().repos.first?.issues.isEmpty == true)
    }
}
