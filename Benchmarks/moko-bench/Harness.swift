import Foundation

/// One line of the benchmark table.
struct BenchRow: Sendable {
    /// What was measured, e.g. "retry + breaker, successful call".
    var name: String
    /// The measured value.
    var value: Double
    /// Its unit, e.g. "ns/op", "ops/s", "MB/s", "ms".
    var unit: String
    /// The peer's value for the same operation measured in this run, if any.
    var peer: Double?
    /// Which peer, e.g. "tenacity + pybreaker".
    var peerName: String?
    /// The target from the issue, as text, e.g. "≤ 1000 ns".
    var target: String?
    /// Whether the target is met; nil when there is no target.
    var meetsTarget: Bool?
}

/// Measures the mean cost of one call of `body` over `iterations` calls, after a warm-up.
///
/// - Returns: nanoseconds per call.
func nanosecondsPerCall(
    iterations: Int,
    warmup: Int = 1_000,
    _ body: () async throws -> Void
) async rethrows -> Double {
    for _ in 0..<warmup { try await body() }
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<iterations { try await body() }
    let elapsed = start.duration(to: clock.now)
    return seconds(elapsed) * 1e9 / Double(iterations)
}

/// A duration in seconds as a `Double`.
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Runs a Python peer script from `Benchmarks/peers/` and returns the JSON object it prints on its last line.
///
/// Returns nil (and says why on stderr) when Python or the script's packages are missing, so the Swift
/// numbers are still printed.
func runPythonPeer(_ script: String, arguments: [String] = []) -> [String: Double]? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let scriptPath = FileManager.default.currentDirectoryPath + "/Benchmarks/peers/" + script
    process.arguments = ["python3", scriptPath] + arguments
    let output = Pipe()
    process.standardOutput = output
    do {
        try process.run()
    } catch {
        FileHandle.standardError.write(Data("peer \(script): cannot start python3 (\(error))\n".utf8))
        return nil
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
        let text = String(data: data, encoding: .utf8),
        let last = text.split(separator: "\n").last,
        let json = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]
    else {
        FileHandle.standardError.write(Data("peer \(script): no result (exit \(process.terminationStatus))\n".utf8))
        return nil
    }
    return json.compactMapValues { ($0 as? NSNumber)?.doubleValue }
}

/// Prints the rows as a Markdown table.
func printTable(_ rows: [BenchRow]) {
    func format(_ value: Double) -> String {
        if value >= 100 { return String(format: "%.0f", value) }
        if value >= 1 { return String(format: "%.2f", value) }
        return String(format: "%.4f", value)
    }
    print("| benchmark | value | unit | peer | peer value | ratio | target | met |")
    print("|---|---:|---|---|---:|---:|---|---|")
    for row in rows {
        let peerValue = row.peer.map(format) ?? ""
        var ratio = ""
        if let peer = row.peer, row.value > 0, peer > 0 {
            // Lower is better for costs (ns, ms, µs), higher for rates: report "× better".
            let lowerIsBetter = ["ns/op", "µs/op", "ms", "ns", "µs", "MiB", "KiB"].contains(row.unit)
            ratio = String(format: "%.1f×", lowerIsBetter ? peer / row.value : row.value / peer)
        }
        let met = row.meetsTarget.map { $0 ? "yes" : "NO" } ?? ""
        print(
            "| \(row.name) | \(format(row.value)) | \(row.unit) | \(row.peerName ?? "") | \(peerValue) | \(ratio) "
                + "| \(row.target ?? "") | \(met) |"
        )
    }
}
