import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

@Suite struct RecoveryBadInputTests {
    @Test func aDirectoryUnderARegularFileGivesAStoreErrorNamingIt() throws {
        let directory = try TemporaryDirectory(prefix: "recovery-bad-dir")
        defer { directory.remove() }
        let file = directory.appending("plain-file")
        try Data("not a directory".utf8).write(to: file)
        let target = file.appendingPathComponent("checkpoints")

        let error = try #require(throws: StoreError.self) { try Checkpoint(name: "job", directory: target) }
        #expect(error.path == target.path)
        #expect(error.description.contains(target.path))
        let queueError = try #require(throws: StoreError.self) {
            try DeadLetterQueue(name: "job", directory: target)
        }
        #expect(queueError.path == target.path)
        #expect(try Data(contentsOf: file) == Data("not a directory".utf8))
    }

    @Test func aCorruptDatabaseGivesAStoreErrorAndIsLeftUntouched() throws {
        let directory = try TemporaryDirectory(prefix: "recovery-corrupt")
        defer { directory.remove() }
        let file = directory.appending("recovery.sqlite")
        var random = RecoveryRandom(seed: 7)
        let garbage = Data((0..<8_192).map { _ in UInt8.random(in: 0...255, using: &random) })
        try garbage.write(to: file)

        let error = try #require(throws: StoreError.self) { try Checkpoint(name: "job", directory: directory.url) }
        #expect(error.path == file.path)
        #expect(error.reason.contains("untouched"))
        let queueError = try #require(throws: StoreError.self) {
            try DeadLetterQueue(name: "job", directory: directory.url)
        }
        #expect(queueError.path == file.path)
        #expect(try Data(contentsOf: file) == garbage)
    }

    @Test func aTruncatedDatabaseIsReportedNotReset() throws {
        let directory = try TemporaryDirectory(prefix: "recovery-truncated")
        defer { directory.remove() }
        do {
            let checkpoint = try Checkpoint(name: "job", directory: directory.url)
            try checkpoint.markCompleted((0..<500).map { "item-\($0)" })
        }
        let file = directory.appending("recovery.sqlite")
        // Fold the WAL into the main file first, then cut the file in half.
        for suffix in ["-wal", "-shm"] {
            try? FileManager.default.removeItem(at: URL(fileURLWithPath: file.path + suffix))
        }
        let whole = try Data(contentsOf: file)
        let half = whole.prefix(whole.count / 2)
        try half.write(to: file)

        let opened = Result { try Checkpoint(name: "job", directory: directory.url) }
        if case .success(let checkpoint) = opened {
            // If SQLite can still open it, reads may fail, but nothing may have been silently reset.
            let count = try? checkpoint.getState().completedCount
            #expect(count != 0)
        } else {
            #expect(throws: StoreError.self) { try opened.get() }
        }
        #expect(try Data(contentsOf: file) == half)
    }

    @Test(arguments: [0, -1, 1_001, Int.max])
    func maxRetriesOutOfRangeIsRejectedBeforeTouchingTheDisk(maxRetries: Int) throws {
        let directory = try TemporaryDirectory(prefix: "recovery-max-retries")
        defer { directory.remove() }
        let target = directory.appending("queue")
        let error = try #require(throws: DeadLetterError.self) {
            try DeadLetterQueue(name: "job", maxRetries: maxRetries, directory: target)
        }
        #expect(error.code == .invalidMaxRetries)
        #expect(error.description.contains("\(maxRetries)"))
        #expect(error.description.contains("1000"))
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    @Test(arguments: [1, 1_000])
    func maxRetriesAtTheBoundsIsAccepted(maxRetries: Int) throws {
        let directory = try TemporaryDirectory(prefix: "recovery-max-retries-ok")
        defer { directory.remove() }
        let queue = try DeadLetterQueue(name: "job", maxRetries: maxRetries, directory: directory.url)
        #expect(queue.maxRetries == maxRetries)
    }
}
