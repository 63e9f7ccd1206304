import Foundation
import MokoEnterpriseTestSupport
import Testing

@testable import MokoEnterprise

@Suite struct FileUtilitiesTests {
    private func entries(of folder: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func atomicWriteReplacesContentAndLeavesNoTemporaryFile() throws {
        let folder = try TemporaryDirectory(prefix: "atomic")
        defer { folder.remove() }
        let file = folder.appending("state.yaml")
        try FileUtilities.atomicWrite("first\n", to: file)
        try FileUtilities.atomicWrite("second\n", to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "second\n")
        #expect(try entries(of: folder) == ["state.yaml"])
    }

    @Test func failedWriteKeepsTheOldContentAndRemovesTheTemporaryFile() throws {
        let folder = try TemporaryDirectory(prefix: "atomic-fail")
        defer { folder.remove() }
        let file = folder.appending("state.yaml")
        try FileUtilities.atomicWrite("old content\n", to: file)
        let replacement = Data(String(repeating: "new content ", count: 1_000).utf8)
        #expect(throws: FileUtilitiesError.self) {
            // As a full disk would: the write fails half-way through.
            try FileUtilities.atomicWrite(replacement, to: file, permissions: nil, failAfterBytes: 5_000)
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "old content\n")
        #expect(try entries(of: folder) == ["state.yaml"])
    }

    @Test(.enabled(if: getuid() != 0, "root bypasses directory permissions"))
    func writeIntoAReadOnlyDirectoryFailsAndChangesNothing() throws {
        let folder = try TemporaryDirectory(prefix: "atomic-ro")
        defer {
            chmod(folder.path, 0o755)
            folder.remove()
        }
        let file = folder.appending("state.yaml")
        try FileUtilities.atomicWrite("old\n", to: file)
        chmod(folder.path, 0o555)
        #expect(throws: FileUtilitiesError.permissionDenied(path: folder.path, operation: "create a temporary file in"))
        {
            try FileUtilities.atomicWrite("new\n", to: file)
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "old\n")
        #expect(try entries(of: folder) == ["state.yaml"])
    }

    @Test func writeIntoAMissingDirectoryIsAClearError() throws {
        let folder = try TemporaryDirectory(prefix: "atomic-missing")
        defer { folder.remove() }
        let file = folder.appending("no/such/dir/state.yaml")
        #expect(throws: FileUtilitiesError.notFound(path: folder.appending("no/such/dir").path)) {
            try FileUtilities.atomicWrite("x", to: file)
        }
        #expect(try entries(of: folder).isEmpty)
    }

    @Test func atomicWriteKeepsTheModeOfTheReplacedFile() throws {
        let folder = try TemporaryDirectory(prefix: "atomic-mode")
        defer { folder.remove() }
        let file = folder.appending("secret.env")
        try FileUtilities.atomicWrite("a", to: file, permissions: 0o600)
        try FileUtilities.atomicWrite("b", to: file)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func safeReadFileReportsEachFailureClearly() throws {
        let folder = try TemporaryDirectory(prefix: "read")
        defer { folder.remove() }
        let file = folder.appending("a.txt")
        try "hello".write(to: file, atomically: true, encoding: .utf8)
        #expect(try FileUtilities.safeReadFile(file) == "hello")
        #expect(try FileUtilities.safeReadFile(file.path) == "hello")
        #expect(throws: FileUtilitiesError.notFound(path: folder.appending("missing.txt").path)) {
            try FileUtilities.safeReadFile(folder.appending("missing.txt"))
        }
        #expect(throws: FileUtilitiesError.notARegularFile(path: folder.path)) {
            try FileUtilities.safeReadFile(folder.url)
        }
        #expect(throws: FileUtilitiesError.tooLarge(path: file.path, size: 5, limit: 4)) {
            try FileUtilities.safeReadFile(file, maxBytes: 4)
        }
        let bad = folder.appending("bad.txt")
        try Data([0x6F, 0x6B, 0xFF, 0xFE]).write(to: bad)
        #expect(throws: FileUtilitiesError.invalidUTF8(path: bad.path, byteOffset: 2)) {
            try FileUtilities.safeReadFile(bad)
        }
        #expect(FileUtilitiesError.invalidUTF8(path: bad.path, byteOffset: 2).description.contains("offset 2"))
    }

    @Test func tenMegabyteSingleLineFileIsReadWithinTheDefaultLimit() throws {
        let folder = try TemporaryDirectory(prefix: "read-big")
        defer { folder.remove() }
        let file = folder.appending("line.txt")
        try Data(repeating: UInt8(ascii: "y"), count: 10 * 1024 * 1024).write(to: file)
        #expect(try FileUtilities.safeReadFile(file).utf8.count == 10 * 1024 * 1024)
        #expect(throws: FileUtilitiesError.tooLarge(path: file.path, size: 10 * 1024 * 1024, limit: 1024)) {
            try FileUtilities.safeReadFile(file, maxBytes: 1024)
        }
    }

    @Test func ensureDirectoryCreatesParentsAndRefusesAFileInTheWay() throws {
        let folder = try TemporaryDirectory(prefix: "ensure")
        defer { folder.remove() }
        try FileUtilities.ensureDirectory(folder.appending("a/b/c"))
        try FileUtilities.ensureDirectory(folder.appending("a/b/c"))
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: folder.appending("a/b/c").path, isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
        try "x".write(to: folder.appending("file"), atomically: true, encoding: .utf8)
        #expect(throws: FileUtilitiesError.self) { try FileUtilities.ensureDirectory(folder.appending("file")) }
    }
}
