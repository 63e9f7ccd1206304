import Foundation
import Yams

/// The sample submissions that prove the grader grades right: the reference (the solutions), the skeleton
/// kit, and one mutant submission per `grader/mutants/<id>/<name>` (the reference with that exercise replaced
/// by the known-wrong solution). All are generated at grading time; `grader/samples/catalogue.yaml` records
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

        /// `reference`, `skeleton`, `mutant/<id>/<name>`.
        public var name: String {
            switch self {
            case .reference: "reference"
            case .skeleton: "skeleton"
            case .mutant(let exercise, let name): "mutant/\(exercise)/\(name)"
            }
        }
    }

    /// The score band a sample must land in.
    public struct Band: Sendable, Equatable, Codable {
        /// Absolute score bounds (inclusive), e.g. the skeleton's `[0, 10]`.
        public var score: [Double]?
        /// Bounds (inclusive) on the points lost against the gradable maximum, e.g. a mutant's `[0.5, 4]` (for a
        /// mutant: the points lost in its own exercise).
        public var lost: [Double]?

        /// Creates a band.
        public init(score: [Double]? = nil, lost: [Double]? = nil) {
            self.score = score
            self.lost = lost
        }

        /// `true` when `result` lies in the band.
        ///
        /// - Parameters:
        ///   - result: the sample's result.
        ///   - exercise: for a mutant, its exercise: `lost` then counts only the points lost there.
        public func contains(_ result: GradeResult, exercise: String? = nil) -> Bool {
            let score = result.score.value
            var lost = (result.gradablePoints - result.score).value
            if let exercise, let entry = result.exercises.first(where: { $0.id == exercise }) {
                lost = (entry.maxPoints - entry.points).value
            }
            if let bounds = self.score, bounds.count == 2, !(bounds[0] - 0.001...bounds[1] + 0.001).contains(score) {
                return false
            }
            if let bounds = self.lost, bounds.count == 2, !(bounds[0] - 0.001...bounds[1] + 0.001).contains(lost) {
                return false
            }
            return true
        }

        /// `score 0–10`, `loses 0.5–4`.
        public var description: String {
            var parts: [String] = []
            if let score, score.count == 2 { parts.append("score \(format(score[0]))–\(format(score[1]))") }
            if let lost, lost.count == 2 { parts.append("loses \(format(lost[0]))–\(format(lost[1]))") }
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

    /// The kind a `sample.yaml` folder asks for (`generate: reference|skeleton`), if `folder` is one.
    public static func kind(ofSampleFolder folder: URL) -> Kind? {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("sample.yaml"), encoding: .utf8) else {
            return nil
        }
        for line in text.split(separator: "\n") where line.hasPrefix("generate:") {
            switch line.dropFirst("generate:".count).trimmingCharacters(in: .whitespaces) {
            case "reference": return .reference
            case "skeleton": return .skeleton
            default: return nil
            }
        }
        return nil
    }

    /// Every sample: reference, the mutants of `exercises` (in order), skeleton.
    public func all(exercises: [String]) -> [Kind] {
        var kinds: [Kind] = [.reference]
        for id in exercises {
            let folder = instructorRoot.appendingPathComponent("grader/mutants/\(id)")
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
            for name in names where FileTree.isDirectory(folder.appendingPathComponent(name)) {
                kinds.append(.mutant(exercise: id, name: name))
            }
        }
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
            for entry in catalogue.samples { bands[entry.name] = (entry.band, entry.note) }
            return bands
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
        for file in FileTree.files(under: folder).sorted() where file.hasSuffix(".swift") {
            guard let text = try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) else {
                continue
            }
            if let named = Self.namedCatcher(in: text) { return named }
        }
        return nil
    }

    /// The first `Caught by <name>` of `text`: letters, digits, `_`, `-` and inner dots (a sentence's full stop is
    /// not part of it).
    static func namedCatcher(in text: String) -> String? {
        guard let range = text.range(of: "Caught by ") else { return nil }
        var name = String(
            text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." })
        while name.hasSuffix(".") { name.removeLast() }
        return name.contains(".") ? name : nil
    }

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
            case .reference, .mutant:
                var source = solution ? "Solutions/\(id)" : "Exercises/\(id)"
                if case .mutant(let exercise, let name) = kind, exercise == id {
                    source = "grader/mutants/\(id)/\(name)"
                }
                add("Exercises/\(id)", as: "Exercises/\(id)", swift: false)
                add(source, as: "Exercises/\(id)", swift: nil)
            }
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
}
