import Foundation
import Synchronization

/// Stops calling a failing service for a while, then lets a few trial calls through to see whether
/// it has recovered.
///
/// - **Closed**: calls pass. After ``failureThreshold`` consecutive failures (or, with a
///   ``FailureRateWindow``, when the failure rate over the last calls reaches its threshold) the
///   breaker opens.
/// - **Open**: calls are rejected at once with ``CircuitOpenError`` carrying `retryAfter`. Once
///   ``timeout`` has passed on the injected clock, the next call moves the breaker to half-open
///   (there are no timers: time is read when a call arrives).
/// - **Half-open**: at most ``halfOpenMaxCalls`` trial calls run at a time; others are rejected.
///   ``successThreshold`` successful trials close the breaker; one failed trial reopens it.
/// - **Disabled**: every call passes and nothing is recorded. **Forced open**: every call is rejected.
///
/// Every decision is taken under one lock, so concurrent callers see exactly one transition: a
/// thousand calls failing at once open the breaker once, and outcomes of calls admitted in an
/// earlier state are not counted against the new one.
///
/// ```swift
/// let breaker = try CircuitBreaker(name: "github", failureThreshold: 5, timeout: .seconds(60))
/// let repos = try await breaker.call { try await client.listRepos(org: "mokoconsulting") }
///
/// // or, in the curriculum's manual style:
/// guard !breaker.isOpen else { throw ServiceUnavailable() }
/// do { let value = try await work(); breaker.recordSuccess(); return value }
/// catch { breaker.recordFailure(); throw error }
/// ```
public final class CircuitBreaker: Sendable {
    /// The breaker's state. Raw values follow Resilience4j's order, for a state gauge.
    public enum State: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// Calls pass; failures are counted.
        case closed = 0
        /// Calls are rejected until the open timeout has passed.
        case open = 1
        /// A limited number of trial calls pass to probe the service.
        case halfOpen = 2
        /// Calls pass and nothing is recorded.
        case disabled = 3
        /// Calls are rejected until ``CircuitBreaker/reset()``.
        case forcedOpen = 4

