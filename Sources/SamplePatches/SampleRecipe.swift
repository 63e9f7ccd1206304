import Foundation
import Yams

/// How a sample submission is made from the lab: `grader/samples/<name>/sample.yaml` (a variant) or
/// `grader/mutants/<id>/<name>/mutant.yaml` (a patch mutant).
///
/// ```yaml
/// # MUTANT off-by-one: stops one page early. Caught by Exercise1_3HiddenChecks.test2_everyPageIsRead.
/// generate: reference
/// edits:
/// - file: Exercises/Exercise1_3/Pager.swift
///   replace: "while page < last {"
///   with: "while page < last - 1 {"
/// ```
///
/// `grade samples` and `lab verify` both apply recipes with ``Edit/apply(to:instructorRoot:)``, so a mutant is
/// the same code wherever it is built.
public struct SampleRecipe: Sendable, Equatable, Codable {
    /// One change to a generated file (paths relative to the submission): `content` writes the whole file,
    /// `from` copies one of the lab's files, `append` adds to its end, `replace` + `with` swap text that must be
    /// there.
    public struct Edit: Sendable, Equatable, Codable {
        /// The file, relative to the submission (e.g. `Package.swift`, `Exercises/Exercise1_3/Greet.swift`).
        public var file: String
        /// The file's whole new text.
        public var content: String?
        /// Text added at the end of the file.
        public var append: String?
        /// Text that must be in the file, replaced by `with` everywhere.
        public var replace: String?
        /// The replacement of `replace`.
        public var with: String?
        /// A file of the instructor's tree (e.g. `Exercises/Project/README.md`, the skeleton's) whose content
        /// becomes the file's.
        public var from: String?

        /// Creates an edit.
        public init(
            file: String, content: String? = nil, append: String? = nil, replace: String? = nil,
            with: String? = nil, from: String? = nil
        ) {
            self.file = file
            self.content = content
            self.append = append
            self.replace = replace
            self.with = with
            self.from = from
        }

        /// Applies the edit to `files` (submission-relative path → bytes).
        ///
        /// - Parameters:
        ///   - files: the generated files; changed only when the edit applies.
        ///   - instructorRoot: the lab, for `from`.
        /// - Throws: ``SamplePatchError`` when the edit no longer fits (a path outside the submission, a missing
        ///   file, text to replace that is not there); `files` is then unchanged.
        public func apply(to files: inout [String: Data], instructorRoot: URL) throws(SamplePatchError) {
            func stale(_ why: String) -> SamplePatchError { SamplePatchError(file: file, reason: why) }
            func inside(_ path: String) -> Bool { !path.hasPrefix("/") && !path.split(separator: "/").contains("..") }
            guard inside(file) else { throw stale("names a path outside the submission") }
            if let content {
                files[file] = Data(content.utf8)
                return
            }
            if let from {
                guard inside(from), let data = try? Data(contentsOf: instructorRoot.appendingPathComponent(from))
                else {
                    throw stale("copies \(from), which the instructor's tree does not have")
                }
                files[file] = data
                return
            }
            guard let data = files[file], let text = String(data: data, encoding: .utf8) else {
                throw stale("names a file the sample does not have")
            }
            if let append {
                files[file] = Data((text + append).utf8)
            } else if let replace, let with {
                guard !replace.isEmpty, text.contains(replace) else {
                    throw stale("replaces text the file does not contain")
                }
                files[file] = Data(text.replacingOccurrences(of: replace, with: with).utf8)
            } else {
                throw stale("has neither content, from, append nor replace + with")
            }
        }
    }

    /// `reference` or `skeleton`.
    public var generate: String
    /// Exercises taken from the skeleton as shipped (a variant of the reference).
    public var skeleton: [String]?
    /// Edits applied last.
    public var edits: [Edit]?

    /// Creates a recipe.
    public init(generate: String, skeleton: [String]? = nil, edits: [Edit]? = nil) {
        self.generate = generate
        self.skeleton = skeleton
        self.edits = edits
    }

    /// `true` when the recipe changes the reference (a variant).
    public var isVariant: Bool {
        generate == "reference" && !((skeleton ?? []).isEmpty && (edits ?? []).isEmpty)
    }

    /// The recipe of a patch mutant (`<folder>/mutant.yaml`: the reference with `edits:` applied, instead of a
    /// folder holding a copy of every file), or `nil` for a mutant written as a folder of files.
    ///
    /// - Parameter folder: the mutant's folder, `grader/mutants/<id>/<name>`.
    /// - Throws: ``SamplePatchError`` when `mutant.yaml` exists but is malformed, or asks for anything but
    ///   `generate: reference` with at least one edit.
    public static func mutantPatch(in folder: URL) throws(SamplePatchError) -> SampleRecipe? {
        let file = folder.appendingPathComponent("mutant.yaml")
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let recipe: SampleRecipe
        do {
            let text = try String(contentsOf: file, encoding: .utf8)
            recipe = try YAMLDecoder().decode(SampleRecipe.self, from: text)
        } catch {
            throw SamplePatchError(file: file.path, reason: "is malformed: \(error)")
        }
        guard recipe.generate == "reference", !(recipe.edits ?? []).isEmpty, recipe.skeleton == nil else {
            throw SamplePatchError(
                file: file.path, reason: "is malformed: wants `generate: reference` and at least one edit, nothing else"
            )
        }
        return recipe
    }

    /// The first `Caught by <name>` of `text` (a mutant's header comment): letters, digits, `_`, `-` and inner
    /// dots, e.g. `Exercise1_3HiddenChecks.test2_everyPageIsRead` or `Project.scenario.kill-resume` (a sentence's
    /// full stop is not part of it); `nil` when there is none or it names no member (`Class.method`).
    public static func namedCatcher(in text: String) -> String? {
        guard let range = text.range(of: "Caught by ") else { return nil }
        var name = String(
            text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." })
        while name.hasSuffix(".") { name.removeLast() }
        return name.contains(".") ? name : nil
    }
}

/// A recipe that cannot be applied: which file, and why.
public struct SamplePatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The edited file (submission-relative) or the recipe file.
    public var file: String
    /// What does not fit, e.g. "replaces text the file does not contain".
    public var reason: String

    /// Creates an error.
    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    /// `<file> <reason>`.
    public var description: String { "\(file) \(reason)" }
}
