/// A ``CircuitBreaker`` rejected a call without running it.
///
/// The protected service has been failing; calling it again now would only add load and latency.
/// Wait ``retryAfter`` before trying again (or serve a fallback).
///
/// ```swift
/// do {
///     return try await breaker.call { try await client.listRepos(org: org) }
/// } catch let rejected as CircuitOpenError {
///     logger.warning("GitHub circuit open, retry in \(rejected.retryAfter)")
///     return cachedRepos
/// }
/// ```
public struct CircuitOpenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the call was rejected.
    public enum Reason: Sendable, Hashable {
        /// The circuit is open after too many failures; it lets trial calls through after its timeout.
        case open
        /// The circuit is half-open and its trial calls are all in flight.
        case halfOpenTrialsInProgress
        /// The circuit was forced open by an operator (``CircuitBreaker/forceOpen()``).
        case forcedOpen
    }

    /// The breaker's name.
    public var circuit: String
    /// Why the call was rejected.
    public var reason: Reason
    /// How long until the breaker lets a call through again: the rest of the open timeout, or (half-open,
    /// forced open) the breaker's open timeout as an upper bound.
    public var retryAfter: Duration

    /// Creates the error.
    ///
    /// - Parameters:
    ///   - circuit: the breaker's name.
    ///   - reason: why the call was rejected.
    ///   - retryAfter: how long until a call may pass.
    public init(circuit: String, reason: Reason, retryAfter: Duration) {
        self.circuit = circuit
        self.reason = reason
        self.retryAfter = retryAfter
    }

    /// A sentence naming the circuit, the reason and when to retry.
    public var description: String {
        let why: String
        switch reason {
        case .open: why = "is open after repeated failures"
        case .halfOpenTrialsInProgress: why = "is half-open and its trial calls are in flight"
        case .forcedOpen: why = "was forced open"
        }
        return "circuit '\(circuit)' \(why); call not attempted, retry after \(retryAfter)"
    }
}
