import XCTest

@testable import GraderKit

/// The verdicts of the resilience and performance scenarios on made-up journals, states and violations.
final class CapstoneScenarioJudgeTests: XCTestCase {
    private typealias Evidence = CapstoneEvidence
    private typealias Line = CapstoneEvidence.JournalLine

    /// Two repositories, both in line with the policy.
    private func compliant(names: [String] = ["a", "b"], archived: [String] = []) -> Evidence.State {
        let repos = (names + archived).enumerated().map { index, name in
            Evidence.State.Repo(
                id: index + 1, name: name, ownerLogin: "moko-lab", archived: archived.contains(name), hasIssues: true,
                hasWiki: false, hasProjects: false, defaultBranch: "main",
                protections: [
                    "main": .init(
                        enforceAdmins: true, reviews: .init(dismissStaleReviews: true, requiredApprovingReviewCount: 1))
                ])
        }
        return Evidence.State(
            repos: repos,
            teams: [
                .init(
                    slug: "platform",
                    repoPermissions: Dictionary(uniqueKeysWithValues: repos.map { (String($0.id), "maintain") }))
            ])
    }

    /// The same repositories with `b` still wiki-enabled.
    private func outOfLine() -> Evidence.State {
        var state = compliant()
        state.repos[1].hasWiki = true
        return state
    }

    /// Journal lines numbered from `start`.
    private func journal(_ lines: [(String, String, Int)], from start: Int = 1) -> [Line] {
        lines.enumerated().map { index, line in
            Line(seq: start + index, method: line.0, path: line.1, status: line.2)
        }
    }

    private func single(
        _ name: String, exit: Int32? = 0, lines: [Line], state: Evidence.State?, violations: [Evidence.Violation]? = [],
        quotaReset: Int? = nil
    ) -> Evidence {
        Evidence(
            runs: [.init(name: name, exitCode: exit, journalBefore: 0, journalAfter: lines.count)], journal: lines,
            state: state, violations: violations, quotaReset: quotaReset)
    }

    // MARK: 5xx burst

    private let repoA = "/repos/moko-lab/a"

    func test_burstPassesWhenRetriedWithinTheLimitAndInLine() {
        let lines = journal([
            ("GET", "/orgs/moko-lab/repos", 200), ("GET", repoA, 502), ("GET", repoA, 502), ("GET", repoA, 502),
            ("GET", repoA, 200), ("PUT", repoA + "/branches/main/protection", 503),
            ("PUT", repoA + "/branches/main/protection", 200),
        ])
        XCTAssertEqual(CapstoneJudge.judge(.serverErrorBurst, single("burst", lines: lines, state: compliant())), .pass)
        // Retried, but the run did not end in line.
        let late = CapstoneJudge.judge(.serverErrorBurst, single("burst", lines: lines, state: outOfLine()))
        XCTAssertTrue(late.message?.contains("b (has_wiki)") ?? false, late.message ?? "")
        // Not retried: the run gave up (exit 1).
        let gaveUp = journal([("GET", "/orgs/moko-lab/repos", 200), ("GET", repoA, 502)])
        let noRetry = CapstoneJudge.judge(
            .serverErrorBurst, single("burst", exit: 1, lines: gaveUp, state: outOfLine()))
        XCTAssertEqual(noRetry.message, "5xx burst: moko-project exited 1; expected 0")
        // Exit 0 although a request that got a 5xx was never answered properly.
        let dropped = CapstoneJudge.judge(.serverErrorBurst, single("burst", lines: gaveUp, state: compliant()))
        XCTAssertTrue(dropped.message?.contains("GET /repos/moko-lab/a got a 5xx and was never retried") ?? false)
    }

    func test_burstFailsOnARetryStormAndWhenNoFaultWasServed() {
        let storm =
            journal([("GET", "/orgs/moko-lab/repos", 200)] + Array(repeating: ("GET", repoA, 502), count: 5))
            + journal([("GET", repoA, 200)], from: 7)
        let verdict = CapstoneJudge.judge(.serverErrorBurst, single("burst", lines: storm, state: compliant()))
        XCTAssertTrue(
            verdict.message?.contains("sent 6 times in a row after 5xx answers") ?? false, verdict.message ?? "")
        // Five attempts (four retries) are allowed.
        let five =
            journal([("GET", "/orgs/moko-lab/repos", 200)] + Array(repeating: ("GET", repoA, 502), count: 4))
            + journal([("GET", repoA, 200)], from: 6)
        XCTAssertEqual(CapstoneJudge.judge(.serverErrorBurst, single("burst", lines: five, state: compliant())), .pass)
        let calm = journal([("GET", "/orgs/moko-lab/repos", 200), ("GET", repoA, 200)])
        XCTAssertTrue(
            CapstoneJudge.judge(.serverErrorBurst, single("burst", lines: calm, state: compliant())).message?.contains(
                "served no 5xx") ?? false)
    }

