import Foundation
import Synchronization

/// A token bucket that makes callers wait for their turn instead of failing, kept in step with the
/// server's own count of the quota.
///
/// - The bucket holds ``RateLimitConfig/burstSize`` tokens and earns one every
///   ``RateLimitConfig/refillInterval``; ``acquire(cost:)`` takes tokens, **waiting** on the
///   injected clock for exactly as long as needed when there are not enough.
/// - Waiters are served first come, first served: a newcomer never overtakes a waiting caller.
///   Only the caller at the head of the line sleeps, until the instant its tokens are available; no
///   polling. A cancelled waiter leaves the line without taking anything.
/// - ``update(remaining:limit:resetAt:)`` adopts the server's `X-RateLimit-Remaining`, `-Limit` and
///   `-Reset`: when the server's remaining quota (minus a small reserve) cannot cover a call,
///   ``acquire(cost:)`` waits until the reset.
///
/// ```swift
/// let limiter = try RateLimiter(config: RateLimitConfig(maxRequestsPerHour: 5000, burstSize: 100))
/// try await limiter.acquire()
/// let response = try await send(request)
/// limiter.update { response.value(forHTTPHeaderField: $0) }
/// ```
public final class RateLimiter: Sendable {
    /// What the limiter knows now.
    public struct Status: Sendable, Hashable {
        /// Whole tokens in the local bucket.
        public var availableTokens: Int
        /// The server's remaining quota as last reported (minus what was spent since), or nil.
        public var serverRemaining: Int?
        /// The server's quota size as last reported, or nil.
        public var serverLimit: Int?
        /// The time until the server's quota resets, or nil when unknown or already past.
        public var serverResetIn: Duration?
        /// Callers waiting in line.
        public var waiting: Int
    }

    /// The configuration.
    public let config: RateLimitConfig

    private let interval: Duration
    private let tolerance: Duration
    private let elapsed: @Sendable () -> Duration
    private let sleepUntil: @Sendable (Duration) async throws -> Void
    private let wallClock: any WallClock
    private let core: Mutex<Core>

    /// Creates a limiter with a full bucket.
    ///
    /// - Parameters:
    ///   - config: the quota and burst.
    ///   - clock: the clock to wait on (a `ManualClock` in tests).
    ///   - wallClock: the calendar clock that turns the server's reset dates into waits; nil uses
    ///     `clock` if it is a ``WallClock``, else the system's.
    /// - Throws: ``ResilienceConfigurationError`` when the configuration is invalid.
    public init<C: Clock<Duration>>(
        config: RateLimitConfig = RateLimitConfig(),
        clock: C,
        wallClock: (any WallClock)? = nil
    ) throws(ResilienceConfigurationError) {
        try config.validate()
        self.config = config
        interval = config.refillInterval
        tolerance = config.refillInterval * config.burstSize
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
        sleepUntil = { offset in try await clock.sleep(until: start.advanced(by: offset), tolerance: nil) }
        self.wallClock = wallClock ?? (clock as? any WallClock) ?? SystemWallClock()
        core = Mutex(Core())
    }

    /// Creates a limiter with a full bucket that waits on the system's `ContinuousClock`.
    ///
    /// - Parameter config: the quota and burst.
    /// - Throws: ``ResilienceConfigurationError`` when the configuration is invalid.
    public convenience init(config: RateLimitConfig = RateLimitConfig()) throws(ResilienceConfigurationError) {
        try self.init(config: config, clock: ContinuousClock(), wallClock: SystemWallClock())
    }

    // MARK: Acquiring

    /// Takes `cost` tokens, waiting in line (on the clock) until they are available.
    ///
    /// The caller's place in line is taken synchronously in the caller's isolation, before any
    /// suspension, so calls made one after the other from one actor are served in that order.
    ///
    /// - Parameters:
    ///   - cost: the tokens to take (1 ... `burstSize`).
    ///   - isolation: the caller's actor.
    /// - Throws: `CancellationError` when the task is cancelled while waiting (nothing is taken), or
    ///   ``ResilienceConfigurationError`` when `cost` is out of range.
    public func acquire(cost: Int = 1, isolation: isolated (any Actor)? = #isolation) async throws {
        try checkCost(cost)
        try Task.checkCancellation()
        let entry = core.withLock { core -> Entry in
            let now = elapsed()
            if core.waiters.isEmpty, case .ready(let newArrival) = readiness(cost: cost, now: now, core: &core) {
                commit(cost: cost, newArrival: newArrival, core: &core)
                return .granted
            }
            core.nextID &+= 1
            let id = core.nextID
            core.waiters.append(Waiter(id: id, cost: cost, promoted: core.waiters.isEmpty))
            return core.waiters.count == 1 ? .head(id) : .queued(id)
        }
        switch entry {
        case .granted:
            return
        case .head(let id):
            try await serveAsHead(id: id, cost: cost, isolation: isolation)
        case .queued(let id):
            try await waitForTurn(id: id, isolation: isolation)
            try await serveAsHead(id: id, cost: cost, isolation: isolation)
        }
    }

