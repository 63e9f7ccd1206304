import Foundation
import MokoEnterprise

/// What the sweep is given to work with: how to make its GitHub client, where its audit log and
/// checkpoints live, the metrics collector that is exported, and the clock. Provided: not part of the
/// exercise.
public struct Toolkit: Sendable {
    /// Makes a configured GitHub client (token, base URL, rate limit, retry). Every call makes a new one,
    /// with its own rate limiter, ETag cache and circuit breaker.
    public let makeClient: @Sendable () throws -> GitHubClient
    /// Where the audit log lives.
    public let auditDirectory: URL
    /// Where checkpoints live (kept between runs).
    public let stateDirectory: URL
    /// The collector that is exported to Prometheus.
    public let metrics: MetricsCollector
    /// The source of timestamps for the audit log and the checkpoint.
    public let wallClock: any WallClock

    /// Creates a toolkit.
    public init(
        makeClient: @escaping @Sendable () throws -> GitHubClient, auditDirectory: URL, stateDirectory: URL,
        metrics: MetricsCollector, wallClock: any WallClock = SystemWallClock()
    ) {
        self.makeClient = makeClient
        self.auditDirectory = auditDirectory
        self.stateDirectory = stateDirectory
        self.metrics = metrics
        self.wallClock = wallClock
    }
}

/// What one sweep did.
public struct SweepReport: Sendable, Equatable {
    /// Repositories updated in this run.
    public var processed: Int
    /// Repositories skipped because an earlier run completed them.
    public var skipped: Int
    /// Repositories whose update failed.
    public var failed: Int

    /// Creates a report.
    public init(processed: Int = 0, skipped: Int = 0, failed: Int = 0) {
        self.processed = processed
        self.skipped = skipped
        self.failed = failed
    }
}
