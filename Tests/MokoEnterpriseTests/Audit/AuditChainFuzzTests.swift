import Foundation
import GRDB
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

/// A seeded SplitMix64 generator, so every fuzz run applies the same tamperings.
private struct AuditFuzzRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct AuditChainFuzzTests {
    /// Logs a varied history: every event type, severities, details with nesting and doubles, transactions.
    private static func seed(_ logger: AuditLogger, clock: ManualClock, count: Int) async throws {
        for index in 0..<count {
            clock.advance(by: .milliseconds(137))
            switch index % 6 {
            case 0:
                try logger.logEvent(
                    "step_\(index)", details: ["index": .int(index), "ratio": .double(Double(index) / 7)])
            case 1:
                try logger.logSecurityEvent(
                    "authn_login_fail", severity: AuditSeverity.allCases[index % 5],
                    details: ["ip": "192.0.2.\(index)"],
                    outcome: .failure)
            case 2: try logger.logAccess(resource: "repo/\(index)", action: "write", allowed: index % 4 == 0)
            case 3:
                try logger.logChange(
                    object: "settings/\(index)", action: "update", before: "old \(index)", after: "new \(index)",
                    rolledBack: index % 4 == 1, details: ["tags": ["a", "b"], "nested": ["ok": true, "none": nil]])
            case 4:
                try await logger.transaction("job_\(index)", metadata: ["attempt": 1]) { txn in
                    clock.advance(by: .milliseconds(250))
                    try txn.logEvent("inner")
                }
            default: try logger.logError("failure \(index)\nwith detail", details: ["code": 500])
            }
        }
    }

    private static let columns = [
        "timestamp_ms", "event_type", "name", "severity", "outcome", "service", "host", "user_name", "session_id",
        "transaction_id", "action", "object", "message", "duration_seconds", "rolled_back", "details", "prev_hash",
        "hash",
    ]

    /// A different value for `value`, of the column's kind; `letters` picks a changed letter in text.
    private static func tampered(
        _ value: DatabaseValue, column: String, random: inout AuditFuzzRandom
    ) -> DatabaseValue {
        switch column {
        case "timestamp_ms":
            return (Int.fromDatabaseValue(value).map { $0 + 1 + Int(random.next() % 1000) } ?? 0).databaseValue
        case "duration_seconds":
            return (Double.fromDatabaseValue(value).map { $0 + 0.25 } ?? 1.5).databaseValue
        case "rolled_back":
            return (Int.fromDatabaseValue(value).map { 1 - $0 } ?? 1).databaseValue
        default:
            guard let text = String.fromDatabaseValue(value) else { return "tampered".databaseValue }
            return changedLetter(text, random: &random).databaseValue
        }
    }

