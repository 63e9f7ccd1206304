import Foundation

/// Parsing of the HTTP headers that tell a client when to come back.
enum ResilienceHeaderParsing {
    /// What a response says about when to come back.
    enum ServerWait: Equatable {
        /// Come back after this long.
        case wait(Duration)
        /// The response names no wait.
        case none
        /// A header is present but negative or unparseable: the gRPC rule is to stop retrying.
        case malformed
    }

    /// Parses `Retry-After` (RFC 9110 §10.2.3): delta-seconds, or an HTTP-date.
    ///
    /// - Returns: the wait (zero for a date in the past), or nil for a negative or malformed value.
    static func retryAfter(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let first = trimmed.first, first.isNumber || first == "-" || first == "+" {
            guard trimmed.allSatisfy(\.isASCII), trimmed.allSatisfy(\.isNumber), let seconds = Int64(trimmed) else {
                return nil
            }
            return .seconds(seconds)
        }
        guard let date = httpDate(trimmed) else { return nil }
        return wait(from: now, until: date)
    }

    /// Parses an epoch-seconds timestamp such as GitHub's `x-ratelimit-reset`.
    static func epochSeconds(_ value: String) -> Date? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }), let seconds = Int64(trimmed) else {
            return nil
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Parses an integer header value such as `x-ratelimit-remaining`.
    static func integer(_ value: String?) -> Int? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty,
            trimmed.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return Int(trimmed)
    }

    /// The wait from `now` until `date`; zero when `date` is not in the future.
    static func wait(from now: Date, until date: Date) -> Duration {
        let interval = date.timeIntervalSince(now)
        guard interval > 0, interval.isFinite else { return .zero }
        // Whole milliseconds: HTTP dates and epoch seconds have one-second resolution anyway.
        return .milliseconds(Int64((interval * 1_000).rounded(.up)))
    }

    /// Parses the three HTTP-date forms: IMF-fixdate, obsolete RFC 850 and asctime.
    static func httpDate(_ value: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: value) { return date }
        }
        return nil
    }
}
