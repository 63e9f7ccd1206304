import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

/// The saga orchestrator wired to the library's real dead letter queue and audit log.
@Suite struct SagaIntegrationTests {
    private struct IntegrationFailure: Error, CustomStringConvertible {
        var description: String
    }

    @Test func stuckCompensationIsParkedInTheDeadLetterQueueAndEveryEventIsAudited() async throws {
        let directory = try TemporaryDirectory(prefix: "saga-integration")
        defer { directory.remove() }
        let clock = ManualClock()
        let dlq = try DeadLetterQueue(name: "sagas", maxRetries: 3, directory: directory.url, wallClock: clock)
        let audit = try AuditLogger(service: "saga-test", directory: directory.url, wallClock: clock)
        let ledger = TestRecorder<String>()
        let saga = SagaOrchestrator(
            wallClock: clock,
            clock: clock,
            compensationRetry: SagaCompensationRetry(maxAttempts: 2, initialDelay: .seconds(1)),
            deadLetters: dlq,
            onEvent: audit.sagaEventRecorder()
        )
        let steps = [
            SagaStep(
                name: "create_repo",
                forward: { ledger.append("forward create_repo") },
                compensate: {
                    ledger.append("compensate create_repo")
                    throw IntegrationFailure(
                        description: "github is down, token ghp_abcdefghijklmnopqrstuvwxyz0123456789")
                }),
            SagaStep(
                name: "create_ci", forward: { ledger.append("forward create_ci") },
                compensate: { ledger.append("compensate create_ci") }),
            SagaStep(
                name: "notify_chat",
                forward: {
                    ledger.append("forward notify_chat")
                    throw IntegrationFailure(description: "chat unavailable")
                },
                compensate: { ledger.append("compensate notify_chat") }),
        ]

        await #expect(throws: SagaFailed.self) {
            try await clock.run { try await saga.executeSaga("onboard", steps: steps) }
        }

        #expect(
            ledger.values == [
                "forward create_repo", "forward create_ci", "forward notify_chat",
                "compensate create_ci", "compensate create_repo", "compensate create_repo",
            ])
        let entries = try dlq.entries()
        #expect(entries.map(\.itemID) == ["onboard/create_repo/compensation"])
        #expect(entries.first?.reason == "compensation_failed")
        #expect(entries.first?.retryCount == 2)
        #expect(entries.first?.lastError.contains("ghp_") == false, "the token must be redacted in the DLQ")
        let payload = try #require(entries.first).payload
        let decoded = try JSONDecoder().decode(SagaCompensationDeadLetter.self, from: payload)
        #expect(decoded == SagaCompensationDeadLetter(saga: "onboard", step: "create_repo", attempts: 2))

        let names = try audit.records().map(\.name)
        #expect(names.first == "saga_start")
        #expect(names.filter { $0 == "step_start" }.count == 3)
        #expect(names.filter { $0 == "step_complete" }.count == 2)
        #expect(names.contains("compensation_dead_lettered"))
        #expect(names.last == "saga_failed")
        let failed = try #require(try audit.records().last)
        #expect(failed.outcome == .failure)
        #expect(failed.message?.contains("chat unavailable") == true)
        #expect(try audit.verify().isValid)
    }
}
