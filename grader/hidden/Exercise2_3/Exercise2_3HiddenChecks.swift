import Exercise2_3
import ExerciseSupport
import Foundation
import Logging
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 2.3: generated starting states (settings, existing hooks, existing protection
/// rules), failures injected at every step of generated repositories, the order of the rollbacks, and the
/// history of nested transactions.
final class Exercise2_3HiddenChecks: XCTestCase {
    func test1_batchWithFailuresAtEveryStepKeepsEachRepositoryAllOrNothing() async throws {
        var random = CheckRandomGenerator(seed: 2_301)
        for _ in 0..<3 {
            let harness = try await Exercise2_3HiddenHarness(repos: 9, random: &random)
            var failures: [String: Exercise2_3HiddenHarness.Step] = [:]
            for name in harness.names where Int.random(in: 0..<3, using: &random) == 0 {
                failures[name] = Exercise2_3HiddenHarness.Step.allCases.randomElement(using: &random)
            }
            try await harness.fail(failures)
            let before = await harness.repos()
            let rulesBefore = try await harness.rules(of: harness.names)
            let report = try await harness.run { try await $0.updateRepositories(harness.names) }
            let expectedReport = UpdateReport(
                updated: harness.names.filter { failures[$0] == nil },
                rolledBack: harness.names.filter { failures[$0] != nil })
            XCTAssertTrue(
                report == expectedReport, "The report did not list the right repositories. Run `lab hint 2.3`.")
            let after = await harness.repos()
            let rulesAfter = try await harness.rules(of: harness.names)
            for name in harness.names {
                guard let old = before[name], let new = after[name] else {
                    throw HiddenCheckFailure("A repository disappeared from the mock", exercise: "2.3")
                }
                if failures[name] != nil {
                    XCTAssertTrue(
                        Exercise2_3HiddenHarness.same(new, old) && rulesAfter[name] == rulesBefore[name],
                        "A repository whose update failed was not left exactly as before. Run `lab hint 2.3`.")
                } else {
                    XCTAssertTrue(
                        new.hasIssues && !new.hasWiki && !new.hasProjects && new.protections["main"] != nil
                            && new.hooks.count == old.hooks.count + 1
                            && new.hooks.prefix(old.hooks.count) == old.hooks[...],
                        "A repository that did not fail did not keep all three changes. Run `lab hint 2.3`.")
                }
            }
            let record = harness.manager.getHistory().last
            XCTAssertTrue(
                record?.name == "update_repositories" && record?.status == .committed,
                "The batch should be one committed transaction `update_repositories`. Run `lab hint 2.3`.")
            XCTAssertTrue(
                record?.children.map(\.name) == harness.names.map { "update_\($0)" },
                "Each repository should be a nested transaction `update_<repo>`, in order. Run `lab hint 2.3`.")
            XCTAssertTrue(
                record?.children.map(\.status) == harness.names.map { failures[$0] == nil ? .committed : .rolledBack },
                "The nested transactions' statuses did not match which repositories failed. Run `lab hint 2.3`.")
            XCTAssertTrue(
                record?.children.map(\.failedOperation) == harness.names.map { failures[$0]?.operation },
                "A nested transaction did not name the operation that failed. Run `lab hint 2.3`.")
        }
    }

    func test2_anExistingProtectionRuleIsPutBackNotDeleted() async throws {
        var random = CheckRandomGenerator(seed: 2_302)
        let harness = try await Exercise2_3HiddenHarness(repos: 4, random: &random, protectAll: true)
        for name in harness.names {
            try await harness.fail([name: .webhook])
            let before = await harness.repos()[name]
            let ruleBefore = try await harness.rules(of: [name])[name]
            do {
                try await harness.run { try await $0.updateRepository(name) }
                XCTFail("A failing webhook step did not make `updateRepository` throw. Run `lab hint 2.3`.")
            } catch is TransactionFailed {
                // Expected.
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "updating a protected repository", exercise: "2.3")
            }
            let after = await harness.repos()[name]
            let ruleAfter = try await harness.rules(of: [name])[name]
            XCTAssertTrue(
                after?.protections["main"] != nil,
                "A branch that was protected before lost its protection in the rollback. Run `lab hint 2.3`.")
            XCTAssertTrue(
                ruleAfter == ruleBefore
                    && (after.map { new in before.map { Exercise2_3HiddenHarness.same(new, $0) } ?? false } ?? false),
                "The earlier protection rule was not put back exactly. Run `lab hint 2.3`.")
        }
    }

    func test3_rollbacksRunInReverseOrderAfterTheWebhookFails() async throws {
        var random = CheckRandomGenerator(seed: 2_303)
        let harness = try await Exercise2_3HiddenHarness(repos: 3, random: &random)
        let name = harness.names[1]
        try await harness.fail([name: .webhook])
        let mark = await harness.mock.journalEntries().count
        do {
            try await harness.run { try await $0.updateRepository(name) }
            XCTFail("A failing webhook step did not make `updateRepository` throw. Run `lab hint 2.3`.")
        } catch is TransactionFailed {
            // Expected.
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "updating a repository", exercise: "2.3")
        }
        let mutations = await harness.mock.journalEntries().dropFirst(mark).filter { $0.method != "GET" }.map {
            "\($0.method) \($0.path.hasSuffix("/protection") ? "protection" : $0.path.hasSuffix("/hooks") ? "hooks" : "repo")"
        }
        XCTAssertTrue(
            mutations == ["PATCH repo", "PUT protection", "POST hooks", "DELETE protection", "PATCH repo"],
            "The changes and their rollbacks did not run in order (settings, protection, webhook, then the "
                + "protection's and the settings' rollbacks). Run `lab hint 2.3`.")
    }

    func test4_aFailedFirstStepChangesNothingAtAll() async throws {
        var random = CheckRandomGenerator(seed: 2_304)
        let harness = try await Exercise2_3HiddenHarness(repos: 3, random: &random)
        let name = harness.names[2]
        try await harness.fail([name: .settings])
        let before = await harness.repos()[name]
        let mark = await harness.mock.journalEntries().count
        do {
            try await harness.run { try await $0.updateRepository(name) }
            XCTFail("A failing settings step did not make `updateRepository` throw. Run `lab hint 2.3`.")
        } catch let error as TransactionFailed {
            XCTAssertTrue(
                error.failedOperation == "update_settings", "The failed operation was misnamed. Run `lab hint 2.3`.")
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "updating a repository", exercise: "2.3")
        }
        let mutations = await harness.mock.journalEntries().dropFirst(mark).filter { $0.method != "GET" }
        XCTAssertTrue(
            mutations.count == 1,
            "After the settings step failed, no other change (and no rollback) should be sent. Run `lab hint 2.3`.")
        let after = await harness.repos()[name]
        XCTAssertTrue(
            after.map { new in before.map { Exercise2_3HiddenHarness.same(new, $0) } ?? false } ?? false,
            "The repository changed although its first step failed. Run `lab hint 2.3`.")
        let record = harness.manager.getHistory().last
        XCTAssertTrue(
            record?.name == "update_\(name)" && record?.status == .rolledBack,
            "The failed transaction was not recorded as `update_<repo>`, rolled back. Run `lab hint 2.3`.")
    }

    func test5_successfulRunsAreCommittedWithThreeOperations() async throws {
        var random = CheckRandomGenerator(seed: 2_305)
        let harness = try await Exercise2_3HiddenHarness(repos: 5, random: &random)
        for name in harness.names {
            try await harness.run { try await $0.updateRepository(name) }
        }
        let history = harness.manager.getHistory()
        XCTAssertTrue(
            history.map(\.name) == harness.names.map { "update_\($0)" }
                && history.allSatisfy { $0.status == .committed },
            "Every repository should have a committed transaction `update_<repo>`. Run `lab hint 2.3`.")
        XCTAssertTrue(
            history.allSatisfy {
                $0.operations.map(\.name) == ["update_settings", "update_protection", "update_webhooks"]
            },
            "Each transaction should hold the three operations in order. Run `lab hint 2.3`.")
        let repos = await harness.repos()
        XCTAssertTrue(
            harness.names.allSatisfy { name in
                repos[name].map { $0.hooks.contains { $0.config["url"] == "https://hooks.example.com/moko" } } ?? false
            },
            "A repository did not get the policy's webhook. Run `lab hint 2.3`.")
    }
}

