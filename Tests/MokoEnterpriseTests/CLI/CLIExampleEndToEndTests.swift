import Foundation
import MokoEnterpriseTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `moko-cli-example` binary (Tests/Helpers/moko-cli-example) and captures its result.
private enum CLIExampleRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "moko-cli-example was not found next to the test bundle (searched: \(searched.joined(separator: ", "))). "
                + "Build it with `swift build --build-tests` (or `swift build --product moko-cli-example`)."
        }
    }

    /// The build products folder holds the test bundle and the executables side by side.
    static func binary() throws -> URL {
        var folders: [URL] = []
        if let override = ProcessInfo.processInfo.environment["MOKO_CLI_EXAMPLE_PATH"] {
            return URL(fileURLWithPath: override)
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        folders.append(Bundle.main.bundleURL)
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        // On macOS the bundle's executable sits in <products>/X.xctest/Contents/MacOS.
        folders += folders.map {
            $0.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        let candidates = folders.map { $0.appendingPathComponent("moko-cli-example") }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw BinaryMissing(searched: candidates.map(\.path))
    }

    /// Runs the binary to completion. `onLine` sees each stdout line as it arrives (used to send signals).
    static func run(
        _ arguments: [String], directory: URL? = nil, environment: [String: String] = [:],
        onLine: (@Sendable (String, Process) -> Void)? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var childEnvironment = ProcessInfo.processInfo.environment
        childEnvironment.removeValue(forKey: "MOKO_ENV")
        process.environment = childEnvironment.merging(environment) { _, new in new }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()

        // A watchdog so a hung child fails the test instead of hanging the suite.
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }

        let errors = LockedValue(Data())
        let stderrDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let data = stderr.fileHandleForReading.readDataToEndOfFile()
            errors.withLock { $0 = data }
            stderrDone.signal()
        }
        var output = Data()
        var pending = Data()
        while true {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output.append(chunk)
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                onLine?(line, process)
            }
        }
        process.waitUntilExit()
        stderrDone.wait()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: errors.value, as: UTF8.self))
    }
}

@Suite struct CLIExampleEndToEndTests {
    @Test func successPrintsTheGreetingAndExitsZero() throws {
        let result = try CLIExampleRunner.run(["--name", "Ada"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Hello, Ada!\n")
    }

    @Test func badFlagExits64() throws {
        let result = try CLIExampleRunner.run(["--no-such-flag"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--no-such-flag"))
        #expect(try CLIExampleRunner.run(["--verbose", "--quiet"]).status == 64)
    }

    @Test func versionComesFromTheCommandConfiguration() throws {
        let result = try CLIExampleRunner.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "1.2.3\n")
    }

    @Test func missingConfigurationKeyExits78NamingEveryKey() throws {
        let folder = try TemporaryDirectory(prefix: "cli-e2e")
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.appending("config"), withIntermediateDirectories: true)
        try "other: 1\n".write(to: folder.appending("config/development.yaml"), atomically: true, encoding: .utf8)
        let result = try CLIExampleRunner.run(["--use-config"], directory: folder.url)
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("greeting.prefix") && result.stderr.contains("greeting.target"))
        #expect(result.stdout.isEmpty)

        let missingFile = try CLIExampleRunner.run(["--use-config", "--env", "production"], directory: folder.url)
        #expect(missingFile.status == 78)
        #expect(missingFile.stderr.contains("production.yaml"))
    }

    @Test func configurationLayersReachTheScript() throws {
        let folder = try TemporaryDirectory(prefix: "cli-e2e-config")
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.appending("config"), withIntermediateDirectories: true)
        try "greeting:\n  prefix: ${PREFIX:-Hi}\n  target: file\n".write(
            to: folder.appending("config/staging.yaml"), atomically: true, encoding: .utf8)
        let result = try CLIExampleRunner.run(
            ["--use-config", "--env", "staging", "--set", "greeting.target=cli"], directory: folder.url,
            environment: ["MOKO_GREETING_TARGET": "env"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Hi, cli!\n")
    }

    @Test func dryRunIsVisibleToRun() throws {
        let result = try CLIExampleRunner.run(["--dry-run", "--name", "Ada"])
        #expect(result.status == 0)
        #expect(result.stdout == "DRY RUN: would print \"Hello, Ada!\"\n")
    }

    @Test func jsonOutputIsValidJSON() throws {
        let result = try CLIExampleRunner.run(["--json", "--name", "Ada", "--uppercase"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["greeting"] as? String == "HELLO, ADA!")
        #expect(object?["dryRun"] as? Bool == false)
    }

    @Test func sigintRunsTheInterruptHookAndExits130() throws {
        let result = try CLIExampleRunner.run(["--wait-for-interrupt"]) { line, process in
            if line == "working" { kill(process.processIdentifier, SIGINT) }
        }
        #expect(result.status == 130, "\(result.stderr)")
        #expect(result.stdout == "working\ncheckpoint saved\n")
        #expect(result.stderr.contains("Interrupted"))
    }

    @Test func sigtermAlsoRunsTheHookAndExits143() throws {
        let result = try CLIExampleRunner.run(["--wait-for-interrupt", "--quiet"]) { line, process in
            if line == "working" { kill(process.processIdentifier, SIGTERM) }
        }
        #expect(result.status == 143, "\(result.stderr)")
        #expect(result.stdout == "working\ncheckpoint saved\n")
    }

    @Test func logFileReceivesTheRunsLines() throws {
        let folder = try TemporaryDirectory(prefix: "cli-e2e-log")
        defer { folder.remove() }
        let log = folder.appending("run.log").path
        try "greeting:\n  prefix: Hey\n  target: you\n".write(
            to: folder.appending("extra.yaml"), atomically: true, encoding: .utf8)
        let result = try CLIExampleRunner.run(
            ["--use-config", "--config", folder.appending("extra.yaml").path, "--verbose", "--log-file", log],
            directory: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Hey, you!\n")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("debug moko-cli-example: Configuration loaded"))
    }
}
