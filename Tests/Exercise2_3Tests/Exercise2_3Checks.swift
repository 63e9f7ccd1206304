import Exercise2_3
import Foundation
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 2.3, transaction-based repository updates. Run them with
/// `swift test --disable-swift-testing --filter Exercise2_3Tests`.
///
/// The updater talks to the mock GitHub server in-process; a check makes one request fail with the mock's
/// fault plan and then compares the repository in the mock's state, field by field, with what it was.
final class Exercise2_3Checks: XCTestCase {
    func test1_updatesSettingsProtectionAndWebhook() async throws {
        let harness = try await Exercise2_3Harness()
        try await harness.run { try await $0.updateRepository("repo-001") }
        let repo = try await harness.repo("repo-001")
        XCTAssertEqual(
            [repo.hasIssues, repo.hasWiki, repo.hasProjects], [true, false, false],
            "The settings should be has_issues=true, has_wiki=false, has_projects=false. Run `lab hint 2.3`.")
        XCTAssertNotNil(repo.protections["main"], "`main` should be protected. Run `lab hint 2.3`.")
        XCTAssertEqual(
            repo.hooks.map { $0.config["url"] }, ["https://hooks.example.com/moko"],
            "The policy's webhook should be created. Run `lab hint 2.3`.")
    }

    func test2_webhookFailureLeavesTheRepositoryExactlyAsBefore() async throws {
        let harness = try await Exercise2_3Harness()
        let before = try await harness.repo("repo-002")
        try await harness.failRequests(method: "POST", path: "/repos/moko-lab/repo-002/hooks")
        do {
            try await harness.run { try await $0.updateRepository("repo-002") }
            XCTFail("The webhook cannot be created, so `updateRepository` should throw. Run `lab hint 2.3`.")
        } catch let error as TransactionFailed {
            XCTAssertEqual(
                error.failedOperation, "update_webhooks",
                "The error should name the failed operation `update_webhooks`. Run `lab hint 2.3`.")
        }
        let after = try await harness.repo("repo-002")
        Exercise2_3Harness.assertSameRepository(after, before, "after the webhook step failed")
    }

    func test3_historyRecordsEachTransaction() async throws {
        let harness = try await Exercise2_3Harness()
        try await harness.failRequests(method: "POST", path: "/repos/moko-lab/repo-002/hooks")
        try await harness.run { try await $0.updateRepository("repo-001") }
        do {
            try await harness.run { try await $0.updateRepository("repo-002") }
            XCTFail("The webhook cannot be created, so `updateRepository` should throw. Run `lab hint 2.3`.")
        } catch is TransactionFailed {
            // Expected.
        }
        let history = harness.manager.getHistory()
        XCTAssertEqual(
            history.map(\.name), ["update_repo-001", "update_repo-002"],
            "Each repository should be one transaction named `update_<repo>`. Run `lab hint 2.3`.")
        XCTAssertEqual(
            history.map(\.status), [.committed, .rolledBack],
            "The first transaction should be committed, the failed one rolled back. Run `lab hint 2.3`.")
        XCTAssertEqual(
            history.first?.operations.map(\.name), ["update_settings", "update_protection", "update_webhooks"],
            "The operations should be update_settings, update_protection, update_webhooks, in that order. "
                + "Run `lab hint 2.3`.")
        XCTAssertEqual(
            history.last?.failedOperation, "update_webhooks",
            "The history should name the failed operation. Run `lab hint 2.3`.")
    }

    func test4_oneRepositoryFailingDoesNotUndoTheOthers() async throws {
        let harness = try await Exercise2_3Harness()
        let before = try await harness.repo("repo-002")
        try await harness.failRequests(method: "POST", path: "/repos/moko-lab/repo-002/hooks")
        let report = try await harness.run { try await $0.updateRepositories(["repo-001", "repo-002", "repo-003"]) }
        XCTAssertEqual(
            report, UpdateReport(updated: ["repo-001", "repo-003"], rolledBack: ["repo-002"]),
            "repo-002 should be rolled back and the other two updated. Run `lab hint 2.3`.")
        for name in ["repo-001", "repo-003"] {
            let repo = try await harness.repo(name)
            XCTAssertTrue(
                repo.hasIssues && !repo.hasWiki && repo.protections["main"] != nil && repo.hooks.count == 1,
                "\(name) should keep all three changes although repo-002 failed. Run `lab hint 2.3`.")
        }
        Exercise2_3Harness.assertSameRepository(try await harness.repo("repo-002"), before, "in the batch")
        let record = try XCTUnwrap(
            harness.manager.getHistory().last, "The history is empty. Run `lab hint 2.3`.")
        XCTAssertEqual(
            record.name, "update_repositories",
            "The batch should be one transaction named `update_repositories`. Run `lab hint 2.3`.")
        XCTAssertEqual(record.status, .committed, "The batch transaction should commit. Run `lab hint 2.3`.")
        XCTAssertEqual(
            record.children.map(\.name), ["update_repo-001", "update_repo-002", "update_repo-003"],
            "Each repository should be a nested transaction `update_<repo>`. Run `lab hint 2.3`.")
        XCTAssertEqual(
            record.children.map(\.status), [.committed, .rolledBack, .committed],
            "Only repo-002's nested transaction should be rolled back. Run `lab hint 2.3`.")
    }

