import Foundation
import MokoEnterprise
import Testing

@Suite("Retry jitter")
struct RetryJitterTests {
    private let cap = Duration.seconds(60)

    private func policy(_ jitter: RetryPolicy.Jitter) -> RetryPolicy {
        RetryPolicy(maxRetries: 100, baseDelay: .seconds(1), maxDelay: cap, jitter: jitter)
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    @Test func fullJitterAtTheCapStaysSpreadAndNeverExceedsIt() {
        let policy = policy(.full)
        var random = SeededRandomNumberGenerator(seed: 2026)
        let delays = (0..<10_000).map { _ in policy.delay(forAttempt: 50, previousDelay: nil, using: &random) }
        #expect(Set(delays).count >= 9_000)
        #expect(delays.allSatisfy { $0 <= cap && $0 >= .zero })
        #expect(!delays.allSatisfy { $0 == cap })
        let values = delays.map(seconds)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        #expect(variance.squareRoot() > 0.2 * seconds(cap))
    }

    @Test(arguments: [RetryPolicy.Jitter.equal, .decorrelated])
    func otherJittersAtTheCapStaySpread(_ jitter: RetryPolicy.Jitter) {
        let policy = policy(jitter)
        var random = SeededRandomNumberGenerator(seed: 7)
        let delays = (0..<10_000).map { _ in policy.delay(forAttempt: 50, previousDelay: cap, using: &random) }
        #expect(Set(delays).count >= 9_000)
        #expect(delays.allSatisfy { $0 <= cap })
    }

    @Test func everyJitterKindStaysWithinItsFormulaOverManyDraws() {
        var random = SeededRandomNumberGenerator(seed: 42)
        for jitter in RetryPolicy.Jitter.allCases {
            let policy = policy(jitter)
            var previous: Duration?
            for draw in 0..<20_000 {
                let attempt = draw % 40 + 1
                let envelope = policy.envelope(forAttempt: attempt)
                let delay = policy.delay(forAttempt: attempt, previousDelay: previous, using: &random)
                switch jitter {
                case .none:
                    #expect(delay == envelope)
                case .full:
                    #expect(delay >= .zero && delay <= envelope)
                case .equal:
                    #expect(delay >= envelope / 2 && delay <= envelope)
                case .decorrelated:
                    let upper = min(cap, max(.seconds(1), (previous ?? .seconds(1)) * 3))
                    #expect(delay >= .seconds(1) && delay <= upper)
                }
                previous = delay
            }
        }
    }

    @Test func envelopeDoublesFromTheBaseDelayThenStopsAtTheCap() {
        let policy = RetryPolicy(baseDelay: .seconds(1), maxDelay: .seconds(10), jitter: .none)
        let envelopes = (1...6).map { policy.envelope(forAttempt: $0) }
        #expect(envelopes == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10)])
    }

    @Test func noOverflowAtTheLargestAttemptNumber() {
        var random = SeededRandomNumberGenerator(seed: 1)
        for jitter in RetryPolicy.Jitter.allCases {
            let policy = RetryPolicy(baseDelay: .seconds(1), maxDelay: cap, exponentialBase: 10, jitter: jitter)
            #expect(policy.envelope(forAttempt: .max) == cap)
            let delay = policy.delay(forAttempt: .max, previousDelay: .seconds(Int64.max), using: &random)
            #expect(delay >= .zero && delay <= cap)
        }
    }

    @Test func seededGeneratorsReproduceTheSameDelays() {
        let policy = RetryPolicy.default
        var first = SeededRandomNumberGenerator(seed: 99)
        var second = SeededRandomNumberGenerator(seed: 99)
        let a = (1...20).map { policy.delay(forAttempt: $0, previousDelay: nil, using: &first) }
        let b = (1...20).map { policy.delay(forAttempt: $0, previousDelay: nil, using: &second) }
        #expect(a == b)
        #expect(Set(a).count > 1)
    }

    @Test func presetsMatchTheCurriculum() {
        #expect(RetryPolicy.aggressive.maxRetries == 5)
        #expect(RetryPolicy.aggressive.baseDelay == .seconds(2))
        #expect(RetryPolicy.aggressive.maxDelay == .seconds(60))
        #expect(RetryPolicy.conservative.maxRetries == 2)
        #expect(RetryPolicy.conservative.baseDelay == .seconds(1))
        #expect(RetryPolicy.conservative.maxDelay == .seconds(10))
        #expect(RetryPolicy.default.maxRetries == 3)
    }
}
