import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

@Suite("Circuit breaker")
struct CircuitBreakerTests {
    private func makeBreaker(
        clock: ManualClock,
        failureThreshold: Int = 5,
        successThreshold: Int = 2,
        halfOpenMaxCalls: Int = 1,
        failureRateWindow: CircuitBreaker.FailureRateWindow? = nil,
        transitions: TestRecorder<CircuitBreaker.Transition>? = nil
    ) throws -> CircuitBreaker {
        try CircuitBreaker(
            name: "github",
            failureThreshold: failureThreshold,
            timeout: .seconds(60),
            successThreshold: successThreshold,
            halfOpenMaxCalls: halfOpenMaxCalls,
            failureRateWindow: failureRateWindow,
            clock: clock,
            onStateChange: { transitions?.append($0) }
        )
    }

    private func fail(_ breaker: CircuitBreaker) async {
        _ = try? await breaker.call { () async throws -> Int in throw ResilienceTestFailure() }
    }

    @Test func thousandConcurrentFailuresOpenTheBreakerExactlyOnce() async throws {
        let clock = ManualClock()
        let transitions = TestRecorder<CircuitBreaker.Transition>()
        let breaker = try makeBreaker(clock: clock, transitions: transitions)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<1_000 {
                group.addTask {
                    do {
                        _ = try await breaker.call { () async throws -> Int in throw ResilienceTestFailure() }
                    } catch is CircuitOpenError {
                        return true
                    } catch {}
                    return false
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.count == 1_000)
        #expect(transitions.values.map { "\($0.from)->\($0.to)" } == ["closed->open"])
        #expect(breaker.state == .open)
        let snapshot = breaker.snapshot
        #expect(snapshot.failures + snapshot.rejections == 1_000)
    }

    @Test(arguments: [1, 3, 10])
    func halfOpenAdmitsOnlyTheConfiguredTrialCalls(permitted: Int) async throws {
        let clock = ManualClock()
        let breaker = try makeBreaker(
            clock: clock, failureThreshold: 1, successThreshold: 1_000, halfOpenMaxCalls: permitted)
        await fail(breaker)
        clock.advance(by: .seconds(60))
        let gate = ResilienceTestGate()
        let rejected = LockedValue(0)
        let entered = LockedValue(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    do {
                        try await breaker.call {
                            entered.withLock { $0 += 1 }
                            gate.arrive()
                            await gate.wait()
                        }
                    } catch let error as CircuitOpenError {
                        #expect(error.reason == .halfOpenTrialsInProgress)
                        rejected.withLock { $0 += 1 }
                        gate.arrive()
                    }
                }
            }
            await gate.waitForArrivals(100)
            #expect(entered.value == permitted)
            #expect(rejected.value == 100 - permitted)
            gate.open()
            try await group.waitForAll()
        }
        #expect(breaker.state == .halfOpen)
    }

    @Test func rejectionCarriesTheTimeLeftOpen() async throws {
        let clock = ManualClock()
        let breaker = try makeBreaker(clock: clock, failureThreshold: 1)
        await fail(breaker)
        clock.advance(by: .seconds(20))
        let error = await #expect(throws: CircuitOpenError.self) {
            try await breaker.call { 1 }
        }
        #expect(error?.retryAfter == .seconds(40))
        #expect(error?.reason == .open)
        #expect(error?.circuit == "github")
    }

    @Test func opensAfterFiveConsecutiveFailuresAndGoesHalfOpenAfterTheTimeout() async throws {
        let clock = ManualClock()
        let transitions = TestRecorder<CircuitBreaker.Transition>()
        let breaker = try makeBreaker(clock: clock, transitions: transitions)
        for _ in 0..<4 { await fail(breaker) }
        #expect(breaker.state == .closed)
        await fail(breaker)
        #expect(breaker.isOpen)
        clock.advance(by: .seconds(59))
        #expect(breaker.state == .open)
        clock.advance(by: .seconds(1))
        #expect(breaker.state == .halfOpen)
        #expect(!breaker.isOpen)
        #expect(transitions.values.map(\.to) == [.open, .halfOpen])
        #expect(transitions.values.map(\.elapsed) == [.zero, .seconds(60)])
        #expect(transitions.values.last?.at == clock.epoch.addingTimeInterval(60))
    }

    @Test func successesInHalfOpenCloseTheBreaker() async throws {
        let clock = ManualClock()
        let breaker = try makeBreaker(clock: clock, failureThreshold: 1, successThreshold: 2)
        await fail(breaker)
        clock.advance(by: .seconds(60))
        _ = try await breaker.call { 1 }
        #expect(breaker.state == .halfOpen)
        _ = try await breaker.call { 2 }
        #expect(breaker.state == .closed)
    }

    @Test func aFailedTrialReopensForAFullTimeout() async throws {
        let clock = ManualClock()
        let breaker = try makeBreaker(clock: clock, failureThreshold: 1)
        await fail(breaker)
        clock.advance(by: .seconds(60))
        await fail(breaker)
        #expect(breaker.state == .open)
        let error = await #expect(throws: CircuitOpenError.self) { try await breaker.call { 1 } }
        #expect(error?.retryAfter == .seconds(60))
    }

    @Test func forcedOpenRejectsEverythingAndResetCloses() async throws {
        let clock = ManualClock()
        let breaker = try makeBreaker(clock: clock)
        breaker.forceOpen()
        clock.advance(by: .seconds(3_600))
        let error = await #expect(throws: CircuitOpenError.self) { try await breaker.call { 1 } }
        #expect(error?.reason == .forcedOpen)
        #expect(breaker.state == .forcedOpen)
        breaker.reset()
        #expect(try await breaker.call { 7 } == 7)
    }

    @Test func disabledLetsEveryCallThroughAndRecordsNothing() async throws {
        let clock = ManualClock()
        let breaker = try makeBreaker(clock: clock, failureThreshold: 1)
        breaker.disable()
        for _ in 0..<10 { await fail(breaker) }
        #expect(breaker.state == .disabled)
        #expect(try await breaker.call { 3 } == 3)
        #expect(breaker.snapshot.failures == 0)
    }

    @Test func cancellationAndClientErrorsDoNotCountAsFailures() async throws {
        let clock = ManualClock()
        let breaker = try makeBreaker(clock: clock, failureThreshold: 1)
        for error in [CancellationError(), ResilienceTestHTTPError(statusCode: 404) as any Error] {
            _ = try? await breaker.call { () async throws -> Int in throw error }
        }
        #expect(breaker.state == .closed)
        #expect(breaker.snapshot.ignored == 2)
        _ = try? await breaker.call { () async throws -> Int in throw ResilienceTestHTTPError(statusCode: 502) }
        #expect(breaker.state == .open)
    }

    @Test func failureRateWindowOpensAtTheThreshold() async throws {
        let clock = ManualClock()
        let window = CircuitBreaker.FailureRateWindow(size: 10, minimumCalls: 10, threshold: 0.5)
        let breaker = try makeBreaker(clock: clock, failureThreshold: 100, failureRateWindow: window)
        for index in 0..<9 {
            if index.isMultiple(of: 2) { await fail(breaker) } else { _ = try await breaker.call { 0 } }
        }
        #expect(breaker.state == .closed)
        #expect(breaker.snapshot.failureRate == nil)
        _ = try await breaker.call { 0 }
        #expect(breaker.state == .closed)
        #expect(breaker.snapshot.failureRate == 0.5)
        await fail(breaker)
        #expect(breaker.state == .open)
    }

    @Test func manualStyleRecordsDriveTheSameStateMachine() async throws {
        let clock = ManualClock()
        let breaker = try makeBreaker(clock: clock, successThreshold: 1)
        for _ in 0..<5 { breaker.recordFailure() }
        #expect(breaker.isOpen)
        clock.advance(by: .seconds(60))
        #expect(!breaker.isOpen)
        breaker.recordSuccess()
        #expect(breaker.state == .closed)
    }

    @Test func openForADurationRejectsUntilThen() async throws {
        let clock = ManualClock()
        let breaker = try makeBreaker(clock: clock)
        breaker.open(for: .seconds(900))
        let error = await #expect(throws: CircuitOpenError.self) { try await breaker.call { 1 } }
        #expect(error?.retryAfter == .seconds(900))
        clock.advance(by: .seconds(900))
        #expect(breaker.state == .halfOpen)
    }

    @Test func stateChangeStreamDeliversTransitionsInOrder() async throws {
        let clock = ManualClock()
        let breaker = try makeBreaker(clock: clock, failureThreshold: 1, successThreshold: 1)
        let stream = breaker.stateChanges()
        await fail(breaker)
        clock.advance(by: .seconds(60))
        _ = try await breaker.call { 1 }
        var seen: [String] = []
        for await transition in stream {
            seen.append("\(transition.from)->\(transition.to)")
            if seen.count == 3 { break }
        }
        #expect(seen == ["closed->open", "open->half-open", "half-open->closed"])
    }

    @Test func invalidSettingsAreRejected() {
        #expect(throws: ResilienceConfigurationError.self) {
            try CircuitBreaker(failureThreshold: 0, clock: ManualClock())
        }
        #expect(throws: ResilienceConfigurationError.self) {
            try CircuitBreaker(halfOpenMaxCalls: 0, clock: ManualClock())
        }
    }
}
