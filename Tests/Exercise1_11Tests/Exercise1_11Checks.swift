import ArgumentParser
import Exercise1_11
import Foundation
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import Synchronization
import XCTest

/// Checks for Exercise 1.11, the integrated script. Run them with
/// `swift test --disable-swift-testing --filter Exercise1_11Tests` (`Exercise1_1` would also run 1.1 and 1.10).
///
/// The script talks to the mock GitHub server in-process (organization `moko-lab`, 130 repositories: two
/// pages) through `MockGitHubTransport`; every wait goes through a `ManualClock` that `clock.run` moves
/// forward, so nothing waits in real time. The mock answers the first request with a 503, once.
final class Exercise1_11Checks: XCTestCase {
    private var directory: TemporaryDirectory?

    override func tearDown() {
        directory?.remove()
        super.tearDown()
    }

    func test1_servicesAreBuiltForTheScript() async throws {
        let rig = try await makeRig(transientFailures: 0)
        XCTAssertEqual(
            rig.services.audit.service, ScriptServices.serviceName,
            "The audit logger should be named `integrated_script`. Run `lab hint 1.11`.")
        XCTAssertTrue(rig.services.client.isAuthenticated, "The client should send the token. Run `lab hint 1.11`.")
        XCTAssertEqual(
            rig.services.retryPolicy.maxRetries, 3, "The script should retry up to 3 times. Run `lab hint 1.11`.")
    }

    func test2_printsHowManyRepositoriesTheOrgHas() async throws {
        let rig = try await makeRig(transientFailures: 0)
        let run = try await rig.run(["--org", "moko-lab"])
        XCTAssertEqual(
            run.output, "Found 130 repositories in moko-lab\n",
            "The script should print `Found 130 repositories in moko-lab` (every page of the listing). "
                + "Run `lab hint 1.11`.")
        XCTAssertEqual(run.code, .success, "The run should exit 0. Run `lab hint 1.11`.")
    }

    func test3_aMissingOrInvalidOrgIsAUsageError() {
        for arguments in [[], ["--org", "not an org"], ["--org", "-moko"]] {
            do {
                _ = try IntegratedScript.parse(arguments)
                XCTFail(
                    "`integrated-script \(arguments.joined(separator: " "))` was accepted; `--org` is required and "
                        + "must be a valid GitHub organization name. Run `lab hint 1.11`.")
            } catch {
                XCTAssertEqual(
                    IntegratedScript.exitCode(for: error).rawValue, 64,
                    "A missing or invalid `--org` should exit 64. Run `lab hint 1.11`.")
            }
        }
    }

    func test4_aTransient503IsRetriedAndTheRunExitsZero() async throws {
        let rig = try await makeRig(transientFailures: 1)
        let run = try await rig.run(["--org", "moko-lab"])
        XCTAssertEqual(
            run.code, .success,
            "One 503 should be retried and the run should exit 0; the error is logged above. Run `lab hint 1.11`.")
        XCTAssertEqual(
            run.output, "Found 130 repositories in moko-lab\n",
            "After the retry the script should print the full count. Run `lab hint 1.11`.")
        let statuses = await rig.mock.journalEntries().map(\.status)
        XCTAssertEqual(
            statuses, [503, 200, 200],
            "The mock should see the 503, then the two pages once each: retry with `retryWithBackoff` in the script "
                + "and keep the client's own retries off. Run `lab hint 1.11`.")
        XCTAssertFalse(
            rig.clock.requestedSleeps.isEmpty, "The retry should wait through `services.clock`. Run `lab hint 1.11`.")
    }

    func test5_metricsCountEveryAttemptAndTheRepositoriesFound() async throws {
        let rig = try await makeRig(transientFailures: 1)
        _ = try await rig.run(["--org", "moko-lab"])
        XCTAssertEqual(
            rig.services.metrics.getCounter(IntegratedScript.apiCallsMetric), 2,
            "`api_calls_total` should count both attempts (the failed one and the retry). Run `lab hint 1.11`.")
        XCTAssertEqual(
            rig.services.metrics.getGauge(IntegratedScript.repositoriesFoundMetric), 130,
            "`repositories_found` should be 130. Run `lab hint 1.11`.")
    }

    func test6_auditHoldsTheTransactionWithItsEvents() async throws {
        let rig = try await makeRig(transientFailures: 1)
        _ = try await rig.run(["--org", "moko-lab"])
        let records = try rig.services.audit.records()
        XCTAssertEqual(
            records.map(\.eventType), [.transactionStart, .event, .event, .transactionEnd],
            "The audit should hold the transaction's start, two events and its end. Run `lab hint 1.11`.")
        XCTAssertEqual(
            records.first?.name, IntegratedScript.transactionName,
            "The transaction should be named `fetch_repositories`. Run `lab hint 1.11`.")
        XCTAssertEqual(
            records.first?.details["org"], .string("moko-lab"),
            "The transaction's metadata should name the org. Run `lab hint 1.11`.")
        let events = records.filter { $0.eventType == .event }
        XCTAssertEqual(events.map(\.name), ["start", "complete"], "The events should be `start` then `complete`.")
        XCTAssertEqual(
            events.last?.details, ["org": .string("moko-lab"), "count": .int(130), "attempts": .int(2)],
            "`complete` should record the org, the count and the attempts. Run `lab hint 1.11`.")
        XCTAssertEqual(
            records.last?.outcome, .success, "The transaction should end with success. Run `lab hint 1.11`.")
    }

    // MARK: - Rig

    /// The mock, the clock and the services wired to them.
    private struct Rig {
        let mock: MockGitHub
        let clock: ManualClock
        let services: ScriptServices

        /// Parses `arguments` and runs the script through `CliFramework.run` with these services.
        func run(_ arguments: [String]) async throws -> (code: CLIExitCode, output: String) {
            let command: IntegratedScript
            do {
                command = try IntegratedScript.parse(arguments)
            } catch {
                throw Exercise1_11CheckFailure(
                    "`integrated-script \(arguments.joined(separator: " "))` was rejected: "
                        + "\(IntegratedScript.message(for: error)). Declare `--org` — see the TODO in "
                        + "IntegratedScript.swift; run `lab hint 1.11`.")
            }
            let output = Exercise1_11Output()
            let context = try CLIContext(
                options: command.standardOptions, commandName: "integrated-script", environment: [:],
                wallClock: clock, output: { output.write($0) })
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

    private func makeRig(transientFailures: Int) async throws -> Rig {
        let directory = try TemporaryDirectory(prefix: "exercise1_11")
        self.directory = directory
        let mock = MockGitHub(configuration: .init(seed: 111, fixture: .standard(repos: 130)))
        if transientFailures > 0 {
            try await mock.setFaultPlan(
                .burst(method: "GET", path: "/orgs/*/repos", status: 503, occurrences: 1...transientFailures))
        }
        let found = await mock.token(for: "mona")
        let token = try XCTUnwrap(found)
        let clock = ManualClock()
        let services = try ScriptServices.make(
            token: token, auditDirectory: directory.url, transport: MockGitHubTransport(mock: mock), clock: clock,
            wallClock: clock)
        return Rig(mock: mock, clock: clock, services: services)
    }
}

/// Collects what the script writes.
final class Exercise1_11Output: Sendable {
    private let buffer = Mutex("")

    /// Everything written so far.
    var text: String { buffer.withLock { $0 } }

    /// Appends text.
    func write(_ text: String) { buffer.withLock { $0 += text } }
}

/// A check's own failure, thrown so the test stops with a clear message.
struct Exercise1_11CheckFailure: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    var description: String

    init(_ description: String) { self.description = description }
}
