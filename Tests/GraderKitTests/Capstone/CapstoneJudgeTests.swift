import XCTest

@testable import GraderKit

final class CapstoneJudgeTests: XCTestCase {
    private typealias Evidence = CapstoneEvidence
    private typealias Line = CapstoneEvidence.JournalLine

    private func repo(
        _ id: Int, wiki: Bool = false, protected: Bool = true, reviews: Int = 1, archived: Bool = false
    ) -> Evidence.State.Repo {
        Evidence.State.Repo(
            id: id, name: "repo-\(id)", ownerLogin: "moko-lab", archived: archived, hasIssues: true, hasWiki: wiki,
            hasProjects: false, defaultBranch: "main",
            protections: protected
                ? [
                    "main": .init(
                        enforceAdmins: true,
                        reviews: .init(dismissStaleReviews: true, requiredApprovingReviewCount: reviews))
                ] : [:])
    }

    private func state(_ repos: [Evidence.State.Repo], team: [Int]? = nil) -> Evidence.State {
        let granted = team ?? repos.map(\.id)
        return Evidence.State(
            repos: repos,
            teams: [
                .init(
                    slug: "platform",
                    repoPermissions: Dictionary(uniqueKeysWithValues: granted.map { (String($0), "maintain") }))
            ])
    }

    private func lines(_ methods: [String]) -> [Line] {
        methods.enumerated().map { index, method in
            let path = index == 0 ? "/orgs/moko-lab/repos" : "/repos/moko-lab/repo-\(index)"
            return Line(seq: index + 1, method: method, path: path, status: 200)
        }
    }

    private func normal(exit: Int32? = 0, state: Evidence.State?, violations: [Evidence.Violation]? = []) -> Evidence {
        Evidence(
            runs: [.init(name: "main", exitCode: exit, journalBefore: 0, journalAfter: 4)],
            journal: lines(["GET", "GET", "PATCH", "PUT"]), state: state, violations: violations)
    }

    func test_normalRunPassesOnlyWhenEveryRepositoryIsInLine() {
        let good = state([repo(1), repo(2), repo(3, wiki: true, protected: false, archived: true)])
        XCTAssertEqual(CapstoneJudge.judge(.normalRun, normal(state: good)), .pass)

        let wiki = CapstoneJudge.judge(.normalRun, normal(state: state([repo(1), repo(2, wiki: true)])))
        XCTAssertFalse(wiki.passed)
        XCTAssertTrue(wiki.message?.contains("repo-2 (has_wiki)") ?? false, wiki.message ?? "")

        let unprotected = CapstoneJudge.judge(.normalRun, normal(state: state([repo(1, protected: false)])))
        XCTAssertTrue(unprotected.message?.contains("no protection on the default branch") ?? false)

        let reviews = CapstoneJudge.judge(.normalRun, normal(state: state([repo(1, reviews: 2)])))
        XCTAssertTrue(reviews.message?.contains("required_approving_review_count") ?? false)

        let team = CapstoneJudge.judge(.normalRun, normal(state: state([repo(1), repo(2)], team: [1])))
        XCTAssertTrue(team.message?.contains("repo-2 (team platform permission)") ?? false, team.message ?? "")
    }

    func test_normalRunNeedsExitZeroRequestsAndNoViolation() {
        let good = state([repo(1)])
        XCTAssertEqual(
            CapstoneJudge.judge(.normalRun, normal(exit: 1, state: good)).message,
            "normal run: moko-project exited 1; expected 0")
        XCTAssertEqual(
            CapstoneJudge.judge(.normalRun, normal(exit: nil, state: good)).message,
            "normal run: moko-project did not finish")
        XCTAssertFalse(CapstoneJudge.judge(.normalRun, normal(state: nil)).passed)
        let violation = Evidence.Violation(rule: "mutation-spacing", message: "Two mutating requests 0.1 s apart")
        let flagged = CapstoneJudge.judge(.normalRun, normal(state: good, violations: [violation]))
        XCTAssertTrue(flagged.message?.contains("mutation-spacing") ?? false)
        // A run that sent nothing cannot have brought anything in line, whatever the state says.
        var silent = normal(state: good)
        silent.journal = []
        XCTAssertTrue(CapstoneJudge.judge(.normalRun, silent).message?.contains("no request") ?? false)
    }