        /// The state's name, e.g. `half-open`.
        public var description: String {
            switch self {
            case .closed: "closed"
            case .open: "open"
            case .halfOpen: "half-open"
            case .disabled: "disabled"
            case .forcedOpen: "forced-open"
            }
        }
    }

    /// A change of state.
    public struct Transition: Sendable, Hashable {
        /// The state before.
        public var from: State
        /// The state after.
        public var to: State
        /// The calendar date of the change (from the breaker's wall clock).
        public var at: Date
        /// The time of the change on the breaker's clock, measured from the breaker's creation.
        public var elapsed: Duration
    }

    /// Opens the breaker on a failure rate over the last calls (a count-based sliding window), in
    /// addition to the consecutive-failure threshold.
    public struct FailureRateWindow: Sendable, Hashable {
        /// The number of most recent calls considered.
        public var size: Int
        /// The number of recorded calls below which the rate is not evaluated.
        public var minimumCalls: Int
        /// The failure ratio, in `0 < threshold ≤ 1`, at or above which the breaker opens.
        public var threshold: Double

        /// Creates a window.
        ///
        /// - Parameters:
        ///   - size: the number of most recent calls considered (Resilience4j: 100).
        ///   - minimumCalls: the calls needed before the rate counts (Resilience4j: 100).
        ///   - threshold: the failure ratio that opens the breaker (Resilience4j: 0.5).
        public init(size: Int = 100, minimumCalls: Int = 100, threshold: Double = 0.5) {
            self.size = size
            self.minimumCalls = minimumCalls
            self.threshold = threshold
        }
    }

    /// Counters since the breaker was created or last reset.
    public struct Snapshot: Sendable, Hashable {
        /// The current state.
        public var state: State
        /// Failures in a row while closed.
        public var consecutiveFailures: Int
        /// The failure ratio over the window, or nil without a window or before its minimum calls.
        public var failureRate: Double?
        /// Successful calls recorded.
        public var successes: Int
        /// Failed calls recorded.
        public var failures: Int
        /// Calls that threw an error that does not count as a failure (e.g. cancellation, 404).
        public var ignored: Int
        /// Calls rejected without running.
        public var rejections: Int
    }

    /// The breaker's name, used in errors and logs.
    public let name: String
    /// Consecutive failures that open a closed breaker.
    public let failureThreshold: Int
    /// The optional failure-rate window.
    public let failureRateWindow: FailureRateWindow?
    /// How long the breaker stays open before admitting trial calls.
    public let timeout: Duration
    /// Successful trial calls that close a half-open breaker.
    public let successThreshold: Int
    /// The most trial calls in flight at once while half-open.
    public let halfOpenMaxCalls: Int

    private let isFailure: @Sendable (any Error) -> Bool
    private let elapsed: @Sendable () -> Duration
    private let wallClock: any WallClock
    private let onStateChange: (@Sendable (Transition) -> Void)?
    private let core: Mutex<Core>

    /// Creates a closed breaker.
    ///
    /// - Parameters:
    ///   - name: a name for errors and logs.
    ///   - failureThreshold: consecutive failures that open the breaker (≥ 1; the curriculum uses 5).
    ///   - timeout: how long it stays open (≥ 0; the curriculum uses 60 s).
    ///   - successThreshold: successful trials that close it again (≥ 1; the curriculum uses 2).
    ///   - halfOpenMaxCalls: trial calls admitted at once while half-open (≥ 1).
    ///   - failureRateWindow: also open on a failure rate over the last calls, or nil.
    ///   - isFailure: which errors count as failures; others are passed through uncounted. Defaults to
    ///     ``countsAsFailure(_:)``.
    ///   - clock: the clock that measures the open timeout (a `ManualClock` in tests).
    ///   - wallClock: the calendar clock for transition dates; nil uses `clock` if it is a
    ///     ``WallClock``, else the system's.
    ///   - onStateChange: called (outside the lock) after each transition.
    /// - Throws: ``ResilienceConfigurationError`` for a setting out of range.
    public init<C: Clock<Duration>>(
        name: String = "circuit",
        failureThreshold: Int = 5,
        timeout: Duration = .seconds(60),
        successThreshold: Int = 2,
        halfOpenMaxCalls: Int = 1,
        failureRateWindow: FailureRateWindow? = nil,
        isFailure: @escaping @Sendable (any Error) -> Bool = CircuitBreaker.countsAsFailure,
        clock: C,
        wallClock: (any WallClock)? = nil,
        onStateChange: (@Sendable (Transition) -> Void)? = nil
    ) throws(ResilienceConfigurationError) {
        let component = "CircuitBreaker"
        try ResilienceConfigurationError.check(
            failureThreshold >= 1, component, "failureThreshold", failureThreshold, ">= 1")
        try ResilienceConfigurationError.check(timeout >= .zero, component, "timeout", timeout, ">= 0")
        try ResilienceConfigurationError.check(
            successThreshold >= 1, component, "successThreshold", successThreshold, ">= 1")
        try ResilienceConfigurationError.check(
            halfOpenMaxCalls >= 1, component, "halfOpenMaxCalls", halfOpenMaxCalls, ">= 1")
        if let window = failureRateWindow {
            try ResilienceConfigurationError.check(
                window.size >= 1, component, "failureRateWindow.size", window.size, ">= 1")
            try ResilienceConfigurationError.check(
                (1...window.size).contains(window.minimumCalls), component, "failureRateWindow.minimumCalls",
                window.minimumCalls, "in 1...size")
            try ResilienceConfigurationError.check(
                window.threshold > 0 && window.threshold <= 1, component, "failureRateWindow.threshold",
                window.threshold, "in 0 < threshold <= 1")
        }
        self.name = name
        self.failureThreshold = failureThreshold
        self.timeout = timeout
        self.successThreshold = successThreshold
        self.halfOpenMaxCalls = halfOpenMaxCalls
        self.failureRateWindow = failureRateWindow
        self.isFailure = isFailure
        let start = clock.now
        self.elapsed = { start.duration(to: clock.now) }
        self.wallClock = wallClock ?? (clock as? any WallClock) ?? SystemWallClock()
        self.onStateChange = onStateChange
        self.core = Mutex(Core(window: failureRateWindow.map { OutcomeWindow(size: $0.size) }))
    }

    /// Creates a closed breaker whose open timeout is measured on the system's `ContinuousClock`.
    ///
    /// - Parameters:
    ///   - name: a name for errors and logs.
    ///   - failureThreshold: consecutive failures that open the breaker (≥ 1).
    ///   - timeout: how long it stays open (≥ 0).
    ///   - successThreshold: successful trials that close it again (≥ 1).
    ///   - halfOpenMaxCalls: trial calls admitted at once while half-open (≥ 1).
    ///   - failureRateWindow: also open on a failure rate over the last calls, or nil.
    ///   - isFailure: which errors count as failures.
    ///   - onStateChange: called (outside the lock) after each transition.
    /// - Throws: ``ResilienceConfigurationError`` for a setting out of range.
    public convenience init(
        name: String = "circuit",
        failureThreshold: Int = 5,
        timeout: Duration = .seconds(60),
        successThreshold: Int = 2,
        halfOpenMaxCalls: Int = 1,
        failureRateWindow: FailureRateWindow? = nil,
        isFailure: @escaping @Sendable (any Error) -> Bool = CircuitBreaker.countsAsFailure,
        onStateChange: (@Sendable (Transition) -> Void)? = nil
    ) throws(ResilienceConfigurationError) {
        try self.init(
            name: name,
            failureThreshold: failureThreshold,
            timeout: timeout,
            successThreshold: successThreshold,
            halfOpenMaxCalls: halfOpenMaxCalls,
            failureRateWindow: failureRateWindow,
            isFailure: isFailure,
            clock: ContinuousClock(),
            wallClock: SystemWallClock(),
            onStateChange: onStateChange
        )
    }

    /// The default failure predicate: what says the *service* is unhealthy.
    ///
    /// Cancellation, rejections by a breaker, and client-side HTTP errors (4xx other than 408, rate
    /// limits included: they are the rate limiter's business) do not count. 5xx, 408, transport
    /// failures and unknown errors do. A ``RetryExhaustedError`` counts as its last error.
    ///
    /// - Parameter error: the error a protected call threw.
    /// - Returns: whether it counts as a failure.
    @Sendable
    public static func countsAsFailure(_ error: any Error) -> Bool {
        if RetryClassifier.isCancellation(error) || error is CircuitOpenError { return false }
        if error is ResilienceConfigurationError { return false }
        if let exhausted = error as? RetryExhaustedError { return countsAsFailure(exhausted.lastError) }
        if let response = error as? any HTTPResponseError {
            return response.statusCode >= 500 || response.statusCode == 408
        }
        return true
    }

    // MARK: Calling

    /// Runs `operation` if the breaker admits it, and records its outcome.
    ///
    /// - Parameters:
    ///   - isolation: the caller's actor, inherited so that `operation` needs not be `Sendable`.
    ///   - operation: the protected work.
    /// - Returns: what `operation` returns.
    /// - Throws: ``CircuitOpenError`` without running `operation` when the breaker rejects the call,
    ///   otherwise whatever `operation` throws.
    public func call<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ operation: () async throws -> Result
    ) async throws -> Result {
        let permit = try acquirePermission()
        do {
            let result = try await operation()
            complete(permit, .success)
            return result
        } catch {
            complete(permit, isFailure(error) ? .failure : .ignored)
            throw error
        }
    }

    /// Whether calls are being rejected: open with time left, or forced open.
    ///
    /// Reading it after the open timeout moves the breaker to half-open (and returns false).
    public var isOpen: Bool {
        let state = self.state
        return state == .open || state == .forcedOpen
    }

    /// The current state (after applying an elapsed open timeout).
    public var state: State {
        let (state, transitions) = core.withLock { core -> (State, [Transition]) in
            var transitions: [Transition] = []
            refreshOpenState(&core, into: &transitions)
            return (core.state, transitions)
        }
        notify(transitions)
        return state
    }

    /// Counters and the current state.
    public var snapshot: Snapshot {
        core.withLock { core in
            Snapshot(
                state: core.state,
                consecutiveFailures: core.consecutiveFailures,
                failureRate: core.window.flatMap { window in
                    guard let config = failureRateWindow, window.count >= config.minimumCalls else { return nil }
                    return window.failureRate
                },
                successes: core.successes,
                failures: core.failures,
                ignored: core.ignored,
                rejections: core.rejections
            )
        }
    }

    /// Records a successful call made without ``call(isolation:_:)`` (the curriculum's manual style).
    public func recordSuccess() {
        record(.success)
    }

    /// Records a failed call made without ``call(isolation:_:)`` (the curriculum's manual style).
    public func recordFailure() {
        record(.failure)
    }

    // MARK: Operator controls

    /// Rejects every call until ``reset()``.
    public func forceOpen() {
        transitionByOperator(to: .forcedOpen, openFor: nil)
    }

    /// Lets every call through and records nothing until ``reset()``.
    public func disable() {
        transitionByOperator(to: .disabled, openFor: nil)
    }

    /// Returns to closed, clearing the consecutive-failure count and the failure-rate window
    /// (the cumulative counters of ``snapshot`` are kept).
    public func reset() {
        transitionByOperator(to: .closed, openFor: nil)
    }

    /// Opens the breaker for `duration` (e.g. until GitHub's rate-limit reset), then half-open as usual.
    ///
    /// - Parameter duration: how long to reject calls; negative counts as zero.
    public func open(for duration: Duration) {
        transitionByOperator(to: .open, openFor: max(duration, .zero))
    }

    /// A stream of every transition from now on. Each call returns a new, independent stream, which
    /// ends when its consumer stops iterating.
    ///
    /// - Returns: the transitions, in the order they happened.
    public func stateChanges() -> AsyncStream<Transition> {
        let (stream, continuation) = AsyncStream<Transition>.makeStream()
        let id = core.withLock { core -> UInt64 in
            core.nextSubscriberID += 1
            core.subscribers[core.nextSubscriberID] = continuation
            return core.nextSubscriberID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.core.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }
}

