import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

@Suite("SecurityValidator.validatePath")
struct SecurityPathTests {
    let validator = SecurityValidator()

    private func withRoot(_ body: (String, TemporaryDirectory) throws -> Void) throws {
        let directory = try TemporaryDirectory(prefix: "path-validation")
        defer { directory.remove() }
        let root = directory.appending("root").path
        try FileManager.default.createDirectory(atPath: root + "/docs", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/docs/a..b.txt"))
        try FileManager.default.createDirectory(
            atPath: directory.appending("root2").path, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: directory.appending("outside").path, withIntermediateDirectories: true)
        try body(root, directory)
    }

    @Test func acceptsPlainNamesInsideTheRoot() throws {
        try withRoot { root, _ in
            let resolvedRoot = try #require(realpathString(root))
            #expect(try validator.validatePath("docs/a..b.txt", allowedRoot: root) == resolvedRoot + "/docs/a..b.txt")
            #expect(
                try validator.validatePath("docs/new-file.txt", allowedRoot: root) == resolvedRoot
                    + "/docs/new-file.txt")
            #expect(try validator.validatePath("./docs/./x", allowedRoot: root) == resolvedRoot + "/docs/x")
            #expect(try validator.validatePath(root + "/docs", allowedRoot: root) == resolvedRoot + "/docs")
            #expect(
                try validator.validatePath("docs/%20space.txt", allowedRoot: root) == resolvedRoot + "/docs/ space.txt")
        }
    }

    @Test(arguments: [
        "../etc/passwd", "..\\..\\windows", "%2e%2e%2fetc%2fpasswd", "..%2fsecret", "%252e%252e%252f",
        "....//....//etc/passwd", "..%c0%afetc", "\u{FF0E}\u{FF0E}/etc", "..\u{FF0F}etc", "..\u{2215}etc",
        "file.txt\u{0}.png", "file.txt%00.png", "/etc/passwd", "C:\\Windows", "c:/boot.ini", "docs/../../x", "..",
        "%zz", "", "docs/\u{1}x",
    ])
    func rejectsTraversal(payload: String) throws {
        try withRoot { root, _ in
            #expect(throws: PathValidationError.self, "accepted \(payload)") {
                try validator.validatePath(payload, allowedRoot: root)
            }
        }
    }

    @Test func checksContainmentByComponentsNotPrefix() throws {
        try withRoot { root, directory in
            let error = try #require(throws: PathValidationError.self) {
                try validator.validatePath(directory.appending("root2").path + "/x", allowedRoot: root)
            }
            guard case .outsideRoot = error.reason else {
                Issue.record("unexpected reason \(error.reason)")
                return
            }
        }
    }

    @Test func rejectsSymlinksThatEscape() throws {
        try withRoot { root, directory in
            let outside = directory.appending("outside").path
            try FileManager.default.createSymbolicLink(atPath: root + "/escape", withDestinationPath: outside)
            try FileManager.default.createSymbolicLink(
                atPath: root + "/dangling", withDestinationPath: outside + "/not-yet-created")
            try FileManager.default.createSymbolicLink(atPath: root + "/inside", withDestinationPath: root + "/docs")
            #expect(throws: PathValidationError.self) { try validator.validatePath("escape/file", allowedRoot: root) }
            #expect(throws: PathValidationError.self) { try validator.validatePath("escape", allowedRoot: root) }
            #expect(throws: PathValidationError.self) { try validator.validatePath("dangling", allowedRoot: root) }
            let resolvedRoot = try #require(realpathString(root))
            #expect(try validator.validatePath("inside/a..b.txt", allowedRoot: root) == resolvedRoot + "/docs/a..b.txt")
        }
    }

    @Test func reportsTheReason() throws {
        try withRoot { root, _ in
            let double = try #require(throws: PathValidationError.self) {
                try validator.validatePath("%252e%252e%252fx", allowedRoot: root)
            }
            #expect(double.reason == .doubleEncoding)
            let dots = try #require(throws: PathValidationError.self) {
                try validator.validatePath("....//x", allowedRoot: root)
            }
            #expect(dots.reason == .traversalComponent("...."))
            #expect(dots.description.contains("...."))
            let missingRoot = try #require(throws: PathValidationError.self) {
                try validator.validatePath("x", allowedRoot: root + "/nope")
            }
            #expect(missingRoot.reason == .rootUnavailable(root + "/nope"))
        }
    }

    private func realpathString(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
