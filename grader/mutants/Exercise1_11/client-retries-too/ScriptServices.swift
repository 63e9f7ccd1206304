// MUTANT client-retries-too: leaves the client's default retry policy on, so a 5xx is retried inside the client
// (unseen, uncounted) and an outage costs 16 requests.
// Caught by Exercise1_11HiddenChecks.test6_theClientLeavesRetriesToTheScript.

import Foundation
import MokoEnterprise

/// The libraries the script uses, built once by ``IntegratedScript/initialize(_:)`` and handed to the
/// later steps.
public struct ScriptServices: Sendable {
    /// The service name stamped on audit records and metrics.
    public static let serviceName = "integrated_script"

    /// The audit trail.
    public var audit: AuditLogger
    /// The metrics.
    public var metrics: MetricsCollector
    /// The GitHub client.
    public var client: GitHubClient
    /// How the script retries a failed listing.
    public var retryPolicy: RetryPolicy
    /// The clock the retry waits on (a manual clock in the checks).
    public var clock: any Clock<Duration>

    /// Creates the services from their parts.
    public init(
        audit: AuditLogger, metrics: MetricsCollector, client: GitHubClient, retryPolicy: RetryPolicy,
        clock: any Clock<Duration>
    ) {
        self.audit = audit
        self.metrics = metrics
        self.client = client
        self.retryPolicy = retryPolicy
        self.clock = clock
    }

    /// Builds every library the script uses.
    ///
    /// - Parameters:
    ///   - token: the GitHub token.
    ///   - auditDirectory: where the audit store lives.
    ///   - transport: how the client sends requests; `nil` for the real network.
    ///   - clock: the clock every wait goes through (client and retry).
    ///   - wallClock: the calendar clock for audit timestamps.
    /// - Returns: an audit logger and a metrics collector named ``serviceName``, a client that does not retry
    ///   by itself, and a retry policy of 3 retries for the script.
    /// - Throws: when the audit store cannot be opened or the client is misconfigured.
    public static func make(
        token: String, auditDirectory: URL, transport: (any HTTPTransport)?, clock: any Clock<Duration>,
        wallClock: any WallClock
    ) throws -> ScriptServices {
        let audit = try AuditLogger(service: serviceName, directory: auditDirectory, wallClock: wallClock)
        let metrics = MetricsCollector(service: serviceName)
        let client = try GitHubClient(
            token: token, transport: transport, clock: clock, wallClock: wallClock, environment: [:])
        return ScriptServices(
            audit: audit, metrics: metrics, client: client, retryPolicy: RetryPolicy(maxRetries: 3), clock: clock)
    }

    /// The real services: the token from `GITHUB_TOKEN`, the audit store in `AUDIT_DIR` (default
    /// `logs/audit`), the network, and the system clocks. Provided: not part of the exercise.
    public static func live(_ context: CLIContext) throws -> ScriptServices {
        try make(
            token: try context.getToken(),
            auditDirectory: URL(fileURLWithPath: context.environment["AUDIT_DIR"] ?? "logs/audit"),
            transport: nil, clock: ContinuousClock(), wallClock: context.wallClock)
    }

    /// How ``IntegratedScript/initialize(_:)`` gets its services: ``live(_:)`` unless a caller binds another
    /// factory for its task (the checks bind one that wires the in-process mock GitHub and a manual clock:
    /// `ScriptServices.$factory.withValue { _ in services } operation: { ... }`). Provided: not part of the
    /// exercise.
    @TaskLocal public static var factory: @Sendable (CLIContext) async throws -> ScriptServices = { context in
        try live(context)
    }
}
