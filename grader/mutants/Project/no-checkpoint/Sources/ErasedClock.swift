/// Any `Clock<Duration>` behind one concrete type, so the run can take the real clock or a test's manual
/// clock without being generic all the way up.
struct ErasedClock: Clock {
    /// A point in time: the offset from when the clock was wrapped.
    struct Instant: InstantProtocol, Hashable {
        /// Time since the wrapping.
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    /// Wraps `clock`.
    init<C: Clock<Duration>>(_ clock: C) {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleeper = { try await clock.sleep(for: $0) }
    }

    /// The current instant.
    var now: Instant { Instant(offset: elapsed()) }

    /// As fine as the wrapped clock.
    var minimumResolution: Duration { .zero }

    /// Sleeps on the wrapped clock until `deadline`.
    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await sleeper(now.duration(to: deadline))
    }
}
