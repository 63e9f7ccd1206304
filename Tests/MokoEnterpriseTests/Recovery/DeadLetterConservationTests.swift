import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

/// Property test: for seeded random failure patterns, processing, redrives and purges never lose or
/// duplicate an item. A small model predicts every outcome; the queue must agree with it exactly.
@Suite struct DeadLetterConservationTests {
    /// What the model expects of one item.
    private struct ModelItem {
        var retries = 0
        var completed = false
        var parkedAt: Int?  // order of arrival in the queue
        var firstFailed: Date?
        var lastFailed: Date?
        var deadLetteredAt: Date?
        var lastError: String?
    }

    @Test(arguments: 0..<200)
    func everyItemIsCompletedPendingOrParkedExactlyOnce(seed: Int) async throws {
        var random = RecoveryRandom(seed: UInt64(seed) &* 0x2545_F491_4F6C_DD1D &+ 1)
        let directory = try TemporaryDirectory(prefix: "dlq-property")
        defer { directory.remove() }
        let clock = ManualClock()
        let maxRetries = Int.random(in: 1...4, using: &random)
        let dlq = try DeadLetterQueue(
            name: "property",
            maxRetries: maxRetries,
            directory: directory.url,
            durability: .normal,
            wallClock: clock
        )
        let items = (1...Int.random(in: 1...12, using: &random)).map { RecoveryJob(id: "item-\($0)", value: $0) }
        let failureRate = [0.0, 0.2, 0.5, 0.8, 1.0].randomElement(using: &random) ?? 0.5
        var model = Dictionary(uniqueKeysWithValues: items.map { ($0.id, ModelItem()) })
        var arrivals = 0

        for round in 0..<Int.random(in: 1...5, using: &random) {
            clock.advance(by: .seconds(Int.random(in: 1...60, using: &random)))
            let failing = Set(items.filter { _ in Double.random(in: 0..<1, using: &random) < failureRate }.map(\.id))
            let message = "round \(round) failed, token=round\(round)secret"
            let report = try await dlq.process(items, id: \.id) { job in
                if failing.contains(job.id) { throw RecoveryTestError(description: message) }
            }
            var expected = DeadLetterReport()
            for item in items {
                guard var state = model[item.id] else { continue }
                if state.completed {
                    expected.skipped.append(item.id)
                } else if state.parkedAt != nil {
                    expected.alreadyDeadLettered.append(item.id)
                } else if failing.contains(item.id) {
                    state.retries += 1
                    state.firstFailed = state.firstFailed ?? clock.currentDate
                    state.lastFailed = clock.currentDate
                    state.lastError = SecretRedactor.redact(message)
                    if state.retries >= maxRetries {
                        arrivals += 1
                        state.parkedAt = arrivals
                        state.deadLetteredAt = clock.currentDate
                        expected.deadLettered.append(item.id)
                    } else {
                        expected.pending.append(item.id)
                    }
                } else {
                    state.completed = true
                    state.firstFailed = nil
                    state.lastFailed = nil
                    state.lastError = nil
                    expected.completed.append(item.id)
                }
                model[item.id] = state
            }
            #expect(report == expected, "seed \(seed) round \(round)")
            try checkConservation(dlq, items: items, model: model, maxRetries: maxRetries, seed: seed)

            if Bool.random(using: &random) {
                clock.advance(by: .seconds(Int.random(in: 1...60, using: &random)))
                let dryRun = Int.random(in: 0..<4, using: &random) == 0
                let modulus = Int.random(in: 1...3, using: &random)
                let selects: (String) -> Bool = { id in (Int(id.dropFirst(5)) ?? 0) % modulus == 0 }
                let stillFailing = Set(items.filter { _ in Bool.random(using: &random) }.map(\.id))
                let entriesBefore = try dlq.entries()
                let stateBefore = try dlq.checkpoint.getState()
                let redriveMessage = "redrive \(round) failed"
                let redriveReport = try await dlq.redrive(
                    as: RecoveryJob.self,
                    filter: { selects($0.itemID) },
                    dryRun: dryRun
                ) { job in
                    if dryRun { Issue.record("a dry run ran \(job.id)") }
                    if stillFailing.contains(job.id) { throw RecoveryTestError(description: redriveMessage) }
                }
                let selected = model.filter { $0.value.parkedAt != nil && selects($0.key) }
                    .sorted { ($0.value.parkedAt ?? 0) < ($1.value.parkedAt ?? 0) }.map(\.key)
                #expect(redriveReport.selected == selected, "seed \(seed) round \(round)")
                if dryRun {
                    #expect(redriveReport.redriven.isEmpty && redriveReport.stillFailing.isEmpty)
                    #expect(try dlq.entries() == entriesBefore, "seed \(seed): a dry run changed the queue")
                    #expect(try dlq.checkpoint.getState() == stateBefore, "seed \(seed): a dry run changed state")
                } else {
                    for id in selected {
                        guard var state = model[id] else { continue }
                        if stillFailing.contains(id) {
                            state.retries += 1
                            state.lastFailed = clock.currentDate
                            state.lastError = redriveMessage
                        } else {
                            state.completed = true
                            state.parkedAt = nil
                            state.firstFailed = nil
                            state.lastFailed = nil
                            state.lastError = nil
                        }
                        model[id] = state
                    }
                    #expect(redriveReport.stillFailing == selected.filter { stillFailing.contains($0) })
                    #expect(redriveReport.redriven == selected.filter { !stillFailing.contains($0) })
                }
                try checkConservation(dlq, items: items, model: model, maxRetries: maxRetries, seed: seed)
            }
        }

        if Bool.random(using: &random) {
            let modulus = Int.random(in: 1...2, using: &random)
            let purged = try dlq.purge(filter: { (Int($0.itemID.dropFirst(5)) ?? 0) % modulus == 0 })
            let expected = model.filter { $0.value.parkedAt != nil && (Int($0.key.dropFirst(5)) ?? 0) % modulus == 0 }
                .sorted { ($0.value.parkedAt ?? 0) < ($1.value.parkedAt ?? 0) }.map(\.key)
            #expect(purged == expected, "seed \(seed): purge")
            for id in purged {
                model[id] = ModelItem()
                #expect(try dlq.entry(id: id) == nil)
                #expect(try dlq.checkpoint.item(id) == nil)
            }
            try checkConservation(dlq, items: items, model: model, maxRetries: maxRetries, seed: seed)
        }
    }

