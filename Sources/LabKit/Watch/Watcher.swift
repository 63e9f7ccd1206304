import Foundation

/// `lab watch`: runs an exercise's checks, again on every save, and moves on to the next exercise when it
/// passes.
public struct Watcher: Sendable {
    /// Runs the checks.
    public var tester: ExerciseTester
    /// Waits for saves.
    public var waiter: any ChangeWaiting
    /// Clears the terminal before each run (only when the output is a terminal).
    public var clearScreen: Bool

    /// Creates a watcher.
    public init(tester: ExerciseTester, waiter: any ChangeWaiting, clearScreen: Bool = false) {
        self.tester = tester
        self.waiter = waiter
        self.clearScreen = clearScreen
    }

    /// Watches, starting at `reference` (or the first exercise that does not pass yet), until every exercise
    /// from there on passes or the task is cancelled.
    ///
    /// - Parameters:
    ///   - reference: the exercise to start with, as typed; nil starts at the first one not passing.
    ///   - output: where verdicts go.
    ///   - onBuildLine: SwiftPM's progress lines.
    /// - Throws: ``LabError`` (usage) for an unknown exercise; `CancellationError` when cancelled.
    public func watch(
        from reference: String?, output: any TextSink, onBuildLine: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws {
        let lab = tester.lab
        var current: Catalogue.Entry
        if let reference {
            current = try lab.exercise(reference)
        } else {
            let progress = try ProgressStore(lab: lab).load()
            guard let first = try lab.availableExercises().first(where: { progress.status(of: $0.id) != .passing })
            else {
                output.line("Every exercise passes. Well done!")
                return
            }
            current = first
        }
        while true {
            let folder = lab.url("Exercises/\(current.id)")
            let snapshot = FolderSnapshot(of: folder)
            if clearScreen { output.write("\u{1B}[2J\u{1B}[H") }
            output.line("lab watch: \(current.number) \(current.title) — Exercises/\(current.id)/")
            let verdict = try tester.test(current.id, onBuildLine: onBuildLine)
            output.write(verdict.text)
            if verdict.status == .passing {
                let progress = try ProgressStore(lab: lab).load()
                let available = try lab.availableExercises()
                let index = available.firstIndex { $0.id == current.id } ?? available.count
                guard let next = available[(index + 1)...].first(where: { progress.status(of: $0.id) != .passing })
                else {
                    output.line("\nEvery exercise from here on passes. Well done! (`lab list` shows the rest.)")
                    return
                }
                output.line("\nMoving on to \(next.number) \(next.title).")
                current = next
                continue
            }
            output.line("\nWatching Exercises/\(current.id)/ — save a file to run the checks again (Ctrl-C stops).")
            try await waiter.waitForChange(in: folder, since: snapshot)
        }
    }
}
