import Foundation
import MokoEnterprise
import Testing

@Suite struct WallClockTests {
    @Test func systemWallClockTellsTheCurrentDate() {
        let before = Date()
        let reading = SystemWallClock().currentDate
        let after = Date()
        #expect(reading >= before && reading <= after)
    }
}
