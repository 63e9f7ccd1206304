import ArgumentParser
import Foundation
import MokoEnterprise

/// `integrated-script --org ORG`: lists every repository of an organization with retry, in an audited
/// transaction, with metrics, and prints `Found N repositories in ORG`.
///
/// Five libraries together: the CLI framework (options, exit codes), the security validator (the org
/// name), the audit trail, the metrics collector and the GitHub client, with the retry around the calls.
public struct IntegratedScript: CLIApp {
    /// The command's name and help text.
    public static let configuration = CommandConfiguration(
        commandName: "integrated-script", abstract: "Counts the repositories of a GitHub organization.")

    /// The name of the audited transaction.
    public static let transactionName = "fetch_repositories"
    /// Counter: calls to the API, one per attempt.
    public static let apiCallsMetric = "api_calls_total"
    /// Gauge: repositories found by the last listing.
    public static let repositoriesFoundMetric = "repositories_found"

    /// The library's shared flags.
    @OptionGroup public var standardOptions: StandardOptions

    /// The organization whose repositories are listed.
    @Option(help: "The GitHub organization.")
    public var org: String

    /// Creates a command with default values; swift-argument-parser fills the options in.
    public init() {}

    /// Rejects an organization name GitHub cannot have, before any request is sent (exit 64).
    public func validate() throws {
        do {
            try SecurityValidator().validateInput(org, type: .githubOrganization)
        } catch {
            throw ValidationError("--org: \(error)")
        }
    }

    /// Builds the services (audit, metrics, client, retry). Provided: not part of the exercise.
    public func initialize(_ context: CLIContext) async throws -> ScriptServices {
        try await ScriptServices.factory(context)
    }

    /// Lists every repository of `org`, retrying the whole listing when it fails transiently, and records
    /// one `api_calls_total` per attempt and the `repositories_found` gauge.
    ///
    /// - Parameters:
    ///   - org: the organization.
    ///   - services: the libraries.
    /// - Returns: the repositories and the number of attempts it took.
    /// - Throws: `RetryExhaustedError` when every attempt failed; the first permanent error (e.g. a 404)
    ///   at once.
    public func fetchRepositories(
        org: String, services: ScriptServices
    ) async throws -> (
        repositories: [Repository], attempts: Int
    ) {
        var attempts = 0
        // The retry policy sleeps on the services' clock between attempts (a ManualClock in the checks), and
        // its classifier retries 5xx and lost connections, never a 404 or a 401.
        let repositories = try await retryWithBackoff(policy: services.retryPolicy, clock: services.clock) {
            attempts += 1
            try services.metrics.increment(Self.apiCallsMetric)
            // `collect()` follows the `Link: rel="next"` pages: a failure on any page fails this attempt, and
            // the retry starts the listing again, so no page is counted twice.
            return try await services.client.listRepos(org: org).collect()
        }
        try services.metrics.setGauge(Self.repositoriesFoundMetric, Double(repositories.count))
        return (repositories, attempts)
    }

    /// The work: an audited transaction around the listing, then the one-line report.
    public func execute(_ context: CLIContext, state services: ScriptServices) async throws {
        // The transaction logs `transaction_start` and `transaction_end` (with the outcome, and the error when
        // the body throws); the body adds what happened in between.
        let count = try await services.audit.transaction(
            Self.transactionName, metadata: ["org": .string(org)]
        ) { transaction in
            try transaction.logEvent("start", details: ["org": .string(org)])
            let result = try await fetchRepositories(org: org, services: services)
            try transaction.logEvent(
                "complete",
                details: [
                    "org": .string(org), "count": .int(result.repositories.count), "attempts": .int(result.attempts),
                ])
            return result.repositories.count
        }
        context.outputText("Found \(count) repositories in \(org)")
    }
}
