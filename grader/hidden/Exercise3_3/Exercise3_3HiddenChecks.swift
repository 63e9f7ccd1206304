import Exercise3_3
import ExerciseSupport
import Foundation
import Logging
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 3.3.
///
/// Plans are generated; comparisons use `XCTAssertTrue`, errors escaping the trainee's code go through
/// `HiddenCheckFailure.concealing`, and the client and manager log nothing (their logs name the repository).
final class Exercise3_3HiddenChecks: XCTestCase {
    static let teamSlugs = ["platform", "security", "docs", "release", "qa"]

    struct Lab {
        let mock: MockGitHub
        let client: GitHubClient
        let clock: ManualClock
        let manager: TransactionManager

        static func make(seed: UInt64) async throws -> Lab {
            let fixture = MockFixture(
                users: [MockFixture.User(login: "mona"), MockFixture.User(login: "hubot")],
                orgs: [
                    MockFixture.Org(
                        login: "moko-lab", members: ["mona": "admin", "hubot": "member"], generatedRepos: 2,
                        teams: Exercise3_3HiddenChecks.teamSlugs.map { MockFixture.Team(slug: $0, members: ["hubot"]) })
                ])
            let mock = MockGitHub(configuration: .init(seed: seed, fixture: fixture))
            guard let token = await mock.token(for: "mona") else {
                throw HiddenCheckFailure("no token", exercise: "3.3")
            }
            let clock = ManualClock()
            let quiet = Logger(label: "Exercise3_3HiddenChecks") { _ in SwiftLogNoOpLogHandler() }
            let client = try GitHubClient(
                token: token, logger: quiet, transport: MockGitHubTransport(mock: mock), clock: clock,
                mutationSpacing: .zero)
            return Lab(
                mock: mock, client: client, clock: clock, manager: TransactionManager(logger: quiet, wallClock: clock))
        }

        func provision(_ plan: ProvisioningPlan) async throws -> ProvisionedRepository {
            let (client, manager) = (client, manager)
            return try await clock.run {
                try await RepositoryProvisioning.provision(plan, client: client, manager: manager)
            }
        }

        func mutations() async -> [MockJournalEntry] {
            await mock.journalEntries().filter { $0.method != "GET" }
        }
    }

    static func randomPlan(_ random: inout CheckRandomGenerator) -> ProvisioningPlan {
        let teams = teamSlugs.shuffled(using: &random).prefix(Int.random(in: 2...4, using: &random))
        let permissions: [TeamPermission] = [.pull, .triage, .push, .maintain, .admin]
        return ProvisioningPlan(
            org: "moko-lab", name: "svc-" + random.word(length: 7),
            requiredApprovals: Int.random(in: 0...6, using: &random),
            teams: teams.map { .init(slug: $0, permission: permissions.randomElement(using: &random) ?? .push) },
            issueTitles: (0..<Int.random(in: 2...4, using: &random)).map { _ in random.word(length: 10) },
            hookURL: "https://hooks.example.com/" + random.word(length: 6))
    }

    /// The step a mutating request belongs to, forward or compensation (`nil` for anything else).
    static func step(of entry: MockJournalEntry, repo: String) -> Int? {
        let base = "/repos/moko-lab/\(repo)"
        switch (entry.method, entry.path) {
        case ("POST", "/orgs/moko-lab/repos"), ("DELETE", base): return 0
        case (_, base + "/branches/main/protection"): return 1
        case (_, let path) where path.hasPrefix("/orgs/moko-lab/teams/") && path.hasSuffix(base): return 2
        case ("POST", base + "/issues"): return 3
        case ("PATCH", let path) where path.hasPrefix(base + "/issues/"): return 3
        case (_, let path) where path.hasPrefix(base + "/hooks"): return 4
        default: return nil
        }
    }

