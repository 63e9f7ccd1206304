import Foundation
import Synchronization

/// The mock's virtual clock: frozen (moves only when told) or running (wall time × rate).
///
/// Everything time-dependent in the mock reads this clock: timestamps, rate-limit windows, `Retry-After`
/// expiry and the journal's `vt`. The core never reads the system time itself; a running clock reads
/// the `wallTime` function it was given.
public final class MockClock: Sendable {
    /// How the clock moves.
    public enum Mode: String, Sendable, Codable {
        /// Moves only through `advance(by:)` and `set(to:)`.
        case frozen
        /// Follows the injected wall time, scaled by a rate.
        case running
    }

    /// Why the clock refused a change.
    public struct ChangeError: Error, Sendable, Equatable {
        /// What was wrong.
        public var message: String
    }

    private struct State {
        var mode: Mode
        var anchorVirtual: Double
        var anchorWall: Double
        var rate: Double
        var epoch: Double
    }

    private let state: Mutex<State>
    private let wallTime: (@Sendable () -> Date)?

    /// 2026-01-01T00:00:00Z, the default virtual epoch.
    public static let defaultEpoch = Date(timeIntervalSince1970: 1_767_225_600)

    /// Creates a clock starting at `epoch`.
    ///
    /// - Parameters:
    ///   - epoch: the first virtual instant.
    ///   - mode: `.frozen` (default) or `.running`; running needs `wallTime`.
    ///   - rate: virtual seconds per wall second when running.
    ///   - wallTime: the source of real time for running mode, e.g. `{ Date() }` in an executable.
    public init(
        epoch: Date = MockClock.defaultEpoch,
        mode: Mode = .frozen,
        rate: Double = 1,
        wallTime: (@Sendable () -> Date)? = nil
    ) {
        let wall = wallTime?().timeIntervalSince1970 ?? 0
        let effectiveMode: Mode = wallTime == nil ? .frozen : mode
        self.state = Mutex(
            State(
                mode: effectiveMode,
                anchorVirtual: epoch.timeIntervalSince1970,
                anchorWall: wall,
                rate: rate,
                epoch: epoch.timeIntervalSince1970
            )
        )
        self.wallTime = wallTime
    }

    /// The current virtual time in seconds since 1970.
    public var seconds: Double {
        let wall = wallTime?().timeIntervalSince1970 ?? 0
        return state.withLock { state in
            switch state.mode {
            case .frozen: return state.anchorVirtual
            case .running: return state.anchorVirtual + max(0, wall - state.anchorWall) * state.rate
            }
        }
    }

    /// The current virtual time.
    public var now: Date { Date(timeIntervalSince1970: seconds) }

    /// The current mode.
    public var mode: Mode { state.withLock { $0.mode } }

    /// The epoch the clock was created with (or last reset to).
    public var epoch: Date { Date(timeIntervalSince1970: state.withLock { $0.epoch }) }

    /// Moves the clock forward by `seconds` (negative values are ignored).
    public func advance(by seconds: Double) {
        let current = self.seconds
        let wall = wallTime?().timeIntervalSince1970 ?? 0
        state.withLock { state in
            state.anchorVirtual = current + max(0, seconds)
            state.anchorWall = wall
        }
    }

    /// Moves the clock forward by a duration.
    public func advance(by duration: Duration) {
        let parts = duration.components
        advance(by: Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
    }

    /// Sets the clock to `date`, which must not be earlier than now.
    ///
    /// - Throws: `ChangeError` when `date` is in the virtual past (the clock only moves forward).
    public func set(to date: Date) throws(ChangeError) {
        let current = self.seconds
        let target = date.timeIntervalSince1970
        guard target >= current else {
            throw ChangeError(message: "The clock only moves forward: \(target) is before \(current).")
        }
        advance(by: target - current)
    }

    /// Switches between frozen and running; running needs a wall-time source.
    ///
    /// - Throws: `ChangeError` when asked to run without a wall-time source or with a negative rate.
    public func setMode(_ mode: Mode, rate: Double? = nil) throws(ChangeError) {
        if mode == .running && wallTime == nil {
            throw ChangeError(message: "This clock has no wall-time source, so it can only be frozen.")
        }
        if let rate, !(rate >= 0) || !rate.isFinite {
            throw ChangeError(message: "rate must be a finite number ≥ 0.")
        }
        let current = self.seconds
        let wall = wallTime?().timeIntervalSince1970 ?? 0
        state.withLock { state in
            state.anchorVirtual = current
            state.anchorWall = wall
            state.mode = mode
            if let rate { state.rate = rate }
        }
    }

    /// Resets the clock to `epoch` (or the current epoch) and freezes or keeps its mode.
    public func reset(to epoch: Date? = nil) {
        let wall = wallTime?().timeIntervalSince1970 ?? 0
        state.withLock { state in
            if let epoch { state.epoch = epoch.timeIntervalSince1970 }
            state.anchorVirtual = state.epoch
            state.anchorWall = wall
        }
    }
}
