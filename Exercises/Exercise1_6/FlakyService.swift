import Synchronization

/// A stand-in for an unreliable remote operation: each call fails about half of the time, decided by a seed,
/// so every run of a check sees the same failures. Provided: not part of the exercise.
///
/// Whether a call fails depends only on the seed, the item and how many times that item was tried, never on
/// the order of calls. A failure is transient: after at most `maxConsecutiveFailures` failures in a row an
/// item succeeds, unless it is listed in `alwaysFailing`.
public final class FlakyService: Sendable {
    /// A failed call; trying again may succeed.
    public struct TransientFailure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The item whose processing failed.
        public var item: String
        /// Which call for this item failed, from 1.
        public var attempt: Int

        /// `processing '<item>' failed (attempt N); try again`.
        public var description: String { "processing '\(item)' failed (attempt \(attempt)); try again" }
    }

    /// The seed of the failures.
    public let seed: UInt64
    /// The share of calls that fail, 0...1.
    public let failureRate: Double
    /// The most failures in a row for an item that can succeed.
    public let maxConsecutiveFailures: Int
    /// Items whose processing always fails.
    public let alwaysFailing: Set<String>

    private struct State {
        var attempts: [String: Int] = [:]
        var failuresInARow: [String: Int] = [:]
        var calls: [String] = []
        var processed: [String] = []
    }

    private let state = Mutex(State())

    /// Creates a service.
    ///
    /// - Parameters:
    ///   - seed: decides which calls fail.
    ///   - failureRate: the share of calls that fail (default one half).
    ///   - maxConsecutiveFailures: the most failures in a row for an item that can succeed (default 4).
    ///   - alwaysFailing: items whose processing always fails.
    public init(
        seed: UInt64, failureRate: Double = 0.5, maxConsecutiveFailures: Int = 4, alwaysFailing: Set<String> = []
    ) {
        self.seed = seed
        self.failureRate = min(max(failureRate, 0), 1)
        self.maxConsecutiveFailures = max(0, maxConsecutiveFailures)
        self.alwaysFailing = alwaysFailing
    }

    /// Processes one item.
    ///
    /// - Parameter item: the item.
    /// - Returns: the result, `processed:<item>`.
    /// - Throws: ``TransientFailure`` about half of the time.
    public func process(_ item: String) async throws -> String {
        let outcome = state.withLock { state -> Result<String, TransientFailure> in
            let attempt = state.attempts[item, default: 0] + 1
            state.attempts[item] = attempt
            state.calls.append(item)
            let inARow = state.failuresInARow[item, default: 0]
            let fails =
                alwaysFailing.contains(item)
                || (inARow < maxConsecutiveFailures
                    && Self.draw(seed: seed, item: item, attempt: attempt) < failureRate)
            if fails {
                state.failuresInARow[item] = inARow + 1
                return .failure(TransientFailure(item: item, attempt: attempt))
            }
            state.failuresInARow[item] = 0
            state.processed.append(item)
            return .success("processed:\(item)")
        }
        return try outcome.get()
    }

    /// Every call so far, in order (one entry per call, failed or not).
    public var calls: [String] { state.withLock { $0.calls } }

    /// The items processed successfully, in order (an item processed twice appears twice).
    public var processedItems: [String] { state.withLock { $0.processed } }

    /// How many calls failed so far.
    public var failureCount: Int { state.withLock { $0.calls.count - $0.processed.count } }

    /// How many calls were made for `item`.
    public func callCount(for item: String) -> Int { state.withLock { $0.attempts[item, default: 0] } }

    /// A number in 0..<1 from the seed, the item and the attempt (FNV-1a, then SplitMix64 finalisation).
    private static func draw(seed: UInt64, item: String, attempt: Int) -> Double {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in item.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        var mixed = hash ^ (seed &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(attempt) &* 0xD1B5_4A32_D192_ED03)
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 31
        return Double(mixed >> 11) / Double(UInt64(1) << 53)
    }
}
