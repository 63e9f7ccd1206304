import Foundation
import MokoEnterprise
import Synchronization

/// A clock that moves only when a test moves it.
///
/// Code under test sleeps on the clock as on any other `Clock`; the test waits until that code is
/// actually suspended (``waitForSleepers(count:)``) and then moves time forward (``advance(by:)``,
/// ``advanceToNextDeadline()``). Nothing sleeps for real and nothing spins on `Task.yield()`, so
/// timing tests stay deterministic on a loaded two-core machine.
///
/// ```swift
/// let clock = ManualClock()
/// async let result = retryWithBackoff(maxRetries: 3, clock: clock) { try await flakyCall() }
/// await clock.waitForSleepers()       // the retry loop is now sleeping
/// clock.advance(by: .seconds(2))      // wakes it
/// ```
///
/// The clock is also a ``WallClock``: ``currentDate`` is ``epoch`` plus the elapsed virtual time.
public final class ManualClock: Clock, WallClock, Sendable {
    /// A point in virtual time: the duration elapsed since the clock was created.
    public struct Instant: InstantProtocol, Hashable, Sendable, CustomStringConvertible {
        /// Virtual time elapsed since the clock's start.
        public var offset: Swift.Duration

        /// Creates an instant at the given offset from the clock's start.
        public init(offset: Swift.Duration) { self.offset = offset }

        /// The instant `duration` later (earlier when negative).
        public func advanced(by duration: Swift.Duration) -> Instant { Instant(offset: offset + duration) }

        /// The duration from this instant to `other`.
        public func duration(to other: Instant) -> Swift.Duration { other.offset - offset }

        /// Orders instants by offset.
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }

        /// The offset, e.g. `t+2.5 seconds`.
        public var description: String { "t+\(offset)" }
    }

    /// The clock's duration type.
    public typealias Duration = Swift.Duration

    private struct Sleeper {
        var id: UInt64
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Watcher {
        var id: UInt64
        var count: Int
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
        var watchers: [Watcher] = []
        var cancelledIDs: Set<UInt64> = []
        var requestedSleeps: [Swift.Duration] = []
    }

    private let state = Mutex(State())

    /// The calendar date that corresponds to the clock's start (``Instant/offset`` zero).
    public let epoch: Date

    /// Creates a clock at virtual time zero.
    ///
    /// - Parameter epoch: the calendar date of time zero; defaults to 2026-01-01T00:00:00Z so that
    ///   dates in tests are stable.
    public init(epoch: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        self.epoch = epoch
    }

    // MARK: Clock

    /// The current virtual instant.
    public var now: Instant { state.withLock { $0.now } }

    /// The clock has no resolution limit.
    public var minimumResolution: Swift.Duration { .zero }

    /// The calendar date of ``now``.
    public var currentDate: Date {
        let offset = now.offset
        let seconds = Double(offset.components.seconds) + Double(offset.components.attoseconds) / 1e18
        return epoch.addingTimeInterval(seconds)
    }

    /// Suspends until the clock has been advanced to `deadline`, or throws `CancellationError`.
    ///
    /// A deadline that is not in the future returns at once (after a cancellation check), like the
    /// system clocks do.
    public func sleep(until deadline: Instant, tolerance: Swift.Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case suspended([CheckedContinuation<Bool, Never>]), elapsed, cancelled }
                let outcome = state.withLock { state -> Outcome in
                    if state.cancelledIDs.remove(id) != nil { return .cancelled }
                    state.requestedSleeps.append(state.now.duration(to: deadline))
                    if deadline <= state.now { return .elapsed }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    let count = state.sleepers.count
                    let satisfied = state.watchers.filter { $0.count <= count }
                    state.watchers.removeAll { $0.count <= count }
                    return .suspended(satisfied.map(\.continuation))
                }
                switch outcome {
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .elapsed: continuation.resume()
                case .suspended(let watchers): for watcher in watchers { watcher.resume(returning: true) }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let index = state.sleepers.firstIndex(where: { $0.id == id }) {
                    return state.sleepers.remove(at: index)
                }
                state.cancelledIDs.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    // MARK: Driving time

    /// The number of tasks currently suspended in ``sleep(until:tolerance:)``.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Every sleep requested so far, as the duration from the then-current instant to the deadline.
    ///
    /// Use it to assert the delays a retry loop chose: `XCTAssertEqual(clock.requestedSleeps, [.seconds(1), .seconds(2)])`.
    public var requestedSleeps: [Swift.Duration] { state.withLock { $0.requestedSleeps } }

    /// The deadline of the earliest pending sleeper, if any.
    public var nextDeadline: Instant? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    /// Suspends until at least `count` tasks are sleeping on this clock.
    ///
    /// Returns `true` once they are, or `false` if the waiting task was cancelled first. It never polls:
    /// the clock resumes the waiter at the moment the `count`-th sleeper arrives.
    @discardableResult
    public func waitForSleepers(count: Int = 1) async -> Bool {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                enum Outcome { case ready, cancelled, waiting }
                let outcome = state.withLock { state -> Outcome in
                    if state.cancelledIDs.remove(id) != nil { return .cancelled }
                    if state.sleepers.count >= count { return .ready }
                    state.watchers.append(Watcher(id: id, count: count, continuation: continuation))
                    return .waiting
                }
                switch outcome {
                case .ready: continuation.resume(returning: true)
                case .cancelled: continuation.resume(returning: false)
                case .waiting: break
                }
            }
        } onCancel: {
            let watcher = state.withLock { state -> Watcher? in
                if let index = state.watchers.firstIndex(where: { $0.id == id }) {
                    return state.watchers.remove(at: index)
                }
                state.cancelledIDs.insert(id)
                return nil
            }
            watcher?.continuation.resume(returning: false)
        }
    }

    /// Moves time forward by `duration` and wakes every sleeper whose deadline has been reached,
    /// earliest deadline first.
    public func advance(by duration: Swift.Duration) {
        advance(to: now.advanced(by: duration))
    }

    /// Moves time to `instant` (never backwards) and wakes every sleeper whose deadline has been reached.
    public func advance(to instant: Instant) {
        let woken = state.withLock { state -> [Sleeper] in
            if instant > state.now { state.now = instant }
            let due = state.sleepers.filter { $0.deadline <= state.now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= state.now }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Moves time to the earliest pending deadline and wakes the sleepers due then.
    ///
    /// - Returns: `false` when nobody was sleeping (time does not move).
    @discardableResult
    public func advanceToNextDeadline() -> Bool {
        guard let deadline = nextDeadline else { return false }
        advance(to: deadline)
        return true
    }

    /// Runs `operation`, advancing the clock to the next deadline every time the operation sleeps,
    /// until the operation returns or throws.
    ///
    /// This is the simplest way to test code that waits: backoff delays, rate-limit resets and open
    /// circuit timeouts pass instantly, and ``requestedSleeps`` and ``now`` tell how long it would have
    /// waited in real time.
    public func run<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        try await withoutActuallyEscaping(operation) { operation in
            try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await operation() }
                group.addTask {
                    while await self.waitForSleepers(count: 1) {
                        self.advanceToNextDeadline()
                    }
                    return nil
                }
                defer { group.cancelAll() }
                while let next = try await group.next() {
                    if let value = next { return value }
                }
                throw CancellationError()
            }
        }
    }
}
