import XCTest

@testable import GraderKit

final class ReportsTests: XCTestCase {
    static func allocation() throws -> Allocation {
        let rubric = try Rubric.parse(
            """
            version: 1
            total: 10
            pass: 8
            criteria:
              - { id: a, title: A & B, points: 6 }
              - { id: b, title: B, points: 4 }
            items:
              - { id: Exercise1_1, kind: exercise, criterion: a, points: 6 }
              - { id: Project.static.lint, kind: static, criterion: b, points: 4, pending: true }
            """)
        let inventory = CheckInventory(
            curriculum: ["Exercise1_1"],
            exercises: [
                ExerciseChecks(
                    id: "Exercise1_1", visible: [CheckID(className: "Exercise1_1Checks", method: "test1_a")],
                    hidden: [
                        CheckID(className: "Exercise1_1HiddenChecks", method: "test1_a"),
                        CheckID(className: "Exercise1_1HiddenChecks", method: "test2_b"),
                    ])
            ])
        return try RubricValidator.validate(rubric, against: inventory)
    }

    static func result(hiddenPasses: Int) throws -> GradeResult {
        let allocation = try allocation()
        let checks = try XCTUnwrap(allocation.items.first).checks.enumerated().map { index, check in
            let pass = !check.hidden || index <= hiddenPasses
            return CheckResult(
                name: check.check.description, exercise: "Exercise1_1", hidden: check.hidden, criterion: "a",
                status: pass ? .pass : .fail, points: pass ? check.points : .zero, maxPoints: check.points,
                message: pass ? nil : "The <greeting> was wrong", infrastructure: false, seconds: 0.01)
        }
        let submission = Submission(
            directory: URL(fileURLWithPath: "/tmp/sub"), exercises: [:], project: nil,
            ignoredEdits: [IgnoredEdit(path: "Package.swift", change: .edited)], skippedFiles: [], digest: "abc")
        return GradeResult.score(
            allocation: allocation, submission: submission,
            exercises: [
                .init(
                    id: "Exercise1_1", criterion: "a", status: .graded, points: checks.map(\.points).sum(),
                    maxPoints: Points(6), source: "submission", message: nil)
            ], checks: checks, notes: [], sandbox: "test", timings: [:])
    }

    func test_scoresAgainstTheGradableShareAndCountsPendingPoints() throws {
        let full = try Self.result(hiddenPasses: 2)
        XCTAssertEqual(full.score, Points(6))
        XCTAssertEqual(full.gradablePoints, Points(6))
        XCTAssertEqual(full.pendingPoints, Points(4))
        XCTAssertTrue(full.passed)
        XCTAssertTrue(full.provisional)
        let half = try Self.result(hiddenPasses: 1)
        XCTAssertEqual(half.score, Points(3))
        XCTAssertFalse(half.passed)
    }

    func test_everyFormatCarriesTheScoreAndEscapesMessages() throws {
        let result = try Self.result(hiddenPasses: 1)
        let gradescope = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Reports.gradescope(result)) as? [String: Any])
        XCTAssertEqual(gradescope["score"] as? Double, 3)
        let tests = try XCTUnwrap(gradescope["tests"] as? [[String: Any]])
        XCTAssertEqual(tests.count, 3)
        XCTAssertEqual(tests.map { $0["max_score"] as? Double }, [0, 3, 3])
        XCTAssertEqual(tests.last?["status"] as? String, "failed")
        XCTAssertEqual(tests.last?["visibility"] as? String, "after_published")

        let junit = Reports.junit(result, label: "t")
        XCTAssertTrue(junit.contains("<testsuites name=\"t\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"0\">"))
        XCTAssertTrue(junit.contains("<failure message=\"The &lt;greeting&gt; was wrong\" type=\"fail\"/>"))

        let html = HTMLReport.render(result, label: "t")
        XCTAssertTrue(html.contains("A &amp; B"))
        XCTAssertTrue(html.contains("Package.swift (edited)"))
        XCTAssertFalse(html.contains("<script"))

        let decoded = try JSONDecoder().decode(GradeResult.self, from: Reports.json(result))
        XCTAssertEqual(decoded, result)
        XCTAssertTrue(ScoreTable.render(result, label: "t").contains("score 3/10"))
    }

    func test_certificateAndBadgeOnlyForAPass() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Reports.write(Self.result(hiddenPasses: 2), allocation: Self.allocation(), label: "ada", to: directory)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("badge.svg").path))
        let certificate = try String(contentsOf: directory.appendingPathComponent("certificate.html"), encoding: .utf8)
        XCTAssertTrue(certificate.contains("ada"))
        try Reports.write(Self.result(hiddenPasses: 0), allocation: Self.allocation(), label: "ada", to: directory)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("badge.svg").path))
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: directory.appendingPathComponent("certificate.html").path))
    }

    func test_receiptDifferencesNameWhatChanged() throws {
        let result = try Self.result(hiddenPasses: 2)
        let inputs = Receipt.Inputs(
            rubric: "r", hidden: "h", visible: "v", grader: "g", toolchain: "Swift version 6.3.1", seeds: ["E": ["1"]])
        let receipt = Receipt(
            submission: "/tmp/sub", submissionSHA256: "abc", rubricSHA256: "r", hiddenChecksSHA256: "h",
            visibleChecksSHA256: "v", graderSHA256: "g", toolchain: "Swift version 6.3.1", seeds: ["E": ["1"]],
            score: result.score, gradablePoints: result.gradablePoints, passed: true, checks: result.checkStatuses,
            gradedAt: "now")
        XCTAssertEqual(receipt.differences(inputs: inputs, submissionDigest: "abc", result: result), [])
        var changed = inputs
        changed.rubric = "other"
        let worse = try Self.result(hiddenPasses: 1)
        let differences = receipt.differences(inputs: changed, submissionDigest: "abc", result: worse)
        XCTAssertTrue(differences.contains("the rubric changed"))
        XCTAssertTrue(differences.contains("the score differs: 3 now, 6 on the receipt"))
        XCTAssertEqual(
            Receipt.Inputs.seedLiterals(in: "CheckRandomGenerator(seed: 1_303) x seed: 0x2A"), ["1_303", "0x2A"])
    }
}
