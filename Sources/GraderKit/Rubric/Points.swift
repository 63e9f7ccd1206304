/// A number of points, kept exactly in hundredths of a point so sums never drift.
///
/// An exercise's points are split over its checks in hundredths (4 points over 6 checks are 0.67, 0.67,
/// 0.67, 0.67, 0.66, 0.66), and every total is an integer sum of such parts.
public struct Points: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The value in hundredths of a point.
    public var hundredths: Int

    /// Creates a value from hundredths of a point.
    ///
    /// - Parameter hundredths: the value times 100.
    public init(hundredths: Int) {
        self.hundredths = hundredths
    }

    /// Creates a value from whole points.
    ///
    /// - Parameter whole: the number of points.
    public init(_ whole: Int) {
        self.hundredths = whole * 100
    }

    /// No points.
    public static let zero = Points(hundredths: 0)

    /// The value as a decimal number (for JSON and reports).
    public var value: Double { Double(hundredths) / 100 }

    /// `12`, `0.67` or `12.5`: no trailing zeros.
    public var description: String {
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let whole = magnitude / 100
        let fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Splits `self` into `count` parts that differ by at most one hundredth and add up exactly to `self`; the
    /// first parts get the remainder.
    ///
    /// - Parameter count: the number of parts (an empty array when zero or negative).
    /// - Returns: the parts, in order.
    public func split(into count: Int) -> [Points] {
        guard count > 0 else { return [] }
        let base = hundredths / count
        let remainder = hundredths % count
        return (0..<count).map { Points(hundredths: base + ($0 < remainder ? 1 : 0)) }
    }

    /// The sum of two values.
    public static func + (lhs: Points, rhs: Points) -> Points {
        Points(hundredths: lhs.hundredths + rhs.hundredths)
    }

    /// The difference of two values.
    public static func - (lhs: Points, rhs: Points) -> Points {
        Points(hundredths: lhs.hundredths - rhs.hundredths)
    }

    /// Adds `rhs` to `lhs`.
    public static func += (lhs: inout Points, rhs: Points) {
        lhs.hundredths += rhs.hundredths
    }

    /// Orders by value.
    public static func < (lhs: Points, rhs: Points) -> Bool {
        lhs.hundredths < rhs.hundredths
    }

    /// Decodes a JSON number (e.g. `0.67`).
    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(Double.self)
        self.hundredths = Int((value * 100).rounded())
    }

    /// Encodes a JSON number (e.g. `0.67`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension Sequence where Element == Points {
    /// The exact sum.
    public func sum() -> Points {
        reduce(.zero, +)
    }
}
