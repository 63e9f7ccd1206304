/// The rubric as a table a person reads: criteria, their items, what is pending.
public enum RubricSummary {
    /// Renders `allocation` as text.
    ///
    /// - Parameter allocation: a validated rubric.
    /// - Returns: one line per criterion with its gradable and pending points, then the per-exercise split.
    public static func render(_ allocation: Allocation) -> String {
        let rubric = allocation.rubric
        var lines: [String] = []
        lines.append(
            "rubric: \(rubric.total) points, pass \(rubric.pass); \(rubric.criteria.count) criteria, \(rubric.items.count) items"
        )
        lines.append(pad("criterion", 40) + pad("points", 8) + pad("gradable", 10) + "pending")
        for criterion in rubric.criteria {
            let items = allocation.items.filter { $0.item.criterion == criterion.id }
            let pending = items.filter { !$0.isGradable }.map(\.item.points).reduce(0, +)
            lines.append(
                pad(criterion.title, 40) + pad("\(criterion.points)", 8) + pad("\(criterion.points - pending)", 10)
                    + "\(pending)")
        }
        lines.append("")
        for entry in allocation.gradableExercises {
            let hidden = entry.checks.filter(\.hidden)
            let visible = entry.checks.count - hidden.count
            lines.append(
                "  \(entry.item.id): \(entry.item.points) points (\(entry.item.criterion)) over \(hidden.count) hidden "
                    + "checks (\(hidden.map(\.points.description).joined(separator: ", "))); \(visible) visible checks, 0 points"
            )
        }
        let pendingItems = allocation.items.filter { !$0.isGradable }
        if !pendingItems.isEmpty {
            lines.append(
                "  pending: \(pendingItems.count) items, \(allocation.pendingPoints) points "
                    + "(\(pendingItems.filter { $0.item.kind == .exercise }.count) exercises not written yet, "
                    + "\(pendingItems.filter { $0.item.kind != .exercise }.count) capstone scenarios and static checks "
                    + "the grader does not drive yet)")
        }
        for warning in allocation.warnings { lines.append("  warning: \(warning)") }
        lines.append(
            "gradable now: \(allocation.gradablePoints) of \(rubric.total) points; the rubric is consistent")
        return lines.joined(separator: "\n")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
