/// The three states of a circuit breaker.
///
/// Provided: not part of the exercise.
public enum CircuitState: String, Sendable, Hashable, CustomStringConvertible {
    /// Calls go through; consecutive failures are counted.
    case closed
    /// Calls are rejected at once, without reaching the remote system, until the timeout has passed.
    case open
    /// Trial calls go through; enough successes close the circuit, one failure opens it again.
    case halfOpen

    /// `closed`, `open` or `halfOpen`.
    public var description: String { rawValue }
}

/// When a circuit breaker opens and how it recovers.
///
/// Provided: not part of the exercise.
public struct CircuitBreakerConfiguration: Sendable, Hashable {
    /// A setting that makes no sense (a threshold below 1, a timeout that is not positive).
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// Which setting is wrong and what it must be.
        public var description: String
    }

    /// Consecutive failures that open a closed circuit.
    public var failureThreshold: Int
    /// How long an open circuit rejects calls before it lets a trial call through (half-open).
    public var timeout: Duration
    /// Consecutive successful trial calls that close a half-open circuit.
    public var successThreshold: Int

    /// Creates a configuration; the defaults are the curriculum's (`3`, 30 seconds, `2`).
    ///
    /// - Parameters:
    ///   - failureThreshold: consecutive failures that open the circuit; at least 1.
    ///   - timeout: how long the circuit stays open; more than zero.
    ///   - successThreshold: successful trial calls that close it again; at least 1.
    /// - Throws: ``Invalid`` naming the first setting out of range.
    public init(failureThreshold: Int = 3, timeout: Duration = .seconds(30), successThreshold: Int = 2) throws {
        guard failureThreshold >= 1 else {
            throw Invalid(description: "failureThreshold must be at least 1 (got \(failureThreshold))")
        }
        guard timeout > .zero else { throw Invalid(description: "timeout must be more than zero (got \(timeout))") }
        guard successThreshold >= 1 else {
            throw Invalid(description: "successThreshold must be at least 1 (got \(successThreshold))")
        }
        self.failureThreshold = failureThreshold
        self.timeout = timeout
        self.successThreshold = successThreshold
    }
}

/// What ``CircuitBreaker/call(_:)`` throws while the circuit is open: the call was not made.
///
/// Provided: not part of the exercise.
public struct CircuitOpenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// How long until the circuit lets a trial call through.
    public var retryAfter: Duration

    /// Creates the error.
    ///
    /// - Parameter retryAfter: the time left until the circuit goes half-open.
    public init(retryAfter: Duration) {
        self.retryAfter = retryAfter
    }

    /// `circuit open: retry after <duration>`.
    public var description: String { "circuit open: the call was not made; retry after \(retryAfter)" }
}
