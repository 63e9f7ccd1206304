import Foundation
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

/// A mock GitHub core, a client talking to it in-process, and one manual clock whose moves are mirrored
/// on the mock's virtual clock.
private struct GitHubMockHarness {
    let mock: MockGitHub
    let clock: ManualClock
    let client: GitHubClient
    let token: String

    static let org = "moko-lab"

    init(
        repos: Int = 10,
        seed: UInt64 = 1,
        retryPolicy: RetryPolicy = RetryPolicy(jitter: .none),
        circuitBreaker: ((ManualClock) throws -> CircuitBreaker)? = nil,
        mutationSpacing: Duration = .zero
    ) async throws {
        mock = MockGitHub(configuration: .init(seed: seed, fixture: .standard(repos: repos)))
        clock = ManualClock()
        token = try #require(await mock.token(for: "mona"))
        client = try GitHubClient(
            token: token, baseURL: URL(string: "https://api.github.com"), retryPolicy: retryPolicy,
            circuitBreaker: try circuitBreaker?(clock), transport: MockGitHubTransport(mock: mock), clock: clock,
            environment: [:], mutationSpacing: mutationSpacing)
    }

    /// Moves both clocks to the client's next deadline, waking the client.
    func advanceBothToNextDeadline() throws {
        let deadline = try #require(clock.nextDeadline, "the client should be sleeping")
        mock.clock.advance(by: clock.now.duration(to: deadline))
        clock.advance(to: deadline)
    }

    /// Sets mona's core bucket through the admin API.
    func setBucket(remaining: Int, resetIn seconds: Int) async throws {
        let reset = Int(mock.clock.seconds) + seconds
        let body = #"{"subject":{"login":"mona"},"limit":5000,"remaining":\#(remaining),"reset":\#(reset)}"#
        let response = await mock.handle(
            MockRequest(
                method: "PUT", target: "/__mock/ratelimit", headers: [("Authorization", "Bearer mock-admin")],
                body: Array(body.utf8)))
        #expect(response.status == 200, "admin call failed: \(response.text)")
    }

    func journal() async -> [MockJournalEntry] { await mock.journalEntries() }
}

@Suite("GitHubClient against MockGitHub")
struct GitHubClientMockTests {
    @Test func paginationOver250ReposReturnsEveryRepoExactlyOnce() async throws {
        let harness = try await GitHubMockHarness(repos: 250)
        var ids: [Int] = []
        var pages = 0
        for try await page in harness.client.listRepos(org: GitHubMockHarness.org, perPage: 100).pages {
            pages += 1
            ids += page.items.map(\.id)
        }
        #expect(ids.count == 250)
        #expect(Set(ids).count == 250)
        #expect(pages == 3)
        let journal = await harness.journal()
        #expect(journal.count == 3)
        #expect(journal.allSatisfy { $0.status == 200 })
        let violations = await harness.mock.violations()
        #expect(!violations.contains { $0.rule == "constructed-page-url" }, "\(violations)")
    }

    @Test func etagRevalidationIsACacheHitThatSpendsNoQuota() async throws {
        let harness = try await GitHubMockHarness()
        let first = try await harness.client.getRepo(owner: GitHubMockHarness.org, repo: "repo-001")
        let second = try await harness.client.getRepo(owner: GitHubMockHarness.org, repo: "repo-001")
        #expect(first == second)
        let journal = await harness.journal()
        #expect(journal.map(\.status) == [200, 304])
        #expect(journal[1].rate.counted == false)
        #expect(journal[1].rate.after == journal[0].rate.after, "a 304 must not spend quota")
        let stats = harness.client.getCacheStats()
        #expect(stats.hits == 1)
        #expect(stats.misses == 1)
        #expect(stats.requestsSaved == 1)
        #expect(stats.hitRate == 0.5)
        #expect(harness.client.lastRateLimit?.remaining == journal[0].rate.after)
    }

