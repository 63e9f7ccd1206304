// moko-bench: measures the library against the physical floor and Python peers, in one run.
//
//     swift run -c release moko-bench            # everything
//     swift run -c release moko-bench resilience # one section
//
// Each section lives in `<Section>Benchmarks.swift` and returns table rows.

import Foundation

let sections: [(name: String, run: @Sendable () async throws -> [BenchRow])] = [
    // Sections register here, e.g. ("resilience", ResilienceBenchmarks.run).
    ("resilience", ResilienceBenchmarks.run),
    ("metrics-security", MetricsSecurityBenchmarks.run),
    ("audit", AuditBenchmarks.run),
    ("recovery", RecoveryBenchmarks.run),
    ("github-client", GitHubClientBenchmarks.run),
]

let wanted = Set(CommandLine.arguments.dropFirst())
var rows: [BenchRow] = []
for section in sections where wanted.isEmpty || wanted.contains(section.name) {
    FileHandle.standardError.write(Data("moko-bench: \(section.name)...\n".utf8))
    rows += try await section.run()
}
printTable(rows)
