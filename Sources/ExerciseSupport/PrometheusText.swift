/// A small parser (used by the checks of Exercise 1.7) for the Prometheus text exposition format (0.0.4), strict enough to tell a valid export from
/// an invalid one: every line is a `# HELP`, a `# TYPE`, another comment or a sample; a family's `# TYPE`
/// comes once, before its samples, which are contiguous; histograms have increasing `le` buckets with
/// non-decreasing counts, ending with `le="+Inf"` equal to `_count`.
public struct PrometheusText: Sendable {
    /// One sample line: metric name, labels and value.
    public struct Sample: Equatable, Sendable {
        /// The metric name (with `_bucket`, `_sum` or `_count` for histogram series).
        public var name: String
        /// The labels, unescaped.
        public var labels: [String: String]
        /// The sample value.
        public var value: Double
    }

    /// Why a text is not a valid export, with its line number.
    public struct ParseError: Error, CustomStringConvertible {
        /// The 1-based line number.
        public var line: Int
        /// What is wrong with that line.
        public var reason: String
        /// `line N: reason`.
        public var description: String { "line \(line): \(reason)" }
    }

    /// `# TYPE` per family.
    public var types: [String: String] = [:]
    /// `# HELP` per family.
    public var help: [String: String] = [:]
    /// Every sample, in order.
    public var samples: [Sample] = []

    /// The value of the sample `name` with exactly `labels`, or nil.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// The buckets of the histogram `name` (without labels other than `le`), by upper bound.
    public func buckets(_ name: String) -> [(le: Double, count: Double)] {
        samples.filter { $0.name == name + "_bucket" }.compactMap { sample in
            sample.labels["le"].flatMap(Self.parseNumber).map { ($0, sample.value) }
        }
    }

    /// Parses and validates `text`; throws ``ParseError`` at the first invalid line.
    public static func parse(_ text: String) throws -> PrometheusText {
        var result = PrometheusText()
        guard text.isEmpty || text.hasSuffix("\n") else { throw ParseError(line: 0, reason: "no final newline") }
        var finished: Set<String> = []
        var current: String?
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let number = offset + 1
            let line = String(rawLine)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
                guard parts.count >= 3, parts[0] == "#", parts[1] == "HELP" || parts[1] == "TYPE" else { continue }
                let family = parts[2]
                guard isMetricName(family) else { throw ParseError(line: number, reason: "bad metric name") }
                if parts[1] == "TYPE" {
                    let kind = parts.count > 3 ? parts[3] : ""
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(kind) else {
                        throw ParseError(line: number, reason: "unknown type '\(kind)'")
                    }
                    guard result.types[family] == nil else { throw ParseError(line: number, reason: "second TYPE") }
                    guard !result.samples.contains(where: { result.family(of: $0.name) == family }) else {
                        throw ParseError(line: number, reason: "TYPE after samples of \(family)")
                    }
                    result.types[family] = kind
                } else {
                    guard result.help[family] == nil else { throw ParseError(line: number, reason: "second HELP") }
                    result.help[family] = parts.count > 3 ? parts[3] : ""
                }
                continue
            }
            let sample = try parseSample(line, number: number)
            let family = result.family(of: sample.name)
            if family != current {
                if let current { finished.insert(current) }
                guard !finished.contains(family) else {
                    throw ParseError(line: number, reason: "samples of \(family) are not contiguous")
                }
                current = family
            }
            result.samples.append(sample)
        }
        try result.checkHistograms()
        return result
    }

    /// The family a sample belongs to: a histogram's `_bucket`, `_sum` and `_count` belong to the histogram.
    public func family(of name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" || types[base] == "summary" { return base }
        }
        return name
    }

    private func checkHistograms() throws {
        for (family, kind) in types where kind == "histogram" {
            let series = samples.filter { $0.name == family + "_bucket" }
            let buckets = buckets(family)
            guard buckets.count == series.count, !buckets.isEmpty else {
                throw ParseError(line: 0, reason: "\(family): missing or bad le labels")
            }
            for (previous, next) in zip(buckets, buckets.dropFirst()) {
                guard previous.le < next.le, previous.count <= next.count else {
                    throw ParseError(line: 0, reason: "\(family): buckets not increasing or not cumulative")
                }
            }
            guard let last = buckets.last, last.le == .infinity, value(family + "_count") == last.count,
                value(family + "_sum") != nil
            else {
                throw ParseError(line: 0, reason: "\(family): needs le=\"+Inf\" equal to _count, and _sum")
            }
        }
    }

    private static func parseSample(_ line: String, number: Int) throws -> Sample {
        var rest = Substring(line)
        let name = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        guard isMetricName(name) else { throw ParseError(line: number, reason: "bad sample name") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                guard !label.isEmpty, !(label.first?.isNumber ?? true) else {
                    throw ParseError(line: number, reason: "bad label name")
                }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { throw ParseError(line: number, reason: "expected =\"") }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\" {
                        guard let escaped = rest.first else { throw ParseError(line: number, reason: "bad escape") }
                        rest = rest.dropFirst()
                        switch escaped {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw ParseError(line: number, reason: "bad escape")
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { throw ParseError(line: number, reason: "unterminated label value") }
                rest = rest.dropFirst()
                guard labels.updateValue(value, forKey: label) == nil else {
                    throw ParseError(line: number, reason: "label \(label) twice")
                }
                if rest.first == "," {
                    rest = rest.dropFirst()
                } else if rest.first != "}" {
                    throw ParseError(line: number, reason: "expected , or }")
                }
            }
            rest = rest.dropFirst()
        }
        let fields = rest.split(separator: " ", omittingEmptySubsequences: true)
        guard rest.first == " ", fields.count == 1 || fields.count == 2, let value = parseNumber(String(fields[0])),
            fields.count == 1 || Int(fields[1]) != nil
        else { throw ParseError(line: number, reason: "expected ' <value> [timestamp]'") }
        return Sample(name: name, labels: labels, value: value)
    }

    /// A sample value or `le` bound (`+Inf`, `-Inf`, `NaN` included), or nil.
    public static func parseNumber(_ text: String) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(text)
        }
    }

    private static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII,
            first.properties.isAlphabetic || first == "_" || first == ":"
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || (48...57).contains($0.value) || $0 == "_" || $0 == ":")
        }
    }
}