    @Test func mutationMakesTheNextReadFetchTheNewRepresentationConditionally() async throws {
        let harness = try await GitHubMockHarness()
        _ = try await harness.client.getRepo(owner: GitHubMockHarness.org, repo: "repo-002")
        try await harness.client.updateRepo(
            owner: GitHubMockHarness.org, repo: "repo-002", RepositoryUpdate(description: "changed"))
        let after = try await harness.client.getRepo(owner: GitHubMockHarness.org, repo: "repo-002")
        #expect(after.description == "changed")
        #expect(await harness.journal().map(\.status) == [200, 200, 200])
        #expect(harness.client.getCacheStats().invalidations >= 1)
        let violations = await harness.mock.violations()
        #expect(!violations.contains { $0.rule == "missing-conditional" }, "\(violations)")
    }

    @Test func exhaustedQuotaResponseWaitsForTheResetAndCompletes() async throws {
        let harness = try await GitHubMockHarness()
        try await harness.setBucket(remaining: 0, resetIn: 600)
        let client = harness.client
        let task = Task { try await client.getRepo(owner: GitHubMockHarness.org, repo: "repo-001") }
        #expect(await harness.clock.waitForSleepers(count: 1))
        #expect(harness.clock.nextDeadline == ManualClock.Instant(offset: .seconds(601)))
        #expect(await harness.journal().map(\.status) == [403])
        try harness.advanceBothToNextDeadline()
        let repo = try await task.value
        #expect(repo.name == "repo-001")
        let journal = await harness.journal()
        #expect(journal.map(\.status) == [403, 200])
        let violations = await harness.mock.violations()
        #expect(!violations.contains { $0.rule == "request-while-exhausted" }, "\(violations)")
    }

    @Test func knownExhaustedQuotaHoldsTheRequestUntilTheReset() async throws {
        let harness = try await GitHubMockHarness()
        try await harness.setBucket(remaining: 1, resetIn: 300)
        _ = try await harness.client.getRepo(owner: GitHubMockHarness.org, repo: "repo-001")
        #expect(harness.client.lastRateLimit?.remaining == 0)
        let client = harness.client
        let task = Task { try await client.getRepo(owner: GitHubMockHarness.org, repo: "repo-003") }
        #expect(await harness.clock.waitForSleepers(count: 1))
        #expect(await harness.journal().count == 1, "nothing may be sent while the quota is exhausted")
        try harness.advanceBothToNextDeadline()
        _ = try await task.value
        #expect(await harness.journal().map(\.status) == [200, 200])
        #expect(await harness.mock.violations().isEmpty)
    }

    @Test func serverErrorBurstIsRetriedUntilItSucceeds() async throws {
        let harness = try await GitHubMockHarness()
        try await harness.mock.setFaultPlan(.burst(method: "GET", path: "/repos/*/*", status: 502, occurrences: 1...2))
        let client = harness.client
        let repo = try await harness.clock.run {
            try await client.getRepo(owner: GitHubMockHarness.org, repo: "repo-001")
        }
        #expect(repo.name == "repo-001")
        #expect(await harness.journal().map(\.status) == [502, 502, 200])
        #expect(harness.clock.requestedSleeps == [.seconds(1), .seconds(2)])
    }

