import ArgumentParser

/// The exit codes of MokoEnterprise command-line apps (`sysexits.h` plus the shell's 128 + signal).
///
/// | Code | Meaning |
/// |---|---|
/// | 0 | success |
/// | 1 | operational failure (an item or a call failed) |
/// | 64 | bad usage: unknown flag, invalid value (swift-argument-parser's `validationFailure`) |
/// | 75 | temporary failure: retry later |
/// | 78 | configuration error: missing key, invalid file ( every ``ConfigError``) |
/// | 130 | interrupted by SIGINT after a graceful stop |
/// | 143 | terminated by SIGTERM after a graceful stop |
public enum CLIExitCode: Int32, Sendable, CaseIterable {
    /// Success.
    case success = 0
    /// An operational failure.
    case failure = 1
    /// Bad usage (`EX_USAGE`).
    case usage = 64
    /// A temporary failure, worth retrying later (`EX_TEMPFAIL`).
    case temporaryFailure = 75
    /// A configuration error (`EX_CONFIG`).
    case configuration = 78
    /// Stopped by SIGINT (Ctrl-C) after the interrupt hook ran.
    case interrupted = 130
    /// Stopped by SIGTERM after the interrupt hook ran.
    case terminated = 143

    /// The code as swift-argument-parser's `ExitCode`, to throw from `run()`.
    public var exitCode: ExitCode { ExitCode(rawValue) }
}

/// An error that knows the exit code a command-line app should end with.
///
/// ``ConfigError`` maps to ``CLIExitCode/configuration``, ``CLIError`` to its own code. Other features
/// conform their errors to choose a code (e.g. a quota outage → ``CLIExitCode/temporaryFailure``).
public protocol CLIExitCodeProviding: Error {
    /// The exit code for this error.
    var cliExitCode: CLIExitCode { get }
}

extension ConfigError: CLIExitCodeProviding {
    /// Always ``CLIExitCode/configuration`` (78).
    public var cliExitCode: CLIExitCode { .configuration }
}