// MARK: - State machine

extension CircuitBreaker {
    private enum Outcome { case success, failure, ignored }

    /// Admission granted by ``acquirePermission()``; its outcome counts only in the state that issued it.
    private struct Permit {
        var generation: UInt64
        var isTrial: Bool
        var records: Bool
    }

    /// A ring of the last outcomes with a running failure count: O(1) per call.
    fileprivate struct OutcomeWindow {
        var outcomes: [Bool]
        var next = 0
        var count = 0
        var failures = 0

        init(size: Int) { outcomes = Array(repeating: false, count: size) }

        var failureRate: Double { count == 0 ? 0 : Double(failures) / Double(count) }

        mutating func record(failure: Bool) {
            if count == outcomes.count {
                if outcomes[next] { failures -= 1 }
            } else {
                count += 1
            }
            outcomes[next] = failure
            if failure { failures += 1 }
            next = (next + 1) % outcomes.count
        }

        mutating func clear() {
            next = 0
            count = 0
            failures = 0
        }
    }

    fileprivate struct Core {
        var state: State = .closed
        var generation: UInt64 = 0
        var consecutiveFailures = 0
        var openUntil: Duration = .zero
        var halfOpenInFlight = 0
        var halfOpenSuccesses = 0
        var window: OutcomeWindow?
        var successes = 0
        var failures = 0
        var ignored = 0
        var rejections = 0
        var subscribers: [UInt64: AsyncStream<Transition>.Continuation] = [:]
        var nextSubscriberID: UInt64 = 0
    }

