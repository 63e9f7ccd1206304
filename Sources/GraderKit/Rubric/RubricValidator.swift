/// How one check's points are allocated.
public struct CheckAllocation: Sendable, Equatable {
    /// The check.
    public var check: CheckID
    /// The criterion its points count towards.
    public var criterion: String
    /// Its points (0 for visible checks).
    public var points: Points
    /// `true` for hidden checks (scored), `false` for visible ones (reported only).
    public var hidden: Bool

    /// Creates an allocation.
    public init(check: CheckID, criterion: String, points: Points, hidden: Bool) {
        self.check = check
        self.criterion = criterion
        self.points = points
        self.hidden = hidden
    }
}

/// How one rubric item is graded.
public struct ItemAllocation: Sendable, Equatable {
    /// The rubric item.
    public var item: Rubric.Item
    /// Why the item cannot be graded yet; `nil` when it is graded.
    public var pendingReason: String?
    /// Its checks, visible first then hidden, in source order (empty for pending items).
    public var checks: [CheckAllocation]

    /// Creates an allocation.
    public init(item: Rubric.Item, pendingReason: String?, checks: [CheckAllocation]) {
        self.item = item
        self.pendingReason = pendingReason
        self.checks = checks
    }

    /// `true` when the item is graded.
    public var isGradable: Bool { pendingReason == nil }
}

/// A validated rubric with every check's points: what the grader scores against.
public struct Allocation: Sendable, Equatable {
    /// The rubric.
    public var rubric: Rubric
    /// One entry per rubric item, in rubric order.
    public var items: [ItemAllocation]
    /// Things that are consistent but worth knowing (exercises being written: folder without hidden checks).
    public var warnings: [String]

    /// The exercises graded now, in rubric order.
    public var gradableExercises: [ItemAllocation] {
        items.filter { $0.item.kind == .exercise && $0.isGradable }
    }

    /// Points that cannot be earned yet.
    public var pendingPoints: Points {
        items.filter { !$0.isGradable }.map { Points($0.item.points) }.sum()
    }

    /// Points that can be earned now.
    public var gradablePoints: Points {
        Points(rubric.total) - pendingPoints
    }
}

