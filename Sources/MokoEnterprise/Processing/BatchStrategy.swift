/// How a ``BatchProcessor`` schedules the items of a run.
public enum BatchStrategy: Sendable, Hashable, CustomStringConvertible {
    /// One item at a time, in order.
    case sequential
    /// Up to `maxConcurrency` items at once over the whole input (a sliding window: a new item starts as
    /// soon as one finishes, and the number in flight never exceeds `maxConcurrency`).
    case parallel(maxConcurrency: Int)
    /// The input cut into batches of `size`; each batch runs with up to `maxConcurrency` items at once and
    /// must finish before the next starts, with `pause` between batches (GitHub asks for spacing between
    /// mutations).
    case batched(size: Int, maxConcurrency: Int, pause: Duration = .zero)

    /// `sequential`, `parallel(8)`, `batched(50×4)`.
    public var description: String {
        switch self {
        case .sequential: return "sequential"
        case .parallel(let maxConcurrency): return "parallel(\(maxConcurrency))"
        case .batched(let size, let maxConcurrency, let pause):
            return pause == .zero
                ? "batched(\(size)×\(maxConcurrency))" : "batched(\(size)×\(maxConcurrency), \(pause))"
        }
    }

    /// The most items in flight at once.
    public var maxInFlight: Int {
        switch self {
        case .sequential: return 1
        case .parallel(let maxConcurrency): return max(1, maxConcurrency)
        case .batched(let size, let maxConcurrency, _): return max(1, min(size, maxConcurrency))
        }
    }
}

/// What a ``BatchProcessor`` does when an item fails.
public enum BatchFailurePolicy: Sendable, Hashable {
    /// Record the failure and go on with the other items.
    case `continue`
    /// Stop at the first failure: start nothing more, cancel what is in flight, report the rest as skipped.
    case failFast
}
