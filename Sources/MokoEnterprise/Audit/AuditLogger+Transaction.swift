import Foundation

extension AuditLogger {
    /// Runs `body` as an audited transaction: logs `transaction_start` (with `metadata`), lets the body
    /// log its steps through the ``AuditTransaction`` handle, then logs `transaction_end` with the
    /// duration (from the logger's `WallClock`), the outcome and — on failure — the redacted error
    /// description, and returns the body's result or rethrows its error.
    ///
    /// ```swift
    /// let count = try await audit.transaction("fetch_repositories", metadata: ["org": "moko"]) { txn in
    ///     let repos = try await client.listRepos(org: "moko")
    ///     try txn.logEvent("repos_fetched", details: ["count": .int(repos.count)])
    ///     return repos.count
    /// }
    /// ```
    ///
    /// The body runs on the caller's actor. When `transaction_start` cannot be written the body does
    /// not run and the store error is thrown. When the body fails, its error is rethrown even if
    /// `transaction_end` cannot be written; when the body succeeds and `transaction_end` cannot be
    /// written, the store error is thrown (the operation has no complete audit trail).
    ///
    /// - Parameters:
    ///   - operation: the transaction's name, e.g. `user_provisioning`.
    ///   - metadata: details recorded on `transaction_start` and `transaction_end`.
    ///   - body: the work; its events go through the handle.
    /// - Returns: what `body` returns.
    @discardableResult
    public func transaction<Result>(
        _ operation: String,
        metadata: AuditDetails = [:],
        isolation: isolated (any Actor)? = #isolation,
        _ body: (AuditTransaction) async throws -> Result
    ) async throws -> Result {
        let handle = AuditTransaction(logger: self, id: UUID().uuidString.lowercased(), operation: operation)
        let start = AuditTimestamp.milliseconds(wallClock.currentDate)
        try log(
            AuditEvent(type: .transactionStart, name: operation, details: metadata, transactionID: handle.id))
        func end(_ error: (any Error)?) throws {
            let elapsed = AuditTimestamp.milliseconds(wallClock.currentDate) - start
            try log(
                AuditEvent(
                    type: .transactionEnd, name: operation, outcome: error == nil ? .success : .failure,
                    message: error.map { String(describing: $0) }, details: metadata, transactionID: handle.id,
                    durationSeconds: Double(max(0, elapsed)) / 1000))
        }
        let result: Result
        do {
            result = try await body(handle)
        } catch {
            try? end(error)
            throw error
        }
        try end(nil)
        return result
    }
}
