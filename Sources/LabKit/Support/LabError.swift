/// An error `lab` reports to its user: what went wrong, what to do, and the exit code to end with.
public struct LabError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message shown to the user.
    public var message: String
    /// The process exit code: ``ExitStatus/usage`` for bad usage, ``ExitStatus/failure`` otherwise.
    public var exitCode: Int32

    /// Creates an error.
    public init(_ message: String, exitCode: Int32 = ExitStatus.failure) {
        self.message = message
        self.exitCode = exitCode
    }

    /// The message.
    public var description: String { message }

    /// Bad usage (exit 64): an unknown exercise, a bad argument.
    public static func usage(_ message: String) -> LabError {
        LabError(message, exitCode: ExitStatus.usage)
    }

    /// A file of the lab that is missing or malformed.
    public static func badFile(_ path: String, _ problem: String) -> LabError {
        LabError("\(path): \(problem)")
    }
}

/// The exit codes `lab` ends with.
public enum ExitStatus {
    /// Everything passed.
    public static let success: Int32 = 0
    /// A check failed, the exercise does not compile, or a verification found a violation.
    public static let failure: Int32 = 1
    /// Bad usage: an unknown exercise or option (sysexits' `EX_USAGE`).
    public static let usage: Int32 = 64
}
