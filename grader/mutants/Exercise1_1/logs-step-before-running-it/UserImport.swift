// MUTANT logs-step-before-running-it: logs `validate_input` before validating, so a refused batch leaves a
// step event. Caught by Exercise1_1HiddenChecks.test2_refusedBatchesLogNoStepAndSaveNothing.

import MokoEnterprise

/// Imports a batch of user accounts with a complete audit trail.
public enum UserImport {
    /// The name of the audited transaction.
    public static let transactionName = "user_import"

    /// The three steps, in order; each is logged as an event of the transaction once it has succeeded.
    public static let steps = ["validate_input", "process_data", "save_results"]

    /// Validates the batch, normalises its usernames and saves them, as one audited transaction.
    ///
    /// The store then holds, chained: `transaction_start` (with the batch's metadata), one `event` per step
    /// in order (each with its own metadata and the transaction's id), and `transaction_end` with the
    /// outcome and the duration. A refused batch leaves `transaction_start` and a failed `transaction_end`,
    /// and no step event: a step is logged only once it has really happened.
    ///
    /// - Parameters:
    ///   - batch: the batch to import.
    ///   - store: where the accounts are saved.
    ///   - audit: the audit logger that records the transaction.
    /// - Returns: the usernames saved (normalised, without duplicates).
    /// - Throws: ``InvalidBatch`` when the batch is refused (nothing is saved); the logger's errors.
    @discardableResult
    public static func run(
        _ batch: ImportBatch, into store: AccountStore, audit: AuditLogger
    ) async throws
        -> [String]
    {
        // The transaction scope logs transaction_start now and transaction_end when the body returns or
        // throws, so a failure can never leave the trail open.
        let metadata: AuditDetails = ["batch_id": .string(batch.id), "source": .string(batch.source)]
        return try await audit.transaction(transactionName, metadata: metadata) { txn in
            // Log through `txn`, not `audit`: only the handle stamps the transaction's id on the event.
            try txn.logEvent("validate_input", details: ["records": .int(batch.usernames.count)])
            try batch.validate()

            let usernames = batch.normalizedUsernames()
            try txn.logEvent(
                "process_data",
                details: [
                    "unique_users": .int(usernames.count),
                    "duplicates_removed": .int(batch.usernames.count - usernames.count),
                ])

            let saved = store.save(usernames)
            try txn.logEvent("save_results", details: ["saved": .int(saved), "store": .string(store.name)])
            return usernames
        }
    }
}