    private func dry(_ methods: [String], stdout: String, exit: Int32 = 0) -> Evidence {
        Evidence(
            runs: [
                .init(name: "dry-run", exitCode: exit, journalBefore: 0, journalAfter: methods.count, stdout: stdout)
            ],
            journal: lines(methods), state: nil, violations: [])
    }

    func test_dryRunFailsOnAnyMutationAndNeedsTheListingAndReport() {
        let report = #"{"dryRun": true, "repositories": [{"repository": "a", "status": "would_update"}]}"#
        XCTAssertEqual(CapstoneJudge.judge(.dryRun, dry(["GET", "GET"], stdout: report)), .pass)
        let mutated = CapstoneJudge.judge(.dryRun, dry(["GET", "GET", "PATCH"], stdout: report))
        XCTAssertTrue(mutated.message?.contains("1 mutating request(s) sent; first: PATCH") ?? false)
        XCTAssertTrue(
            CapstoneJudge.judge(.dryRun, dry([], stdout: report)).message?.contains("never listed") ?? false)
        let nothing = #"{"dryRun": true, "repositories": [{"repository": "a", "status": "compliant"}]}"#
        XCTAssertTrue(
            CapstoneJudge.judge(.dryRun, dry(["GET"], stdout: nothing)).message?.contains("would_update") ?? false)
        XCTAssertFalse(CapstoneJudge.judge(.dryRun, dry(["GET"], stdout: "done")).passed)
        XCTAssertFalse(CapstoneJudge.judge(.dryRun, dry(["GET"], stdout: report, exit: 1)).passed)
    }

    private func malicious(
        exit: (MaliciousCase) -> Int32, requestsIn: String? = nil, controlExit: Int32 = 0
    ) -> Evidence {
        var runs: [Evidence.Run] = []
        var journal: [Line] = []
        for testCase in MaliciousCase.all {
            let before = journal.count
            if testCase.name == requestsIn {
                journal.append(Line(seq: before + 1, method: "GET", path: "/orgs/x/repos", status: 404))
            }
            runs.append(
                .init(name: testCase.name, exitCode: exit(testCase), journalBefore: before, journalAfter: journal.count)
            )
        }
        let before = journal.count
        journal.append(Line(seq: before + 1, method: "GET", path: "/orgs/moko-lab/repos", status: 200))
        runs.append(.init(name: "control", exitCode: controlExit, journalBefore: before, journalAfter: journal.count))
        return Evidence(runs: runs, journal: journal, state: nil, violations: [])
    }

    func test_maliciousInputNeedsTheContractsExitCodesNoRequestAndAWorkingControl() {
        XCTAssertEqual(CapstoneJudge.judge(.maliciousInput, malicious(exit: \.expectedExit)), .pass)
        // Rejected, but only after asking GitHub.
        let late = CapstoneJudge.judge(.maliciousInput, malicious(exit: \.expectedExit, requestsIn: "org-traversal"))
        XCTAssertTrue(late.message?.contains("1 request(s) sent before it was rejected") ?? false, late.message ?? "")
        // A wrong exit code.
        let wrong = CapstoneJudge.judge(.maliciousInput, malicious(exit: { _ in 1 }))
        XCTAssertTrue(wrong.message?.contains("exited 1; expected 64") ?? false, wrong.message ?? "")
        // A program that rejects everything (or does nothing) fails on the valid control run.
        let rejectsAll = CapstoneJudge.judge(.maliciousInput, malicious(exit: \.expectedExit, controlExit: 64))
        XCTAssertTrue(rejectsAll.message?.contains("a valid --dry-run") ?? false)
        // The messages never quote a malicious value.
        for testCase in MaliciousCase.all {
            let message =
                CapstoneJudge.judge(.maliciousInput, malicious(exit: \.expectedExit, requestsIn: testCase.name))
                .message ?? ""
            XCTAssertFalse(message.contains(testCase.org) && testCase.org != CapstonePolicy.organisation, message)
        }
    }

