import XCTest

@testable import GraderKit

final class CohortTests: XCTestCase {
    func test_shardsPartitionTheCohortAndBadShardsAreUsageErrors() throws {
        let names = (1...7).map { "s\($0)" }
        let shards = (1...3).map { Cohort.shard(names, index: $0, count: 3) }
        XCTAssertEqual(shards.flatMap { $0 }.sorted(), names.sorted())
        XCTAssertEqual(shards[0], ["s1", "s4", "s7"])
        XCTAssertEqual(try Cohort.parseShard("2/3").index, 2)
        for bad in ["0/3", "4/3", "x", "1/0"] {
            XCTAssertThrowsError(try Cohort.parseShard(bad), bad)
        }
    }

    func test_mergeJoinsShardSummariesAndRefusesADuplicate() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grader-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func row(_ name: String, _ score: Int) -> CohortRow {
            CohortRow(
                name: name, score: Points(score), gradablePoints: Points(10), maxScore: Points(200), passed: score >= 8,
                provisional: true, incomplete: false, criteria: ["a": Points(score)], ignoredEdits: 0, seconds: 1,
                error: nil)
        }
        try Cohort.writeSummary([row("b", 9)], to: root.appendingPathComponent("1"))
        try Cohort.writeSummary([row("a", 5), row("c, jr", 10)], to: root.appendingPathComponent("2"))
        let merged = try Cohort.merge(
            [root.appendingPathComponent("1"), root.appendingPathComponent("2")],
            into: root.appendingPathComponent("all"))
        XCTAssertEqual(merged.map(\.name), ["a", "b", "c, jr"])
        let csv = try String(contentsOf: root.appendingPathComponent("all/summary.csv"), encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("name,score,gradable_points,max_score,passed,provisional,incomplete,a,"))
        XCTAssertTrue(csv.contains("\n\"c, jr\",10,10,200,true"))
        try Cohort.writeSummary([row("a", 1)], to: root.appendingPathComponent("3"))
        XCTAssertThrowsError(
            try Cohort.merge(
                [root.appendingPathComponent("2"), root.appendingPathComponent("3")],
                into: root.appendingPathComponent("x")))
    }

    func test_bandsBoundTheScoreOrThePointsLost() throws {
        let full = try ReportsTests.result(hiddenPasses: 2)
        let half = try ReportsTests.result(hiddenPasses: 1)
        XCTAssertTrue(Samples.Band(lost: [0, 0]).contains(full))
        XCTAssertFalse(Samples.Band(lost: [0, 0]).contains(half))
        XCTAssertTrue(Samples.defaultMutantBand(points: 6).contains(half))
        XCTAssertFalse(Samples.defaultMutantBand(points: 6).contains(full))
        XCTAssertTrue(Samples.Band(score: [0, 3]).contains(half))
        XCTAssertEqual(Samples.Band(score: [0, 10], lost: [0.5, 4]).description, "score 0–10, loses 0.5–4")
    }
}