/// The mock with generated repositories whose settings, hooks and protection differ, a client on a manual
/// clock, and the updater.
struct Exercise2_3HiddenHarness {
    enum Step: CaseIterable {
        case settings, protection, webhook

        var operation: String {
            switch self {
            case .settings: "update_settings"
            case .protection: "update_protection"
            case .webhook: "update_webhooks"
            }
        }
    }

    static let org = "moko-lab"

    let mock: MockGitHub
    let clock = ManualClock()
    let manager: TransactionManager
    let updater: AtomicUpdater
    let names: [String]

    init(repos: Int, random: inout CheckRandomGenerator, protectAll: Bool = false) async throws {
        var fixture = MockFixture.standard(repos: 0)
        var names: [String] = []
        while names.count < repos {
            let name = random.word(length: Int.random(in: 4...10, using: &random)) + "-" + String(names.count)
            names.append(name)
        }
        self.names = names
        fixture.orgs[0].repos = names.map { .init(name: $0) }
        mock = MockGitHub(configuration: .init(seed: random.next(), fixture: fixture))
        guard let token = await mock.token(for: "mona") else {
            throw HiddenCheckFailure("The mock has no token for mona", exercise: "2.3")
        }
        let client = try GitHubClient(
            token: token, baseURL: URL(string: "https://api.github.com"), retryPolicy: RetryPolicy(jitter: .none),
            logger: Logger(label: "hidden") { _ in SwiftLogNoOpLogHandler() },
            transport: MockGitHubTransport(mock: mock), clock: clock, environment: [:], mutationSpacing: .zero)
        manager = TransactionManager(
            logger: Logger(label: "hidden") { _ in SwiftLogNoOpLogHandler() }, wallClock: clock)
        updater = AtomicUpdater(client: client, manager: manager, owner: Self.org)
        var state = await mock.dumpState()
        for index in state.repos.indices {
            state.repos[index].hasIssues = Bool.random(using: &random)
            state.repos[index].hasWiki = Bool.random(using: &random)
            state.repos[index].hasProjects = true
        }
        try await mock.restoreState(state)
        for name in names {
            if Bool.random(using: &random) {
                let hook = NewHook(url: "https://ci.example.com/" + random.word(length: 6), events: ["pull_request"])
                _ = try await client.createHook(owner: Self.org, repo: name, hook)
            }
            if protectAll || Int.random(in: 0..<3, using: &random) == 0 {
                let rule = BranchProtectionUpdate(
                    requiredStatusChecks: .init(strict: Bool.random(using: &random), contexts: ["ci/build"]),
                    enforceAdmins: false,
                    requiredPullRequestReviews: .init(
                        requiredApprovingReviewCount: Int.random(in: 2...4, using: &random)))
                _ = try await client.updateBranchProtection(owner: Self.org, repo: name, branch: "main", rule)
            }
        }
    }

