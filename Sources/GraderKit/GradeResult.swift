import Foundation

/// The graded outcome of one submission: our `results.json` (schema `mokolab-results/1`).
public struct GradeResult: Sendable, Equatable, Codable {
    /// One criterion's score.
    public struct CriterionScore: Sendable, Equatable, Codable {
        /// The criterion id.
        public var id: String
        /// Its title.
        public var title: String
        /// Points earned.
        public var points: Points
        /// Its weight.
        public var maxPoints: Points
        /// Points that can be earned now (weight minus pending).
        public var gradablePoints: Points
        /// Points of items not graded yet.
        public var pendingPoints: Points

        enum CodingKeys: String, CodingKey {
            case id, title, points
            case maxPoints = "max_points"
            case gradablePoints = "gradable_points"
            case pendingPoints = "pending_points"
        }
    }

    /// One exercise's outcome.
    public struct ExerciseScore: Sendable, Equatable, Codable {
        /// How the exercise fared as a whole.
        public enum Status: String, Sendable, Codable {
            /// Its checks ran (some may have failed, crashed or timed out).
            case graded
            /// It did not compile: its checks score 0, the other exercises are graded.
            case compileError = "compile_error"
            /// The grader failed on it: not counted either way.
            case infrastructureError = "infrastructure_error"
        }

        /// `Exercise1_3`.
        public var id: String
        /// The criterion its points count towards.
        public var criterion: String
        /// How it fared.
        public var status: Status
        /// Points earned.
        public var points: Points
        /// Points available.
        public var maxPoints: Points
        /// `submission` or `skeleton` (the submission had no folder for it).
        public var source: String
        /// The compile errors (trainee-safe) or other explanation.
        public var message: String?
        /// Digest of the exercise's files as graded.
        public var sha256: String?

        enum CodingKeys: String, CodingKey {
            case id, criterion, status, points, source, message, sha256
            case maxPoints = "max_points"
        }
    }

    /// An item not graded yet.
    public struct PendingItem: Sendable, Equatable, Codable {
        /// The item id.
        public var id: String
        /// `exercise`, `scenario` or `static`.
        public var kind: String
        /// Its criterion.
        public var criterion: String
        /// Its points.
        public var points: Points
        /// Why it is pending.
        public var reason: String
    }

    /// `mokolab-results/1`.
    public var schema = "mokolab-results/1"
    /// The submission folder as given.
    public var submission: String
    /// Digest of the trainee-owned files graded.
    public var submissionSHA256: String
    /// When grading finished (ISO 8601).
    public var gradedAt: String
    /// Points earned.
    public var score: Points
    /// The rubric total (200).
    public var maxScore: Points
    /// Points that could be earned now.
    public var gradablePoints: Points
    /// Points of items not graded yet (and of items the grader failed on).
    public var pendingPoints: Points
    /// The pass mark (160 of 200).
    public var passMark: Points
    /// `true` when the score reaches the pass mark's share of the gradable points.
    public var passed: Bool
    /// `true` while points are pending: the pass is judged on the gradable share.
    public var provisional: Bool
    /// Per criterion.
    public var criteria: [CriterionScore]
    /// Per exercise.
    public var exercises: [ExerciseScore]
    /// Per check, visible and hidden.
    public var checks: [CheckResult]
    /// Items not graded yet.
    public var pending: [PendingItem]
    /// Files outside the trainee-owned paths that differ from the instructor's copy (ignored).
    public var ignoredEdits: [IgnoredEdit]
    /// Notes for the instructor (skipped files, capstone not graded yet, sandbox).
    public var notes: [String]
    /// How submission code was confined.
    public var sandbox: String
    /// `true` when the grader failed on some exercise: the result is incomplete (`grade` exits 3).
    public var incomplete: Bool
    /// Timings in seconds (`build`, `checks`, `total`).
    public var timings: [String: Double]

    enum CodingKeys: String, CodingKey {
        case schema, submission, score, passed, provisional, criteria, exercises, checks, pending, notes, sandbox
        case incomplete, timings
        case submissionSHA256 = "submission_sha256"
        case gradedAt = "graded_at"
        case maxScore = "max_score"
        case gradablePoints = "gradable_points"
        case pendingPoints = "pending_points"
        case passMark = "pass_mark"
        case ignoredEdits = "ignored_edits"
    }

    /// The status of every check by name (for receipts and comparisons).
    public var checkStatuses: [String: CheckStatus] {
        Dictionary(checks.map { ($0.name, $0.status) }, uniquingKeysWith: { first, _ in first })
    }

    /// Scores `checks` against `allocation`.
    static func score(
        allocation: Allocation, submission: Submission, exercises: [ExerciseScore], checks: [CheckResult],
        notes: [String], sandbox: String, timings: [String: Double]
    ) -> GradeResult {
        let rubric = allocation.rubric
        let infrastructureExercises = Set(exercises.filter { $0.status == .infrastructureError }.map(\.id))
        var pending: [PendingItem] = allocation.items.filter { !$0.isGradable }.map {
            PendingItem(
                id: $0.item.id, kind: $0.item.kind.rawValue, criterion: $0.item.criterion,
                points: Points($0.item.points), reason: $0.pendingReason ?? "")
        }
        for exercise in exercises where infrastructureExercises.contains(exercise.id) {
            pending.append(
                PendingItem(
                    id: exercise.id, kind: "exercise", criterion: exercise.criterion, points: exercise.maxPoints,
                    reason: "the grader failed on it (infrastructure error; not counted)"))
        }
        let counted = checks.filter { !infrastructureExercises.contains($0.exercise) && !$0.infrastructure }
        let criteria = rubric.criteria.map { criterion -> CriterionScore in
            let pendingPoints = pending.filter { $0.criterion == criterion.id }.map(\.points).sum()
            return CriterionScore(
                id: criterion.id, title: criterion.title,
                points: counted.filter { $0.criterion == criterion.id }.map(\.points).sum(),
                maxPoints: Points(criterion.points), gradablePoints: Points(criterion.points) - pendingPoints,
                pendingPoints: pendingPoints)
        }
        let score = criteria.map(\.points).sum()
        let pendingPoints = pending.map(\.points).sum()
        let gradable = Points(rubric.total) - pendingPoints
        // Pass when score / gradable >= pass / total (exact integer arithmetic).
        let passed = gradable.hundredths > 0 && score.hundredths * rubric.total >= rubric.pass * gradable.hundredths
        return GradeResult(
            submission: submission.directory.path, submissionSHA256: submission.digest,
            gradedAt: ISO8601DateFormatter().string(from: Date()), score: score, maxScore: Points(rubric.total),
            gradablePoints: gradable, pendingPoints: pendingPoints, passMark: Points(rubric.pass), passed: passed,
            provisional: pendingPoints > .zero, criteria: criteria, exercises: exercises, checks: checks,
            pending: pending, ignoredEdits: submission.ignoredEdits, notes: notes, sandbox: sandbox,
            incomplete: !infrastructureExercises.isEmpty || checks.contains(where: \.infrastructure), timings: timings)
    }
}
