import Foundation

/// A source of calendar dates, injected wherever the library stamps a record with the time of day.
///
/// Durations and waits go through a `Clock<Duration>`; calendar dates (audit timestamps, checkpoint
/// update times, dead-letter failure times) come from a `WallClock`. Tests pass
/// `MokoEnterpriseTestSupport.ManualClock`, which is both, so one object controls all time in a test.
public protocol WallClock: Sendable {
    /// The current calendar date.
    var currentDate: Date { get }
}

/// The system's calendar clock.
public struct SystemWallClock: WallClock {
    /// Creates the system wall clock.
    public init() {}

    /// The current date as reported by the operating system.
    public var currentDate: Date { Date() }
}

extension WallClock where Self == SystemWallClock {
    /// The system's calendar clock.
    public static var system: SystemWallClock { SystemWallClock() }
}
