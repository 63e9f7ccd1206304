import ExerciseSupport
import MokoEnterprise

/// Imports a batch of user accounts with a complete audit trail.
public enum UserImport {
    /// The name of the audited transaction.
    public static let transactionName = "user_import"

    /// The three steps, in order; each is logged as an event of the transaction once it has succeeded.
    public static let steps = ["validate_input", "process_data", "save_results"]

    /// Validates the batch, normalises its usernames and saves them, as one audited transaction.
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
        // TODO: open `audit.transaction(transactionName, metadata: ...)` with the batch's `batch_id` and
        // `source`. Inside it, run the three steps in order and, after each one succeeds, log it through the
        // transaction handle (`txn.logEvent(...)`) with its metadata (see README.md):
        //   validate_input  `batch.validate()`                   records
        //   process_data    `batch.normalizedUsernames()`        unique_users, duplicates_removed
        //   save_results    `store.save(...)`                    saved, store
        // Return the saved usernames.
        throw Unimplemented("the audited import (UserImport.run(_:into:audit:))", exercise: "1.1")
    }
}
