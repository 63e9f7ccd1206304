/// A compliance report could not be exported.
public struct ComplianceReportError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Code: String, Sendable, Equatable {
        /// The requested export format is not one of ``ComplianceReportFormat/allCases``.
        case unsupportedFormat
        /// The report period is empty or reversed.
        case invalidPeriod
    }

    /// What went wrong.
    public var code: Code
    /// A sentence saying what failed and what to do.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