    // MARK: quota reset

    /// A request at `second` (relative to 1,000 s since 1970) answered with `remaining` and a reset at 1,003 s.
    private func quotaLine(_ seq: Int, at second: Double, remaining: Int, status: Int = 200) -> Line {
        Line(
            seq: seq, method: "GET", path: repoA, status: status, vt: Int((1_000 + second) * 1_000),
            responseHeaders: ["x-ratelimit-remaining": String(remaining), "x-ratelimit-reset": "1003"])
    }

    func test_quotaPassesWhenTheRunWaitsForTheReset() {
        let waited = [
            quotaLine(1, at: 0, remaining: 1), quotaLine(2, at: 0.1, remaining: 0),
            quotaLine(3, at: 4, remaining: 4999),
        ]
        XCTAssertEqual(
            CapstoneJudge.judge(.quotaReset, single("quota", lines: waited, state: compliant(), quotaReset: 1_003)),
            .pass)
    }

    func test_quotaFailsOnARequestWhileExhaustedAViolationOrNoReset() {
        let hammered = [
            quotaLine(1, at: 0, remaining: 0), quotaLine(2, at: 0.5, remaining: 0, status: 403),
            quotaLine(3, at: 4, remaining: 4999),
        ]
        let verdict = CapstoneJudge.judge(
            .quotaReset, single("quota", lines: hammered, state: compliant(), quotaReset: 1_003))
        XCTAssertTrue(
            verdict.message?.contains("request 2 (GET /repos/moko-lab/a) sent 2.5 s before") ?? false,
            verdict.message ?? "")
        let waited = [quotaLine(1, at: 0, remaining: 0), quotaLine(2, at: 4, remaining: 4999)]
        let flagged = Evidence.Violation(rule: "retry-before-retry-after", message: "too early")
        XCTAssertEqual(
            CapstoneJudge.judge(
                .quotaReset,
                single("quota", lines: waited, state: compliant(), violations: [flagged], quotaReset: 1_003)
            ).message, "quota reset: the mock recorded retry-before-retry-after: too early")
        // Other violations are other scenarios' business.
        let spacing = Evidence.Violation(rule: "mutation-spacing", message: "close")
        XCTAssertEqual(
            CapstoneJudge.judge(
                .quotaReset,
                single("quota", lines: waited, state: compliant(), violations: [spacing], quotaReset: 1_003)),
            .pass)
        let early = [quotaLine(1, at: 0, remaining: 3)]
        XCTAssertTrue(
            CapstoneJudge.judge(.quotaReset, single("quota", lines: early, state: compliant(), quotaReset: 1_003))
                .message?.contains("no request after the quota's reset") ?? false)
        XCTAssertFalse(CapstoneJudge.judge(.quotaReset, single("quota", lines: waited, state: compliant())).passed)
        XCTAssertFalse(
            CapstoneJudge.judge(
                .quotaReset, single("quota", exit: 1, lines: waited, state: compliant(), quotaReset: 1_003)
            ).passed)
    }

    // MARK: persistent outage

    private func outage(failed: Int, exit: Int32? = 75, mutation: Int? = nil) -> Evidence {
        var lines = [Line(seq: 1, method: "GET", path: "/orgs/moko-lab/repos", status: 200)]
        for index in 0..<failed {
            lines.append(Line(seq: lines.count + 1, method: "GET", path: repoA, status: 503, fault: "outage-repos"))
            if index == 0, let mutation {
                lines.append(
                    Line(seq: lines.count + 1, method: "PUT", path: "/orgs/moko-lab/teams/x", status: mutation))
            }
        }
        return single("outage", exit: exit, lines: lines, state: outOfLine())
    }

    func test_outagePassesWhenTheBreakerStopsTheCallsAndTheRunFails() {
        XCTAssertEqual(CapstoneJudge.outageRequestBound, 9)
        XCTAssertEqual(CapstoneJudge.judge(.outageBreaker, outage(failed: 5)), .pass)
        XCTAssertEqual(CapstoneJudge.judge(.outageBreaker, outage(failed: 9, exit: 1)), .pass)
        // A failed mutation changed nothing.
        XCTAssertEqual(CapstoneJudge.judge(.outageBreaker, outage(failed: 5, mutation: 503)), .pass)
    }

