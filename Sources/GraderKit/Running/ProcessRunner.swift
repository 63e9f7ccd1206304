import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended.
public struct ProcessOutcome: Sendable, Equatable {
    /// Why the process stopped.
    public enum Ending: Sendable, Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it (a crash: 4 illegal instruction from a Swift trap, 11 segmentation fault...).
        case signalled(Int32)
        /// The grader killed it after the wall-time limit.
        case timedOut
        /// The grader killed it after the output limit.
        case outputLimit
    }

    /// Why the process stopped.
    public var ending: Ending
    /// Its standard output and error, interleaved, up to the output limit.
    public var output: String
    /// Wall time in seconds.
    public var seconds: Double
}

/// Runs a child process with a wall-time and output limit, its output going to a file.
public enum ProcessRunner {
    /// Runs `arguments` (the first is the executable's path).
    ///
    /// - Parameters:
    ///   - arguments: the executable's absolute path and its arguments.
    ///   - directory: the working directory.
    ///   - environment: the whole environment of the child.
    ///   - wallSeconds: the wall-time limit.
    ///   - outputBytes: the output limit.
    ///   - logFile: where the output goes (kept for the instructor).
    /// - Returns: how the process ended and its output.
    /// - Throws: ``GradingError/infrastructure(_:)`` when the process cannot be started.
    public static func run(
        _ arguments: [String], directory: URL, environment: [String: String], wallSeconds: Double, outputBytes: Int,
        logFile: URL
    ) throws -> ProcessOutcome {
        guard let executable = arguments.first else { throw GradingError.infrastructure("no command to run") }
        try? FileManager.default.createDirectory(
            at: logFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: logFile.path)
        else {
            throw GradingError.infrastructure("cannot write \(logFile.path)")
        }
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        process.currentDirectoryURL = directory
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        do {
            try process.run()
        } catch {
            throw GradingError.infrastructure("cannot start \(executable): \(error.localizedDescription)")
        }
        var killedFor: ProcessOutcome.Ending?
        while process.isRunning {
            usleep(50_000)
            if Date().timeIntervalSince(start) > wallSeconds {
                killedFor = .timedOut
            } else if let size = try? FileManager.default.attributesOfItem(atPath: logFile.path)[.size] as? Int,
                size > outputBytes
            {
                killedFor = .outputLimit
            }
            if killedFor != nil {
                // Foundation starts the child as the leader of its own process group: kill the group (children it
                // started included), then the child itself in case it left the group.
                kill(-process.processIdentifier, SIGKILL)
                kill(process.processIdentifier, SIGKILL)
                break
            }
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        // Only the first `outputBytes`: a killed child's orphans may still be writing.
        let reader = FileHandle(forReadingAtPath: logFile.path)
        let data = (try? reader?.read(upToCount: outputBytes)) ?? nil
        try? reader?.close()
        let output = String(decoding: data ?? Data(), as: UTF8.self)
        let ending: ProcessOutcome.Ending
        if let killedFor {
            ending = killedFor
        } else if process.terminationReason == .uncaughtSignal {
            ending = .signalled(process.terminationStatus)
        } else {
            ending = .exited(process.terminationStatus)
        }
        return ProcessOutcome(ending: ending, output: output, seconds: seconds)
    }

    /// The absolute path of `name` on `PATH`, if any.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
