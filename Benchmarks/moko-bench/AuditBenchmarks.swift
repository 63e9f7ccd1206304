import Foundation
import MokoEnterprise

#if canImport(Glibc)
import Glibc
#endif

/// Audit logging throughput: durable (one commit per event) and batched (one transaction per batch),
/// against a re-creation of the original MokoStandards Python logger (JSONL append, no durability).
enum AuditBenchmarks {
    static func run() async throws -> [BenchRow] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "moko-bench-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }

        func event(_ index: Int) -> AuditEvent {
            .event(
                "process_item",
                details: ["item": .int(index), "repository": "mokoconsulting-tech/MokoStandards", "status": "success"],
                transactionID: "bench-transaction")
        }

        let clock = ContinuousClock()

        // Durable: synchronous=FULL, one SQLite commit (and fsync) per event.
        let durable = try AuditLogger(service: "bench_durable", directory: root, durability: .full)
        let durableCount = 2_000
        for index in 0..<100 { try durable.log(event(index)) }
        var start = clock.now
        for index in 0..<durableCount { try durable.log(event(index)) }
        let durableRate = Double(durableCount) / seconds(start.duration(to: clock.now))

        // Durable per event but synchronous=NORMAL (survives a process crash, not a power cut).
        let normal = try AuditLogger(service: "bench_normal", directory: root, durability: .normal)
        let normalCount = 10_000
        start = clock.now
        for index in 0..<normalCount { try normal.log(event(index)) }
        let normalRate = Double(normalCount) / seconds(start.duration(to: clock.now))

        // Batched: 1,000 events per SQLite transaction, synchronous=FULL.
        let batched = try AuditLogger(service: "bench_batched", directory: root, durability: .full)
        let batchSize = 1_000
        let batches = 200
        let batch = (0..<batchSize).map(event)
        try batched.logEvents(batch)
        start = clock.now
        let cpuStart = auditThreadCPUSeconds()
        for _ in 0..<batches { try batched.logEvents(batch) }
        let batchedCPU = auditThreadCPUSeconds() - cpuStart
        let batchedRate = Double(batchSize * batches) / seconds(start.duration(to: clock.now))
        // GRDB runs the writes on the calling thread: its CPU time is the cost without the machine's load.
        let batchedCPURate = Double(batchSize * batches) / batchedCPU

        // Verification speed over the batched store.
        start = clock.now
        let verification = try batched.verify()
        let verifyRate = Double(verification.recordsChecked) / seconds(start.duration(to: clock.now))

        let peer = runPythonPeer("audit_peer.py", arguments: ["200000"])
        return [
            BenchRow(
                name: "audit events, durable (1 commit + fsync per event)", value: durableRate, unit: "events/s",
                peer: peer?["events_per_s"], peerName: "original Python JSONL append", target: "≥ 1000",
                meetsTarget: durableRate >= 1_000),
            BenchRow(
                name: "audit events, 1 commit per event, synchronous=NORMAL", value: normalRate, unit: "events/s",
                peer: peer?["events_per_s"], peerName: "original Python JSONL append"),
            BenchRow(
                name: "audit events, batched (1000 per transaction)", value: batchedRate, unit: "events/s",
                peer: peer?["events_per_s"], peerName: "original Python JSONL append", target: "≥ 100000",
                meetsTarget: batchedRate >= 100_000),
            BenchRow(
                name: "  same, per thread CPU second", value: batchedCPURate, unit: "events/s", target: "≥ 100000",
                meetsTarget: batchedCPURate >= 100_000),
            BenchRow(name: "audit chain verify()", value: verifyRate, unit: "records/s"),
        ]
    }
}

/// This thread's CPU time in seconds (user and system), robust to other processes sharing the cores.
private func auditThreadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
