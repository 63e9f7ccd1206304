/// What one ``DeadLetterQueue/redrive(filter:dryRun:using:)`` call did (ids oldest first).
public struct DeadLetterRedriveReport: Sendable, Equatable {
    /// Whether this was a dry run (then nothing ran and nothing changed).
    public var dryRun: Bool
    /// The entries the filter selected: what ran, or in a dry run, what would run.
    public var selected: [String] = []
    /// Items that succeeded: out of the queue and marked completed.
    public var redriven: [String] = []
    /// Items that failed again: still in the queue, retry count increased.
    public var stillFailing: [String] = []
    /// Items that left the queue while the redrive was running (completed or purged elsewhere).
    public var vanished: [String] = []

    /// Creates an empty report.
    public init(dryRun: Bool) {
        self.dryRun = dryRun
    }
}
