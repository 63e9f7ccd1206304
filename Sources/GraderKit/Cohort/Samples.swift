import Foundation
import SamplePatches
import Yams

/// The sample submissions that prove the grader grades right: the reference (the solutions), the skeleton
/// kit, and one mutant submission per `grader/mutants/<id>/<name>` (the reference with that exercise replaced
/// by the known-wrong solution), and hand-written variants of the reference (`grader/samples/<name>/sample.yaml`
/// with exercises taken from the skeleton and edits to files: a tampered test, a `Package.swift`, an exercise that
/// does not compile, an endless loop). All are generated at grading time; `grader/samples/catalogue.yaml` records
/// the score band each must land in.
public struct Samples: Sendable {
    /// What a sample is made from.
    public enum Kind: Sendable, Equatable {
        /// Solutions for every exercise.
        case reference
        /// The skeletons as shipped.
        case skeleton
        /// The reference with one exercise replaced by a mutant.
        case mutant(exercise: String, name: String)
        /// The reference changed as `grader/samples/<name>/sample.yaml` says (``Recipe``).
        case variant(name: String)

        /// `reference`, `skeleton`, `mutant/<id>/<name>`, `variant/<name>`.
        public var name: String {
            switch self {
            case .reference: "reference"
            case .skeleton: "skeleton"
            case .mutant(let exercise, let name): "mutant/\(exercise)/\(name)"
            case .variant(let name): "variant/\(name)"
            }
        }
    }

    /// A sample folder's `sample.yaml` or a patch mutant's `mutant.yaml`: what to generate, and for a variant of
    /// the reference, which exercises come from the skeleton and which files are edited after that (shared with
    /// `lab verify`, which builds patch mutants too).
    public typealias Recipe = SampleRecipe

    /// The score band a sample must land in.
    public struct Band: Sendable, Equatable, Codable {
        /// Absolute score bounds (inclusive), e.g. the skeleton's `[0, 10]`.
        public var score: [Double]?
        /// Bounds (inclusive) on the points lost against the gradable maximum, e.g. a mutant's `[0.5, 4]` (for a
        /// mutant: the points lost in its own exercise).
        public var lost: [Double]?
        /// Paths the result must report as ignored edits (files the trainee does not own).
        public var ignored: [String]?
        /// Exercise statuses the result must show, by id: `graded`, `compile_error`, ..., or `timeout` (one of
        /// its checks ran out of time).
        public var statuses: [String: String]?

        /// Creates a band.
        public init(
            score: [Double]? = nil, lost: [Double]? = nil, ignored: [String]? = nil, statuses: [String: String]? = nil
        ) {
            self.score = score
            self.lost = lost
            self.ignored = ignored
            self.statuses = statuses
        }

        /// `true` when `result` lies in the band.
        ///
        /// - Parameters:
        ///   - result: the sample's result.
        ///   - exercise: for a mutant, its exercise: `lost` then counts only the points lost there.
        ///   - reference: for a variant, the reference's result: `lost` then counts the points lost against it.
        public func contains(_ result: GradeResult, exercise: String? = nil, reference: GradeResult? = nil) -> Bool {
            let lost = Self.lost(result, exercise: exercise, reference: reference).value
            guard Self.within(result.score.value, self.score), Self.within(lost, self.lost) else { return false }
            let reported = Set(result.ignoredEdits.map(\.path))
            if let ignored, !ignored.allSatisfy(reported.contains) { return false }
            for (id, expected) in statuses ?? [:] {
                if expected == "timeout" {
                    guard result.checks.contains(where: { $0.exercise == id && $0.status == .timeout }) else {
                        return false
                    }
                } else if result.exercises.first(where: { $0.id == id })?.status.rawValue != expected {
                    return false
                }
            }
            return true
        }

        /// The points `result` lost, as a band counts them: for a mutant (`exercise`) in its own exercise (for
        /// `Project`, across the capstone's items), for a variant against the `reference`'s score, else against
        /// the gradable points.
        public static func lost(
            _ result: GradeResult, exercise: String? = nil, reference: GradeResult? = nil
        )
            -> Points
        {
            if let exercise, result.exercises.contains(where: { belongs($0.id, to: exercise) }) {
                let entries = result.exercises.filter { belongs($0.id, to: exercise) }
                return entries.map(\.maxPoints).sum() - entries.map(\.points).sum()
            }
            if let reference { return reference.score - result.score }
            return result.gradablePoints - result.score
        }

        /// `true` when `value` lies in `bounds` (inclusive, to a thousandth), or there are no bounds; `false` for
        /// bounds that are not `[min, max]` with min ≤ max (never a crash on a bad band).
        static func within(_ value: Double, _ bounds: [Double]?) -> Bool {
            guard let bounds else { return true }
            guard problem(bounds) == nil else { return false }
            return (bounds[0] - 0.001...bounds[1] + 0.001).contains(value)
        }

