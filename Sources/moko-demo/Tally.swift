import Synchronization

/// Counts of what the policy changed, shared by the concurrent parts of the job.
final class Tally: Sendable {
    private let counts = Mutex((updated: 0, compliant: 0))

    /// Records one repository brought in line; `compliant` when it already was.
    func record(compliant: Bool) {
        counts.withLock { counts in
            if compliant { counts.compliant += 1 } else { counts.updated += 1 }
        }
    }

    /// Repositories whose settings were changed.
    var updated: Int { counts.withLock { $0.updated } }
    /// Repositories whose settings already matched the policy (only protection was applied).
    var compliant: Int { counts.withLock { $0.compliant } }
}
