import LabKit
import Testing

@Suite struct ProgressListTests {
    @Test func showsEachExerciseWithItsStatusAndTheTotal() throws {
        let fake = try FakeLab()
        try ProgressStore(lab: fake.lab).save(
            Progress(results: ["Exercise1_3": .init(status: .passing, passed: 4, total: 4)]))
        let table = try ProgressList(lab: fake.lab).render()
        #expect(table.contains("Session 1"))
        #expect(table.contains("1.3   A command-line app") && table.contains("✓ passing"))
        #expect(table.contains("1.4   Common utilities") && table.contains("· not started"))
        #expect(!table.contains("3.4"))  // catalogued, no folder yet
        #expect(table.contains("Progress: 1 of 2 exercises passing (50%). Next: `lab test 1.4`."))
    }

    @Test func aFailingExerciseShowsItsCount() throws {
        let fake = try FakeLab()
        try ProgressStore(lab: fake.lab).save(
            Progress(results: ["Exercise1_4": .init(status: .failing, passed: 1, total: 4)]))
        #expect(try ProgressList(lab: fake.lab).render().contains("✗ failing (1/4 checks)"))
    }
}