        /// What is wrong with `bounds`, if anything.
        static func problem(_ bounds: [Double]) -> String? {
            guard bounds.count == 2 else { return "wants [min, max], got \(bounds.count) number(s)" }
            guard bounds[0].isFinite, bounds[1].isFinite, bounds[0] <= bounds[1] else {
                return "wants min ≤ max, got [\(bounds[0]), \(bounds[1])]"
            }
            return nil
        }

        /// `true` when the result entry `id` belongs to `exercise`: the exercise itself, or for `Project` one of the
        /// capstone's items (`Project.scenario.dry-run`, `Project.static.format-lint`...).
        public static func belongs(_ id: String, to exercise: String) -> Bool {
            id == exercise || id.hasPrefix(exercise + ".")
        }

        /// `score 0–10`, `loses 0.5–4`.
        public var description: String {
            var parts: [String] = []
            if let score, score.count == 2 { parts.append("score \(format(score[0]))–\(format(score[1]))") }
            if let lost, lost.count == 2 { parts.append("loses \(format(lost[0]))–\(format(lost[1]))") }
            if let ignored, !ignored.isEmpty { parts.append("reports edits to \(ignored.joined(separator: ", "))") }
            for (id, status) in (statuses ?? [:]).sorted(by: { $0.key < $1.key }) { parts.append("\(id) \(status)") }
            return parts.joined(separator: ", ")
        }

        private func format(_ value: Double) -> String {
            Points(hundredths: Int((value * 100).rounded())).description
        }
    }

    /// The catalogue file's shape.
    struct Catalogue: Codable {
        struct Entry: Codable {
            var name: String
            var band: Band
            var note: String?
        }
        var samples: [Entry]
    }

    /// The instructor's copy.
    public var instructorRoot: URL
    /// Where samples are generated (`<root>/.build-grader/samples`).
    public var directory: URL

    /// Creates the sample set of `instructorRoot`.
    public init(instructorRoot: URL) {
        self.instructorRoot = instructorRoot
        self.directory = instructorRoot.appendingPathComponent(".build-grader/samples")
    }

