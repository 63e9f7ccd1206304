import Foundation

/// `lab kit OUT/`: writes the trainee kit — the lab without the reference solutions, the hidden checks, the
/// mutants, the grader, the library's own suites and the session guides' instructor sections.
///
/// The kit keeps the same `Package.swift`: it declares a tool or suite only when its folder exists and hidden
/// checks only when `grader/hidden/<id>` exists, so the kit builds without what was left out.
public struct KitExporter: Sendable {
    /// The instructor's lab.
    public var lab: LabFolder

    /// Files at the top of the lab that the kit keeps (when present).
    public static let rootFiles = ["Package.swift", "Package.resolved", ".gitignore", ".swift-format"]
    /// Folders of `Sources/` the kit keeps: the library, the support every check uses, the mock server and
    /// `lab` (with `SamplePatches`, which `lab verify` uses to build patch mutants). Anything else (the grader, instructor tools) stays out, including folders added later.
    public static let sourceFolders = [
        "MokoEnterprise", "ExerciseSupport", "MokoEnterpriseTestSupport", "MockGitHub", "MockGitHubServer",
        "mock-github", "moko-demo", "SamplePatches", "LabKit", "lab",
    ]
    /// What the kit never contains, whatever else changes.
    public static let excluded = ["Solutions", "grader", "Benchmarks", "scripts", ".ci"]

    /// The exercises to include (target names); nil includes every exercise that has its checks.
    public var exercises: Set<String>?

    /// Creates an exporter for a lab.
    ///
    /// - Parameters:
    ///   - lab: the instructor's lab.
    ///   - exercises: the exercises to include (target names); nil includes every one that has its checks.
    public init(lab: LabFolder, exercises: Set<String>? = nil) {
        self.lab = lab
        self.exercises = exercises
    }

    /// The files to copy: paths relative to the lab, sorted.
    public func plan() throws -> [String] {
        var paths = Self.rootFiles.filter(lab.exists)
        let catalogue = try lab.catalogue()
        // Exercises with their checks: an exercise still being written (no checks yet) stays out.
        let exerciseIDs = Set(
            catalogue.entries.map(\.id).filter {
                lab.exists("Exercises/\($0)") && lab.exists("Tests/\($0)Tests") && exercises?.contains($0) ?? true
            })
        // The capstone skeleton (`Exercises/Project`, with its own Sources/ and Tests/) goes in whole.
        let folders = exerciseIDs.union(exercises == nil || exercises?.contains("Project") == true ? ["Project"] : [])
        for file in files(under: "Exercises") {
            let parts = file.split(separator: "/")
            if parts.count == 2 || (parts.count > 2 && folders.contains(String(parts[1]))) { paths.append(file) }
        }
        for id in exerciseIDs { paths += files(under: "Tests/\(id)Tests") }
        for folder in Self.sourceFolders { paths += files(under: "Sources/\(folder)") }
        paths += files(under: "sessions")
        return paths.sorted()
    }

    /// Writes the kit to `destination`, which must not exist or be an empty folder.
    ///
    /// The kit is written next to `destination` first and moved into place at the end, so a failure leaves
    /// nothing half-written.
    ///
    /// - Returns: how many files were written.
    /// - Throws: ``LabError`` (usage) when `destination` is not empty or lies inside the lab's kit folders.
    @discardableResult
    public func export(to destination: URL) throws -> Int {
        let manager = FileManager.default
        let target = destination.standardizedFileURL
        if manager.fileExists(atPath: target.path) {
            let contents = (try? manager.contentsOfDirectory(atPath: target.path)) ?? ["?"]
            guard contents.isEmpty else {
                throw LabError.usage("lab kit: \(target.path) already exists and is not empty; choose a new folder.")
            }
        }
        let root = lab.root.path + "/"
        if (target.path + "/").hasPrefix(root) {
            let inside = String(target.path.dropFirst(root.count))
            let top = inside.split(separator: "/").first.map(String.init) ?? ""
            if ["Exercises", "Sources", "Tests", "sessions"].contains(top) || inside.isEmpty {
                throw LabError.usage("lab kit: write the kit outside \(top.isEmpty ? "the lab" : top + "/").")
            }
        }
        let paths = try plan()
        let staging = target.deletingLastPathComponent().appendingPathComponent(
            ".\(target.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        try? manager.removeItem(at: staging)
        do {
            for path in paths {
                let destinationFile = staging.appendingPathComponent(path)
                try manager.createDirectory(
                    at: destinationFile.deletingLastPathComponent(), withIntermediateDirectories: true)
                if path.hasPrefix("sessions/"), path.hasSuffix(".md") {
                    let guide = try String(contentsOf: lab.url(path), encoding: .utf8)
                    try Data(Self.withoutInstructorSections(guide).utf8).write(to: destinationFile)
                } else {
                    try manager.copyItem(at: lab.url(path), to: destinationFile)
                }
            }
            try Data(Self.readme.utf8).write(to: staging.appendingPathComponent("README.md"))
            if manager.fileExists(atPath: target.path) { try manager.removeItem(at: target) }
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manager.moveItem(at: staging, to: target)
        } catch {
            try? manager.removeItem(at: staging)
            throw LabError("lab kit: cannot write \(target.path): \(error.localizedDescription)")
        }
        return paths.count + 1
    }

    /// A session guide without its `## For instructors` sections (they hold the quiz answers in words): each
    /// runs from its heading to the next `## ` heading or the end.
    public static func withoutInstructorSections(_ guide: String) -> String {
        var kept: [Substring] = []
        var skipping = false
        for line in guide.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { skipping = line.lowercased().hasPrefix("## for instructors") }
            if !skipping { kept.append(line) }
        }
        var text = kept.joined(separator: "\n")
        while text.hasSuffix("\n\n") { text.removeLast() }
        return text
    }

    /// Regular files under a folder of the lab, relative to the lab, skipping build and state folders.
    private func files(under folder: String) -> [String] {
        let root = lab.root.path + "/"
        return SourceScan.files(in: lab.url(folder)).compactMap { url in
            let relative = url.standardizedFileURL.path.replacingOccurrences(of: root, with: "")
            let parts = relative.split(separator: "/")
            let skipped = parts.contains {
                $0.hasPrefix(".build") || $0 == ".lab" || $0 == ".swiftpm" || $0 == ".DS_Store"
            }
            return skipped ? nil : relative
        }
    }

    /// The kit's README.
    static let readme = """
        # MokoLab — trainee kit

        The MokoEnterprise library, the exercises of Sessions 1–3, the session guides (`sessions/`) and the mock
        GitHub server. You need a Swift 6 toolchain, and on Linux `libsqlite3-dev` and `libcurl4-openssl-dev`.

        ```sh
        swift run lab list          # the exercises and your progress
        swift run lab test 1.3      # build and run one exercise's checks; first failing check first
        swift run lab hint 1.3      # the next hint, one level at a time
        swift run lab watch 1.3     # re-run on every save; moves on when it passes
        swift run mock-github --repos 250 --seed 7   # the mock GitHub server, for the sessions' demos
        ```

        Build `lab` once (`swift build --product lab`) and call `.build/debug/lab` to skip `swift run`'s checks.
        Each exercise's task is in `Exercises/<id>/README.md`; `Exercises/README.md` explains the rules. The
        plain command works too: `swift test --disable-swift-testing --filter Exercise1_3Tests`.
        """
}
