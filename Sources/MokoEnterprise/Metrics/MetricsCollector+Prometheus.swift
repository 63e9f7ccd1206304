import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MetricsCollector {
    /// The content type of ``exportPrometheus()``'s output.
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Every family in the Prometheus text exposition format 0.0.4.
    ///
    /// Families are sorted by name, each one contiguous and preceded by at most one `# HELP` and exactly
    /// one `# TYPE` line; series are sorted by label set; label values and help text are escaped; floats
    /// are written like Go (`+Inf`, `-Inf`, `NaN`, shortest round-trip digits); histogram buckets are
    /// cumulative in increasing `le` order, ending with `le="+Inf"` equal to `_count`, followed by `_sum`
    /// and `_count`. The text ends with a newline (or is empty when there are no series). The same state
    /// always gives the same bytes.
    public func exportPrometheus() -> String {
        state.withLock { state in
            let order = state.sortedSlotIndices()
            var output = ""
            output.reserveCapacity(order.count * 64)
            var currentFamily: String?
            for position in order {
                let slot = state.slots[position]
                if slot.name != currentFamily {
                    currentFamily = slot.name
                    if let help = state.help[slot.name] {
                        output += "# HELP \(slot.name) \(MetricsPrometheusFormat.escapeHelp(help))\n"
                    }
                    output += "# TYPE \(slot.name) \(slot.type.rawValue)\n"
                }
                MetricsPrometheusFormat.appendSamples(of: slot, to: &output)
            }
            return output
        }
    }

    /// Writes ``exportPrometheus()`` to `url` atomically: to a temporary file in the same directory, then
    /// renamed over `url`, so a reader (node_exporter's textfile collector) never sees a partial file.
    ///
    /// - Throws: ``MetricsError/writeFailed(path:reason:)``; the previous file, if any, is left unchanged.
    public func writePrometheus(to url: URL) throws(MetricsError) {
        let text = exportPrometheus()
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-" + UUID().uuidString.prefix(8)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .writeFailed(path: path, reason: "cannot write temporary file: \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw .writeFailed(path: path, reason: "cannot rename temporary file into place: \(reason)")
        }
    }
}

/// Text rendering for the Prometheus 0.0.4 format.
enum MetricsPrometheusFormat {
    /// Escapes `\` and newline in `# HELP` text.
    static func escapeHelp(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A }) else { return text }
        var result = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// Escapes `\`, `"` and newline in a label value.
    static func escapeLabelValue(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A || $0 == 0x22 }) else { return text }
        var result = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\"": result += "\\\""
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// `{a="1",b="2"}` for sorted labels plus an optional trailing `le`; empty without labels.
    static func labelBlock(_ labels: [(name: String, value: String)], le: String? = nil) -> String {
        if labels.isEmpty && le == nil { return "" }
        var parts = labels.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }
        if let le { parts.append("le=\"\(le)\"") }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// The sample-line prefixes of a slot, rendered once when the series is created.
    static func prefixes(for slot: MetricsSlot) -> [String] {
        switch slot.type {
        case .counter, .gauge:
            return [slot.name + labelBlock(slot.labels) + " "]
        case .histogram:
            var result = slot.bounds.map { slot.name + "_bucket" + labelBlock(slot.labels, le: formatFloat($0)) + " " }
            result.append(slot.name + "_bucket" + labelBlock(slot.labels, le: "+Inf") + " ")
            result.append(slot.name + "_sum" + labelBlock(slot.labels) + " ")
            result.append(slot.name + "_count" + labelBlock(slot.labels) + " ")
            return result
        }
    }

    static func appendSamples(of slot: MetricsSlot, to output: inout String) {
        switch slot.type {
        case .counter, .gauge:
            output += slot.renderedPrefixes[0]
            output += formatFloat(slot.value)
            output += "\n"
        case .histogram:
            var running: UInt64 = 0
            for bucket in 0..<slot.bounds.count {
                running &+= slot.bucketCounts[bucket]
                output += slot.renderedPrefixes[bucket]
                output += String(running)
                output += "\n"
            }
            let base = slot.bounds.count
            output += slot.renderedPrefixes[base]
            output += String(slot.count)
            output += "\n"
            output += slot.renderedPrefixes[base + 1]
            output += formatFloat(slot.sum)
            output += "\n"
            output += slot.renderedPrefixes[base + 2]
            output += String(slot.count)
            output += "\n"
        }
    }

    /// Formats a float like Go's `strconv.FormatFloat(value, 'g', -1, 64)`, as Prometheus client_golang
    /// does: shortest round-trip digits; exponent form (`1e+06`, `1.5e-05`) when the decimal exponent is
    /// below -4 or at least 6; and `+Inf`, `-Inf`, `NaN`.
    static func formatFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        // Fast path: small integers print the same in both languages.
        if value == value.rounded(), abs(value) < 1e6 { return String(Int64(value)) }
        // Decompose Swift's shortest round-trip representation into digits and a decimal exponent.
        let text = abs(value).description
        var digits: [UInt8] = []
        var pointPosition: Int?
        var exponent = 0
        var mantissa = Substring(text)
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        for byte in mantissa.utf8 {
            if byte == UInt8(ascii: ".") {
                pointPosition = digits.count
            } else {
                digits.append(byte)
            }
        }
        var decimalPoint = (pointPosition ?? digits.count) + exponent
        while digits.first == UInt8(ascii: "0") {
            digits.removeFirst()
            decimalPoint -= 1
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { return "0" }
        let sign = value < 0 ? "-" : ""
        let decimalExponent = decimalPoint - 1
        if decimalExponent < -4 || decimalExponent >= 6 {
            var result = sign + String(decoding: digits[0..<1], as: UTF8.self)
            if digits.count > 1 { result += "." + String(decoding: digits[1...], as: UTF8.self) }
            result += decimalExponent < 0 ? "e-" : "e+"
            let magnitude = abs(decimalExponent)
            result += magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
            return result
        }
        var result = sign
        if decimalPoint <= 0 {
            result += "0." + String(repeating: "0", count: -decimalPoint) + String(decoding: digits, as: UTF8.self)
        } else if decimalPoint >= digits.count {
            result +=
                String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: decimalPoint - digits.count)
        } else {
            result +=
                String(decoding: digits[0..<decimalPoint], as: UTF8.self) + "."
                + String(decoding: digits[decimalPoint...], as: UTF8.self)
        }
        return result
    }
}
