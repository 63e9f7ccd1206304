import Foundation

extension DeadLetterQueue {
    /// Runs the parked entries that `filter` selects again, oldest first.
    ///
    /// - A success takes the entry out of the queue and marks the item completed, in one transaction.
    /// - A failure keeps the entry, counts a retry and records the new last error and failure time.
    /// - A dry run runs nothing, changes nothing and reports in ``DeadLetterRedriveReport/selected``
    ///   what would run.
    /// - Idempotent: an entry that succeeded is gone, so running the same redrive again (e.g. after a
    ///   crash half-way) only retries what is still parked. An entry that leaves the queue while the
    ///   redrive runs is reported in ``DeadLetterRedriveReport/vanished`` and not run.
    /// - `CancellationError` from `handler` stops the redrive and is rethrown; that attempt is not
    ///   counted.
    ///
    /// - Parameters:
    ///   - filter: which entries to redrive (all by default).
    ///   - dryRun: when true, only report what would run.
    ///   - handler: does the work for one entry (decode it with ``DeadLetterEntry/decode(_:)``).
    /// - Returns: what ran and how it ended.
    /// - Throws: ``StoreError`` when the store fails; `CancellationError`.
    @discardableResult
    public func redrive(
        filter: (DeadLetterEntry) -> Bool = { _ in true },
        dryRun: Bool = false,
        using handler: (DeadLetterEntry) async throws -> Void
    ) async throws -> DeadLetterRedriveReport {
        var report = DeadLetterRedriveReport(dryRun: dryRun)
        let selected = try entries().filter(filter)
        report.selected = selected.map(\.itemID)
        guard !dryRun else { return report }
        for snapshot in selected {
            try Task.checkCancellation()
            guard let current = try entry(id: snapshot.itemID) else {
                report.vanished.append(snapshot.itemID)
                continue
            }
            do {
                try await handler(current)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if try recordRedriveFailure(current.itemID, error: error) {
                    report.stillFailing.append(current.itemID)
                } else {
                    report.vanished.append(current.itemID)
                }
                continue
            }
            if try completeRedriven(current.itemID) {
                report.redriven.append(current.itemID)
            } else {
                report.vanished.append(current.itemID)
            }
        }
        return report
    }

    /// Runs the parked entries that `filter` selects again, decoding each payload as an `Item`.
    ///
    /// Behaves as ``redrive(filter:dryRun:using:)``; a payload that does not decode as an `Item` counts
    /// as a failed attempt (its ``DeadLetterError`` becomes the entry's last error).
    ///
    /// - Returns: what ran and how it ended.
    /// - Throws: ``StoreError`` when the store fails; `CancellationError`.
    @discardableResult
    public func redrive<Item: Decodable & Sendable>(
        as type: Item.Type,
        filter: (DeadLetterEntry) -> Bool = { _ in true },
        dryRun: Bool = false,
        using handler: (Item) async throws -> Void
    ) async throws -> DeadLetterRedriveReport {
        try await redrive(filter: filter, dryRun: dryRun) { entry in
            try await handler(entry.decode(Item.self))
        }
    }
}