    func test1_aFailureAtAnyStepCompensatesEveryEarlierStepInReverseAndRestoresTheMock() async throws {
        var random = CheckRandomGenerator(seed: 3_301)
        for round in 0..<10 {
            let failing = round % 5
            let lab = try await Lab.make(seed: random.next())
            let plan = Self.randomPlan(&random)
            // The request of the failing step that fails (grants and issues are several requests); in the second
            // half of the rounds never the first, so the step always fails half-way.
            let first = round < 5 ? 1 : 2
            let nth: Int
            let match: MockFaultPlan.Match
            switch failing {
            case 0: (nth, match) = (1, .init(method: "POST", path: "/orgs/moko-lab/repos"))
            case 1: (nth, match) = (1, .init(method: "PUT", path: "/repos/moko-lab/*/branches/main/protection"))
            case 2:
                nth = Int.random(in: first...plan.teams.count, using: &random)
                match = .init(method: "PUT", path: "/orgs/moko-lab/teams/*/repos/moko-lab/*")
            case 3:
                nth = Int.random(in: first...plan.issueTitles.count, using: &random)
                match = .init(method: "POST", path: "/repos/moko-lab/*/issues")
            default: (nth, match) = (1, .init(method: "POST", path: "/repos/moko-lab/*/hooks"))
            }
            try await lab.mock.setFaultPlan(
                MockFaultPlan(rules: [
                    .init(id: "fail", match: match, when: .init(nth: [nth]), action: .init(type: "status", status: 422))
                ]))
            let before = await lab.mock.dumpState()
            do {
                _ = try await lab.provision(plan)
                XCTFail("A provisioning with a failing request did not throw. Run `lab hint 3.3`.")
            } catch let error as TransactionFailed {
                XCTAssertTrue(
                    error.failedOperation == RepositoryProvisioning.stepNames[failing],
                    "`TransactionFailed` did not name the failed step. Run `lab hint 3.3`.")
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "A provisioning with a failing step", exercise: "3.3")
            }
            var after = await lab.mock.dumpState()
            after.nextID = before.nextID
            after.mutationCounter = before.mutationCounter
            XCTAssertTrue(
                after == before, "After a failed provisioning the mock's state was not as before. Run `lab hint 3.3`.")

            let mutations = await lab.mutations()
            guard let failedIndex = mutations.firstIndex(where: { $0.status == 422 }) else {
                XCTFail("The failing request never reached the mock. Run `lab hint 3.3`.")
                continue
            }
            let forward = mutations[..<failedIndex]
            let compensations = mutations[(failedIndex + 1)...]
            XCTAssertTrue(
                compensations.allSatisfy { $0.method == "DELETE" || $0.method == "PATCH" }
                    && compensations.allSatisfy { $0.status < 300 },
                "After the failure the mock received something other than successful compensations. "
                    + "Run `lab hint 3.3`.")
            // Each successful forward request is undone once, and the steps are undone newest first.
            var expectedSteps: [Int] = []
            for stepIndex in stride(from: failing, through: 0, by: -1) {
                expectedSteps += forward.filter { Self.step(of: $0, repo: plan.name) == stepIndex }.map { _ in stepIndex
                }
            }
            XCTAssertTrue(
                compensations.map { Self.step(of: $0, repo: plan.name) } == expectedSteps.map { Optional($0) },
                "The compensations did not undo each completed request exactly once, step by step in reverse order "
                    + "(a step that failed half-way must undo its own half first). Run `lab hint 3.3`.")
            XCTAssertTrue(
                lab.manager.getHistory().last?.status == .rolledBack,
                "A failed provisioning was not recorded as rolled back. Run `lab hint 3.3`.")
        }
    }

    func test2_generatedPlansAreProvisionedCompletely() async throws {
        var random = CheckRandomGenerator(seed: 3_302)
        for _ in 0..<4 {
            let lab = try await Lab.make(seed: random.next())
            let plan = Self.randomPlan(&random)
            let result: ProvisionedRepository
            do {
                result = try await lab.provision(plan)
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "A provisioning without failures", exercise: "3.3")
            }
            let state = await lab.mock.dumpState()
            guard let repo = state.repos.first(where: { $0.name == plan.name }) else {
                XCTFail("A successful provisioning created no repository. Run `lab hint 3.3`.")
                continue
            }
            let approvals = repo.protections["main"]?["required_pull_request_reviews"]?[
                "required_approving_review_count"]
            XCTAssertTrue(
                approvals?.intValue == plan.requiredApprovals,
                "The protection did not require the plan's number of approving reviews. Run `lab hint 3.3`.")
            for grant in plan.teams {
                XCTAssertTrue(
                    state.teams.first { $0.slug == grant.slug }?.repoPermissions[String(repo.id)]
                        == grant.permission.rawValue,
                    "A team did not get the plan's role. Run `lab hint 3.3`.")
            }
            XCTAssertTrue(
                repo.issues.map(\.title) == plan.issueTitles && repo.issues.allSatisfy { $0.state == "open" },
                "The starter issues were not all created open, in order. Run `lab hint 3.3`.")
            XCTAssertTrue(
                repo.hooks.count == 1 && repo.hooks.first?.config["url"] == plan.hookURL,
                "Not exactly one webhook to the plan's URL was created. Run `lab hint 3.3`.")
            XCTAssertTrue(
                result
                    == ProvisionedRepository(
                        fullName: "moko-lab/\(plan.name)", teams: plan.teams.map(\.slug),
                        issueNumbers: repo.issues.map(\.number), hookID: repo.hooks.first?.id ?? -1),
                "The result did not describe what was created. Run `lab hint 3.3`.")
            XCTAssertTrue(
                lab.manager.getHistory().last?.status == .committed,
                "A successful provisioning was not recorded as committed. Run `lab hint 3.3`.")
        }
    }

    func test3_invalidPlansSendNothing() async throws {
        let lab = try await Lab.make(seed: 3_303)
        let good = ProvisioningPlan(
            org: "moko-lab", name: "ok", teams: [.init(slug: "qa", permission: .push)], issueTitles: ["t"],
            hookURL: "https://hooks.example.com/x")
        var badName = good
        badName.name = "bad/name"
        var badURL = good
        badURL.hookURL = "http://insecure.example.com"
        var badApprovals = good
        badApprovals.requiredApprovals = 9
        var blankIssue = good
        blankIssue.issueTitles = ["  "]
        for plan in [badName, badURL, badApprovals, blankIssue] {
            do {
                _ = try await lab.provision(plan)
                XCTFail("An invalid plan was provisioned. Run `lab hint 3.3`.")
            } catch is ProvisioningPlanError {
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "Provisioning an invalid plan", exercise: "3.3")
            }
        }
        let journal = await lab.mock.journalEntries()
        XCTAssertTrue(journal.isEmpty, "An invalid plan still sent requests to GitHub. Run `lab hint 3.3`.")
        XCTAssertTrue(
            lab.manager.getHistory().isEmpty, "An invalid plan still began a transaction. Run `lab hint 3.3`.")
    }
}
