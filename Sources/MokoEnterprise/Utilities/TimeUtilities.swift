import Foundation

/// Timestamp formatting for logs, reports and file names, always in UTC and independent of the locale.
///
/// ```swift
/// TimeUtilities.formatTimestamp(date)                    // "2026-02-01T12:30:05Z"
/// TimeUtilities.formatTimestamp(date, style: .compact)   // "20260201T123005Z" (for file names)
/// TimeUtilities.formatTimestamp(wallClock: clock)        // now, from an injected clock
/// ```
public enum TimeUtilities {
    /// How ``formatTimestamp(_:style:)`` writes a date.
    public enum TimestampStyle: Sendable, CaseIterable {
        /// ISO 8601 in UTC to the second: `2026-02-01T12:30:05Z`.
        case iso8601
        /// ISO 8601 in UTC with milliseconds: `2026-02-01T12:30:05.123Z`.
        case iso8601Milliseconds
        /// Basic ISO 8601, safe in file names: `20260201T123005Z`.
        case compact
        /// The calendar date in UTC: `2026-02-01`.
        case date
        /// The HTTP date (RFC 9110 IMF-fixdate): `Sun, 01 Feb 2026 12:30:05 GMT`.
        case http
    }

    /// Formats a date in UTC.
    ///
    /// - Parameters:
    ///   - date: the instant.
    ///   - style: the format, ISO 8601 by default.
    /// - Returns: the text.
    public static func formatTimestamp(_ date: Date, style: TimestampStyle = .iso8601) -> String {
        // Milliseconds are rounded to the nearest (a Double holds .123 as .12299...); whole seconds are
        // truncated, as clocks display them.
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let milliseconds = Int(((totalMilliseconds % 1000) + 1000) % 1000)
        let whole =
            style == .iso8601Milliseconds
            ? (totalMilliseconds - Int64(milliseconds)) / 1000 : Int64(date.timeIntervalSince1970.rounded(.down))
        var time = time_t(whole)
        var parts = tm()
        gmtime_r(&time, &parts)
        let year = Int(parts.tm_year) + 1900
        let month = Int(parts.tm_mon) + 1
        let day = Int(parts.tm_mday)
        let hour = Int(parts.tm_hour)
        let minute = Int(parts.tm_min)
        let second = Int(parts.tm_sec)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        func four(_ value: Int) -> String {
            String(repeating: "0", count: max(0, 4 - String(value).count)) + String(value)
        }
        let dateText = "\(four(year))-\(two(month))-\(two(day))"
        let timeText = "\(two(hour)):\(two(minute)):\(two(second))"
        switch style {
        case .iso8601:
            return "\(dateText)T\(timeText)Z"
        case .iso8601Milliseconds:
            let padded = String(repeating: "0", count: 3 - String(milliseconds).count) + String(milliseconds)
            return "\(dateText)T\(timeText).\(padded)Z"
        case .compact:
            return "\(four(year))\(two(month))\(two(day))T\(two(hour))\(two(minute))\(two(second))Z"
        case .date:
            return dateText
        case .http:
            let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "\(weekdays[Int(parts.tm_wday)]), \(two(day)) \(months[month - 1]) \(four(year)) \(timeText) GMT"
        }
    }

    /// Formats the current date of a wall clock in UTC.
    ///
    /// - Parameters:
    ///   - style: the format, ISO 8601 by default.
    ///   - wallClock: the source of "now"; tests pass a manual clock.
    /// - Returns: the text.
    public static func formatTimestamp(
        style: TimestampStyle = .iso8601, wallClock: any WallClock = SystemWallClock()
    )
        -> String
    {
        formatTimestamp(wallClock.currentDate, style: style)
    }
}