    func test_outageFailsWithoutABreakerOnExitZeroOrAChange() {
        let storm = CapstoneJudge.judge(.outageBreaker, outage(failed: 30))
        XCTAssertTrue(storm.message?.contains("30 requests to failing endpoints") ?? false, storm.message ?? "")
        XCTAssertTrue(
            CapstoneJudge.judge(.outageBreaker, outage(failed: 5, exit: 0)).message?.contains("exited 0") ?? false)
        XCTAssertEqual(
            CapstoneJudge.judge(.outageBreaker, outage(failed: 5, exit: nil)).message,
            "persistent outage: moko-project did not finish")
        XCTAssertTrue(
            CapstoneJudge.judge(.outageBreaker, outage(failed: 0)).message?.contains("no request") ?? false)
        XCTAssertTrue(
            CapstoneJudge.judge(.outageBreaker, outage(failed: 3, mutation: 204)).message?.contains("half-changed")
                ?? false)
    }

    // MARK: kill and resume

    private func killed(
        first: [(String, String, Int)], resume: [(String, String, Int)], killed: Bool = true, resumeExit: Int32 = 0,
        state: Evidence.State? = nil
    ) -> Evidence {
        let firstLines = journal(first)
        let resumeLines = journal(resume, from: firstLines.count + 1)
        return Evidence(
            runs: [
                .init(
                    name: "first", exitCode: killed ? 137 : 0, journalBefore: 0, journalAfter: firstLines.count,
                    killed: killed),
                .init(
                    name: "resume", exitCode: resumeExit, journalBefore: firstLines.count,
                    journalAfter: firstLines.count + resumeLines.count),
            ],
            journal: firstLines + resumeLines, state: state ?? compliant(), violations: [])
    }

    private let protectA = "/repos/moko-lab/a/branches/main/protection"

    func test_killResumePassesWhenTheSecondRunDoesOnlyWhatIsLeft() {
        let verdict = CapstoneJudge.judge(
            .killResume,
            killed(
                first: [("GET", repoA, 200), ("PATCH", repoA, 200), ("PUT", protectA, 503)],
                resume: [("GET", repoA, 200), ("PUT", protectA, 200), ("PATCH", "/repos/moko-lab/b", 200)]))
        // The protection update failed in the first run, so sending it again is no repetition.
        XCTAssertEqual(verdict, .pass)
    }

    func test_killResumeFailsOnARepeatedChangeALeftRepositoryOrNoKill() {
        let repeated = CapstoneJudge.judge(
            .killResume,
            killed(
                first: [("PATCH", repoA, 200), ("PUT", protectA, 200)],
                resume: [("PATCH", repoA, 200), ("PUT", protectA, 200), ("PATCH", "/repos/moko-lab/b", 200)]))
        XCTAssertTrue(
            repeated.message?.contains("2 change(s) the killed run had completed were sent again; first: PATCH")
                ?? false, repeated.message ?? "")
        let left = CapstoneJudge.judge(
            .killResume, killed(first: [("PATCH", repoA, 200)], resume: [], state: outOfLine()))
        XCTAssertTrue(left.message?.contains("b (has_wiki)") ?? false, left.message ?? "")
        let notKilled = CapstoneJudge.judge(
            .killResume, killed(first: [("PATCH", repoA, 200)], resume: [], killed: false))
        XCTAssertTrue(notKilled.message?.contains("could not be killed mid-run") ?? false)
        XCTAssertFalse(
            CapstoneJudge.judge(.killResume, killed(first: [("PATCH", repoA, 200)], resume: [], resumeExit: 1)).passed)
        XCTAssertTrue(
            CapstoneJudge.judge(.killResume, killed(first: [("GET", repoA, 200)], resume: [])).message?.contains(
                "changed nothing") ?? false)
    }

    // MARK: conditional requests

    private func get(_ seq: Int, _ path: String, status: Int, etag: Bool = true, conditional: Bool = false) -> Line {
        Line(
            seq: seq, method: "GET", path: path, status: status, query: "",
            headers: conditional ? ["if-none-match": "\"e\""] : [:], responseHeaders: etag ? ["etag": "\"e\""] : [:])
    }

    private func twoRuns(_ first: [Line], _ second: [Line], violations: [Evidence.Violation] = []) -> Evidence {
        Evidence(
            runs: [
                .init(name: "first", exitCode: 0, journalBefore: 0, journalAfter: first.count),
                .init(
                    name: "second", exitCode: 0, journalBefore: first.count, journalAfter: first.count + second.count),
            ],
            journal: first + second, state: compliant(), violations: violations)
    }

