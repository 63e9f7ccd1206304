import Foundation
import MokoEnterprise

/// Section "resilience": the overhead of retry, circuit breaker and rate limiter around a trivial,
/// always-successful operation, against tenacity and pybreaker measured in the same run.
enum ResilienceBenchmarks {
    static func run() async throws -> [BenchRow] {
        let iterations = 1_000_000
        let policy = RetryPolicy.default
        let breaker = try CircuitBreaker(name: "bench", failureThreshold: 5, timeout: .seconds(60))
        // One token per nanosecond, a billion in the bucket: acquire never waits in this loop.
        let limiter = try RateLimiter(
            config: RateLimitConfig(maxRequestsPerHour: 3_600_000_000_000, burstSize: 1_000_000_000)
        )
        var sink = 0

        let plain = await nanosecondsPerCall(iterations: iterations) {
            sink &+= trivialOperation(sink)
        }
        let retry = try await nanosecondsPerCall(iterations: iterations) {
            sink &+= try await policy.run { trivialOperation(sink) }
        }
        let circuit = try await nanosecondsPerCall(iterations: iterations) {
            sink &+= try await breaker.call { trivialOperation(sink) }
        }
        let both = try await nanosecondsPerCall(iterations: iterations) {
            sink &+= try await policy.run { try await breaker.call { trivialOperation(sink) } }
        }
        let acquire = try await nanosecondsPerCall(iterations: iterations) {
            try await limiter.acquire()
        }
        if sink == 42 { print("") }  // keeps the optimiser from dropping the calls

        let peer = runPythonPeer("resilience_peer.py", arguments: ["100000"])
        if peer == nil {
            FileHandle.standardError.write(
                Data("note: Python peers skipped; run `pip install tenacity pybreaker` to measure them\n".utf8)
            )
        }
        let bothTarget = 1_000.0
        let bothMeets = both <= bothTarget && (peer?["both_ns"].map { $0 / both >= 20 } ?? true)
        return [
            BenchRow(
                name: "resilience: plain call (reference)", value: plain, unit: "ns/op",
                peer: peer?["plain_ns"], peerName: "python call"),
            BenchRow(
                name: "resilience: retry, successful call", value: retry, unit: "ns/op",
                peer: peer?["tenacity_ns"], peerName: "tenacity"),
            BenchRow(
                name: "resilience: circuit breaker, successful call", value: circuit, unit: "ns/op",
                peer: peer?["pybreaker_ns"], peerName: "pybreaker"),
            BenchRow(
                name: "resilience: retry + breaker, successful call", value: both, unit: "ns/op",
                peer: peer?["both_ns"], peerName: "tenacity + pybreaker",
                target: "≤ 1000 ns and ≥ 20× peer", meetsTarget: bothMeets),
            BenchRow(name: "resilience: limiter acquire (no wait)", value: acquire, unit: "ns/op"),
        ]
    }

    /// The protected work: trivial, but opaque enough not to be folded away.
    @inline(never)
    private static func trivialOperation(_ value: Int) -> Int {
        value & 1
    }
}
