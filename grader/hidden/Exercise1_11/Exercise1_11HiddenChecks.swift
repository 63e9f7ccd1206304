import ArgumentParser
import Exercise1_11
import ExerciseSupport
import Foundation
import Logging
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import Synchronization
import XCTest

/// Hidden checks for Exercise 1.11.
///
/// Each check builds a seeded mock GitHub (a generated organization with a generated number of
/// repositories) and a fault plan, runs the script through `CliFramework.run` on a `ManualClock`, and
/// compares the output, the exit code, the metrics, the audit trail and the mock's journal with what the
/// plan implies. Messages never show the generated names or numbers; logs are discarded (an error logged
/// by the framework would name the generated org).
final class Exercise1_11HiddenChecks: XCTestCase {
    private var directories: [TemporaryDirectory] = []

    override func tearDown() {
        for directory in directories { directory.remove() }
        directories = []
        super.tearDown()
    }

    func test1_randomOrgsWithTransientFailuresAreCountedAfterRetries() async throws {
        var random = CheckRandomGenerator(seed: 11_101)
        for _ in 0..<6 {
            let org = Self.orgName(&random)
            let repos = Int.random(in: 0...260, using: &random)
            let failures = Int.random(in: 0...3, using: &random)
            let status = [500, 502, 503, 504][Int.random(in: 0..<4, using: &random)]
            let rig = try await makeRig(org: org, repos: repos, seed: random.next())
            if failures > 0 {
                try await rig.mock.setFaultPlan(
                    .burst(method: "GET", path: "/orgs/*/repos", status: status, occurrences: 1...failures))
            }
            let run = try await rig.run(["--org", org])
            XCTAssertTrue(run.code == .success, "A run with transient failures did not exit 0. Run `lab hint 1.11`.")
            XCTAssertTrue(
                run.output == "Found \(repos) repositories in \(org)\n",
                "A run did not print exactly `Found N repositories in ORG` for a generated org. Run `lab hint 1.11`.")
            XCTAssertTrue(
                rig.services.metrics.getCounter(IntegratedScript.apiCallsMetric) == Double(failures + 1),
                "`api_calls_total` does not count every attempt of the listing. Run `lab hint 1.11`.")
            XCTAssertTrue(
                rig.services.metrics.getGauge(IntegratedScript.repositoriesFoundMetric) == Double(repos),
                "`repositories_found` does not hold the number of repositories. Run `lab hint 1.11`.")
            let events = try Self.records(rig).filter { $0.eventType == .event }
            XCTAssertTrue(
                events.last?.details
                    == ["org": .string(org), "count": .int(repos), "attempts": .int(failures + 1)],
                "The `complete` event does not record the org, the count and the attempts. Run `lab hint 1.11`.")
            XCTAssertTrue(
                rig.clock.requestedSleeps.count == failures,
                "The script did not wait once per retry on the services' clock. Run `lab hint 1.11`.")
        }
    }

    func test2_aFailureOnALaterPageRestartsTheListingWithoutDuplicates() async throws {
        let rig = try await makeRig(org: "paged-org", repos: 250, seed: 7)
        try await rig.mock.setFaultPlan(
            MockFaultPlan(rules: [
                .init(
                    id: "page-two", match: .init(method: "GET"), when: .init(nth: [2]),
                    action: .init(type: "status", status: 502))
            ]))
        let run = try await rig.run(["--org", "paged-org"])
        XCTAssertTrue(
            run.code == .success && run.output == "Found 250 repositories in paged-org\n",
            "A 502 on the second page was not retried into the right count. Run `lab hint 1.11`.")
        XCTAssertTrue(
            rig.services.metrics.getCounter(IntegratedScript.apiCallsMetric) == 2,
            "A listing that failed on a later page and was retried should count two attempts. Run `lab hint 1.11`.")
    }

    func test3_aPersistentOutageFailsAfterThreeRetriesAndIsAudited() async throws {
        let rig = try await makeRig(org: "down-org", repos: 20, seed: 8)
        try await rig.mock.setFaultPlan(
            MockFaultPlan(rules: [
                .init(id: "outage", match: .init(method: "GET"), action: .init(type: "status", status: 503))
            ]))
        let run = try await rig.run(["--org", "down-org"])
        XCTAssertTrue(run.code == .failure, "A run during an outage did not exit 1. Run `lab hint 1.11`.")
        XCTAssertTrue(run.output.isEmpty, "A failed run still printed a result. Run `lab hint 1.11`.")
        let requests = await rig.mock.journalEntries().count
        XCTAssertTrue(
            requests == 4,
            "An outage should cost exactly 4 requests (1 + 3 retries by the script, none by the client). "
                + "Run `lab hint 1.11`.")
        XCTAssertTrue(
            rig.services.metrics.getCounter(IntegratedScript.apiCallsMetric) == 4,
            "`api_calls_total` should count the 4 failed attempts. Run `lab hint 1.11`.")
        let records = try Self.records(rig)
        XCTAssertTrue(
            records.map(\.eventType) == [.transactionStart, .event, .transactionEnd],
            "A failed run should leave the transaction start, the `start` event and the end. Run `lab hint 1.11`.")
        XCTAssertTrue(
            records.last?.outcome == .failure,
            "A failed run's transaction did not end as a failure. "
                + "Run `lab hint 1.11`.")
        XCTAssertTrue(
            rig.services.metrics.getGauge(IntegratedScript.repositoriesFoundMetric) == nil,
            "A failed listing still set `repositories_found`. Run `lab hint 1.11`.")
    }