    private func verbose(stdout: String = "", stderr: String = "", files: [String: String]) -> Evidence {
        Evidence(
            runs: [
                .init(name: "verbose", exitCode: 0, journalBefore: 0, journalAfter: 2, stdout: stdout, stderr: stderr)
            ],
            journal: lines(["GET", "GET"]), state: nil, violations: [],
            stateFiles: files.mapValues { Data($0.utf8) }, token: "ghp_secret123")
    }

    func test_tokenCheckSearchesEveryOutputAndNeedsARealRun() {
        let clean = verbose(stderr: "debug: Authorization: [REDACTED]", files: ["report.json": "{}", "run.log": "ok"])
        XCTAssertEqual(CapstoneJudge.judge(.tokenNeverLeaked, clean), .pass)
        let leaked = verbose(
            stdout: "token ghp_secret123",
            files: ["report.json": "{}", "audit_moko-project.sqlite": "..ghp_secret123.."])
        XCTAssertEqual(
            CapstoneJudge.judge(.tokenNeverLeaked, leaked).message,
            "token check: the token appears in stdout, audit_moko-project.sqlite")
        // Leaking nothing because nothing ran is not a pass.
        XCTAssertFalse(CapstoneJudge.judge(.tokenNeverLeaked, verbose(files: [:])).passed)
    }

    func test_scenarioIDsAndHTTPBodies() {
        XCTAssertEqual(CapstoneScenario(itemID: "Project.scenario.dry-run"), .dryRun)
        XCTAssertEqual(CapstoneScenario(itemID: "Project.scenario.kill-resume"), .killResume)
        XCTAssertEqual(CapstoneScenario(itemID: "Project.scenario.5xx-burst"), .serverErrorBurst)
        XCTAssertNil(CapstoneScenario(itemID: "Project.scenario.not-written-yet"))
        XCTAssertNil(CapstoneScenario(itemID: "Project.static.format-lint"))
        let plain = Data("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]".utf8)
        XCTAssertEqual(CapstoneRunner.httpBody(plain), Data("[]".utf8))
        let chunked = Data("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n[1,\r\n2\r\n2]\r\n0\r\n\r\n".utf8)
        XCTAssertEqual(CapstoneRunner.httpBody(chunked), Data("[1,2]".utf8))
        XCTAssertNil(CapstoneRunner.httpBody(Data("HTTP/1.1 401 Unauthorized\r\n\r\n{}".utf8)))
        let journal = CapstoneRunner.parseJournal(
            #"{"seq":1,"method":"GET","path":"/orgs/moko-lab/repos","status":200,"vt":1}"# + "\nnot json\n")
        XCTAssertEqual(journal, [Line(seq: 1, method: "GET", path: "/orgs/moko-lab/repos", status: 200, vt: 1)])
    }

    func test_validatorGradesImplementedScenariosAndRefusesOthersUnpended() throws {
        let yaml = """
            version: 1
            total: 10
            pass: 8
            criteria:
              - { id: a, title: A, points: 10 }
            items:
              - { id: Exercise1_1, kind: exercise, criterion: a, points: 3 }
              - { id: Project.scenario.dry-run, kind: scenario, criterion: a, points: 4 }
              - { id: Project.scenario.not-written-yet, kind: scenario, criterion: a, points: 3, pending: true }
            """
        let exercise = ExerciseChecks(
            id: "Exercise1_1", visible: [], hidden: [CheckID(className: "Exercise1_1HiddenChecks", method: "test1_a")])
        let tree = CheckInventory(curriculum: ["Exercise1_1"], exercises: [exercise], hasProject: true)
        let allocation = try RubricValidator.validate(Rubric.parse(yaml), against: tree)
        XCTAssertNil(allocation.items[1].pendingReason)
        XCTAssertEqual(allocation.pendingPoints, Points(3))
        var noProject = tree
        noProject.hasProject = false
        XCTAssertEqual(
            try RubricValidator.validate(Rubric.parse(yaml), against: noProject).items[1].pendingReason,
            "Exercises/Project does not exist yet")
        let unpended = try Rubric.parse(yaml.replacingOccurrences(of: ", pending: true", with: ""))
        XCTAssertThrowsError(try RubricValidator.validate(unpended, against: tree)) { error in
            let text = (error as? RubricError)?.problems.joined(separator: "\n") ?? ""
            XCTAssertTrue(text.contains("Project.scenario.not-written-yet"), text)
        }
    }
}