    /// Takes `cost` tokens if they are available now and nobody is waiting.
    ///
    /// - Parameter cost: the tokens to take.
    /// - Returns: whether the tokens were taken.
    public func tryAcquire(cost: Int = 1) -> Bool {
        guard cost >= 1, cost <= config.burstSize else { return false }
        return core.withLock { core in
            guard core.waiters.isEmpty,
                case .ready(let newArrival) = readiness(cost: cost, now: elapsed(), core: &core)
            else { return false }
            commit(cost: cost, newArrival: newArrival, core: &core)
            return true
        }
    }

    // MARK: Server synchronisation

    /// Adopts the server's view of the quota, from the `X-RateLimit-*` headers of a response.
    ///
    /// From then on an acquisition also needs `remaining` (minus the configured reserve) to cover
    /// its cost, and waits until `resetAt` when it does not. After `resetAt` the full `limit` is
    /// assumed, in hourly windows, until the next update. Out-of-range values are clamped (`remaining` to
    /// `0 ... limit`).
    ///
    /// - Parameters:
    ///   - remaining: `X-RateLimit-Remaining`.
    ///   - limit: `X-RateLimit-Limit`.
    ///   - resetAt: `X-RateLimit-Reset` (epoch seconds) as a date.
    public func update(remaining: Int, limit: Int, resetAt: Date) {
        let wait = ResilienceHeaderParsing.wait(from: wallClock.currentDate, until: resetAt)
        core.withLock { core in
            let limit = max(1, limit)
            core.server = ServerQuota(
                remaining: min(max(0, remaining), limit),
                limit: limit,
                resetAt: elapsed() + wait
            )
        }
    }

    /// Adopts the server's quota from response headers, looked up case-insensitively by `headerValue`.
    ///
    /// - Parameter headerValue: returns a response header's value, e.g.
    ///   `{ response.value(forHTTPHeaderField: $0) }`.
    /// - Returns: whether `x-ratelimit-remaining`, `x-ratelimit-limit` and `x-ratelimit-reset` were
    ///   all present and valid (otherwise nothing changes).
    @discardableResult
    public func update(fromHeaders headerValue: (String) -> String?) -> Bool {
        guard let remaining = ResilienceHeaderParsing.integer(headerValue("x-ratelimit-remaining")),
            let limit = ResilienceHeaderParsing.integer(headerValue("x-ratelimit-limit")),
            let resetText = headerValue("x-ratelimit-reset"),
            let reset = ResilienceHeaderParsing.epochSeconds(resetText)
        else { return false }
        update(remaining: remaining, limit: limit, resetAt: reset)
        return true
    }

    /// A snapshot of the bucket, the server quota and the line.
    public var status: Status {
        core.withLock { core in
            let now = elapsed()
            let debt = max(.zero, core.theoreticalArrival - now)
            let tokens = Int(((tolerance - debt) / interval).rounded(.down))
            var remaining = core.server?.remaining
            var resetIn: Duration?
            if let server = core.server {
                if now >= server.resetAt {
                    remaining = server.limit
                } else {
                    resetIn = server.resetAt - now
                }
            }
            return Status(
                availableTokens: max(0, tokens),
                serverRemaining: remaining,
                serverLimit: core.server?.limit,
                serverResetIn: resetIn,
                waiting: core.waiters.count
            )
        }
    }
}

// MARK: - Internals

extension RateLimiter {
    fileprivate struct ServerQuota {
        var remaining: Int
        var limit: Int
        /// The reset instant, as an offset on the limiter's clock.
        var resetAt: Duration
    }

    fileprivate struct Waiter {
        var id: UInt64
        var cost: Int
        /// At the head of the line: this waiter sleeps until its tokens are due.
        var promoted: Bool
        var continuation: CheckedContinuation<Void, any Error>?
    }

    fileprivate struct Core {
        /// GCRA's theoretical arrival time: the bucket is full when it is not after now.
        var theoreticalArrival: Duration = .zero
        var server: ServerQuota?
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
        var cancelledIDs: Set<UInt64> = []
    }

    private enum Entry { case granted, head(UInt64), queued(UInt64) }

    /// The length of the server's quota window assumed after a reported reset has passed.
    private static let serverWindow = Duration.seconds(3_600)

