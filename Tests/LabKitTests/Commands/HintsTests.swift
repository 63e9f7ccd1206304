import LabKit
import Testing

@Suite struct HintsTests {
    @Test func showsOneMoreLevelEachTime() throws {
        let fake = try FakeLab()
        let hints = Hints(lab: fake.lab)
        let first = try hints.hint("1.3")
        #expect(first.contains("Hint 1 of 3") && first.contains("first hint") && !first.contains("second hint"))
        let second = try hints.hint("Exercise1_3")
        #expect(second.contains("Hint 2 of 3") && second.contains("second hint") && !second.contains("first hint"))
        #expect(try hints.hint("1.3").contains("third hint"))
        let again = try hints.hint("1.3")
        #expect(again.contains("third hint") && again.contains("That was the last hint"))
        let all = try hints.hint("1.3", all: true)
        #expect(all.contains("first hint") && all.contains("second hint") && all.contains("third hint"))
        #expect(try ProgressStore(lab: fake.lab).load().hintsShown == ["Exercise1_3": 3])
    }

    @Test func aChosenLevelMustExist() throws {
        let fake = try FakeLab()
        #expect(try Hints(lab: fake.lab).hint("1.3", level: 2).contains("second hint"))
        #expect(throws: LabError.usage("lab: exercise 1.3 has hints 1 to 3; there is no hint 4.")) {
            try Hints(lab: fake.lab).hint("1.3", level: 4)
        }
    }

    @Test func badProgressFileIsReportedAndKept() throws {
        let fake = try FakeLab()
        try fake.write(".lab/progress.json", "{ not json")
        #expect(throws: LabError.self) { try Hints(lab: fake.lab).hint("1.3") }
        #expect(try fake.read(".lab/progress.json") == "{ not json")
    }
}
