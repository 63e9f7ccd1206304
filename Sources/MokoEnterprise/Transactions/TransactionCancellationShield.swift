/// Runs clean-up work (rollbacks, compensations) so that a cancellation of the calling task cannot
/// interrupt it.
///
/// Swift 6.3 has no cancellation shield in the standard library, so the work runs in an unstructured
/// `Task` that the caller awaits. Such a task is not cancelled when the awaiting task is (that is the
/// shield), yet unlike `Task.detached` it keeps the caller's priority and task-local values. The caller
/// always awaits its completion, so the work never outlives the call: it is structured in effect.
enum TransactionCancellationShield {
    /// Runs `work` shielded from the current task's cancellation and returns its result.
    static func run<Result: Sendable>(_ work: @escaping @Sendable () async -> Result) async -> Result {
        await Task { await work() }.value
    }
}