    func run<T: Sendable>(_ body: @escaping @Sendable (AtomicUpdater) async throws -> T) async throws -> T {
        let updater = updater
        do {
            return try await clock.run { try await body(updater) }
        } catch let error as TransactionFailed {
            throw error
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "running the updater", exercise: "2.3")
        }
    }

    func repos() async -> [String: MockGitHubState.Repo] {
        Dictionary(uniqueKeysWithValues: await mock.dumpState().repos.map { ($0.name, $0) })
    }

    /// Makes the given step of each repository fail with 422 (replacing any earlier plan).
    func fail(_ steps: [String: Step]) async throws {
        let rules = steps.sorted { $0.key < $1.key }.map { name, step -> MockFaultPlan.Rule in
            let (method, path) =
                switch step {
                case .settings: ("PATCH", "/repos/\(Self.org)/\(name)")
                case .protection: ("PUT", "/repos/\(Self.org)/\(name)/branches/main/protection")
                case .webhook: ("POST", "/repos/\(Self.org)/\(name)/hooks")
                }
            return .init(
                id: "fail-\(name)", match: .init(method: method, path: path),
                action: .init(type: "status", status: 422, body: .object([("message", .string("Validation Failed"))])))
        }
        try await mock.setFaultPlan(MockFaultPlan(rules: rules))
    }

    /// Whether two repositories are equal in every field but the change stamps and the stored form of the
    /// protection rules (a rule put back through the API spells out defaults the original left implicit;
    /// ``rules(of:)`` compares the rules as GitHub renders them). Protected branches must be the same.
    static func same(_ actual: MockGitHubState.Repo, _ expected: MockGitHubState.Repo) -> Bool {
        var stamped = actual
        stamped.updatedAt = expected.updatedAt
        stamped.pushedAt = expected.pushedAt
        stamped.version = expected.version
        stamped.protections = expected.protections
        return stamped == expected && Set(actual.protections.keys) == Set(expected.protections.keys)
    }

    /// The protection rule of `main` of each repository, as GitHub renders it (nil when unprotected).
    func rules(of names: [String]) async throws -> [String: BranchProtection?] {
        var rules: [String: BranchProtection?] = [:]
        for name in names {
            rules[name] = try await updater.client.getBranchProtection(owner: Self.org, repo: name, branch: "main")
        }
        return rules
    }
}
