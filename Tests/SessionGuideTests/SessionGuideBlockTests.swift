import Foundation
import Testing

/// The session guides keep their Swift blocks, and the build compiled every one of them.
///
/// The `SessionSnippets` plugin compiles each ```` ```swift ```` block of `sessions/*.md` into this target (a
/// block that does not compile fails the build, at the guide's line) and records what it found in
/// `SessionGuideManifest`. These tests make sure that the plugin saw the guides as they are now and that no
/// guide lost its code.
@Suite("Session guide code blocks")
struct SessionGuideBlockTests {
    /// The least each guide must keep: (all blocks, runnable blocks). A guide losing its demos fails here.
    static let minimums: [String: (total: Int, runnable: Int)] = [
        "sessions/session-1-libraries-overview.md": (13, 9),
        "sessions/session-2-integration-workshop.md": (19, 11),
        "sessions/session-3-advanced-features.md": (13, 12),
    ]

    @Test("each guide keeps its Swift blocks", arguments: minimums.keys.sorted())
    func guideKeepsItsBlocks(guide: String) throws {
        let entry = try #require(
            SessionGuideManifest.entries.first { $0.guide == guide },
            "\(guide) is missing or the plugin did not see it")
        let minimum = try #require(Self.minimums[guide])
        #expect(
            entry.total >= minimum.total, "\(guide) has \(entry.total) Swift blocks; it should keep \(minimum.total)")
        #expect(
            entry.runnable >= minimum.runnable,
            "\(guide) has \(entry.runnable) runnable blocks; it should keep \(minimum.runnable)")
    }

    @Test("the compiled blocks are the guide's current blocks", arguments: minimums.keys.sorted())
    func manifestMatchesTheMarkdown(guide: String) throws {
        let text = try String(contentsOf: GuideFiles.root.appendingPathComponent(guide), encoding: .utf8)
        let fences = text.split(separator: "\n", omittingEmptySubsequences: false).filter {
            $0.hasPrefix("```swift")
        }
        let entry = try #require(SessionGuideManifest.entries.first { $0.guide == guide })
        #expect(
            entry.total == fences.count,
            "\(guide) has \(fences.count) ```swift fences but \(entry.total) blocks were compiled; rebuild the tests")
    }

    @Test("no Swift fence is indented (indented fences would escape the check)", arguments: minimums.keys.sorted())
    func noIndentedSwiftFences(guide: String) throws {
        let text = try String(contentsOf: GuideFiles.root.appendingPathComponent(guide), encoding: .utf8)
        let indented = text.split(separator: "\n").enumerated().filter { _, line in
            !line.hasPrefix("```") && line.trimmingCharacters(in: .whitespaces).hasPrefix("```swift")
        }
        #expect(indented.isEmpty, "\(guide): indented ```swift fences at lines \(indented.map { $0.offset + 1 })")
    }
}

/// Where the package's `sessions/` folder is (these tests run from the source tree).
enum GuideFiles {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SessionGuideTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
}
