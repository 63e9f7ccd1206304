/// Fast, locale-free formatting of virtual times (no `DateFormatter`).
enum MockTimeFormat {
    private static func civil(_ seconds: Int) -> (year: Int, month: Int, day: Int, hms: (Int, Int, Int), weekday: Int) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = ((days % 7) + 11) % 7  // 0 = Sunday; 1970-01-01 was a Thursday.
        return (year, month, day, (secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60), weekday)
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `2026-01-01T00:00:00Z`.
    static func iso8601(_ seconds: Double) -> String {
        let c = civil(Int(seconds.rounded(.down)))
        return "\(c.year)-\(two(c.month))-\(two(c.day))T\(two(c.hms.0)):\(two(c.hms.1)):\(two(c.hms.2))Z"
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Thu, 01 Jan 2026 00:00:00 GMT`.
    static func httpDate(_ seconds: Double) -> String {
        let c = civil(Int(seconds.rounded(.down)))
        return "\(weekdays[c.weekday]), \(two(c.day)) \(months[c.month - 1]) \(c.year) "
            + "\(two(c.hms.0)):\(two(c.hms.1)):\(two(c.hms.2)) GMT"
    }

    /// Parses an IMF-fixdate (`Thu, 01 Jan 2026 00:00:00 GMT`) into seconds since 1970.
    static func parseHTTPDate(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]),
            let monthIndex = months.firstIndex(of: String(parts[2]))
        else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3, (1...31).contains(day), (1970...9999).contains(year) else { return nil }
        return Double(
            daysFromCivil(year: year, month: monthIndex + 1, day: day) * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2])
    }

    /// Parses `2026-01-01T00:00:00Z` into seconds since 1970.
    static func parseISO8601(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84, bytes[19] == 90 else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return Double(daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second)
    }

    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
