import Foundation

/// The rules of an exercise that can be read without building: files, markers, class names, assertions, the
/// catalogue entry.
public enum StaticRules {
    /// The violations of one exercise, each a sentence naming the file and what to do.
    ///
    /// - Parameters:
    ///   - id: the exercise's target name.
    ///   - lab: the lab folder.
    ///   - catalogue: the catalogue.
    ///   - packageIDs: the exercise ids `Package.swift` declares.
    ///   - excluded: the paths inside `Exercises/<id>` that `Package.swift` keeps out of the exercise's module.
    public static func violations(
        of id: String, in lab: LabFolder, catalogue: Catalogue, packageIDs: [String], excluded: [String] = []
    ) -> [String] {
        var problems: [String] = []
        let visibleFiles = SourceScan.swiftFiles(in: lab.url("Tests/\(id)Tests"))
        let hiddenFiles = SourceScan.swiftFiles(in: lab.url("grader/hidden/\(id)"))
        let visible = text(of: visibleFiles)
        let hidden = text(of: hiddenFiles)

        if !packageIDs.contains(id) { problems.append("Package.swift's curriculum has no Exercise(id: \"\(id)\")") }
        if let entry = catalogue.entry(id: id) {
            if entry.filter != "\(id)Tests" {
                problems.append("the catalogue's filter is '\(entry.filter)', not '\(id)Tests'")
            }
            if ExerciseReference.targetName(entry.number) != id {
                problems.append("the catalogue's number '\(entry.number)' does not name \(id)")
            }
            if entry.hints.isEmpty { problems.append("the catalogue entry has no hints") }
        } else {
            problems.append("no catalogue entry with 'id: \(id)' in Exercises/catalogue.yaml")
        }
        if !lab.exists("Exercises/\(id)/README.md") { problems.append("no Exercises/\(id)/README.md") }
        if visible.range(of: #"(?m)^final class \#(id)Checks: XCTestCase"#, options: .regularExpression) == nil {
            problems.append("no 'final class \(id)Checks: XCTestCase' in Tests/\(id)Tests")
        }
        if hiddenFiles.isEmpty {
            problems.append("no hidden checks in grader/hidden/\(id)")
        } else if hidden.range(of: #"(?m)^final class \#(id)HiddenChecks: XCTestCase"#, options: .regularExpression)
            == nil
        {
            problems.append("no 'final class \(id)HiddenChecks: XCTestCase' in grader/hidden/\(id)")
        }
        if SourceScan.checkMethods(in: visible).isEmpty {
            problems.append("no visible check methods (func test...) in Tests/\(id)Tests")
        }
        let skeletonFiles = SourceScan.files(in: lab.url("Exercises/\(id)"))
        if !skeletonFiles.contains(where: {
            ((try? String(contentsOf: $0, encoding: .utf8)) ?? "").contains("// TODO:")
        }) {
            problems.append("the skeleton has no // TODO: marker")
        }
        let codeFolders = ["Exercises/\(id)", "Solutions/\(id)", "grader/mutants/\(id)"]
        // A patch mutant's code is the solution plus the text of its `mutant.yaml` edits.
        let mutantPatches = SourceScan.files(in: lab.url("grader/mutants/\(id)")).filter {
            $0.lastPathComponent == "mutant.yaml"
        }
        if let hit = firstLine(
            matching: #"\bfatalError\(|\bpreconditionFailure\(|\btry!"#,
            in: codeFolders.flatMap { SourceScan.swiftFiles(in: lab.url($0)) } + mutantPatches, lab: lab)
        {
            problems.append("code that can crash (fatalError/preconditionFailure/try!): \(hit)")
        }
        if let hit = firstLine(matching: #"\btry\?"#, in: visibleFiles + hiddenFiles, lab: lab) {
            problems.append("a check uses try? (the trainee's errors must reach the report): \(hit)")
        }
        let printing =
            #"\bXCTAssert(Equal|NotEqual|Nil|GreaterThan|GreaterThanOrEqual|LessThan|LessThanOrEqual|Identical|NotIdentical)\("#
        if let hit = firstLine(matching: printing, in: hiddenFiles, lab: lab) {
            problems.append("a hidden check uses an assertion that prints values (use XCTAssertTrue): \(hit)")
        }
        // Folders the exercise's module excludes (2.1's LegacyScript, a separate executable) are not part of it.
        let excludedFolders = excluded.map { lab.url("Exercises/\(id)/\($0)").path + "/" }
        let skeletonNames = Set(
            SourceScan.swiftFiles(in: lab.url("Exercises/\(id)"))
                .filter { file in !excludedFolders.contains { file.path.hasPrefix($0) } }
                .map(\.lastPathComponent))
        let solutionNames = Set(SourceScan.swiftFiles(in: lab.url("Solutions/\(id)")).map(\.lastPathComponent))
        if skeletonNames != solutionNames {
            problems.append("Exercises/\(id) and Solutions/\(id) do not have the same Swift files")
        }
        return problems
    }

    /// Problems of the catalogue and `Package.swift` as a whole: entries for exercises Package.swift does not
    /// declare, and repeated ids. (The order of entries does not matter: `lab` sorts by number.)
    public static func catalogueViolations(catalogue: Catalogue, packageIDs: [String]) -> [String] {
        var problems: [String] = []
        var seen = Set<String>()
        for entry in catalogue.entries {
            if !seen.insert(entry.id).inserted { problems.append("the catalogue lists \(entry.id) twice") }
            if !packageIDs.contains(entry.id) {
                problems.append("the catalogue lists \(entry.id), which Package.swift's curriculum does not declare")
            }
        }
        return problems
    }

    private static func text(of files: [URL]) -> String {
        files.map { (try? String(contentsOf: $0, encoding: .utf8)) ?? "" }.joined(separator: "\n")
    }

    private static func firstLine(matching pattern: String, in files: [URL], lab: LabFolder) -> String? {
        for file in files {
            let lines = ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(
                separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated() where line.range(of: pattern, options: .regularExpression) != nil {
                let relative = file.path.replacingOccurrences(of: lab.root.path + "/", with: "")
                return "\(relative):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))"
            }
        }
        return nil
    }
}
