/// Changes to a ``Checkpoint`` recorded by ``Checkpoint/batch(_:)`` and applied in one transaction.
///
/// Recording does not touch the store; the checkpoint applies the recorded changes, in order, when
/// the batch closure returns.
public struct CheckpointBatch: Sendable {
    /// What a batch changed.
    public struct Outcome: Sendable, Equatable {
        /// Items completed by the batch (items already completed are not counted).
        public var completed = 0
        /// Failures recorded.
        public var failed = 0
        /// Retries counted.
        public var retriesCounted = 0

        /// Creates an empty outcome.
        public init() {}
    }

    enum Operation: Sendable {
        case complete(String, result: String?)
        case fail(String, error: String)
        case incrementRetry(String)

        var itemID: String {
            switch self {
            case .complete(let id, _), .fail(let id, _), .incrementRetry(let id): id
            }
        }
    }

    private(set) var operations: [Operation] = []

    init() {}

    /// How many changes are recorded.
    public var count: Int { operations.count }

    /// Records: mark `id` completed with `result` (stored verbatim).
    public mutating func markCompleted(_ id: String, result: String? = nil) {
        operations.append(.complete(id, result: result))
    }

    /// Records: `id` failed with `error` (redacted now, before it is stored).
    public mutating func markFailed(_ id: String, error: String) {
        operations.append(.fail(id, error: SecretRedactor.redact(error)))
    }

    /// Records: `id` failed with `error`, described with `String(describing:)` and redacted.
    public mutating func markFailed(_ id: String, error: any Error) {
        markFailed(id, error: String(describing: error))
    }

    /// Records: count one more retry for `id`.
    public mutating func incrementRetryCount(_ id: String) {
        operations.append(.incrementRetry(id))
    }
}
