import ExerciseSupport
import MokoEnterprise

/// Applies several setting changes as one transaction: all of them, or none.
public enum SettingsUpdate {
    /// The name of the transaction in the manager's history.
    public static let transactionName = "update_settings"

    /// Sets every change in order, in one transaction named ``transactionName``; when one write fails, the
    /// ones before it are undone and the error is rethrown.
    ///
    /// - Parameters:
    ///   - changes: the changes, applied in order.
    ///   - settings: the store to change.
    ///   - manager: keeps the history of the transaction.
    /// - Throws: the transaction's failure, naming the failed operation.
    public static func apply(
        _ changes: [SettingChange], to settings: RepositorySettings, manager: TransactionManager
    ) async throws {
        // TODO: begin a transaction named `transactionName` with `manager`; add one operation per change,
        // named `set_<key>`, whose forward action sets the value and whose rollback puts back exactly what
        // was there before (the old value, or nothing); then commit.
        throw Unimplemented("the transaction (SettingsUpdate.apply(_:to:manager:))", exercise: "1.9")
    }
}