    func test5_protectionFailureUndoesTheSettingsAndCreatesNoHook() async throws {
        let harness = try await Exercise2_3Harness()
        let before = try await harness.repo("repo-003")
        try await harness.failRequests(method: "PUT", path: "/repos/moko-lab/repo-003/branches/main/protection")
        do {
            try await harness.run { try await $0.updateRepository("repo-003") }
            XCTFail("The protection cannot be set, so `updateRepository` should throw. Run `lab hint 2.3`.")
        } catch let error as TransactionFailed {
            XCTAssertEqual(
                error.failedOperation, "update_protection",
                "The error should name `update_protection`. Run `lab hint 2.3`.")
        }
        Exercise2_3Harness.assertSameRepository(
            try await harness.repo("repo-003"), before, "after the protection step failed")
    }
}

/// The mock with five repositories that all differ from the policy, a client on a manual clock, and the
/// updater.
struct Exercise2_3Harness {
    static let org = "moko-lab"

    /// mona's token (an admin of moko-lab).
    static func token(of mock: MockGitHub) async throws -> String {
        guard let token = await mock.token(for: "mona") else {
            throw Exercise2_3CheckFailure(description: "the mock has no token for mona")
        }
        return token
    }

    let mock: MockGitHub
    let clock = ManualClock()
    let manager: TransactionManager
    let updater: AtomicUpdater

    init(repos: Int = 5) async throws {
        var fixture = MockFixture.standard(repos: 0)
        fixture.orgs[0].repos = (1...repos).map { .init(name: "repo-" + String(1_000 + $0).dropFirst()) }
        mock = MockGitHub(configuration: .init(seed: 23, fixture: fixture))
        let token = try await Self.token(of: mock)
        let client = try GitHubClient(
            token: token, baseURL: URL(string: "https://api.github.com"), retryPolicy: RetryPolicy(jitter: .none),
            transport: MockGitHubTransport(mock: mock), clock: clock, environment: [:], mutationSpacing: .zero)
        manager = TransactionManager(wallClock: clock)
        updater = AtomicUpdater(client: client, manager: manager, owner: Self.org)
        var state = await mock.dumpState()
        for index in state.repos.indices {
            state.repos[index].hasIssues = false
            state.repos[index].hasWiki = true
            state.repos[index].hasProjects = true
        }
        try await mock.restoreState(state)
    }

    /// Runs `body` with the updater, moving the manual clock whenever the client waits.
    func run<T: Sendable>(_ body: @escaping @Sendable (AtomicUpdater) async throws -> T) async throws -> T {
        let updater = updater
        return try await clock.run { try await body(updater) }
    }

    /// The repository as the mock stores it.
    func repo(_ name: String) async throws -> MockGitHubState.Repo {
        let repos = await mock.dumpState().repos
        return try XCTUnwrap(repos.first { $0.name == name }, "no repository \(name)")
    }

    /// Makes every request `method path` fail with 422 (not retried).
    func failRequests(method: String, path: String) async throws {
        try await mock.setFaultPlan(
            MockFaultPlan(rules: [
                .init(
                    id: "fail", match: .init(method: method, path: path),
                    action: .init(
                        type: "status", status: 422, body: .object([("message", .string("Validation Failed"))])))
            ]))
    }

    /// Fails unless the two repositories are equal in every field but the change stamps
    /// (`updated_at`, `pushed_at`, the ETag version).
    static func assertSameRepository(
        _ actual: MockGitHubState.Repo, _ expected: MockGitHubState.Repo, _ when: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(
            [actual.hasIssues, actual.hasWiki, actual.hasProjects],
            [expected.hasIssues, expected.hasWiki, expected.hasProjects],
            "The settings were not put back \(when). Run `lab hint 2.3`.", file: file, line: line)
        XCTAssertEqual(
            actual.protections, expected.protections,
            "The branch protection was not put back \(when). Run `lab hint 2.3`.", file: file, line: line)
        XCTAssertEqual(
            actual.hooks, expected.hooks, "The webhooks were not put back \(when). Run `lab hint 2.3`.", file: file,
            line: line)
        var stamped = actual
        stamped.updatedAt = expected.updatedAt
        stamped.pushedAt = expected.pushedAt
        stamped.version = expected.version
        XCTAssertTrue(
            stamped == expected, "Another field of the repository changed \(when). Run `lab hint 2.3`.", file: file,
            line: line)
    }
}

/// A check's own failure.
struct Exercise2_3CheckFailure: Error, CustomStringConvertible {
    var description: String
}