    private func acquirePermission() throws(CircuitOpenError) -> Permit {
        let (result, transitions) = core.withLock { core -> (Result<Permit, CircuitOpenError>, [Transition]) in
            var transitions: [Transition] = []
            switch core.state {
            case .closed:
                return (.success(Permit(generation: core.generation, isTrial: false, records: true)), transitions)
            case .disabled:
                return (.success(Permit(generation: core.generation, isTrial: false, records: false)), transitions)
            case .forcedOpen:
                core.rejections += 1
                return (.failure(rejection(.forcedOpen, retryAfter: timeout)), transitions)
            case .open, .halfOpen:
                let now = refreshOpenState(&core, into: &transitions)
                if core.state == .open {
                    core.rejections += 1
                    let left = max(.zero, core.openUntil - (now ?? elapsed()))
                    return (.failure(rejection(.open, retryAfter: left)), transitions)
                }
                guard core.halfOpenInFlight < halfOpenMaxCalls else {
                    core.rejections += 1
                    return (.failure(rejection(.halfOpenTrialsInProgress, retryAfter: timeout)), transitions)
                }
                core.halfOpenInFlight += 1
                return (.success(Permit(generation: core.generation, isTrial: true, records: true)), transitions)
            }
        }
        notify(transitions)
        return try result.get()
    }