    /// `text` with one ASCII letter or digit replaced by a different one (or "x" appended when there is none).
    private static func changedLetter(_ text: String, random: inout AuditFuzzRandom) -> String {
        var bytes = Array(text.utf8)
        let candidates = bytes.indices.filter {
            let byte = bytes[$0]
            return (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
        }
        guard !candidates.isEmpty else { return text + "x" }
        let index = candidates[Int(random.next() % UInt64(candidates.count))]
        bytes[index] = bytes[index] == UInt8(ascii: "Q") ? UInt8(ascii: "Z") : UInt8(ascii: "Q")
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func verifyFindsEveryTamperingOfTheSQLiteStore() async throws {
        let directory = try TemporaryDirectory(prefix: "audit-fuzz-db")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try AuditLogger(
            service: "fuzz", directory: directory.url, retentionDays: 30, user: "fuzzer", wallClock: clock,
            durability: .normal)
        try await Self.seed(logger, clock: clock, count: 12)
        clock.advance(by: .seconds(40 * 86_400))
        try logger.cleanupOldLogs()
        try await Self.seed(logger, clock: clock, count: 36)
        #expect(try logger.verify().isValid)

        try Self.tamperStore(logger)
    }

    /// Applies 1,000 seeded tamperings to the store's file, one at a time, checking and undoing each.
    private static func tamperStore(_ logger: AuditLogger) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        let tamperer = try DatabaseQueue(path: logger.databaseURL.path, configuration: configuration)
        let seqs = try tamperer.read { db in try Int.fetchAll(db, sql: "SELECT seq FROM audit_record ORDER BY seq") }
        let first = try #require(seqs.first)
        let last = try #require(seqs.last)
        #expect(first > 1)

        var random = AuditFuzzRandom(seed: 0x00A0_D17C_4A1B)
        var counts: [String: Int] = [:]
        for trial in 0..<1_000 {
            let choice = Int(random.next() % 10)
            let a = seqs[Int(random.next() % UInt64(seqs.count))]
            var b = seqs[Int(random.next() % UInt64(seqs.count))]
            if b == a { b = a == last ? first : last }
            let low = min(a, b)
            let high = max(a, b)
            let affected = choice == 9 ? Array(a...last) : (choice >= 7 ? [low, high] : [a])
            let saved = try tamperer.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM audit_record WHERE seq IN (\(affected.map(String.init).joined(separator: ",")))"
                )
            }

            let expected: Int
            let what: String
            switch choice {
            case 0...4:
                let column = Self.columns[Int(random.next() % UInt64(Self.columns.count))]
                let current = try tamperer.read { db in
                    try DatabaseValue.fetchOne(
                        db, sql: "SELECT \(column) FROM audit_record WHERE seq = ?", arguments: [a]) ?? .null
                }
                let changed = Self.tampered(current, column: column, random: &random)
                try tamperer.write { db in
                    try db.execute(sql: "UPDATE audit_record SET \(column) = ? WHERE seq = ?", arguments: [changed, a])
                }
                expected = a
                what = "edit \(column) of seq \(a)"
            case 5, 6:
                try tamperer.write { db in try db.execute(sql: "DELETE FROM audit_record WHERE seq = ?", arguments: [a])
                }
                expected = a
                what = "delete seq \(a)"
            case 7, 8:
                try tamperer.write { db in
                    try db.execute(sql: "UPDATE audit_record SET seq = -1 WHERE seq = ?", arguments: [low])
                    try db.execute(sql: "UPDATE audit_record SET seq = ? WHERE seq = ?", arguments: [low, high])
                    try db.execute(sql: "UPDATE audit_record SET seq = ? WHERE seq = -1", arguments: [high])
                }
                expected = low
                what = "swap seq \(low) and \(high)"
            default:
                try tamperer.write { db in
                    try db.execute(sql: "DELETE FROM audit_record WHERE seq >= ?", arguments: [a])
                }
                expected = a
                what = "truncate from seq \(a)"
            }
            counts[String(what.prefix(while: { $0 != " " })), default: 0] += 1

            let result = try logger.verify()
            #expect(result.failure?.seq == expected, "trial \(trial): \(what) → \(result)")
            if choice == 9 || (choice == 5 && a == last) {
                #expect(result.failure?.kind == .truncated, "trial \(trial): \(what) → \(result)")
            }

            try tamperer.write { db in
                try db.execute(
                    sql: "DELETE FROM audit_record WHERE seq IN (\(affected.map(String.init).joined(separator: ",")))")
                for row in saved {
                    let names = Array(row.columnNames)
                    try db.execute(
                        sql: "INSERT INTO audit_record (\(names.joined(separator: ","))) VALUES "
                            + "(\(Array(repeating: "?", count: names.count).joined(separator: ",")))",
                        arguments: StatementArguments(Array(row.databaseValues)))
                }
            }
        }
        #expect(try logger.verify().isValid)
        #expect((counts["edit"] ?? 0) > 300 && (counts["delete"] ?? 0) > 100 && (counts["swap"] ?? 0) > 100)
        #expect((counts["truncate"] ?? 0) > 50)
    }

    @Test func verifyFindsEveryTamperingOfAnExportedFile() async throws {
        let directory = try TemporaryDirectory(prefix: "audit-fuzz-jsonl")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try AuditLogger(
            service: "fuzz", directory: directory.url, user: "fuzzer", wallClock: clock, durability: .normal)
        try await Self.seed(logger, clock: clock, count: 24)
        let export = directory.appending("audit.jsonl")
        let head = try logger.exportJSONL(to: export)
        #expect(try logger.verify(jsonl: export, expectedHead: head).isValid)
        let pristine = try String(contentsOf: export, encoding: .utf8).split(separator: "\n").map(String.init)
        let seqs = try pristine.map { line -> Int in
            try #require(try AuditValue(parsingJSON: line).objectValue?["seq"]?.intValue)
        }

        var random = AuditFuzzRandom(seed: 0x5EED_0F_A0D1)
        let target = directory.appending("tampered.jsonl")
        for trial in 0..<1_000 {
            var lines = pristine
            let i = Int(random.next() % UInt64(lines.count))
            var j = Int(random.next() % UInt64(lines.count))
            if j == i { j = i == lines.count - 1 ? 0 : lines.count - 1 }
            let what: String
            let expected: Int
            switch random.next() % 10 {
            case 0...2:
                var object = try #require(try AuditValue(parsingJSON: lines[i]).objectValue)
                let keys = object.keys.sorted()
                let key = keys[Int(random.next() % UInt64(keys.count))]
                switch object[key] {
                case .string(let text): object[key] = .string(text + "x")
                case .int(let int): object[key] = .int(int + 1 + Int(random.next() % 3))
                case .double(let double): object[key] = .double(double + 0.5)
                case .bool(let bool): object[key] = .bool(!bool)
                case .object(var nested):
                    nested["tampered"] = true
                    object[key] = .object(nested)
                default: object[key] = "x"
                }
                lines[i] = AuditValue.object(object).canonicalJSON
                expected = seqs[i]
                what = "edit \(key) of line \(i + 1)"
            case 3...5:
                lines[i] = Self.changedLetter(lines[i], random: &random)
                expected = seqs[i]
                what = "change a character of line \(i + 1)"
            case 6, 7:
                lines.remove(at: i)
                expected = seqs[i]
                what = "delete line \(i + 1)"
            default:
                lines.swapAt(i, j)
                expected = seqs[min(i, j)]
                what = "swap lines \(i + 1) and \(j + 1)"
            }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: target)
            let result = try AuditLogger.verifyExport(jsonl: target, expectedHead: head)
            #expect(result.failure?.seq == expected, "trial \(trial): \(what) → \(result)")
        }
    }

    @Test func verifyNamesTheKindOfEachBreak() async throws {
        let directory = try TemporaryDirectory(prefix: "audit-kinds")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try AuditLogger(
            service: "kinds", directory: directory.url, user: "u", wallClock: clock, durability: .normal)
        try await Self.seed(logger, clock: clock, count: 10)
        let export = directory.appending("audit.jsonl")
        let head = try logger.exportJSONL(to: export)
        let lines = try String(contentsOf: export, encoding: .utf8).split(separator: "\n").map(String.init)
        let target = directory.appending("t.jsonl")
        func check(_ lines: [String], expectedHead: AuditHead? = head) throws -> AuditChainFailure? {
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: target)
            return try AuditLogger.verifyExport(jsonl: target, expectedHead: expectedHead).failure
        }
        var swapped = lines
        swapped.swapAt(2, 5)
        #expect(try check(swapped)?.kind == .reordered)
        var deleted = lines
        deleted.remove(at: 3)
        #expect(try check(deleted) == AuditChainFailure(seq: 4, kind: .deleted, reason: "seq 4 is missing"))
        #expect(try check(Array(lines.dropLast(2)))?.kind == .truncated)
        #expect(try check(Array(lines.dropLast(2)), expectedHead: nil) == nil)
        var edited = lines
        edited[4] = edited[4].replacingOccurrences(of: "\"user\":\"u\"", with: "\"user\":\"root\"")
        #expect(try check(edited)?.kind == .modified)
        var garbage = lines
        garbage[6] = "{not json"
        #expect(
            try check(garbage)
                == AuditChainFailure(seq: 7, kind: .malformed, reason: try #require(try check(garbage)?.reason)))
        #expect(try check(Array(lines.dropFirst()))?.seq == 1)
    }

    @Test func loggingFailureThrowsAndTheTransactionBodyDoesNotRun() async throws {
        let directory = try TemporaryDirectory(prefix: "audit-failure")
        defer { directory.remove() }
        let clock = ManualClock()
        let logger = try AuditLogger(
            service: "failing", directory: directory.url, user: "u", wallClock: clock, durability: .normal)
        try logger.logEvent("ok")
        try Self.dropChainState(logger)

        #expect(throws: StoreError.self) { try logger.logEvent("lost") }
        let ran = LockedValue(false)
        await #expect(throws: StoreError.self) {
            try await logger.transaction("never") { _ in ran.withLock { $0 = true } }
        }
        #expect(ran.value == false)
        #expect(throws: StoreError.self) { try logger.verify() }
    }

    private static func dropChainState(_ logger: AuditLogger) throws {
        let queue = try DatabaseQueue(path: logger.databaseURL.path)
        try queue.write { db in try db.execute(sql: "DELETE FROM audit_chain") }
    }
}
