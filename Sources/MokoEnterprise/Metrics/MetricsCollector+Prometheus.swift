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
        let bytes = state.withLock { state -> [UInt8] in
            let order = state.sortedSlotIndices()
            let help = state.help
            return state.slots.withUnsafeBufferPointer { slots -> [UInt8] in
                // Slots are read in place (no per-series copy and reference counting); the text goes into
                // one byte buffer sized from the prerendered prefixes, and becomes a String once.
                var capacity = 0
                for position in order {
                    for prefix in slots[position].renderedPrefixes {
                        capacity &+= prefix.utf8.count &+ MetricsPrometheusFormat.maximumValueBytes
                    }
                }
                var output: [UInt8] = []
                output.reserveCapacity(capacity + 1_024)
                var currentFamily: String?
                for position in order {
                    let name = slots[position].name
                    if name != currentFamily {
                        currentFamily = name
                        if let text = help[name] {
                            output.append(contentsOf: "# HELP ".utf8)
                            output.append(contentsOf: name.utf8)
                            output.append(UInt8(ascii: " "))
                            output.append(contentsOf: MetricsPrometheusFormat.escapeHelp(text).utf8)
                            output.append(UInt8(ascii: "\n"))
                        }
                        output.append(contentsOf: "# TYPE ".utf8)
                        output.append(contentsOf: name.utf8)
                        output.append(UInt8(ascii: " "))
                        output.append(contentsOf: slots[position].type.rawValue.utf8)
                        output.append(UInt8(ascii: "\n"))
                    }
                    MetricsPrometheusFormat.appendSamples(of: slots[position], to: &output)
                }
                return output
            }
        }
        return String(decoding: bytes, as: UTF8.self)
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

    /// An upper bound on the bytes of one sample value and its newline (`formatFloat` writes at most
    /// 24 bytes, e.g. `-2.2250738585072014e-308`; a `UInt64` at most 20).
    static let maximumValueBytes = 26

    static func appendSamples(of slot: MetricsSlot, to output: inout [UInt8]) {
        switch slot.type {
        case .counter, .gauge:
            output.append(contentsOf: slot.renderedPrefixes[0].utf8)
            appendFloat(slot.value, to: &output)
            output.append(UInt8(ascii: "\n"))
        case .histogram:
            var running: UInt64 = 0
            for bucket in 0..<slot.bounds.count {
                running &+= slot.bucketCounts[bucket]
                output.append(contentsOf: slot.renderedPrefixes[bucket].utf8)
                appendDecimal(running, to: &output)
                output.append(UInt8(ascii: "\n"))
            }
            let base = slot.bounds.count
            output.append(contentsOf: slot.renderedPrefixes[base].utf8)
            appendDecimal(slot.count, to: &output)
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: slot.renderedPrefixes[base + 1].utf8)
            appendFloat(slot.sum, to: &output)
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: slot.renderedPrefixes[base + 2].utf8)
            appendDecimal(slot.count, to: &output)
            output.append(UInt8(ascii: "\n"))
        }
    }

    /// Appends ``formatFloat(_:)``'s text; integers below 10⁶ in magnitude (its fast path) are written as
    /// digits directly, without building a String.
    @inline(__always)
    static func appendFloat(_ value: Double, to output: inout [UInt8]) {
        if value != 0, value == value.rounded(), abs(value) < 1e6 {
            if value < 0 { output.append(UInt8(ascii: "-")) }
            appendDecimal(UInt64(abs(value)), to: &output)
        } else {
            output.append(contentsOf: formatFloat(value).utf8)
        }
    }

    /// Appends the decimal digits of `value` (same text as `String(value)`).
    @inline(__always)
    static func appendDecimal(_ value: UInt64, to output: inout [UInt8]) {
        if value < 10 {
            output.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                count += 1
                buffer[24 - count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
        }
        withUnsafeBytes(of: &digits) { buffer in
            output.append(contentsOf: buffer[(24 - count)...])
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