/// Checks a rubric against the tree's checks and allocates every check's points.
public enum RubricValidator {
    /// Validates `rubric` against `inventory`.
    ///
    /// - Parameters:
    ///   - rubric: the parsed rubric.
    ///   - inventory: the checks in the instructor's tree.
    ///   - strict: also refuse an exercise folder that has no hidden checks yet (CI); otherwise that exercise
    ///     is pending with a warning.
    /// - Returns: the allocation of every check's points.
    /// - Throws: ``RubricError`` listing every problem.
    public static func validate(
        _ rubric: Rubric, against inventory: CheckInventory, strict: Bool = false
    ) throws
        -> Allocation
    {
        var problems: [String] = []
        var warnings: [String] = []
        if rubric.version != 1 { problems.append("version \(rubric.version) is not supported (expected 1)") }

        // Criteria.
        var criterionIDs: Set<String> = []
        for criterion in rubric.criteria {
            if criterion.id.isEmpty { problems.append("a criterion has an empty id") }
            if !criterionIDs.insert(criterion.id).inserted {
                problems.append("criterion '\(criterion.id)' is listed twice")
            }
            if criterion.points <= 0 { problems.append("criterion '\(criterion.id)' has \(criterion.points) points") }
        }
        let criteriaSum = rubric.criteria.map(\.points).reduce(0, +)
        if criteriaSum != rubric.total {
            problems.append("the criteria add up to \(criteriaSum), not the total \(rubric.total)")
        }
        if rubric.pass <= 0 || rubric.pass > rubric.total {
            problems.append("the pass mark \(rubric.pass) is not between 1 and the total \(rubric.total)")
        }

        // Items.
        var itemIDs: Set<String> = []
        var sums: [String: Int] = [:]
        let curriculum = Set(inventory.curriculum)
        for item in rubric.items {
            if !itemIDs.insert(item.id).inserted { problems.append("item '\(item.id)' is listed twice") }
            if !criterionIDs.contains(item.criterion) {
                problems.append("item '\(item.id)' names an unknown criterion '\(item.criterion)'")
            }
            if item.points <= 0 { problems.append("item '\(item.id)' has \(item.points) points") }
            sums[item.criterion, default: 0] += item.points
            if item.kind == .exercise && !curriculum.contains(item.id) {
                problems.append("item '\(item.id)' is not an exercise of the curriculum (Package.swift)")
            }
            if item.kind != .exercise && !item.id.hasPrefix("Project.") {
                problems.append("\(item.kind.rawValue) item '\(item.id)' must be named Project.<kind>.<name>")
            }
        }
        for criterion in rubric.criteria where sums[criterion.id, default: 0] != criterion.points {
            problems.append(
                "the items of criterion '\(criterion.id)' add up to \(sums[criterion.id, default: 0]), "
                    + "not its \(criterion.points) points")
        }
        for id in inventory.curriculum where !itemIDs.contains(id) {
            problems.append("exercise \(id) of the curriculum has no rubric item")
        }

        // Checks.
        var allocations: [ItemAllocation] = []
        var seenChecks: Set<CheckID> = []
        for item in rubric.items {
            guard item.kind == .exercise else {
                let implemented =
                    (item.kind == .scenario && CapstoneScenario(itemID: item.id) != nil)
                    || (item.kind == .static && StaticCheck(itemID: item.id) != nil)
                var reason: String? = item.pending ? "the grader does not drive the capstone yet" : nil
                if !item.pending && implemented && !inventory.hasProject {
                    reason = "Exercises/Project does not exist yet"
                }
                allocations.append(ItemAllocation(item: item, pendingReason: reason, checks: []))
                if !item.pending && !implemented {
                    problems.append(
                        "item '\(item.id)': this capstone scenario or static check is not implemented yet; mark it `pending: true`"
                    )
                }
                continue
            }
            guard let exercise = inventory.exercise(item.id) else {
                allocations.append(
                    ItemAllocation(item: item, pendingReason: "Exercises/\(item.id) does not exist yet", checks: []))
                continue
            }
            for duplicate in exercise.duplicates {
                problems.append("check \(duplicate) is declared more than once")
            }
            if item.pending {
                allocations.append(
                    ItemAllocation(item: item, pendingReason: "marked pending in the rubric", checks: []))
                continue
            }
            guard !exercise.hidden.isEmpty else {
                let message =
                    "exercise \(item.id) exists but grader/hidden/\(item.id) declares no \(item.id)HiddenChecks methods"
                if strict { problems.append(message) } else { warnings.append(message + " (pending)") }
                allocations.append(ItemAllocation(item: item, pendingReason: "no hidden checks yet", checks: []))
                continue
            }
            if exercise.visible.isEmpty {
                let message = "exercise \(item.id) has no visible checks (\(item.id)Checks in Tests/\(item.id)Tests)"
                if strict { problems.append(message) } else { warnings.append(message) }
            }
            var checks = exercise.visible.map {
                CheckAllocation(check: $0, criterion: item.criterion, points: .zero, hidden: false)
            }
            let parts = Points(item.points).split(into: exercise.hidden.count)
            for (check, points) in zip(exercise.hidden, parts) {
                if points.hundredths == 0 { problems.append("check \(check) would get 0 points; give \(item.id) more") }
                checks.append(CheckAllocation(check: check, criterion: item.criterion, points: points, hidden: true))
            }
            for check in checks where !seenChecks.insert(check.check).inserted {
                problems.append("check \(check.check) is mapped twice")
            }
            allocations.append(ItemAllocation(item: item, pendingReason: nil, checks: checks))
        }

        // Every allocated hidden point adds up to the gradable exercise items (a self-check of the arithmetic).
        for allocation in allocations where allocation.isGradable && allocation.item.kind == .exercise {
            let sum = allocation.checks.filter(\.hidden).map(\.points).sum()
            if sum != Points(allocation.item.points) {
                problems.append("the checks of \(allocation.item.id) add up to \(sum), not \(allocation.item.points)")
            }
        }

        if !problems.isEmpty { throw RubricError(problems: problems) }
        return Allocation(rubric: rubric, items: allocations, warnings: warnings)
    }
}
