/// `lab list`: every exercise with its session, title and last result, and the overall progress.
public struct ProgressList: Sendable {
    /// The lab.
    public var lab: LabFolder

    /// Creates the command's logic for a lab.
    public init(lab: LabFolder) {
        self.lab = lab
    }

    /// The table.
    public func render() throws -> String {
        let exercises = try lab.availableExercises()
        let progress = try ProgressStore(lab: lab).load()
        guard !exercises.isEmpty else { return "This lab has no exercises yet.\n" }
        let numberWidth = max(4, exercises.map(\.number.count).max() ?? 4)
        let titleWidth = min(56, max(5, exercises.map(\.title.count).max() ?? 5))
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
        }
        var text = "\(pad("#", numberWidth))  \(pad("Title", titleWidth))  Status\n"
        var session = 0
        for exercise in exercises {
            if exercise.session != session {
                session = exercise.session
                text += "Session \(session)\n"
            }
            let result = progress.results[exercise.id]
            var status = progress.status(of: exercise.id).rawValue
            if let result, result.status == .failing, result.total > 0 {
                status += " (\(result.passed)/\(result.total) checks)"
            }
            let mark =
                switch progress.status(of: exercise.id) {
                case .passing: "✓"
                case .failing, .doesNotCompile: "✗"
                case .notStarted: "·"
                }
            text += "\(pad(exercise.number, numberWidth))  \(pad(exercise.title, titleWidth))  \(mark) \(status)\n"
        }
        let done = exercises.filter { progress.status(of: $0.id) == .passing }.count
        let percent = done * 100 / exercises.count
        text += "\nProgress: \(done) of \(exercises.count) exercises passing (\(percent)%)."
        if let next = exercises.first(where: { progress.status(of: $0.id) != .passing }) {
            text += " Next: `lab test \(next.number)`."
        }
        return text + "\n"
    }
}
