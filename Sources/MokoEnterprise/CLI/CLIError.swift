/// An error a command-line app throws to end with a message and a chosen exit code.
public enum CLIError: Error, Sendable, Equatable, CLIExitCodeProviding, CustomStringConvertible {
    /// Bad usage of the command (exit 64), e.g. two flags that exclude each other.
    case usage(String)
    /// A configuration problem (exit 78), e.g. a missing token.
    case configuration(String)
    /// An operational failure (exit 1).
    case failure(String)
    /// A temporary failure worth retrying later (exit 75).
    case temporaryFailure(String)

    /// The exit code for the case.
    public var cliExitCode: CLIExitCode {
        switch self {
        case .usage: .usage
        case .configuration: .configuration
        case .failure: .failure
        case .temporaryFailure: .temporaryFailure
        }
    }

    /// The message.
    public var description: String {
        switch self {
        case .usage(let message), .configuration(let message), .failure(let message),
            .temporaryFailure(let message):
            message
        }
    }
}
