import ExerciseSupport
import Synchronization

/// A circuit breaker: after too many consecutive failures it stops calling a failing remote system for a
/// while, then lets a few trial calls through to find out whether it has recovered.
///
/// ```swift
/// let breaker = try CircuitBreaker(configuration: .init(failureThreshold: 3), clock: ContinuousClock())
/// let repo = try await breaker.call { try await github.getRepo(owner: "moko-lab", repo: "api") }
/// ```
///
/// The breaker reads time only from its clock (generic over Swift's `Clock`), so a test drives the open
/// timeout with a manual clock instead of waiting.
public final class CircuitBreaker<C: Clock>: Sendable where C.Duration == Duration {
    /// The thresholds and the open timeout.
    public let configuration: CircuitBreakerConfiguration

    private let clock: C
    private let storage = Mutex(Storage())

    private struct Storage {
        var state = CircuitState.closed
        // TODO: add what the state machine must remember (consecutive failures, successful trial calls,
        // when the circuit opened: a `C.Instant?`).
    }

    /// Creates a closed circuit breaker.
    ///
    /// - Parameters:
    ///   - configuration: thresholds and timeout.
    ///   - clock: the clock the open timeout is measured on.
    public init(configuration: CircuitBreakerConfiguration, clock: C) {
        self.configuration = configuration
        self.clock = clock
    }

    /// The state now: an open circuit whose timeout has passed is half-open.
    public var state: CircuitState {
        // TODO: an open circuit whose timeout has passed (on `clock`) is half-open.
        storage.withLock { $0.state }
    }

    /// Runs `operation` through the breaker.
    ///
    /// - Parameter operation: the call to protect, e.g. a GitHub request.
    /// - Returns: what `operation` returns.
    /// - Throws: ``CircuitOpenError`` without running `operation` while the circuit is open; otherwise
    ///   whatever `operation` throws, unchanged (after counting it as a failure).
    public func call<T>(_ operation: () async throws -> T) async throws -> T {
        // TODO: while open (and the timeout has not passed), throw CircuitOpenError(retryAfter: time left)
        // without calling `operation`. Otherwise run it: a success resets the failure count (closed) or
        // counts towards `successThreshold` (half-open → closed); a failure counts towards
        // `failureThreshold` (closed → open) or reopens at once (half-open → open, fresh timeout).
        // Rethrow the operation's error unchanged.
        throw Unimplemented("the circuit breaker (CircuitBreaker.call(_:))", exercise: "3.10")
    }
}