    private func rejection(_ reason: CircuitOpenError.Reason, retryAfter: Duration) -> CircuitOpenError {
        CircuitOpenError(circuit: name, reason: reason, retryAfter: retryAfter)
    }

    private func complete(_ permit: Permit, _ outcome: Outcome) {
        guard permit.records else { return }
        let transitions = core.withLock { core -> [Transition] in
            var transitions: [Transition] = []
            guard permit.generation == core.generation else {
                // Admitted in an earlier state: count it, but it must not drive the new state.
                count(outcome, in: &core)
                return transitions
            }
            if permit.isTrial, core.state == .halfOpen { core.halfOpenInFlight -= 1 }
            apply(outcome, to: &core, into: &transitions)
            return transitions
        }
        notify(transitions)
    }

    private func record(_ outcome: Outcome) {
        let transitions = core.withLock { core -> [Transition] in
            var transitions: [Transition] = []
            refreshOpenState(&core, into: &transitions)
            apply(outcome, to: &core, into: &transitions)
            return transitions
        }
        notify(transitions)
    }

    private func count(_ outcome: Outcome, in core: inout Core) {
        switch outcome {
        case .success: core.successes += 1
        case .failure: core.failures += 1
        case .ignored: core.ignored += 1
        }
    }

    private func apply(_ outcome: Outcome, to core: inout Core, into transitions: inout [Transition]) {
        guard core.state == .closed || core.state == .halfOpen else { return }
        count(outcome, in: &core)
        switch (core.state, outcome) {
        case (_, .ignored):
            return
        case (.closed, .success):
            core.consecutiveFailures = 0
            core.window?.record(failure: false)
        case (.closed, .failure):
            core.consecutiveFailures += 1
            core.window?.record(failure: true)
            if core.consecutiveFailures >= failureThreshold || failureRateReached(core) {
                move(&core, to: .open, openFor: timeout, into: &transitions)
            }
        case (.halfOpen, .success):
            core.halfOpenSuccesses += 1
            if core.halfOpenSuccesses >= successThreshold {
                move(&core, to: .closed, openFor: nil, into: &transitions)
            }
        case (.halfOpen, .failure):
            move(&core, to: .open, openFor: timeout, into: &transitions)
        default:
            return
        }
    }

    private func failureRateReached(_ core: Core) -> Bool {
        guard let config = failureRateWindow, let window = core.window, window.count >= config.minimumCalls else {
            return false
        }
        return window.failureRate >= config.threshold
    }

    /// Moves an open breaker whose timeout has passed to half-open.
    ///
    /// - Returns: the clock reading taken, if one was needed.
    @discardableResult
    private func refreshOpenState(_ core: inout Core, into transitions: inout [Transition]) -> Duration? {
        guard core.state == .open else { return nil }
        let now = elapsed()
        if now >= core.openUntil {
            move(&core, to: .halfOpen, openFor: nil, at: now, into: &transitions)
        }
        return now
    }

    private func transitionByOperator(to state: State, openFor: Duration?) {
        let transitions = core.withLock { core -> [Transition] in
            var transitions: [Transition] = []
            move(&core, to: state, openFor: openFor, into: &transitions)
            return transitions
        }
        notify(transitions)
    }

    /// Performs a transition: new generation, fresh counters for the new state, one event.
    private func move(
        _ core: inout Core,
        to state: State,
        openFor: Duration?,
        at knownNow: Duration? = nil,
        into transitions: inout [Transition]
    ) {
        let now = knownNow ?? elapsed()
        let from = core.state
        core.state = state
        core.generation &+= 1
        core.halfOpenInFlight = 0
        core.halfOpenSuccesses = 0
        if let openFor { core.openUntil = now + openFor }
        if state == .closed {
            core.consecutiveFailures = 0
            core.window?.clear()
        }
        guard from != state else { return }
        let transition = Transition(from: from, to: state, at: wallClock.currentDate, elapsed: now)
        // Yielding under the lock keeps stream order equal to transition order; it never runs user code.
        for subscriber in core.subscribers.values { subscriber.yield(transition) }
        transitions.append(transition)
    }

    private func notify(_ transitions: [Transition]) {
        guard let onStateChange, !transitions.isEmpty else { return }
        for transition in transitions { onStateChange(transition) }
    }
}