    /// Checks the store against the model: each item in exactly one place, with the model's history.
    private func checkConservation(
        _ dlq: DeadLetterQueue,
        items: [RecoveryJob],
        model: [String: ModelItem],
        maxRetries: Int,
        seed: Int
    ) throws {
        let entries = try dlq.entries()
        let state = try dlq.checkpoint.getState()
        let records = Dictionary(uniqueKeysWithValues: try dlq.checkpoint.items().map { ($0.itemID, $0) })
        let completed = Set(state.completedItems)
        let parked = Set(entries.map(\.itemID))
        #expect(completed.count == state.completedItems.count, "seed \(seed): a completed item is listed twice")
        #expect(parked.count == entries.count, "seed \(seed): an item is parked twice")
        #expect(completed.isDisjoint(with: parked), "seed \(seed): an item is completed and parked")
        #expect(completed.union(parked).isSubset(of: Set(items.map(\.id))), "seed \(seed): unknown items")
        let expectedOrder = model.filter { $0.value.parkedAt != nil }
            .sorted { ($0.value.parkedAt ?? 0) < ($1.value.parkedAt ?? 0) }.map(\.key)
        #expect(entries.map(\.itemID) == expectedOrder, "seed \(seed): queue order")

        for item in items {
            let expected = model[item.id] ?? ModelItem()
            let isCompleted = completed.contains(item.id)
            let isParked = parked.contains(item.id)
            let record = records[item.id]
            let retries = record?.retryCount ?? 0
            let isPending = !isCompleted && !isParked
            #expect([isCompleted, isParked, isPending].filter { $0 }.count == 1)
            #expect(isCompleted == expected.completed, "seed \(seed) \(item.id): completed")
            #expect(isParked == (expected.parkedAt != nil), "seed \(seed) \(item.id): parked")
            #expect(retries == expected.retries, "seed \(seed) \(item.id): retries")
            if isPending && retries > 0 {
                #expect(retries < maxRetries, "seed \(seed) \(item.id): pending with no retries left")
                #expect(record?.status == .failed)
            }
            if let entry = entries.first(where: { $0.itemID == item.id }) {
                #expect(entry.retryCount == expected.retries, "seed \(seed) \(item.id): entry retries")
                #expect(entry.retryCount >= maxRetries)
                #expect(entry.reason.contains("maxRetries \(maxRetries)"))
                #expect(entry.firstFailedAt == expected.firstFailed, "seed \(seed) \(item.id): first failure")
                #expect(entry.lastFailedAt == expected.lastFailed, "seed \(seed) \(item.id): last failure")
                #expect(entry.deadLetteredAt == expected.deadLetteredAt, "seed \(seed) \(item.id): parked at")
                #expect(entry.lastError == expected.lastError, "seed \(seed) \(item.id): last error")
                #expect(!entry.lastError.contains("secret"), "seed \(seed): an unredacted error")
                #expect(try entry.decode(RecoveryJob.self) == item)
            }
        }
    }
}
