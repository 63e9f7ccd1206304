import ArgumentParser
import Foundation
import GraderKit

/// `grade`: the certification grader (see grader/README.md).
@main
struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade MokoLab submissions against the 200-point certification rubric.",
        subcommands: [RubricCommand.self])
}

/// Options every subcommand shares.
struct RootOptions: ParsableArguments {
    @Option(
        help: "The instructor's copy (the package root); default: the nearest folder above with grader/rubric.yaml.")
    var root: String?

    @Option(help: "The rubric file (default: <root>/grader/rubric.yaml).")
    var rubric: String?

    func instructorRoot() throws -> URL {
        if let root { return URL(fileURLWithPath: root).standardizedFileURL }
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("grader/rubric.yaml").path) {
                return directory
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path {
                throw ValidationError("no grader/rubric.yaml in this folder or above; pass --root")
            }
            directory = parent
        }
    }

    func rubricURL(root: URL) -> URL {
        rubric.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? root.appendingPathComponent("grader/rubric.yaml")
    }
}

/// `grade rubric`: validates the rubric against the checks in the tree and prints the allocation.
struct RubricCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rubric",
        abstract: "Validate the rubric against the tree's checks and print how points are allocated.")

    @OptionGroup var options: RootOptions

    @Flag(help: "Also refuse exercise folders without hidden or visible checks (CI).")
    var strict = false

    func run() throws {
        let root = try options.instructorRoot()
        do {
            let rubric = try Rubric.load(from: options.rubricURL(root: root))
            let allocation = try RubricValidator.validate(
                rubric, against: try CheckInventory.scan(root: root), strict: strict)
            print(RubricSummary.render(allocation))
        } catch let error as RubricError {
            FileHandle.standardError.write(Data("grade: \(error)\n".utf8))
            throw ExitCode(65)
        }
    }
}
