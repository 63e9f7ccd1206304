import ArgumentParser
import ExerciseSupport
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

    // TODO: declare `--org <org>`: a required option (no default value), the organization to list.

    /// Creates a command with default values; swift-argument-parser fills the options in.
    public init() {}

    /// Rejects an organization name GitHub cannot have, before any request is sent (exit 64).
    public func validate() throws {
        // TODO: check `org` with `SecurityValidator().validateInput(_:type: .githubOrganization)`; when it throws,
        // throw a `ValidationError` with its message (bad usage: exit 64).
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
        // TODO: inside `retryWithBackoff(policy: services.retryPolicy, clock: services.clock) { ... }`:
        //   count the attempt, increment `apiCallsMetric` in `services.metrics`, and return
        //   `services.client.listRepos(org: org).collect()`. Then set the `repositoriesFoundMetric` gauge to the
        //   number of repositories and return them with the number of attempts.
        throw Unimplemented(
            "listing with retry and metrics (IntegratedScript.fetchRepositories(org:services:))", exercise: "1.11")
    }

    /// The work: an audited transaction around the listing, then the one-line report.
    public func execute(_ context: CLIContext, state services: ScriptServices) async throws {
        // The transaction logs `transaction_start` and `transaction_end` (with the outcome, and the error when
        // the body throws); the body adds what happened in between.
        // TODO: in `services.audit.transaction(Self.transactionName, metadata: ["org": .string(org)]) { ... }`
        //   (its closure gets an `AuditTransaction`) log the event `start` (details: org), call
        //   `fetchRepositories(org:services:)`, and log the event `complete` (details: org, count, attempts).
        //   After the transaction, print `Found N repositories in ORG` with `context.outputText(_:)`.
        throw Unimplemented("the audited run (IntegratedScript.execute(_:state:))", exercise: "1.11")
    }
}