    @Test func persistentOutageOpensTheBreakerAndStopsCallingUntilTheTimeout() async throws {
        let harness = try await GitHubMockHarness(retryPolicy: RetryPolicy(maxRetries: 5, jitter: .none)) { clock in
            try CircuitBreaker(name: "github", failureThreshold: 3, timeout: .seconds(60), successThreshold: 1, clock: clock)
        }
        try await harness.mock.setFaultPlan(
            MockFaultPlan(rules: [
                .init(id: "outage", match: .init(method: "GET"), action: .init(type: "status", status: 503))
            ]))
        let client = harness.client
        await #expect(throws: CircuitOpenError.self) {
            try await harness.clock.run { try await client.getRepo(owner: GitHubMockHarness.org, repo: "repo-001") }
        }
        #expect(await harness.journal().map(\.status) == [503, 503, 503])
        #expect(client.circuitBreaker.state == .open)
        // Open: rejected at once, nothing reaches the server.
        await #expect(throws: CircuitOpenError.self) {
            try await client.getRepo(owner: GitHubMockHarness.org, repo: "repo-002")
        }
        #expect(await harness.journal().count == 3)
        // After the open timeout the next call is let through (and GitHub has recovered).
        try await harness.mock.setFaultPlan(MockFaultPlan())
        harness.clock.advance(by: .seconds(61))
        let repo = try await client.getRepo(owner: GitHubMockHarness.org, repo: "repo-002")
        #expect(repo.name == "repo-002")
        #expect(await harness.journal().count == 4)
        #expect(client.circuitBreaker.state == .closed)
    }

    @Test func identicalSeedGivesAnIdenticalJournal() async throws {
        func run() async throws -> [MockJournalEntry] {
            let harness = try await GitHubMockHarness(repos: 120, seed: 42)
            let client = harness.client
            try await harness.clock.run {
                _ = try await client.listRepos(org: GitHubMockHarness.org, perPage: 50).collect()
                _ = try await client.getRepo(owner: GitHubMockHarness.org, repo: "repo-007")
                try await client.updateRepo(
                    owner: GitHubMockHarness.org, repo: "repo-007", RepositoryUpdate(hasWiki: false))
                _ = try await client.getRepo(owner: GitHubMockHarness.org, repo: "repo-007")
                _ = try await client.getRepo(owner: GitHubMockHarness.org, repo: "repo-007")
            }
            return await harness.journal()
        }
        let first = try await run()
        let second = try await run()
        #expect(first.count == 7)
        #expect(first == second)
    }

    @Test func renamedRepositoryIsFollowedThroughTheRedirect() async throws {
        let harness = try await GitHubMockHarness()
        try await harness.client.updateRepo(
            owner: GitHubMockHarness.org, repo: "repo-004", RepositoryUpdate(name: "renamed"))
        let repo = try await harness.client.getRepo(owner: GitHubMockHarness.org, repo: "repo-004")
        #expect(repo.name == "renamed")
        #expect(await harness.journal().map(\.status) == [200, 301, 200])
    }

    @Test func issuesHooksProtectionAndTeamsRoundTrip() async throws {
        let harness = try await GitHubMockHarness()
        let client = harness.client
        let org = GitHubMockHarness.org
        try await harness.clock.run {
            for index in 1...3 {
                try await client.createIssue(owner: org, repo: "repo-001", NewIssue(title: "Issue \(index)"))
            }
            let closed = try await client.closeIssue(owner: org, repo: "repo-001", number: 2)
            #expect(closed.state == "closed")
            let open = try await client.listIssues(owner: org, repo: "repo-001", perPage: 1).collect()
            #expect(open.map(\.number).sorted() == [1, 3])

            let hook = try await client.createHook(
                owner: org, repo: "repo-001", NewHook(url: "https://example.test/hook", secret: "s3cret"))
            #expect(try await client.listHooks(owner: org, repo: "repo-001").map(\.id) == [hook.id])
            try await client.deleteHook(owner: org, repo: "repo-001", id: hook.id)
            #expect(try await client.listHooks(owner: org, repo: "repo-001").isEmpty)

            #expect(try await client.getBranchProtection(owner: org, repo: "repo-001", branch: "main") == nil)
            try await client.updateBranchProtection(
                owner: org, repo: "repo-001", branch: "main",
                BranchProtectionUpdate(
                    enforceAdmins: true, requiredPullRequestReviews: .init(requiredApprovingReviewCount: 1)))
            let rule = try await client.getBranchProtection(owner: org, repo: "repo-001", branch: "main")
            #expect(rule?.enforceAdmins?.enabled == true)
            try await client.deleteBranchProtection(owner: org, repo: "repo-001", branch: "main")

            try await client.addTeamRepoAccess(
                org: org, teamSlug: "platform", owner: org, repo: "repo-002", permission: .maintain)
            try await client.removeTeamRepoAccess(org: org, teamSlug: "platform", owner: org, repo: "repo-002")

            let created = try await client.createRepo(org: org, NewRepository(name: "brand-new", hasWiki: false))
            #expect(created.hasWiki == false)
            try await client.deleteRepo(owner: org, repo: "brand-new")
            await #expect(throws: GitHubAPIError.self) { try await client.getRepo(owner: org, repo: "brand-new") }

            let status = try await client.getRateLimitStatus()
            #expect(status.core?.limit == 5_000)
        }
        #expect(!(await harness.journal()).contains { $0.status >= 500 })
    }
}
