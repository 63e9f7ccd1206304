import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

/// `logEvents` writes details JSON on a faster path than `log`; both must store the same records.
@Suite("AuditBatchEquivalence")
struct AuditBatchEquivalenceTests {
    private static func events() -> [AuditEvent] {
        let ghToken = "ghp_" + String(repeating: "aB3dE5", count: 6)
        return (0..<37).map { index in
            let details: AuditDetails = [
                "index": .int(index),
                "ratio": .double(index % 5 == 0 ? .nan : Double(index) / 3),
                "limit": .double(index % 7 == 0 ? -.infinity : 1.5),
                "password": index % 2 == 0 ? "hunter2secret" : .array(["a", 1, ["token": "x"]]),
                "db_password": .object(["inner": "v", "api_key": "k-123456"]),
                "note": .string("line one\nline \"two\" using token=\(ghToken)"),
                "password=\(index)": "key that the redactor rewrites",
                "z\u{00E9}ta": ["nested": [.null, true, 3, "text\u{0001}"]],
                "": "empty key",
            ]
            return .event("step_\(index)", details: details, transactionID: "txn-\(index % 3)")
        } + otherKinds()
    }

    /// Events using every optional field, with values that need JSON escaping or redaction.
    private static func otherKinds() -> [AuditEvent] {
        [
            .security("authn_login_fail", severity: .high, details: ["ip": "192.0.2.1"], outcome: .failure),
            .access(resource: "repo \"core\"\\main", action: "read", allowed: false, transactionID: "t\"1"),
            .change(object: "settings", action: "update", before: "a", after: "b", rolledBack: true),
            .change(object: "", action: "noop", rolledBack: false),
            .error("error_io", message: "disk \"full\"\nretry with password=hunter2secret"),
            AuditEvent(
                type: AuditEventType("custom\u{2028}type"), name: "quoted \"name\"\r", severity: .low,
                outcome: .success,
                action: "act\\ion", object: "obj\u{0007}", message: "", details: [:], transactionID: "",
                durationSeconds: .infinity, rolledBack: nil),
            AuditEvent(type: .transactionEnd, name: "transaction_end", durationSeconds: 0.125),
        ]
    }

    @Test func batchedRecordsEqualRecordsLoggedOneByOne() throws {
        let directory = try TemporaryDirectory(prefix: "audit-batch-equivalence")
        defer { directory.remove() }
        let clock = ManualClock()
        let single = try AuditLogger(
            service: "single", directory: directory.url, user: "alice", wallClock: clock, durability: .normal)
        let batched = try AuditLogger(
            service: "batched", directory: directory.url, user: "alice", wallClock: clock, durability: .normal)
        let events = Self.events()
        for event in events { try single.log(event) }
        let head = try batched.logEvents(events)
        #expect(head.seq == events.count)

        let expected = try single.records()
        let stored = try batched.records()
        #expect(stored.count == expected.count)
        for (left, right) in zip(stored, expected) {
            #expect(left.details == right.details)
            #expect(left.details.canonicalJSONText == right.details.canonicalJSONText)
            #expect(left.name == right.name)
            #expect(left.transactionID == right.transactionID)
            #expect(left.timestampMilliseconds == right.timestampMilliseconds)
            #expect(left.eventType == right.eventType)
            #expect(left.severity == right.severity)
            #expect(left.outcome == right.outcome)
            #expect(left.action == right.action)
            #expect(left.object == right.object)
            #expect(left.message == right.message)
            #expect(left.durationSeconds == right.durationSeconds)
            #expect(left.rolledBack == right.rolledBack)
            #expect(left.user == right.user)
            #expect(left.host == right.host)
            #expect(left.seq == right.seq)
        }
        #expect(try batched.verify().isValid)
        #expect(try single.verify().isValid)
        let json = stored.map(\.jsonLine).joined(separator: "\n")
        #expect(!json.contains("hunter2secret"))
        #expect(!json.contains("k-123456"))
        #expect(!json.contains("aB3dE5aB3dE5"))
        #expect(!json.contains("hunter2"))
    }
}

extension Dictionary where Key == String, Value == AuditValue {
    fileprivate var canonicalJSONText: String { AuditValue.object(self).canonicalJSON }
}
