import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program to run: what, with which arguments and extra environment, and where.
public struct Invocation: Sendable, Equatable {
    /// The program, looked up on `PATH` (e.g. `swift`).
    public var program: String
    /// Its arguments.
    public var arguments: [String]
    /// Variables added to (or replacing those of) the current environment.
    public var environment: [String: String]
    /// The working directory.
    public var directory: URL

    /// Creates an invocation.
    public init(program: String, arguments: [String], environment: [String: String] = [:], directory: URL) {
        self.program = program
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
    }

    /// The command as a user would type it (environment first), for messages and logs.
    public var commandLine: String {
        let variables = environment.keys.sorted().map { "\($0)=\(Self.quoted(environment[$0] ?? ""))" }
        return (variables + [program] + arguments.map(Self.quoted)).joined(separator: " ")
    }

    private static func quoted(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=,:@".contains($0) }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

/// How a program ended and what it printed (standard output and standard error, interleaved).
public struct ProcessOutcome: Sendable, Equatable {
    /// The exit code, or 128 + the signal number when a signal ended it.
    public var exitCode: Int32
    /// Everything it printed.
    public var output: String

    /// Creates an outcome.
    public init(exitCode: Int32, output: String) {
        self.exitCode = exitCode
        self.output = output
    }
}

/// Runs programs. The real one starts processes; tests substitute recorded outcomes.
public protocol ProcessRunning: Sendable {
    /// Runs `invocation` to its end.
    ///
    /// - Parameters:
    ///   - invocation: what to run.
    ///   - onLine: called with each line of output as it arrives (without the line break).
    /// - Returns: the exit code and the whole output.
    /// - Throws: ``LabError`` when the program cannot be started.
    func run(_ invocation: Invocation, onLine: @escaping @Sendable (String) -> Void) throws -> ProcessOutcome
}

/// Starts real processes with Foundation's `Process`.
public struct SystemProcessRunner: ProcessRunning {
    /// Where started children are registered, so that a signal to `lab` stops them too.
    public var children: ChildProcesses

    /// Creates a runner.
    public init(children: ChildProcesses = .shared) {
        self.children = children
    }

    /// Runs `invocation`, reading its output as it comes.
    public func run(_ invocation: Invocation, onLine: @escaping @Sendable (String) -> Void) throws -> ProcessOutcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [invocation.program] + invocation.arguments
        process.environment = ProcessInfo.processInfo.environment.merging(invocation.environment) { $1 }
        process.currentDirectoryURL = invocation.directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try Self.withSignalsUnblocked { try process.run() }
        } catch {
            throw LabError("cannot start `\(invocation.program)`: \(error.localizedDescription)")
        }
        let pid = process.processIdentifier
        children.started(pid)
        defer { children.ended(pid) }
        var output = Data()
        var pending = Data()
        let reader = pipe.fileHandleForReading
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            output.append(chunk)
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                onLine(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        if !pending.isEmpty { onLine(String(decoding: pending, as: UTF8.self)) }
        process.waitUntilExit()
        let code =
            process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return ProcessOutcome(exitCode: code, output: String(decoding: output, as: UTF8.self))
    }

    /// Runs `body` (which starts a child) with no signal blocked in the calling thread.
    ///
    /// A child inherits the signal mask of the thread that starts it, and the threads Swift concurrency and
    /// Dispatch run on block most signals: a `swift build` started from one ignored SIGTERM and Ctrl-C for good.
    static func withSignalsUnblocked<T>(_ body: () throws -> T) rethrows -> T {
        var none = sigset_t()
        var previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }
}