    func test_conditionalPassesWhenEveryRepeatedFetchRevalidates() {
        let first = [get(1, repoA, status: 200), get(2, protectA, status: 404, etag: false)]
        // The 404 carried no ETag: fetching it again unconditionally is fine.
        let second = [get(3, repoA, status: 304, conditional: true), get(4, protectA, status: 404, etag: false)]
        XCTAssertEqual(CapstoneJudge.judge(.conditionalRequests, twoRuns(first, second)), .pass)
    }

    func test_conditionalFailsOnAnUnconditionalRefetchNo304OrTheViolation() {
        let first = [get(1, repoA, status: 200), get(2, "/repos/moko-lab/b", status: 200)]
        let mixed = [get(3, repoA, status: 304, conditional: true), get(4, "/repos/moko-lab/b", status: 200)]
        let verdict = CapstoneJudge.judge(.conditionalRequests, twoRuns(first, mixed))
        XCTAssertTrue(
            verdict.message?.contains("1 resource(s) again without If-None-Match") ?? false, verdict.message ?? "")
        // Conditional, but the ETags were wrong (never a 304).
        let stale = [get(3, repoA, status: 200, conditional: true)]
        XCTAssertTrue(
            CapstoneJudge.judge(.conditionalRequests, twoRuns(first, stale)).message?.contains("no 304") ?? false)
        let flagged = Evidence.Violation(rule: "missing-conditional", message: "refetched")
        XCTAssertEqual(
            CapstoneJudge.judge(
                .conditionalRequests,
                twoRuns(first, [get(3, repoA, status: 304, conditional: true)], violations: [flagged])
            ).message, "conditional requests: the mock recorded missing-conditional: refetched")
    }

    // MARK: bounded parallelism

    private func parallel(inFlight: [Int], names: [String] = ["a", "b", "c"], exit: Int32 = 0) -> Evidence {
        var lines = [
            Line(seq: 1, method: "GET", path: "/orgs/moko-lab/repos", status: 200, secondary: ["inFlight": 1])
        ]
        for (index, name) in names.enumerated() {
            lines.append(
                Line(
                    seq: lines.count + 1, method: "GET", path: "/repos/moko-lab/\(name)", status: 200,
                    secondary: ["inFlight": inFlight[index % inFlight.count]]))
        }
        return single("parallel", exit: exit, lines: lines, state: compliant(names: ["a", "b", "c"], archived: ["z"]))
    }

    func test_parallelismPassesBetweenTwoAndTheLimitWithEveryRepositoryRead() {
        XCTAssertEqual(CapstoneJudge.judge(.boundedParallelism, parallel(inFlight: [1, 2, 3])), .pass)
        XCTAssertEqual(CapstoneJudge.judge(.boundedParallelism, parallel(inFlight: [2])), .pass)
    }

    func test_parallelismFailsWhenSerialUnboundedOrARepositoryIsUnread() {
        XCTAssertTrue(
            CapstoneJudge.judge(.boundedParallelism, parallel(inFlight: [1])).message?.contains(
                "never more than one request in flight") ?? false)
        XCTAssertEqual(
            CapstoneJudge.judge(.boundedParallelism, parallel(inFlight: [2, 8])).message,
            "bounded parallelism: 8 requests in flight at once with --concurrency 3")
        let unread = CapstoneJudge.judge(.boundedParallelism, parallel(inFlight: [2], names: ["a", "b"]))
        XCTAssertTrue(unread.message?.contains("1 of 3 repositories were never read") ?? false, unread.message ?? "")
        XCTAssertFalse(CapstoneJudge.judge(.boundedParallelism, parallel(inFlight: [2], exit: 1)).passed)
    }

    // MARK: the driver

    func test_driverSetsUpEachScenario() {
        XCTAssertEqual(CapstoneRunner.steps(.killResume).map(\.name), ["first", "resume"])
        XCTAssertEqual(CapstoneRunner.steps(.killResume)[0].killAfterMutations, CapstonePolicy.killAfterMutations)
        XCTAssertEqual(CapstoneRunner.steps(.quotaReset)[0].prelude, .quota)
        XCTAssertTrue(CapstoneRunner.steps(.boundedParallelism)[0].arguments.contains("--dry-run"))
        XCTAssertEqual(CapstonePolicy.repositories(.boundedParallelism), 105)
        for scenario in [CapstoneScenario.serverErrorBurst, .outageBreaker, .boundedParallelism] {
            let plan = CapstonePolicy.faultPlan(scenario) ?? ""
            let object = try? JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [String: Any]
            XCTAssertNotNil(object?["rules"], "\(scenario): \(plan)")
        }
        XCTAssertNil(CapstonePolicy.faultPlan(.normalRun))
    }
}
