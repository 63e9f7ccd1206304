/// `lab hint`: the hints of an exercise, one level at a time.
public struct Hints: Sendable {
    /// The lab.
    public var lab: LabFolder

    /// Creates the command's logic for a lab.
    public init(lab: LabFolder) {
        self.lab = lab
    }

    /// Shows the next hint of an exercise (or the level asked for, or all hints seen so far) and records it.
    ///
    /// - Parameters:
    ///   - reference: the exercise as typed (`1.3`, `Exercise1_3`).
    ///   - level: a level to show (1-based); nil shows the next one.
    ///   - all: show every hint seen so far instead of only the next.
    /// - Returns: the text to show.
    /// - Throws: ``LabError`` (usage) for an unknown exercise or a level that does not exist.
    public func hint(_ reference: String, level: Int? = nil, all: Bool = false) throws -> String {
        let exercise = try lab.exercise(reference)
        let count = exercise.hints.count
        guard count > 0 else { return "Exercise \(exercise.number) has no hints; its README.md explains the task.\n" }
        let store = ProgressStore(lab: lab)
        let shown = try store.load().hintsShown[exercise.id] ?? 0
        if let level, !(1...count).contains(level) {
            throw LabError.usage("lab: exercise \(exercise.number) has hints 1 to \(count); there is no hint \(level).")
        }
        if all {
            let levels = 1...max(1, shown)
            return levels.map { render(exercise, level: $0) }.joined(separator: "\n")
        }
        let chosen = level ?? min(shown + 1, count)
        try store.update { $0.hintsShown[exercise.id] = max(shown, chosen) }
        var text = render(exercise, level: chosen)
        if chosen < count {
            text += "\nStill stuck after trying it? `lab hint \(exercise.number)` again shows hint \(chosen + 1).\n"
        } else if level == nil, shown >= count {
            text += "\nThat was the last hint. `lab hint \(exercise.number) --all` shows them all.\n"
        }
        return text
    }

    private func render(_ exercise: Catalogue.Entry, level: Int) -> String {
        "Hint \(level) of \(exercise.hints.count) for \(exercise.number) \(exercise.title):\n"
            + "  \(exercise.hints[level - 1])\n"
    }
}
