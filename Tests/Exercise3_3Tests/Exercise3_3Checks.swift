import Exercise3_3
import Foundation
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 3.3, five provisioning steps with compensating actions against the mock GitHub.
/// Run them with `swift test --disable-swift-testing --filter Exercise3_3Tests`.
final class Exercise3_3Checks: XCTestCase {
    /// The mock GitHub with a client on a manual clock (nothing waits in real time).
    struct Lab {
        let mock: MockGitHub
        let client: GitHubClient
        let clock: ManualClock
        let manager: TransactionManager

        static func make() async throws -> Lab {
            let mock = MockGitHub(configuration: .init(seed: 33, fixture: .standard(repos: 3)))
            let maybeToken = await mock.token(for: "mona")
            let token = try XCTUnwrap(maybeToken, "The mock should have a token for mona.")
            let clock = ManualClock()
            let client = try GitHubClient(
                token: token, transport: MockGitHubTransport(mock: mock), clock: clock, mutationSpacing: .zero)
            return Lab(mock: mock, client: client, clock: clock, manager: TransactionManager(wallClock: clock))
        }

        func provision(_ plan: ProvisioningPlan) async throws -> ProvisionedRepository {
            let (client, manager) = (client, manager)
            return try await clock.run {
                try await RepositoryProvisioning.provision(plan, client: client, manager: manager)
            }
        }

        /// The mutating requests the mock received, as `METHOD path`.
        func mutations() async -> [String] {
            await mock.journalEntries().filter { $0.method != "GET" }.map { "\($0.method) \($0.path)" }
        }
    }

    static func plan(teams: [ProvisioningPlan.TeamGrant]) -> ProvisioningPlan {
        ProvisioningPlan(
            org: "moko-lab", name: "billing-api", requiredApprovals: 2, teams: teams,
            issueTitles: ["Set up CI", "Write the README", "Add CODEOWNERS"],
            hookURL: "https://hooks.example.com/billing")
    }

    /// The second team does not exist: its grant gets a 404 after the first grant succeeded.
    static let failingTeams: [ProvisioningPlan.TeamGrant] = [
        .init(slug: "platform", permission: .push), .init(slug: "release-managers", permission: .maintain),
    ]

    func test1_allFiveStepsCreateTheRepositoryWithEverythingInIt() async throws {
        let lab = try await Lab.make()
        let result = try await lab.provision(Self.plan(teams: [.init(slug: "platform", permission: .push)]))
        let state = await lab.mock.dumpState()
        let repo = try XCTUnwrap(
            state.repos.first { $0.fullName == "moko-lab/billing-api" },
            "The repository should have been created. Run `lab hint 3.3`.")
        XCTAssertNotNil(repo.protections["main"], "`main` should be protected. Run `lab hint 3.3`.")
        XCTAssertEqual(
            state.teams.first { $0.slug == "platform" }?.repoPermissions[String(repo.id)], "push",
            "The team `platform` should have push access. Run `lab hint 3.3`.")
        XCTAssertEqual(
            repo.issues.map(\.title), ["Set up CI", "Write the README", "Add CODEOWNERS"],
            "The three starter issues should be open, in order. Run `lab hint 3.3`.")
        XCTAssertEqual(
            repo.hooks.map { $0.config["url"] }, ["https://hooks.example.com/billing"],
            "One webhook to the plan's URL should exist. Run `lab hint 3.3`.")
        XCTAssertEqual(
            result,
            ProvisionedRepository(
                fullName: "moko-lab/billing-api", teams: ["platform"], issueNumbers: repo.issues.map(\.number),
                hookID: repo.hooks.first?.id ?? -1),
            "The result should describe what was created. Run `lab hint 3.3`.")
    }

    func test2_aFailureAtStep3CompensatesSteps2And1InReverse() async throws {
        let lab = try await Lab.make()
        do {
            _ = try await lab.provision(Self.plan(teams: Self.failingTeams))
            XCTFail("The grant for a missing team fails, so `provision` should throw. Run `lab hint 3.3`.")
        } catch let error as TransactionFailed {
            XCTAssertEqual(
                error.failedOperation, "add_team_access", "The failed operation should be step 3. Run `lab hint 3.3`.")
        }
        let repoPath = "/repos/moko-lab/billing-api"
        let mutations = await lab.mutations()
        XCTAssertEqual(
            mutations,
            [
                "POST /orgs/moko-lab/repos",
                "PUT \(repoPath)/branches/main/protection",
                "PUT /orgs/moko-lab/teams/platform\(repoPath)",
                "PUT /orgs/moko-lab/teams/release-managers\(repoPath)",
                // Compensation: step 3's own half (the first grant), then step 2, then step 1.
                "DELETE /orgs/moko-lab/teams/platform\(repoPath)",
                "DELETE \(repoPath)/branches/main/protection",
                "DELETE \(repoPath)",
            ],
            "After step 3 failed, the mock should see the grant that did succeed revoked, then the protection "
                + "removed, then the repository deleted, and nothing else. Run `lab hint 3.3`.")
    }

    func test3_afterTheFailureTheMockIsExactlyAsItWas() async throws {
        let lab = try await Lab.make()
        let before = await lab.mock.dumpState()
        do {
            _ = try await lab.provision(Self.plan(teams: Self.failingTeams))
            XCTFail("The grant for a missing team fails, so `provision` should throw. Run `lab hint 3.3`.")
        } catch is TransactionFailed {}
        var after = await lab.mock.dumpState()
        // Ids and the mutation counter only move forward on GitHub; everything else must be as before.
        after.nextID = before.nextID
        after.mutationCounter = before.mutationCounter
        XCTAssertEqual(
            after.repos.map(\.fullName), before.repos.map(\.fullName),
            "A repository was left behind. Run `lab hint 3.3`.")
        XCTAssertTrue(after.teams == before.teams, "Team access was left behind. Run `lab hint 3.3`.")
        XCTAssertTrue(after == before, "The mock's state should equal its state before the run. Run `lab hint 3.3`.")
    }

    func test4_theHistoryRecordsTheTransactionAsRolledBack() async throws {
        let lab = try await Lab.make()
        do {
            _ = try await lab.provision(Self.plan(teams: Self.failingTeams))
            XCTFail("The grant for a missing team fails, so `provision` should throw. Run `lab hint 3.3`.")
        } catch is TransactionFailed {}
        let record = try XCTUnwrap(
            lab.manager.getHistory().last,
            "The history is empty: run the steps in one transaction begun with the manager. Run `lab hint 3.3`.")
        XCTAssertEqual(
            record.name, "provision_billing-api", "Name the transaction `provision_<name>`. Run `lab hint 3.3`.")
        XCTAssertEqual(record.status, .rolledBack, "The transaction should be rolled back. Run `lab hint 3.3`.")
        XCTAssertEqual(
            record.operations.map(\.name), RepositoryProvisioning.stepNames,
            "The transaction should hold the five operations named in `stepNames`, in order. Run `lab hint 3.3`.")
        XCTAssertEqual(
            record.operations.map(\.outcome).prefix(2), [.rolledBack, .rolledBack],
            "Steps 1 and 2 should be recorded as rolled back. Run `lab hint 3.3`.")
        XCTAssertEqual(
            record.operations.map(\.outcome).suffix(2), [.notRun, .notRun],
            "Steps 4 and 5 should never have run. Run `lab hint 3.3`.")
    }
}
