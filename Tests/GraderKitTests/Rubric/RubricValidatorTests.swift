import XCTest

@testable import GraderKit

final class RubricValidatorTests: XCTestCase {
    private let yaml = """
        version: 1
        total: 10
        pass: 8
        criteria:
          - { id: a, title: Criterion A, points: 6 }
          - { id: b, title: Criterion B, points: 4 }
        items:
          - { id: Exercise1_1, kind: exercise, criterion: a, points: 4 }
          - { id: Exercise1_2, kind: exercise, criterion: a, points: 2 }
          - { id: Project.static.lint, kind: static, criterion: b, points: 4, pending: true }
        """

    private func inventory(hidden: Int = 3, secondExists: Bool = false) -> CheckInventory {
        var exercises = [
            ExerciseChecks(
                id: "Exercise1_1",
                visible: [CheckID(className: "Exercise1_1Checks", method: "test1_basic")],
                hidden: (1...max(1, hidden)).prefix(hidden).map {
                    CheckID(className: "Exercise1_1HiddenChecks", method: "test\($0)_case")
                })
        ]
        if secondExists { exercises.append(ExerciseChecks(id: "Exercise1_2", visible: [], hidden: [])) }
        return CheckInventory(curriculum: ["Exercise1_1", "Exercise1_2"], exercises: exercises)
    }

    func test_pointsSplitEvenlyInHundredthsAndAddUp() throws {
        let allocation = try RubricValidator.validate(Rubric.parse(yaml), against: inventory())
        let first = try XCTUnwrap(allocation.items.first)
        XCTAssertEqual(first.checks.filter(\.hidden).map(\.points.hundredths), [134, 133, 133])
        XCTAssertEqual(first.checks.filter { !$0.hidden }.map(\.points), [.zero])
        XCTAssertEqual(allocation.gradablePoints, Points(4))
        XCTAssertEqual(allocation.pendingPoints, Points(6))
    }

    func test_exerciseWithoutFolderIsPendingAndFolderWithoutHiddenChecksWarnsOrFailsWhenStrict() throws {
        let rubric = try Rubric.parse(yaml)
        let lenient = try RubricValidator.validate(rubric, against: inventory(secondExists: true))
        XCTAssertEqual(lenient.items[1].pendingReason, "no hidden checks yet")
        XCTAssertEqual(lenient.warnings.count, 1)
        XCTAssertThrowsError(try RubricValidator.validate(rubric, against: inventory(secondExists: true), strict: true))
        {
            XCTAssertTrue(String(describing: $0).contains("Exercise1_2"))
        }
    }

    func test_refusesBadSumsDuplicatesUnknownCriteriaAndMissingExercises() throws {
        let bad = """
            version: 1
            total: 10
            pass: 12
            criteria:
              - { id: a, title: A, points: 6 }
              - { id: a, title: A again, points: 3 }
            items:
              - { id: Exercise1_1, kind: exercise, criterion: a, points: 4 }
              - { id: Exercise1_1, kind: exercise, criterion: a, points: 2 }
              - { id: Exercise9_9, kind: exercise, criterion: c, points: 3 }
            """
        XCTAssertThrowsError(try RubricValidator.validate(Rubric.parse(bad), against: inventory())) { error in
            let problems = (error as? RubricError)?.problems ?? []
            let text = problems.joined(separator: "\n")
            XCTAssertTrue(text.contains("criterion 'a' is listed twice"), text)
            XCTAssertTrue(text.contains("add up to 9, not the total 10"), text)
            XCTAssertTrue(text.contains("pass mark 12"), text)
            XCTAssertTrue(text.contains("item 'Exercise1_1' is listed twice"), text)
            XCTAssertTrue(text.contains("unknown criterion 'c'"), text)
            XCTAssertTrue(text.contains("Exercise9_9' is not an exercise of the curriculum"), text)
            XCTAssertTrue(text.contains("exercise Exercise1_2 of the curriculum has no rubric item"), text)
        }
    }

    func test_refusesDuplicateCheckNamesAndUnpendingCapstoneItems() throws {
        var tree = inventory()
        tree.exercises[0].duplicates = [CheckID(className: "Exercise1_1HiddenChecks", method: "test1_case")]
        let rubric = try Rubric.parse(yaml.replacingOccurrences(of: ", pending: true", with: ""))
        XCTAssertThrowsError(try RubricValidator.validate(rubric, against: tree)) { error in
            let text = (error as? RubricError)?.problems.joined(separator: "\n") ?? ""
            XCTAssertTrue(text.contains("Exercise1_1HiddenChecks.test1_case is declared more than once"), text)
            XCTAssertTrue(text.contains("mark it `pending: true`"), text)
        }
    }

    func test_malformedYAMLIsAClearError() {
        XCTAssertThrowsError(try Rubric.parse("criteria: [")) {
            XCTAssertTrue(String(describing: $0).contains("not valid YAML"))
        }
    }

    func test_inventoryReadsOnlyTheNamedClassInSourceOrder() {
        let source = """
            final class Exercise1_1HiddenChecks: XCTestCase {
                private struct Rig {
                    func testHelper() {}
                    let text = "{"
                }
                func test2_second() async throws {}
                func test1_first() throws {}
                func helper() {}
            }
            final class Other: XCTestCase {
                func test9_other() {}
            }
            extension Exercise1_1HiddenChecks {
                @MainActor func test3_third() {}
            }
            """
        let methods = CheckInventory.checkMethods(inSource: source, className: "Exercise1_1HiddenChecks").map(\.method)
        XCTAssertEqual(methods, ["test2_second", "test1_first", "test3_third"])
        XCTAssertEqual(
            CheckInventory.curriculumIDs(inManifest: "    Exercise(id: \"Exercise1_1\", dependencies: [])\n"),
            ["Exercise1_1"])
    }

    func test_theRepositoryRubricIsConsistent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let rubric = try Rubric.load(from: root.appendingPathComponent("grader/rubric.yaml"))
        let allocation = try RubricValidator.validate(rubric, against: CheckInventory.scan(root: root))
        XCTAssertEqual(rubric.total, 200)
        XCTAssertEqual(rubric.pass, 160)
        XCTAssertEqual(rubric.criteria.map(\.points), [40, 40, 40, 30, 20, 20, 10])
        XCTAssertEqual(allocation.gradablePoints + allocation.pendingPoints, Points(200))
    }

    func test_pointsPrintWithoutTrailingZeros() {
        XCTAssertEqual(Points(hundredths: 67).description, "0.67")
        XCTAssertEqual(Points(hundredths: 1250).description, "12.5")
        XCTAssertEqual(Points(hundredths: 5).description, "0.05")
        XCTAssertEqual(Points(200).description, "200")
        XCTAssertEqual(Points(4).split(into: 6).sum(), Points(4))
    }
}
