import Foundation

/// A MokoLab checkout or trainee kit on disk: where its exercises, checks and state live.
public struct LabFolder: Sendable {
    /// The folder that holds `Package.swift`.
    public var root: URL

    /// Uses `root` as the lab folder.
    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// Finds the lab folder at or above `start`: the first one with `Package.swift` and
    /// `Exercises/catalogue.yaml`.
    ///
    /// - Throws: ``LabError`` (usage) when `start` is not inside a lab.
    public static func find(from start: URL) throws -> LabFolder {
        var candidate = start.standardizedFileURL
        while true {
            let manager = FileManager.default
            if manager.fileExists(atPath: candidate.appendingPathComponent("Package.swift").path),
                manager.fileExists(atPath: candidate.appendingPathComponent("Exercises/catalogue.yaml").path)
            {
                return LabFolder(root: candidate)
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path {
                throw LabError.usage(
                    "lab: \(start.path) is not inside a MokoLab folder (no Package.swift with Exercises/catalogue.yaml "
                        + "above it); run lab from the lab's folder or pass --package-path.")
            }
            candidate = parent
        }
    }

    /// `root/relativePath`.
    public func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// Whether `root/relativePath` exists.
    public func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: url(relativePath).path)
    }

    /// The catalogue.
    public func catalogue() throws -> Catalogue {
        try Catalogue.load(from: url("Exercises/catalogue.yaml"))
    }

    /// The exercise ids `Package.swift` declares in its curriculum list, in order.
    public func packageExerciseIDs() throws -> [String] {
        PackageManifest.exerciseIDs(in: try manifestText())
    }

    /// The text of `Package.swift` (read, never evaluated).
    public func manifestText() throws -> String {
        do {
            return try String(contentsOf: url("Package.swift"), encoding: .utf8)
        } catch {
            throw LabError.badFile(url("Package.swift").path, "cannot be read (\(error.localizedDescription))")
        }
    }

    /// The exercises a trainee can work on, in curriculum order (1.1, 1.2, ... 1.10, 2.1, ...): catalogue
    /// entries whose `Exercises/<id>` folder exists.
    public func availableExercises() throws -> [Catalogue.Entry] {
        try catalogue().entries.filter { exists("Exercises/\($0.id)") }.sorted {
            ExerciseReference.order(of: $0.id).lexicographicallyPrecedes(ExerciseReference.order(of: $1.id))
        }
    }

    /// Finds an exercise from what a user typed (`3.4`, `Exercise3_4`, `exercise3_4`).
    ///
    /// - Throws: ``LabError`` (usage, exit 64) naming the exercises there are, when none matches.
    public func exercise(_ reference: String) throws -> Catalogue.Entry {
        let available = try availableExercises()
        let typed = reference.trimmingCharacters(in: .whitespaces)
        if let id = ExerciseReference.targetName(typed), let entry = available.first(where: { $0.id == id }) {
            return entry
        }
        let known = available.map(\.number).joined(separator: ", ")
        let shape =
            ExerciseReference.targetName(typed) == nil
            ? "'\(typed)' is not an exercise number; write it as 1.3 or Exercise1_3."
            : "there is no exercise \(typed) in this lab."
        throw LabError.usage(
            "lab: \(shape)\nExercises: \(known.isEmpty ? "none yet" : known). `lab list` shows them with their titles.")
    }

    /// How many XCTest check methods (`func test...`) the Swift files of a folder declare.
    public func declaredChecks(in relativeFolder: String) -> Int {
        SourceScan.swiftFiles(in: url(relativeFolder)).reduce(0) { total, file in
            total + SourceScan.checkMethods(in: (try? String(contentsOf: file, encoding: .utf8)) ?? "").count
        }
    }
}

/// Turns what a user types into an exercise's target name.
public enum ExerciseReference {
    /// `3.4` → `Exercise3_4`; `Exercise3_4` and `exercise3_4` → `Exercise3_4`; anything else → nil.
    public static func targetName(_ typed: String) -> String? {
        if let match = typed.wholeMatch(of: #/(\d+)\.(\d+)/#) {
            return "Exercise\(Int(match.1) ?? 0)_\(Int(match.2) ?? 0)"
        }
        if let match = typed.wholeMatch(of: #/[Ee]xercise(\d+)_(\d+)/#) {
            return "Exercise\(match.1)_\(match.2)"
        }
        return nil
    }

    /// `Exercise3_10` → `[3, 10]`: sorts 1.9 before 1.10.
    public static func order(of targetName: String) -> [Int] {
        targetName.dropFirst("Exercise".count).split(separator: "_").map { Int($0) ?? Int.max }
    }

    /// `Exercise3_4` → `3.4`.
    public static func number(of targetName: String) -> String {
        String(targetName.dropFirst("Exercise".count)).replacingOccurrences(of: "_", with: ".")
    }
}

/// What `lab` reads from `Package.swift` without evaluating it.
public enum PackageManifest {
    /// The package's name (`let package = Package(name: "MokoLab", ...`), nil when not found.
    public static func packageName(in manifest: String) -> String? {
        manifest.firstMatch(of: #/Package\(\s*name:\s*"([^"]+)"/#).map { String($0.1) }
    }

    /// The ids of `Exercise(id: "...")` entries, in order.
    public static func exerciseIDs(in manifest: String) -> [String] {
        manifest.matches(of: #/Exercise\(id: "(Exercise\d+_\d+)"/#).map { String($0.1) }
    }

    /// The paths an exercise's entry excludes from its module (`exclude: ["LegacyScript"]` on the entry's line).
    public static func excludedPaths(of id: String, in manifest: String) -> [String] {
        for line in manifest.split(separator: "\n") where line.contains("Exercise(id: \"\(id)\"") {
            guard let list = line.firstMatch(of: #/exclude: \[([^\]]*)\]/#) else { return [] }
            return list.1.matches(of: #/"([^"]+)"/#).map { String($0.1) }
        }
        return []
    }
}
