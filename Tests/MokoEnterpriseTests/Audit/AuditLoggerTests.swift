import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

/// An error whose description carries a credential, to check redaction of error messages.
private struct AuditLoggerTestFailure: Error, CustomStringConvertible {
    var description: String { "upstream refused: password=hunter2secret" }
}

@Suite struct AuditLoggerTests {
    private static let githubToken = "ghp_" + String(repeating: "A1b2C3d4E5", count: 3) + "F6g7H8"
    private static let awsKey = "AKIAIOSFODNN7EXAMPLE"

    private func makeLogger(
        _ directory: TemporaryDirectory,
        clock: ManualClock,
        retentionDays: Int = 90,
        user: String = "alice"
    ) throws -> AuditLogger {
        try AuditLogger(
            service: "demo_script", directory: directory.url, retentionDays: retentionDays, user: user,
            wallClock: clock, durability: .normal)
    }

    @Test func transactionLogsStartStepsAndEndInOrderWithMetadataAndDuration() async throws {
        let directory = try TemporaryDirectory(prefix: "audit-txn")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try makeLogger(directory, clock: clock)

        let value = try await logger.transaction("user_provisioning", metadata: ["ticket": "OPS-42"]) { txn in
            try txn.logEvent("validate_input", details: ["fields": 3])
            clock.advance(by: .milliseconds(1500))
            try txn.logEvent("process_data", details: ["rows": 10])
            clock.advance(by: .milliseconds(250))
            try txn.logEvent("save_results")
            return 42
        }

        #expect(value == 42)
        let records = try logger.records()
        #expect(records.map(\.eventType) == [.transactionStart, .event, .event, .event, .transactionEnd])
        #expect(
            records.map(\.name) == [
                "user_provisioning", "validate_input", "process_data", "save_results", "user_provisioning",
            ])
        #expect(records.map(\.seq) == [1, 2, 3, 4, 5])
        let transactionIDs = Set(records.compactMap(\.transactionID))
        #expect(transactionIDs.count == 1 && records.allSatisfy { $0.transactionID != nil })
        #expect(records[0].details["ticket"] == "OPS-42")
        #expect(records[4].details["ticket"] == "OPS-42")
        #expect(records[4].durationSeconds == 1.75)
        #expect(records[4].outcome == .success)
        #expect(records[4].message == nil)
        #expect(records[0].timestampText == "2026-01-01T00:00:00.000Z")
        #expect(records[4].timestampText == "2026-01-01T00:00:01.750Z")
        #expect(records.allSatisfy { $0.user == "alice" && $0.service == "demo_script" && !$0.host.isEmpty })
        #expect(records.allSatisfy { $0.sessionID == logger.sessionID })
        #expect(try logger.verify().isValid)
    }

    @Test func failingTransactionLogsFailureWithRedactedErrorAndRethrows() async throws {
        let directory = try TemporaryDirectory(prefix: "audit-txn-fail")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try makeLogger(directory, clock: clock)

        await #expect(throws: AuditLoggerTestFailure.self) {
            try await logger.transaction("deploy") { txn in
                try txn.logEvent("upload")
                clock.advance(by: .seconds(2))
                throw AuditLoggerTestFailure()
            }
        }

        let records = try logger.records()
        #expect(records.map(\.eventType) == [.transactionStart, .event, .transactionEnd])
        let end = try #require(records.last)
        #expect(end.outcome == .failure)
        #expect(end.durationSeconds == 2.0)
        let message = try #require(end.message)
        #expect(message.contains("upstream refused"))
        #expect(message.contains(SecretRedactor.marker))
        #expect(!message.contains("hunter2secret"))
        let report = try logger.generateReport(startDate: clock.epoch, endDate: clock.currentDate.addingTimeInterval(1))
        #expect(report.transactions.count == 1)
        #expect(report.transactions.first?.succeeded == false)
        #expect(report.transactions.first?.durationSeconds == 2.0)
        #expect(report.failures.map(\.seq) == [3])
    }

    @Test func credentialsNeverReachTheDatabaseOrTheExport() async throws {
        let directory = try TemporaryDirectory(prefix: "audit-redact")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try makeLogger(directory, clock: clock)
        let secrets = [Self.githubToken, Self.awsKey, "hunter2secret", "plainvalue99"]

        try logger.logEvent(
            "configure",
            details: [
                "note": .string("using token \(Self.githubToken) for the API"),
                "aws": .string(Self.awsKey),
                "connection": "postgres://app@db/prod?password=hunter2secret",
                "password": "plainvalue99",
                "nested": ["list": [.string(Self.githubToken)]],
            ])
        try logger.logSecurityEvent(
            "token_used \(Self.githubToken)", severity: .high, details: ["key": .string(Self.awsKey)])
        try await logger.transaction("rotate") { txn in
            try txn.logError(AuditLoggerTestFailure())
        }
        let export = directory.appending("audit.jsonl")
        try logger.exportJSONL(to: export)

        for file in [logger.databaseURL.path, logger.databaseURL.path + "-wal", export.path] {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            for secret in secrets {
                #expect(data.range(of: Data(secret.utf8)) == nil, "\(secret) found in \(file)")
            }
        }
        let records = try logger.records()
        #expect(records[0].details["password"] == .string(SecretRedactor.marker))
        #expect(records[0].details["aws"] == .string(SecretRedactor.marker))
        #expect(records[0].details["note"]?.stringValue?.contains(SecretRedactor.marker) == true)
        #expect(try logger.verify().isValid)
    }

    @Test func everyKindOfCredentialIsRedactedAsTheRedactorWould() throws {
        let directory = try TemporaryDirectory(prefix: "audit-redact-kinds")
        defer { directory.remove() }
        let logger = try makeLogger(directory, clock: ManualClock())
        let samples = [
            Self.githubToken, "github_pat_" + String(repeating: "a1B2", count: 20) + "xy", Self.awsKey,
            "ASIAY34FZKBOKMUTVV7A", "xoxb-1234567890-abcdefghij", "sk_live_" + String(repeating: "9", count: 24),
            "Authorization: Bearer abcdefgh.ijklmnop", "PASSWORD=Sup3rS3cret!", "secret: letmein42",
            "api_key=\"k-123456\"", "Token = abcdef123456", "credentials=alice:pw123456",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "naïve password=hunter2secret",
        ]
        let details = Dictionary(
            uniqueKeysWithValues: samples.enumerated().map { ("sample\($0.offset)", AuditValue.string($0.element)) })
        let record = try logger.logEvent("credential_samples", details: details)
        for (index, sample) in samples.enumerated() {
            let stored = try #require(record.details["sample\(index)"]?.stringValue)
            #expect(stored == SecretRedactor.redact(sample), "sample \(index)")
            #expect(stored != sample, "sample \(index) was not redacted")
        }
        #expect(try logger.records().first?.details == record.details)
    }

    @Test func lineBreaksAreStrippedFromOneLineFieldsAndEscapedInDetails() throws {
        let directory = try TemporaryDirectory(prefix: "audit-crlf")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try makeLogger(directory, clock: clock, user: "mallory\r\n{\"event_type\":\"forged\"}")

        let record = try logger.log(
            AuditEvent(
                type: .event, name: "login\n2026-01-01 admin login ok", action: "read\r\nwrite",
                message: "line one\nline two", details: ["comment": "first\nsecond"]))
        #expect(!record.name.contains("\n") && !record.name.contains("\r"))
        #expect(record.name == "login 2026-01-01 admin login ok")
        #expect(record.action == "read  write")
        #expect(record.message == "line one line two")
        #expect(!record.user.contains("\n") && !record.user.contains("\r"))
        #expect(record.details["comment"] == "first\nsecond")

        try logger.logEvent("second")
        let export = directory.appending("audit.jsonl")
        try logger.exportJSONL(to: export)
        let text = try String(contentsOf: export, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("first\\nsecond"))
        #expect(try logger.verify(jsonl: export).isValid)
    }

    @Test func reopeningTheDirectoryContinuesTheChain() throws {
        let directory = try TemporaryDirectory(prefix: "audit-reopen")
        defer { directory.remove() }
        let clock = ManualClock()
        let firstSession: String
        do {
            let logger = try makeLogger(directory, clock: clock)
            firstSession = logger.sessionID
            for index in 0..<3 { try logger.logEvent("step_\(index)") }
        }
        let reopened = try makeLogger(directory, clock: clock)
        #expect(try reopened.head.seq == 3)
        try reopened.logEvent("after_reopen")
        try reopened.logEvents([.event("batch_a"), .event("batch_b")])
        let records = try reopened.records()
        #expect(records.map(\.seq) == [1, 2, 3, 4, 5, 6])
        #expect(records[3].prevHash == records[2].hash)
        #expect(records[0].sessionID == firstSession && records[3].sessionID == reopened.sessionID)
        #expect(firstSession != reopened.sessionID)
        let verification = try reopened.verify()
        #expect(verification.isValid)
        #expect(verification.recordsChecked == 6)
        #expect(try reopened.head == records[5].position)
    }

    @Test func reportCountsOnlyThePeriodAndTheFilter() throws {
        let directory = try TemporaryDirectory(prefix: "audit-report")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try makeLogger(directory, clock: clock)
        let day: Duration = .seconds(86_400)

        try logger.logEvent("day0_event")
        try logger.logSecurityEvent("day0_probe", severity: .low)
        clock.advance(by: day)
        let dayOne = clock.currentDate
        try logger.logSecurityEvent("authn_login_fail", severity: .high, outcome: .failure)
        try logger.logSecurityEvent("authz_fail", severity: .critical, outcome: .failure)
        try logger.logAccess(resource: "repo/moko", action: "write", allowed: false)
        try logger.logEvent("day1_event")
        clock.advance(by: day)
        let dayTwo = clock.currentDate
        try logger.logEvent("day2_event")

        let report = try logger.generateReport(startDate: dayOne, endDate: dayTwo)
        #expect(report.records.map(\.name) == ["authn_login_fail", "authz_fail", "access_denied", "day1_event"])
        #expect(report.totalEvents == 4)
        #expect(report.countsByType == [.security: 2, .access: 1, .event: 1])
        #expect(report.countsBySeverity == [.high: 1, .critical: 1])
        #expect(report.countsByOutcome == [.failure: 3, .success: 1])
        #expect(report.failures.count == 3)

        let security = try logger.generateReport(
            startDate: clock.epoch, endDate: dayTwo.addingTimeInterval(1), filterBy: .eventTypes([.security]))
        #expect(security.records.map(\.name) == ["day0_probe", "authn_login_fail", "authz_fail"])
        let critical = try logger.generateReport(
            startDate: clock.epoch, endDate: dayTwo.addingTimeInterval(1),
            filterBy: AuditFilter(severities: [.critical]))
        #expect(critical.records.map(\.name) == ["authz_fail"])
        #expect(throws: AuditError.self) { try logger.generateReport(startDate: dayTwo, endDate: dayOne) }
    }

    @Test func retentionCleanupKeepsTheChainVerifiable() throws {
        let directory = try TemporaryDirectory(prefix: "audit-retention")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try makeLogger(directory, clock: clock, retentionDays: 30)
        for index in 0..<5 { try logger.logEvent("old_\(index)") }
        clock.advance(by: .seconds(40 * 86_400))
        for index in 0..<3 { try logger.logEvent("recent_\(index)") }
        let oldHash = try #require(try logger.records().first { $0.seq == 5 }).hash

        let result = try logger.cleanupOldLogs()
        #expect(result.deletedCount == 5)
        #expect(result.anchor == AuditHead(seq: 5, hash: oldHash))
        let pruneRecord = try #require(result.record)
        #expect(pruneRecord.seq == 9 && pruneRecord.eventType == .retention)
        #expect(pruneRecord.details["pruned_through_seq"] == 5)
        #expect(pruneRecord.details["anchor_hash"] == .string(oldHash))
        #expect(pruneRecord.message == "pruned to seq 5, head \(oldHash)")
        #expect(try logger.records().map(\.seq) == [6, 7, 8, 9])
        let verification = try logger.verify()
        #expect(verification.isValid, "\(verification)")
        #expect(verification.anchor.seq == 5)

        #expect(try logger.cleanupOldLogs().deletedCount == 0)
        let export = directory.appending("pruned.jsonl")
        let head = try logger.exportJSONL(to: export)
        #expect(try logger.verify(jsonl: export, expectedHead: head).isValid)

        let reopened = try makeLogger(directory, clock: clock, retentionDays: 30)
        try reopened.logEvent("after_reopen")
        clock.advance(by: .seconds(40 * 86_400))
        try reopened.logEvent("much_later")
        let second = try reopened.cleanupOldLogs()
        #expect(second.deletedCount == 5)
        #expect(second.anchor.seq == 10)
        #expect(try reopened.records().map(\.seq) == [11, 12])
        #expect(try reopened.verify().isValid)
    }

    @Test func batchedWritesAreAllOrNothing() throws {
        let directory = try TemporaryDirectory(prefix: "audit-batch")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try makeLogger(directory, clock: clock)
        let events = (0..<500).map { AuditEvent.event("bulk_\($0)", details: ["index": .int($0)]) }
        let head = try logger.logEvents(events)
        #expect(head.seq == 500)
        #expect(try logger.verify().recordsChecked == 500)

        var oversized = events
        oversized[250] = .event("huge", details: ["blob": .string(String(repeating: "x", count: 2_000_000))])
        #expect(throws: AuditError.self) { try logger.logEvents(oversized) }
        #expect(try logger.head == head)
    }

    @Test func tenMegabyteDetailIsRefusedAndNothingIsWritten() throws {
        let directory = try TemporaryDirectory(prefix: "audit-large")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try makeLogger(directory, clock: clock)
        try logger.logEvent("before")
        let headBefore = try logger.head
        let tenMegabytes = String(repeating: "0123456789", count: 1_048_576)
        do {
            try logger.logEvent("upload", details: ["payload": .string(tenMegabytes)])
            Issue.record("a 10 MB detail value was accepted")
        } catch let error as AuditError {
            #expect(error.code == .recordTooLarge)
            #expect(error.message.contains("\(AuditLogger.maximumRecordBytes)"))
        }
        #expect(try logger.head == headBefore)
        try logger.logEvent("after")
        #expect(try logger.verify().isValid)
    }

    @Test func invalidUTF8IsStoredWithReplacementCharacters() throws {
        let directory = try TemporaryDirectory(prefix: "audit-utf8")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try makeLogger(directory, clock: clock)
        let decoded = String(decoding: [0x66, 0x6F, 0xFF, 0xFE, 0x6F, 0xC3], as: UTF8.self)
        let record = try logger.logEvent("binary_input", details: ["raw": .string(decoded), "nul": "a\u{0}b"])
        #expect(record.details["raw"] == .string("fo\u{FFFD}\u{FFFD}o\u{FFFD}"))
        #expect(try logger.records().first?.details == record.details)
        let export = directory.appending("utf8.jsonl")
        try logger.exportJSONL(to: export)
        #expect(try logger.verify(jsonl: export).isValid)
        #expect(try logger.verify().isValid)
    }

    @Test func unusableDirectoriesGiveAClearStoreError() throws {
        let directory = try TemporaryDirectory(prefix: "audit-baddir")
        defer { directory.remove() }
        let clock = ManualClock()
        let file = directory.appending("not-a-directory")
        try Data("x".utf8).write(to: file)

        let underFile = file.appendingPathComponent("audit")
        do {
            _ = try AuditLogger(service: "svc", directory: underFile, wallClock: clock)
            Issue.record("a directory under a regular file was accepted")
        } catch let error as StoreError {
            #expect(error.path == underFile.path)
            #expect(error.reason.contains("cannot create"))
        }
        do {
            _ = try AuditLogger(service: "svc", directory: file, wallClock: clock)
            Issue.record("a regular file was accepted as the directory")
        } catch let error as StoreError {
            #expect(error.reason.contains("not a directory"))
        }

        let damaged = directory.appending("damaged")
        try FileManager.default.createDirectory(at: damaged, withIntermediateDirectories: true)
        let garbage = Data(repeating: 0xAB, count: 4096)
        try garbage.write(to: damaged.appendingPathComponent("audit_svc.sqlite"))
        #expect(throws: StoreError.self) { try AuditLogger(service: "svc", directory: damaged, wallClock: clock) }
        #expect(
            FileManager.default.contents(atPath: damaged.appendingPathComponent("audit_svc.sqlite").path) == garbage)

        #expect(throws: AuditError.self) {
            try AuditLogger(service: "svc", directory: directory.url, retentionDays: 0, wallClock: clock)
        }
        #expect(throws: AuditError.self) { try AuditLogger(service: " \n", directory: directory.url, wallClock: clock) }
    }

    @Test(.enabled(if: getuid() != 0, "root can read any directory"))
    func unreadableDirectoryGivesAClearStoreError() throws {
        let directory = try TemporaryDirectory(prefix: "audit-unreadable")
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
            directory.remove()
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o300], ofItemAtPath: directory.path)
        do {
            _ = try AuditLogger(service: "svc", directory: directory.url, wallClock: ManualClock())
            Issue.record("an unreadable directory was accepted")
        } catch let error as StoreError {
            #expect(error.path == directory.path)
            #expect(error.reason.contains("not readable"))
        }
    }

    @Test func recordCanonicalFormMatchesGenericCanonicalJSON() throws {
        let directory = try TemporaryDirectory(prefix: "audit-canonical")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try makeLogger(directory, clock: clock)
        try logger.log(
            .change(
                object: "repo/é", action: "update", before: "private", after: "public", rolledBack: true,
                details: [
                    "ratio": 0.1, "big": 1e21, "tiny": .double(.leastNonzeroMagnitude), "neg": -0.0,
                    "nan": .double(.nan), "n": nil,
                ]))
        try logger.log(
            AuditEvent(
                type: .transactionEnd, name: "t\u{2028}x", severity: .critical, outcome: .failure, message: "m",
                details: ["z": ["a": [1, 2.5, true, "\u{1}\u{7f}\"\\/"]]], transactionID: "id", durationSeconds: 3.25))
        for record in try logger.records() {
            var object = record.jsonObject
            object["hash"] = nil
            #expect(record.canonicalJSON == AuditValue.object(object).canonicalJSON)
            #expect(try AuditValue(parsingJSON: record.jsonLine).canonicalJSON == record.jsonLine)
        }
        let first = try #require(try logger.records().first)
        #expect(first.details["nan"] == "NaN")
        #expect(first.prevHash == AuditLogger.genesisHash)
    }
}
