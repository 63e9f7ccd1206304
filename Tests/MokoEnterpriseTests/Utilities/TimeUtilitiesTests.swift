import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

@Suite struct TimeUtilitiesTests {
    /// 2026-02-01T12:30:05.123Z, a Sunday.
    private let date = Date(timeIntervalSince1970: 1_769_949_005.123)

    @Test func formatsEveryStyleInUTC() {
        #expect(TimeUtilities.formatTimestamp(date) == "2026-02-01T12:30:05Z")
        #expect(TimeUtilities.formatTimestamp(date, style: .iso8601Milliseconds) == "2026-02-01T12:30:05.123Z")
        #expect(TimeUtilities.formatTimestamp(date, style: .compact) == "20260201T123005Z")
        #expect(TimeUtilities.formatTimestamp(date, style: .date) == "2026-02-01")
        #expect(TimeUtilities.formatTimestamp(date, style: .http) == "Sun, 01 Feb 2026 12:30:05 GMT")
    }

    @Test func formatsTheWallClocksNow() {
        let clock = ManualClock(epoch: date)
        #expect(TimeUtilities.formatTimestamp(wallClock: clock) == "2026-02-01T12:30:05Z")
        clock.advance(by: .seconds(60))
        #expect(TimeUtilities.formatTimestamp(style: .compact, wallClock: clock) == "20260201T123105Z")
    }
}