    func test4_aMissingOrgIsNotRetried() async throws {
        let rig = try await makeRig(org: "real-org", repos: 5, seed: 9)
        let run = try await rig.run(["--org", "no-such-org"])
        XCTAssertTrue(run.code == .failure, "Listing an org that does not exist did not exit 1. Run `lab hint 1.11`.")
        let requests = await rig.mock.journalEntries().count
        XCTAssertTrue(
            requests == 1,
            "A 404 is permanent: it must not be retried. Run `lab hint 1.11`.")
        XCTAssertTrue(
            rig.clock.requestedSleeps.isEmpty, "The script waited after a permanent error. Run `lab hint 1.11`.")
    }

    func test5_orgNamesAreValidatedBeforeAnyRequest() {
        var random = CheckRandomGenerator(seed: 11_105)
        for _ in 0..<20 {
            let org = Self.orgName(&random)
            XCTAssertTrue(
                Self.exitCode(parsing: ["--org", org]) == 0,
                "A valid generated org was rejected. "
                    + "Run `lab hint 1.11`.")
            for invalid in [
                "-" + org, org + "-", String(org.prefix(2)) + "--" + String(org.dropFirst(2)), org + " x",
                org + "/repo",
                String(repeating: "a", count: 40), "",
            ] {
                XCTAssertTrue(
                    Self.exitCode(parsing: ["--org", invalid]) == 64,
                    "An invalid org name was not rejected with exit 64. Run `lab hint 1.11`.")
            }
        }
        XCTAssertTrue(Self.exitCode(parsing: []) == 64, "A missing `--org` did not exit 64. Run `lab hint 1.11`.")
    }

    func test6_theClientLeavesRetriesToTheScript() async throws {
        let rig = try await makeRig(org: "solo-org", repos: 3, seed: 10)
        try await rig.mock.setFaultPlan(.burst(method: "GET", path: "/orgs/*/repos", status: 503, occurrences: 1...1))
        let client = rig.services.client
        let clock = rig.clock
        let outcome = try await clock.run { () async throws -> String in
            do {
                _ = try await client.listRepos(org: "solo-org").collect()
                return "no error"
            } catch let error as GitHubAPIError {
                return error.statusCode == 503 ? "503" : "other status"
            } catch {
                return "other error"
            }
        }
        let requests = await rig.mock.journalEntries().count
        XCTAssertTrue(
            outcome == "503" && requests == 1,
            "The services' client retried a 503 by itself (or hid it): give it `RetryPolicy(maxRetries: 0)`. "
                + "Run `lab hint 1.11`.")
        XCTAssertTrue(
            rig.services.audit.service == ScriptServices.serviceName
                && rig.services.retryPolicy.maxRetries == 3,
            "The services are not named `integrated_script` or the script's policy is not 3 retries. "
                + "Run `lab hint 1.11`.")
    }

    // MARK: - Rig

    private struct Rig {
        let mock: MockGitHub
        let clock: ManualClock
        let services: ScriptServices

        func run(_ arguments: [String]) async throws -> (code: CLIExitCode, output: String) {
            let command: IntegratedScript
            do {
                command = try IntegratedScript.parse(arguments)
            } catch {
                throw HiddenCheckFailure(
                    "Valid arguments were rejected with exit code "
                        + "\(IntegratedScript.exitCode(for: error).rawValue); declare `--org` as the README says",
                    exercise: "1.11")
            }
            let output = Exercise1_11HiddenOutput()
            let context = try CLIContext(
                options: command.standardOptions, commandName: "integrated-script", environment: [:],
                wallClock: clock, logHandler: SwiftLogNoOpLogHandler(), output: { output.write($0) })
            let services = services
            let clock = clock
            let code = try await ScriptServices.$factory.withValue({ _ in services }) {
                try await clock.run {
                    await CliFramework.run(command, context: context, interrupts: AsyncStream { $0.finish() })
                }
            }
            return (code, output.text)
        }
    }

    private func makeRig(org: String, repos: Int, seed: UInt64) async throws -> Rig {
        let directory = try TemporaryDirectory(prefix: "exercise1_11-hidden")
        directories.append(directory)
        let fixture = MockFixture(
            users: [MockFixture.User(login: "mona")],
            orgs: [MockFixture.Org(login: org, members: ["mona": "admin"], generatedRepos: repos)])
        let mock = MockGitHub(configuration: .init(seed: seed, fixture: fixture))
        let found = await mock.token(for: "mona")
        let token = try XCTUnwrap(found)
        let clock = ManualClock()
        do {
            let services = try ScriptServices.make(
                token: token, auditDirectory: directory.url, transport: MockGitHubTransport(mock: mock), clock: clock,
                wallClock: clock)
            return Rig(mock: mock, clock: clock, services: services)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "ScriptServices.make", exercise: "1.11")
        }
    }

    private static func records(_ rig: Rig) throws -> [AuditRecord] {
        try rig.services.audit.records()
    }

    private static func orgName(_ random: inout CheckRandomGenerator) -> String {
        let first = random.word(
            length: Int.random(in: 2...8, using: &random), alphabet: "abcdefghijklmnopqrstuvwxyz0123456789")
        let second = random.word(length: Int.random(in: 2...8, using: &random))
        return Bool.random(using: &random) ? first : first + "-" + second
    }

    private static func exitCode(parsing arguments: [String]) -> Int32 {
        do {
            _ = try IntegratedScript.parse(arguments)
            return 0
        } catch {
            return IntegratedScript.exitCode(for: error).rawValue
        }
    }
}

/// Collects what the script writes.
final class Exercise1_11HiddenOutput: Sendable {
    private let buffer = Mutex("")

    var text: String { buffer.withLock { $0 } }

    func write(_ text: String) { buffer.withLock { $0 += text } }
}