    /// The recipe of a sample folder (its `sample.yaml`), if `folder` is one.
    static func recipe(ofSampleFolder folder: URL) -> Recipe? {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("sample.yaml"), encoding: .utf8),
            let recipe = try? YAMLDecoder().decode(Recipe.self, from: text),
            ["reference", "skeleton"].contains(recipe.generate)
        else { return nil }
        return recipe
    }

    /// The kind a `sample.yaml` folder asks for (`generate: reference|skeleton`, a variant when it also takes
    /// exercises from the skeleton or edits files), if `folder` is one.
    public static func kind(ofSampleFolder folder: URL) -> Kind? {
        guard let recipe = recipe(ofSampleFolder: folder) else { return nil }
        if recipe.isVariant { return .variant(name: folder.lastPathComponent) }
        return recipe.generate == "reference" ? .reference : .skeleton
    }

    /// The variants under `grader/samples/`, by name.
    public func variants() -> [Kind] {
        let folder = instructorRoot.appendingPathComponent("grader/samples")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        return names.compactMap { name in
            guard case .variant(let variant)? = Self.kind(ofSampleFolder: folder.appendingPathComponent(name)) else {
                return nil
            }
            return .variant(name: variant)
        }
    }

    /// Every sample: reference, the mutants of `exercises` (in order), the variants, skeleton.
    public func all(exercises: [String]) -> [Kind] {
        var kinds: [Kind] = [.reference]
        for id in exercises {
            let folder = instructorRoot.appendingPathComponent("grader/mutants/\(id)")
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
            for name in names where FileTree.isDirectory(folder.appendingPathComponent(name)) {
                kinds.append(.mutant(exercise: id, name: name))
            }
        }
        kinds += variants()
        kinds.append(.skeleton)
        return kinds
    }

    /// The recorded bands, by sample name.
    ///
    /// - Throws: ``GradingError/infrastructure(_:)`` when the catalogue is malformed.
    public func bands() throws -> [String: (band: Band, note: String?)] {
        let url = instructorRoot.appendingPathComponent("grader/samples/catalogue.yaml")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        do {
            let catalogue = try YAMLDecoder().decode(Catalogue.self, from: text)
            var bands: [String: (band: Band, note: String?)] = [:]
            var problems: [String] = []
            for entry in catalogue.samples {
                if bands[entry.name] != nil { problems.append("\(entry.name) is listed twice") }
                for (field, bounds) in [("score", entry.band.score), ("lost", entry.band.lost)] {
                    if let bounds, let problem = Band.problem(bounds) {
                        problems.append("\(entry.name): \(field) \(problem)")
                    }
                }
                bands[entry.name] = (entry.band, entry.note)
            }
            guard problems.isEmpty else {
                throw GradingError.infrastructure("\(url.path): " + problems.joined(separator: "; "))
            }
            return bands
        } catch let error as GradingError {
            throw error
        } catch {
            throw GradingError.infrastructure("\(url.path) is malformed: \(error)")
        }
    }

    /// The check a mutant's files name as the one that catches it (`Caught by <Class>.<method>`, or a capstone
    /// item such as `Caught by Project.scenario.kill-resume`), as the grader names checks; `nil` for other samples
    /// or when no file names one. `grade samples` requires that check not to pass on the mutant.
    public func namedCatcher(of kind: Kind) -> String? {
        guard case .mutant(let exercise, let name) = kind else { return nil }
        let folder = instructorRoot.appendingPathComponent("grader/mutants/\(exercise)/\(name)")
        for file in FileTree.files(under: folder).sorted() where file.hasSuffix(".swift") || file == "mutant.yaml" {
            guard let text = try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) else {
                continue
            }
            if let named = Self.namedCatcher(in: text) { return named }
        }
        return nil
    }

    /// The first `Caught by <name>` of `text` (see ``SampleRecipe/namedCatcher(in:)``).
    static func namedCatcher(in text: String) -> String? { SampleRecipe.namedCatcher(in: text) }

    /// The band of an uncatalogued mutant: it must lose something, and at most its exercise's points.
    public static func defaultMutantBand(points: Int) -> Band {
        Band(lost: [0.01, Double(points)])
    }

    /// Writes the submission folder of `kind` (only files whose content changed) and returns it.
    ///
    /// - Parameter kind: the sample.
    /// - Returns: the generated submission folder.
    /// - Throws: ``GradingError/infrastructure(_:)`` when it cannot be written.
    public func materialize(_ kind: Kind) throws -> URL {
        let target = directory.appendingPathComponent(kind.name.replacingOccurrences(of: "/", with: "--"))
        var desired: [String: Data] = [:]
        let ids = (try? CheckInventory.scan(root: instructorRoot).curriculum) ?? []
        var recipe: Recipe?
        var patch: Recipe?
        if case .variant(let name) = kind {
            recipe = Self.recipe(ofSampleFolder: instructorRoot.appendingPathComponent("grader/samples/\(name)"))
            guard recipe != nil else {
                throw GradingError.infrastructure("grader/samples/\(name)/sample.yaml is missing or malformed")
            }
        }
        if case .mutant(let exercise, let name) = kind {
            patch = try Self.patch(
                ofMutant: instructorRoot.appendingPathComponent("grader/mutants/\(exercise)/\(name)"))
        }
        func add(_ folder: String, as prefix: String, swift: Bool?) {
            let url = instructorRoot.appendingPathComponent(folder)
            for file in FileTree.files(under: url) {
                if let swift, file.hasSuffix(".swift") != swift { continue }
                if let data = try? Data(contentsOf: url.appendingPathComponent(file)) {
                    desired["\(prefix)/\(file)"] = data
                }
            }
        }
        for id in ids + ["Project"] where FileTree.isDirectory(instructorRoot.appendingPathComponent("Exercises/\(id)"))
        {
            let solution = FileTree.isDirectory(instructorRoot.appendingPathComponent("Solutions/\(id)"))
            switch kind {
            case .skeleton:
                add("Exercises/\(id)", as: "Exercises/\(id)", swift: nil)
            case .variant where recipe?.skeleton?.contains(id) ?? false:
                add("Exercises/\(id)", as: "Exercises/\(id)", swift: nil)
            case .reference, .mutant, .variant:
                var source = solution ? "Solutions/\(id)" : "Exercises/\(id)"
                if case .mutant(let exercise, let name) = kind, exercise == id, patch == nil {
                    source = "grader/mutants/\(id)/\(name)"
                }
                add("Exercises/\(id)", as: "Exercises/\(id)", swift: false)
                add(source, as: "Exercises/\(id)", swift: nil)
            }
        }
        for edit in (recipe?.edits ?? []) + (patch?.edits ?? []) {
            try Self.apply(edit, to: &desired, sample: kind.name, instructorRoot: instructorRoot)
        }
        do {
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for (file, data) in desired { try FileTree.write(data, to: target.appendingPathComponent(file)) }
            for file in FileTree.files(under: target) where desired[file] == nil {
                try FileTree.removeItem(target.appendingPathComponent(file))
            }
        } catch {
            throw GradingError.infrastructure("cannot write the sample \(target.path): \(error)")
        }
        return target
    }

    /// The edits of a patch mutant (`grader/mutants/<id>/<name>/mutant.yaml`: the reference with `edits:` applied,
    /// instead of a folder holding every file of the exercise), or `nil` for a folder mutant.
    ///
    /// - Throws: ``GradingError/infrastructure(_:)`` when `mutant.yaml` exists but is malformed.
    static func patch(ofMutant folder: URL) throws -> Recipe? {
        do {
            return try SampleRecipe.mutantPatch(in: folder)
        } catch {
            throw GradingError.infrastructure(error.description)
        }
    }

    /// Applies one edit of a variant's recipe (or a patch mutant's) to the generated files.
    static func apply(
        _ edit: Recipe.Edit, to files: inout [String: Data], sample: String, instructorRoot: URL
    ) throws {
        do {
            try edit.apply(to: &files, instructorRoot: instructorRoot)
        } catch {
            throw GradingError.infrastructure(
                "sample \(sample): the edit of \(error.file) \(error.reason) (update its recipe)")
        }
    }
}