    private enum Readiness {
        /// The tokens can be taken now; taking them moves the theoretical arrival time here.
        case ready(newArrival: Duration)
        /// The tokens are due at this instant.
        case notBefore(Duration)
    }

    private func checkCost(_ cost: Int) throws(ResilienceConfigurationError) {
        try ResilienceConfigurationError.check(
            cost >= 1 && cost <= config.burstSize, "RateLimiter", "cost", cost, "in 1...\(config.burstSize) (burstSize)"
        )
    }

    /// Whether `cost` tokens can be taken at `now`, and if not, the earliest instant they can.
    ///
    /// The local bucket is a GCRA: taking `cost` moves the theoretical arrival time by
    /// `cost × interval`; it is allowed while that stays within `burst × interval` of now. The
    /// arithmetic is exact `Duration` arithmetic, so waits are exact.
    private func readiness(cost: Int, now: Duration, core: inout Core) -> Readiness {
        let newArrival = max(core.theoreticalArrival, now) + interval * cost
        var notBefore = newArrival - tolerance
        if var server = core.server {
            if now >= server.resetAt {
                // The window the server reported has ended: assume a full quota and an hourly window
                // (GitHub's) until the next response says otherwise.
                server.remaining = server.limit
                let windowsPassed = Int64((now - server.resetAt) / Self.serverWindow) + 1
                server.resetAt += Self.serverWindow * windowsPassed
                core.server = server
            }
            let reserve = Int((Double(server.limit) * config.serverReserveFraction).rounded(.down))
            if server.remaining - cost < reserve, server.resetAt > now {
                notBefore = max(notBefore, server.resetAt)
            }
        }
        guard notBefore <= now else { return .notBefore(notBefore) }
        return .ready(newArrival: newArrival)
    }

    private func commit(cost: Int, newArrival: Duration, core: inout Core) {
        core.theoreticalArrival = newArrival
        if var server = core.server {
            server.remaining = max(0, server.remaining - cost)
            core.server = server
        }
    }

    /// Suspends a queued waiter until it reaches the head of the line.
    private func waitForTurn(id: UInt64, isolation: isolated (any Actor)?) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case resume, cancelled, wait }
                let action = core.withLock { core -> Action in
                    if core.cancelledIDs.remove(id) != nil { return .cancelled }
                    guard let index = core.waiters.firstIndex(where: { $0.id == id }) else { return .cancelled }
                    if core.waiters[index].promoted { return .resume }
                    core.waiters[index].continuation = continuation
                    return .wait
                }
                switch action {
                case .resume: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .wait: break
                }
            }
        } onCancel: {
            let continuation = core.withLock { core -> CheckedContinuation<Void, any Error>? in
                // The head is sleeping on the clock: that sleep observes the cancellation itself.
                guard let index = core.waiters.firstIndex(where: { $0.id == id }), !core.waiters[index].promoted
                else { return nil }
                let waiter = core.waiters.remove(at: index)
                if waiter.continuation == nil { core.cancelledIDs.insert(id) }
                return waiter.continuation
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Sleeps at the head of the line until the tokens are due, takes them and hands the head over.
    private func serveAsHead(id: UInt64, cost: Int, isolation: isolated (any Actor)?) async throws {
        enum Step {
            case granted(CheckedContinuation<Void, any Error>?)
            case sleep(Duration)
        }
        while true {
            if Task.isCancelled {
                let next = core.withLock { leave(id: id, core: &$0) }
                next?.resume()
                throw CancellationError()
            }
            let step = core.withLock { core -> Step in
                switch readiness(cost: cost, now: elapsed(), core: &core) {
                case .ready(let newArrival):
                    commit(cost: cost, newArrival: newArrival, core: &core)
                    return .granted(leave(id: id, core: &core))
                case .notBefore(let instant):
                    return .sleep(instant)
                }
            }
            switch step {
            case .granted(let next):
                next?.resume()
                return
            case .sleep(let instant):
                do {
                    try await sleepUntil(instant)
                } catch {
                    let next = core.withLock { leave(id: id, core: &$0) }
                    next?.resume()
                    throw error
                }
            }
        }
    }

    /// Removes a waiter; if it was the head, promotes the next one.
    ///
    /// - Returns: the continuation to resume (outside the lock) to wake the new head, if it is suspended.
    private func leave(id: UInt64, core: inout Core) -> CheckedContinuation<Void, any Error>? {
        guard let index = core.waiters.firstIndex(where: { $0.id == id }) else { return nil }
        core.waiters.remove(at: index)
        guard index == 0, !core.waiters.isEmpty, !core.waiters[0].promoted else { return nil }
        core.waiters[0].promoted = true
        let continuation = core.waiters[0].continuation
        core.waiters[0].continuation = nil
        return continuation
    }
}
