import Foundation

/// One XCTest check: `Exercise1_3HiddenChecks.test2_uppercase...`.
public struct CheckID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The test class, e.g. `Exercise1_3HiddenChecks`.
    public var className: String
    /// The test method, e.g. `test2_uppercase`.
    public var method: String

    /// Creates an identifier.
    public init(className: String, method: String) {
        self.className = className
        self.method = method
    }

    /// `Class.method`, as XCTest prints it on Linux.
    public var description: String { "\(className).\(method)" }

    /// Orders by class, then method.
    public static func < (lhs: CheckID, rhs: CheckID) -> Bool {
        (lhs.className, lhs.method) < (rhs.className, rhs.method)
    }
}

/// The checks of one exercise found in the instructor's tree.
public struct ExerciseChecks: Sendable, Equatable {
    /// `Exercise1_3`.
    public var id: String
    /// The methods of `<id>Checks` in `Tests/<id>Tests`, in source order.
    public var visible: [CheckID]
    /// The methods of `<id>HiddenChecks` in `grader/hidden/<id>`, in source order.
    public var hidden: [CheckID]
    /// Methods declared twice (a duplicate check name).
    public var duplicates: [CheckID]

    /// Creates the record.
    public init(id: String, visible: [CheckID], hidden: [CheckID], duplicates: [CheckID] = []) {
        self.id = id
        self.visible = visible
        self.hidden = hidden
        self.duplicates = duplicates
    }

    /// The number as the catalogue spells it: `Exercise1_3` → `1.3`.
    public var number: String {
        String(id.dropFirst("Exercise".count)).replacingOccurrences(of: "_", with: ".")
    }
}

/// What the instructor's tree holds: the curriculum (from `Package.swift`), and for every exercise whose
/// skeleton folder exists, its visible and hidden checks.
public struct CheckInventory: Sendable, Equatable {
    /// Every exercise id of the curriculum, in order (`Exercise(id: "...")` in `Package.swift`).
    public var curriculum: [String]
    /// The exercises whose `Exercises/<id>` folder exists, with their checks.
    public var exercises: [ExerciseChecks]
    /// `true` when the capstone's skeleton folder `Exercises/Project` exists.
    public var hasProject: Bool

    /// Creates an inventory.
    public init(curriculum: [String], exercises: [ExerciseChecks], hasProject: Bool = false) {
        self.curriculum = curriculum
        self.exercises = exercises
        self.hasProject = hasProject
    }

    /// The checks of exercise `id`, when its folder exists.
    public func exercise(_ id: String) -> ExerciseChecks? {
        exercises.first { $0.id == id }
    }

    /// Reads the tree at `root`.
    ///
    /// - Parameter root: the instructor's copy (the package root).
    /// - Throws: when `Package.swift` cannot be read or lists no exercise.
    public static func scan(root: URL) throws -> CheckInventory {
        let manifest = root.appendingPathComponent("Package.swift")
        guard let text = try? String(contentsOf: manifest, encoding: .utf8) else {
            throw GradingError.infrastructure("cannot read \(manifest.path)")
        }
        let curriculum = curriculumIDs(inManifest: text)
        guard !curriculum.isEmpty else {
            throw GradingError.infrastructure("\(manifest.path) lists no `Exercise(id: ...)`")
        }
        var exercises: [ExerciseChecks] = []
        for id in curriculum where FileTree.isDirectory(root.appendingPathComponent("Exercises/\(id)")) {
            let visible = checkMethods(in: root.appendingPathComponent("Tests/\(id)Tests"), className: "\(id)Checks")
            let hidden = checkMethods(
                in: root.appendingPathComponent("grader/hidden/\(id)"), className: "\(id)HiddenChecks")
            exercises.append(
                ExerciseChecks(
                    id: id, visible: unique(visible), hidden: unique(hidden),
                    duplicates: repeated(visible) + repeated(hidden)))
        }
        return CheckInventory(
            curriculum: curriculum, exercises: exercises,
            hasProject: FileTree.isDirectory(root.appendingPathComponent("Exercises/Project")))
    }

    /// The exercise ids of `Exercise(id: "...")` entries, in order.
    static func curriculumIDs(inManifest text: String) -> [String] {
        var ids: [String] = []
        for line in text.split(separator: "\n") {
            guard let range = line.range(of: "Exercise(id: \"") else { continue }
            let rest = line[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { continue }
            let id = String(rest[..<end])
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    /// The `test...` methods of class `className` in the Swift files of `directory`, in file and source order.
    static func checkMethods(in directory: URL, className: String) -> [CheckID] {
        let files = FileTree.files(under: directory).filter { $0.hasSuffix(".swift") }.sorted()
        var checks: [CheckID] = []
        for file in files {
            guard let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) else {
                continue
            }
            checks += checkMethods(inSource: text, className: className)
        }
        return checks
    }

    /// The `test...` methods declared directly inside `class <className>` (and its extensions) in `source`;
    /// methods of types nested in it, or declared after it, are not its checks.
    static func checkMethods(inSource source: String, className: String) -> [CheckID] {
        // Open type declarations with the brace depth their body starts at.
        var types: [(name: String, depth: Int)] = []
        var depth = 0
        var checks: [CheckID] = []
        for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("//") { continue }
            if let declared = typeDeclared(in: line) {
                types.append((declared, depth + 1))
            } else if types.last?.name == className, types.last?.depth == depth, let method = testMethod(in: line) {
                checks.append(CheckID(className: className, method: method))
            }
            depth += braceBalance(of: line)
            while let last = types.last, last.depth > depth { types.removeLast() }
        }
        return checks
    }

    /// Opening minus closing braces outside string literals and line comments.
    private static func braceBalance(of line: String) -> Int {
        var balance = 0
        var inString = false
        var escaped = false
        var previous: Character = " "
        for character in line {
            if inString {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
            } else if character == "\"" {
                inString = true
            } else if character == "/" && previous == "/" {
                break
            } else if character == "{" {
                balance += 1
            } else if character == "}" {
                balance -= 1
            }
            previous = character
        }
        return balance
    }

    /// The name of a class or extension declared at the start of `line`, if any.
    private static func typeDeclared(in line: String) -> String? {
        var words = line.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "{" }).map(String.init)
        let modifiers: Set<String> = ["final", "public", "private", "fileprivate", "internal", "open", "@MainActor"]
        while let first = words.first, modifiers.contains(first) { words.removeFirst() }
        guard words.count >= 2, ["class", "extension", "struct", "enum", "actor"].contains(words[0]) else {
            return nil
        }
        return words[1]
    }

    /// The name of a `func test...(` declared in `line`, if any.
    private static func testMethod(in line: String) -> String? {
        guard let range = line.range(of: "func test") else { return nil }
        let before = line[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        // Only attributes and modifiers may come before `func`.
        let allowed = before.split(separator: " ").allSatisfy {
            $0.hasPrefix("@") || ["override", "public", "final"].contains($0)
        }
        guard allowed else { return nil }
        let name = line[line.index(range.lowerBound, offsetBy: 5)...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        guard line[line.index(range.lowerBound, offsetBy: 5 + name.count)...].hasPrefix("(") else { return nil }
        return String(name)
    }

    private static func unique(_ checks: [CheckID]) -> [CheckID] {
        var seen: Set<CheckID> = []
        return checks.filter { seen.insert($0).inserted }
    }

    private static func repeated(_ checks: [CheckID]) -> [CheckID] {
        var seen: Set<CheckID> = []
        var twice: [CheckID] = []
        for check in checks where !seen.insert(check).inserted && !twice.contains(check) { twice.append(check) }
        return twice
    }
}
