import Foundation

/// ISO 8601 UTC timestamps with milliseconds, computed with integer arithmetic.
///
/// Formatting is exact and allocation-light (no `DateFormatter`), so the chain's canonical text never
/// depends on locale, calendar settings or floating-point rounding.
enum AuditTimestamp {
    /// Milliseconds since 1970 for `date`, rounded down.
    static func milliseconds(_ date: Date) -> Int {
        let value = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard value.isFinite, abs(value) < 1e17 else { return 0 }
        return Int(value)
    }

    /// `yyyy-MM-ddTHH:mm:ss.SSSZ` for `milliseconds` since 1970.
    static func format(milliseconds: Int) -> String {
        let millisPerDay = 86_400_000
        var days = milliseconds / millisPerDay
        var rest = milliseconds % millisPerDay
        if rest < 0 {
            rest += millisPerDay
            days -= 1
        }
        // Civil-from-days (Howard Hinnant), proleptic Gregorian calendar.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        var out: [UInt8] = []
        out.reserveCapacity(24)
        func digits(_ value: Int, _ width: Int) {
            var buffer = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var remaining = abs(value)
            var index = width - 1
            while index >= 0 {
                buffer[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                index -= 1
            }
            out.append(contentsOf: buffer)
        }
        if year < 0 { out.append(UInt8(ascii: "-")) }
        digits(year, 4)
        out.append(UInt8(ascii: "-"))
        digits(month, 2)
        out.append(UInt8(ascii: "-"))
        digits(day, 2)
        out.append(UInt8(ascii: "T"))
        digits(rest / 3_600_000, 2)
        out.append(UInt8(ascii: ":"))
        digits(rest / 60_000 % 60, 2)
        out.append(UInt8(ascii: ":"))
        digits(rest / 1000 % 60, 2)
        out.append(UInt8(ascii: "."))
        digits(rest % 1000, 3)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}
