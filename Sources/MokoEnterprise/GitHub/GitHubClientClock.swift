/// A concrete clock over whichever `Clock<Duration>` the client was given, so generic APIs (the retry
/// loop) can take it without the client itself being generic.
struct GitHubClientClock: Clock {
    /// Time elapsed since the client was created.
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let elapsed: @Sendable () -> Duration
    private let sleepFor: @Sendable (Duration) async throws -> Void
    private let resolution: Duration

    init<C: Clock<Duration>>(_ clock: C) {
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
        sleepFor = { duration in try await clock.sleep(for: duration) }
        resolution = clock.minimumResolution
    }

    var now: Instant { Instant(offset: elapsed()) }

    var minimumResolution: Duration { resolution }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let remaining = deadline.offset - elapsed()
        if remaining > .zero {
            try await sleepFor(remaining)
        } else {
            try Task.checkCancellation()
        }
    }
}
