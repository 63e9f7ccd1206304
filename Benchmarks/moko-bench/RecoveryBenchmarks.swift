import Foundation
import MokoEnterprise

/// Checkpoint throughput against the physical floor (raw GRDB inserts with the same PRAGMAs).
enum RecoveryBenchmarks {
    static func run() async throws -> [BenchRow] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("moko-bench-recovery-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        var rows: [BenchRow] = []
        let clock = ContinuousClock()

        func rate(_ count: Int, _ body: () throws -> Void) rethrows -> Double {
            let start = clock.now
            try body()
            return Double(count) / seconds(start.duration(to: clock.now))
        }

        // (a) One durable commit per mark.
        let single = 2_000
        for durability in [StoreDurability.full, .normal] {
            let label = durability == .full ? "FULL" : "NORMAL"
            let checkpoint = try Checkpoint(
                name: "bench",
                directory: root.appendingPathComponent("single-\(label)"),
                durability: durability
            )
            let marks = try rate(single) {
                for index in 0..<single { try checkpoint.markCompleted("item-\(index)") }
            }
            rows.append(
                BenchRow(
                    name: "checkpoint markCompleted, 1 commit per mark (synchronous=\(label))",
                    value: marks,
                    unit: "marks/s",
                    target: durability == .full ? "≥ 1000" : nil,
                    meetsTarget: durability == .full ? marks >= 1_000 : nil
                )
            )
            let floor = try rate(single) {
                try CheckpointStorageFloor.insertRows(
                    directory: root.appendingPathComponent("floor-single-\(label)"),
                    count: single,
                    perTransaction: 1,
                    durability: durability
                )
            }
            rows.append(
                BenchRow(
                    name: "floor: raw GRDB insert, 1 commit per row (synchronous=\(label))",
                    value: floor,
                    unit: "rows/s"
                )
            )
        }

        // (b) Batched: 1,000 marks per transaction.
        let batches = 100
        let perBatch = 1_000
        let batched = try Checkpoint(name: "bench", directory: root.appendingPathComponent("batched"))
        let batchedRate = try rate(batches * perBatch) {
            for batch in 0..<batches {
                try batched.markCompleted((0..<perBatch).map { "item-\(batch)-\($0)" })
            }
        }
        rows.append(
            BenchRow(
                name: "checkpoint markCompleted(ids), 1,000 per commit (synchronous=FULL)",
                value: batchedRate,
                unit: "marks/s",
                target: "≥ 50000",
                meetsTarget: batchedRate >= 50_000
            )
        )
        let batchedFloor = try rate(batches * perBatch) {
            try CheckpointStorageFloor.insertRows(
                directory: root.appendingPathComponent("floor-batched"),
                count: batches * perBatch,
                perTransaction: perBatch,
                durability: .full
            )
        }
        rows.append(
            BenchRow(
                name: "floor: raw GRDB insert, 1,000 per commit (synchronous=FULL)",
                value: batchedFloor,
                unit: "rows/s"
            )
        )

        // Reads: the resume loop's `isCompleted` on a warm checkpoint.
        let lookups = 20_000
        let readRate = try rate(lookups) {
            for index in 0..<lookups { _ = try batched.isCompleted("item-\(index % batches)-\(index % perBatch)") }
        }
        rows.append(BenchRow(name: "checkpoint isCompleted", value: readRate, unit: "reads/s"))
        return rows
    }
}
