import Foundation
import Yams

/// The certification rubric as written in `grader/rubric.yaml`: criteria with their weights and the items
/// (exercises, capstone scenarios, static checks) that give points to them.
///
/// A rubric is only used after ``RubricValidator`` has checked it against the checks in the tree.
public struct Rubric: Sendable, Equatable, Codable {
    /// One criterion of the curriculum's rubric, e.g. "Error handling and resilience", 40 points.
    public struct Criterion: Sendable, Equatable, Codable {
        /// A short identifier, e.g. `resilience`.
        public var id: String
        /// The title a trainee reads.
        public var title: String
        /// The criterion's weight in whole points.
        public var points: Int

        /// Creates a criterion.
        public init(id: String, title: String, points: Int) {
            self.id = id
            self.title = title
            self.points = points
        }
    }

    /// What kind of evidence an item is.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// An exercise: its hidden checks share its points.
        case exercise
        /// A capstone scenario run against the mock server.
        case scenario
        /// A static check of the capstone (lint, warnings, documentation...).
        case `static`
    }

    /// One source of points: an exercise or a capstone part.
    public struct Item: Sendable, Equatable, Codable {
        /// `Exercise1_3`, or `Project.scenario.dry-run`.
        public var id: String
        /// What the item is.
        public var kind: Kind
        /// The criterion its points count towards.
        public var criterion: String
        /// Its points, in whole points.
        public var points: Int
        /// `true` for items the grader cannot grade yet: their points are reported as pending.
        public var pending: Bool

        /// Creates an item.
        public init(id: String, kind: Kind, criterion: String, points: Int, pending: Bool = false) {
            self.id = id
            self.kind = kind
            self.criterion = criterion
            self.points = points
            self.pending = pending
        }

        enum CodingKeys: String, CodingKey {
            case id, kind, criterion, points, pending
        }

        /// Decodes an item; `pending` defaults to `false`.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            kind = try container.decode(Kind.self, forKey: .kind)
            criterion = try container.decode(String.self, forKey: .criterion)
            points = try container.decode(Int.self, forKey: .points)
            pending = try container.decodeIfPresent(Bool.self, forKey: .pending) ?? false
        }
    }

    /// Limits for the process that runs one exercise's checks.
    public struct Limits: Sendable, Equatable, Codable {
        /// Wall time before the process is killed (the checks still running then are `timeout`).
        public var exerciseWallSeconds: Int
        /// Bytes of output before the process is killed.
        public var exerciseOutputBytes: Int
        /// CPU seconds (`RLIMIT_CPU`).
        public var exerciseCPUSeconds: Int
        /// Address space in bytes (`RLIMIT_AS`).
        public var exerciseMemoryBytes: Int
        /// The longest message shown for one check; longer ones are cut with a notice.
        public var messageCharacters: Int

        /// Creates limits.
        public init(
            exerciseWallSeconds: Int = 120, exerciseOutputBytes: Int = 4_000_000, exerciseCPUSeconds: Int = 300,
            exerciseMemoryBytes: Int = 4_000_000_000, messageCharacters: Int = 500
        ) {
            self.exerciseWallSeconds = exerciseWallSeconds
            self.exerciseOutputBytes = exerciseOutputBytes
            self.exerciseCPUSeconds = exerciseCPUSeconds
            self.exerciseMemoryBytes = exerciseMemoryBytes
            self.messageCharacters = messageCharacters
        }

        enum CodingKeys: String, CodingKey {
            case exerciseWallSeconds = "exercise_wall_seconds"
            case exerciseOutputBytes = "exercise_output_bytes"
            case exerciseCPUSeconds = "exercise_cpu_seconds"
            case exerciseMemoryBytes = "exercise_memory_bytes"
            case messageCharacters = "message_characters"
        }
    }

    /// The format version; 1.
    public var version: Int
    /// The total of all criteria; 200.
    public var total: Int
    /// The pass mark; 160.
    public var pass: Int
    /// The criteria, in report order.
    public var criteria: [Criterion]
    /// Every source of points.
    public var items: [Item]
    /// Process limits.
    public var limits: Limits

    /// Creates a rubric.
    public init(
        version: Int = 1, total: Int, pass: Int, criteria: [Criterion], items: [Item], limits: Limits = Limits()
    ) {
        self.version = version
        self.total = total
        self.pass = pass
        self.criteria = criteria
        self.items = items
        self.limits = limits
    }

    enum CodingKeys: String, CodingKey {
        case version, total, pass, criteria, items, limits
    }

    /// Decodes a rubric; `limits` defaults to ``Limits/init(exerciseWallSeconds:exerciseOutputBytes:exerciseCPUSeconds:exerciseMemoryBytes:messageCharacters:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        total = try container.decode(Int.self, forKey: .total)
        pass = try container.decode(Int.self, forKey: .pass)
        criteria = try container.decode([Criterion].self, forKey: .criteria)
        items = try container.decode([Item].self, forKey: .items)
        limits = try container.decodeIfPresent(Limits.self, forKey: .limits) ?? Limits()
    }

    /// Reads a rubric from YAML text.
    ///
    /// - Parameter yaml: the text of `grader/rubric.yaml`.
    /// - Throws: ``RubricError`` naming what could not be read.
    public static func parse(_ yaml: String) throws -> Rubric {
        do {
            return try YAMLDecoder().decode(Rubric.self, from: yaml)
        } catch {
            throw RubricError(problems: ["the rubric is not valid YAML of the expected shape: \(error)"])
        }
    }

    /// Reads a rubric file.
    ///
    /// - Parameter url: the file, usually `grader/rubric.yaml`.
    /// - Throws: ``RubricError`` when the file cannot be read or parsed.
    public static func load(from url: URL) throws -> Rubric {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw RubricError(problems: ["cannot read the rubric \(url.path): \(error.localizedDescription)"])
        }
        return try parse(text)
    }

    /// The criterion with `id`, if any.
    public func criterion(_ id: String) -> Criterion? {
        criteria.first { $0.id == id }
    }
}

/// Why a rubric was refused: every problem found, not only the first.
public struct RubricError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line per problem.
    public var problems: [String]

    /// Creates the error.
    public init(problems: [String]) {
        self.problems = problems
    }

    /// "the rubric is inconsistent (N problems):" followed by one problem per line.
    public var description: String {
        "the rubric is inconsistent (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
