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
    // One lock around the whole state machine: every decision (admit, count, transition) reads and writes
    // the state in one critical section, so two concurrent calls never both make the same transition.
    private let storage = Mutex(Storage())

    private struct Storage {
        var state = CircuitState.closed
        /// Consecutive failures while closed.
        var failures = 0
        /// Consecutive successful trial calls while half-open.
        var successes = 0
        /// When the circuit last opened.
        var openedAt: C.Instant?
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
        let now = clock.now
        return storage.withLock { storage in
            refresh(&storage, now: now)
            return storage.state
        }
    }

    /// Runs `operation` through the breaker.
    ///
    /// - Parameter operation: the call to protect, e.g. a GitHub request.
    /// - Returns: what `operation` returns.
    /// - Throws: ``CircuitOpenError`` without running `operation` while the circuit is open; otherwise
    ///   whatever `operation` throws, unchanged (after counting it as a failure).
    public func call<T>(_ operation: () async throws -> T) async throws -> T {
        try admit()
        let value: T
        do {
            value = try await operation()
        } catch is CancellationError {
            // A cancelled call says nothing about the remote system's health: do not count it.
            throw CancellationError()
        } catch {
            recordFailure()
            throw error
        }
        recordSuccess()
        return value
    }

    // MARK: The state machine

    /// Lets the call through, or throws `CircuitOpenError` with the time left while the circuit is open.
    private func admit() throws {
        let now = clock.now
        try storage.withLock { storage in
            refresh(&storage, now: now)
            guard storage.state == .open, let openedAt = storage.openedAt else { return }
            throw CircuitOpenError(retryAfter: now.duration(to: openedAt.advanced(by: configuration.timeout)))
        }
    }

    /// Open → half-open once the timeout has passed (the trial starts with no successes).
    private func refresh(_ storage: inout Storage, now: C.Instant) {
        guard storage.state == .open, let openedAt = storage.openedAt,
            now >= openedAt.advanced(by: configuration.timeout)
        else { return }
        storage.state = .halfOpen
        storage.successes = 0
    }

    private func recordSuccess() {
        storage.withLock { storage in
            switch storage.state {
            case .closed:
                storage.failures = 0  // only *consecutive* failures open the circuit
            case .halfOpen:
                storage.successes += 1
                if storage.successes >= configuration.successThreshold {
                    storage = Storage()  // recovered: closed, every count back to zero
                }
            case .open:
                break  // a call admitted just before another one opened the circuit: no change
            }
        }
    }

    private func recordFailure() {
        let now = clock.now
        storage.withLock { storage in
            switch storage.state {
            case .closed:
                storage.failures += 1
                if storage.failures >= configuration.failureThreshold { open(&storage, at: now) }
            case .halfOpen:
                open(&storage, at: now)  // the trial failed: not recovered, a fresh timeout starts now
            case .open:
                break
            }
        }
    }

    private func open(_ storage: inout Storage, at now: C.Instant) {
        storage.state = .open
        storage.openedAt = now
        storage.failures = 0
        storage.successes = 0
    }
}
