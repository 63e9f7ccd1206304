import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kills the built `checkpoint-crash-child` with SIGKILL at random moments and resumes it.
///
/// The child is an executable target of the package; `swift build --build-tests` (and `swift test`)
/// build it next to the test bundle, in `.build/<triple>/debug/`. Set `CHECKPOINT_CRASH_CHILD` to use
/// another binary.
@Suite struct CheckpointCrashTests {
    /// How one run of the child ended.
    private struct ChildRun {
        var lines: [String]
        var killed: Bool
        var status: Int32
    }

    private struct ChildMissing: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "checkpoint-crash-child was not found; build it with `swift build --build-tests` "
                + "(searched: \(searched.joined(separator: ", ")))"
        }
    }

    /// The child binary, next to the test bundle.
    private static func childBinary() throws -> URL {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["CHECKPOINT_CRASH_CHILD"] {
            candidates.append(URL(fileURLWithPath: override))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let selfExe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        for base in [Bundle.main.bundleURL, executable, selfExe] {
            var folder = base
            for _ in 0..<3 {
                candidates.append(folder.appendingPathComponent("checkpoint-crash-child"))
                folder = folder.deletingLastPathComponent()
            }
        }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw ChildMissing(searched: candidates.map(\.path))
    }

    /// Runs the child; when `killAfter` is given, sends SIGKILL after reading that many progress lines
    /// ("completed …"), or right after launch when it is 0.
    private static func run(_ binary: URL, _ arguments: [String], killAfter: Int?) throws -> ChildRun {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let descriptor = output.fileHandleForReading.fileDescriptor
        var lines: [String] = []
        var progress = 0
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        var killed = false
        if killAfter == 0 {
            kill(process.processIdentifier, SIGKILL)
            killed = true
        }
        reading: while !killed {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending += buffer[0..<count]
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                lines.append(line)
                if line.hasPrefix("completed ") { progress += 1 }
                if let killAfter, progress == killAfter {
                    kill(process.processIdentifier, SIGKILL)
                    killed = true
                    break reading
                }
            }
        }
        process.waitUntilExit()
        try? output.fileHandleForReading.close()
        let wasKilled = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        return ChildRun(lines: lines, killed: killed && wasKilled, status: process.terminationStatus)
    }

    private static func itemName(_ index: Int) -> String {
        "item-" + String(repeating: "0", count: max(0, 4 - String(index).count)) + String(index)
    }

    @Test func sigkillAtRandomMomentsLosesNoCompletionAndRepeatsAtMostOneSideEffectPerKill() throws {
        let binary = try Self.childBinary()
        let directory = try TemporaryDirectory(prefix: "checkpoint-crash-ledger")
        defer { directory.remove() }
        let ledger = directory.appending("ledger.txt")
        let itemCount = 400
        let arguments = ["ledger", directory.appending("state").path, ledger.path, "\(itemCount)"]
        var random = RecoveryRandom(seed: 20_260_101)
        var kills = 0
        var acknowledged: Set<String> = []

        while kills < 25 {
            let run = try Self.run(binary, arguments, killAfter: Int.random(in: 1...6, using: &random))
            acknowledged.formUnion(run.lines.filter { $0.hasPrefix("completed ") }.map { String($0.dropFirst(10)) })
            guard run.killed else {
                #expect(run.lines.last == "finished", "the child ended without being killed: \(run.status)")
                break
            }
            kills += 1
            // Every completion the child acknowledged before the kill is on disk.
            let checkpoint = try Checkpoint(name: "crash-job", directory: directory.appending("state"))
            let completed = Set(try checkpoint.getState().completedItems)
            #expect(acknowledged.isSubset(of: completed), "a completion was lost after kill \(kills)")
        }
        #expect(kills >= 20, "only \(kills) kills landed before the job finished")

        let last = try Self.run(binary, arguments, killAfter: nil)
        #expect(last.status == 0)
        #expect(last.lines.last == "finished")

        let checkpoint = try Checkpoint(name: "crash-job", directory: directory.appending("state"))
        let state = try checkpoint.getState()
        let expected = (1...itemCount).map(Self.itemName)
        #expect(state.completedCount == itemCount)
        #expect(state.completedItems.sorted() == expected)
        #expect(try checkpoint.integrityCheck() == "ok")

        let lines = try String(contentsOf: ledger, encoding: .utf8).split(separator: "\n").map(String.init)
        let counts = Dictionary(lines.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(Set(counts.keys) == Set(expected), "the ledger holds a torn or unknown line")
        for item in expected {
            let count = counts[item] ?? 0
            #expect((1...2).contains(count), "\(item) appears \(count) times in the ledger")
        }
        #expect(lines.count - itemCount <= kills, "more repeated side effects than kills")
    }

    @Test func sigkillAtRandomMomentsWithTheOutboxGivesEachSideEffectExactlyOnce() throws {
        let binary = try Self.childBinary()
        let directory = try TemporaryDirectory(prefix: "checkpoint-crash-outbox")
        defer { directory.remove() }
        let itemCount = 200
        let arguments = ["outbox", directory.path, "\(itemCount)"]
        var random = RecoveryRandom(seed: 42)
        var kills = 0

        // Kill after 0…5 completions: 0 kills right after launch, possibly while the store is created.
        while kills < 22 {
            let run = try Self.run(binary, arguments, killAfter: Int.random(in: 0...5, using: &random))
            guard run.killed else { break }
            kills += 1
        }
        #expect(kills >= 20)
        let last = try Self.run(binary, arguments, killAfter: nil)
        #expect(last.status == 0)
        #expect(last.lines.last == "finished")

        let checkpoint = try Checkpoint(name: "crash-job", directory: directory.url)
        let expected = (1...itemCount).map(Self.itemName)
        #expect(try checkpoint.getState().completedItems.sorted() == expected)
        let messages = try checkpoint.outboxMessages(limit: 10_000)
        #expect(messages.map(\.message).sorted() == expected, "each side effect must be recorded exactly once")
        #expect(messages.allSatisfy { $0.message == $0.itemID })
        #expect(try checkpoint.integrityCheck() == "ok")
    }
}
