import Foundation
import GRDB
import GRDBSQLite

extension AuditLogger {
    /// The store's schema: the records, and one row holding the chain's head and anchor.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("audit-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_record (
                        seq INTEGER PRIMARY KEY,
                        timestamp_ms INTEGER NOT NULL,
                        event_type TEXT NOT NULL,
                        name TEXT NOT NULL,
                        severity TEXT,
                        outcome TEXT NOT NULL,
                        service TEXT NOT NULL,
                        host TEXT NOT NULL,
                        user_name TEXT NOT NULL,
                        session_id TEXT NOT NULL,
                        transaction_id TEXT,
                        action TEXT,
                        object TEXT,
                        message TEXT,
                        duration_seconds REAL,
                        rolled_back INTEGER,
                        details TEXT NOT NULL,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX audit_record_timestamp ON audit_record(timestamp_ms);
                    CREATE TABLE audit_chain (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        head_seq INTEGER NOT NULL,
                        head_hash TEXT NOT NULL,
                        anchor_seq INTEGER NOT NULL,
                        anchor_hash TEXT NOT NULL
                    );
                    """)
            try db.execute(
                sql:
                    "INSERT INTO audit_chain (id, head_seq, head_hash, anchor_seq, anchor_hash) VALUES (1, 0, ?, 0, ?)",
                arguments: [genesisHash, genesisHash])
        }
        return migrator
    }

    /// The chain's head and anchor, from the `audit_chain` row.
    static func readChainState(_ db: Database) throws -> (head: AuditHead, anchor: AuditHead) {
        let statement = try db.cachedStatement(sql: "SELECT * FROM audit_chain WHERE id = 1")
        guard let row = try Row.fetchOne(statement),
            let headSeq = Int.fromDatabaseValue(row["head_seq"] as DatabaseValue),
            let headHash = String.fromDatabaseValue(row["head_hash"] as DatabaseValue),
            let anchorSeq = Int.fromDatabaseValue(row["anchor_seq"] as DatabaseValue),
            let anchorHash = String.fromDatabaseValue(row["anchor_hash"] as DatabaseValue)
        else {
            throw StoreError(
                path: db.configuration.label ?? "audit store",
                reason: "the audit chain state is missing or damaged; run verify() and keep the file for investigation"
            )
        }
        return (AuditHead(seq: headSeq, hash: headHash), AuditHead(seq: anchorSeq, hash: anchorHash))
    }

    /// How many records one insert statement carries (fewer statement executions per batch).
    static let rowsPerInsert = 16

    /// `INSERT ... VALUES (19 placeholders)` repeated for 1 ... ``rowsPerInsert`` rows.
    static let insertSQL: [String] = (1...rowsPerInsert).map { rows in
        let row = "(" + Array(repeating: "?", count: AuditRecordBinder.columnCount).joined(separator: ", ") + ")"
        return """
            INSERT INTO audit_record (seq, timestamp_ms, event_type, name, severity, outcome, service, host, user_name,
                session_id, transaction_id, action, object, message, duration_seconds, rolled_back, details, prev_hash, hash)
            VALUES \(Array(repeating: row, count: rows).joined(separator: ", "))
            """
    }

    /// An event cleaned and stamped, waiting for its chain position.
    private struct Pending {
        var record: AuditRecord
        var detailsJSON: [UInt8]
    }

    /// Sanitises and stamps `event` (outside the write lock), building the cleaned details dictionary the
    /// returned record carries. (``logEvents(_:)`` writes the same JSON without it: see `AuditBatch`.)
    private func prepare(_ event: AuditEvent, timestamp: Int) throws -> Pending {
        let detailsEstimate = try Self.checkedDetailsSize(event)
        var detailsJSON: [UInt8] = []
        // One allocation of about the final size instead of a few regrowths while the JSON is written.
        detailsJSON.reserveCapacity(detailsEstimate + 16)
        let details = AuditSanitizer.details(event.details)
        AuditJSON.writeObject(details, into: &detailsJSON)
        let record = AuditRecord(
            seq: 0, timestampMilliseconds: timestamp,
            eventType: AuditEventType(AuditSanitizer.line(event.type.rawValue)),
            name: AuditSanitizer.line(event.name), severity: event.severity, outcome: event.outcome,
            service: service, host: host, user: user, sessionID: sessionID,
            transactionID: AuditSanitizer.line(event.transactionID), action: AuditSanitizer.line(event.action),
            object: AuditSanitizer.line(event.object), message: AuditSanitizer.line(event.message),
            durationSeconds: event.durationSeconds.map { $0.isFinite ? $0 : 0 }, rolledBack: event.rolledBack,
            details: details, prevHash: "", hash: "")
        return Pending(record: record, detailsJSON: detailsJSON)
    }

    /// About the bytes of `event`'s details JSON, after checking the whole record stays clearly under
    /// ``maximumRecordBytes``.
    ///
    /// - Throws: ``AuditError`` with code `.recordTooLarge` when it does not.
    static func checkedDetailsSize(_ event: AuditEvent) throws -> Int {
        let detailsEstimate = approximateSize(.object(event.details))
        let estimate = approximateFieldsSize(event) + detailsEstimate
        guard estimate <= maximumRecordBytes else {
            throw AuditError(
                .recordTooLarge,
                "the \"\(AuditSanitizer.line(String(event.name.prefix(80))))\" record holds about \(estimate) bytes; "
                    + "the limit is \(maximumRecordBytes) — log a summary or a reference instead")
        }
        return detailsEstimate
    }

    /// About the bytes of `value`'s JSON.
    static func approximateSize(_ value: AuditValue) -> Int {
        switch value {
        case .string(let string): return string.utf8.count + 2
        case .array(let array): return array.reduce(2) { $0 + approximateSize($1) + 1 }
        case .object(let object): return object.reduce(2) { $0 + $1.key.utf8.count + 4 + approximateSize($1.value) }
        default: return 8
        }
    }

    /// The bytes of the event's one-line fields (summed without building a collection of them).
    static func approximateFieldsSize(_ event: AuditEvent) -> Int {
        event.name.utf8.count + (event.action?.utf8.count ?? 0) + (event.object?.utf8.count ?? 0)
            + (event.message?.utf8.count ?? 0) + (event.transactionID?.utf8.count ?? 0)
    }

    /// Appends `events` to the chain in one immediate transaction; all or nothing.
    func append(_ events: [AuditEvent]) throws -> (head: AuditHead, records: [AuditRecord]) {
        let timestamp = AuditTimestamp.milliseconds(wallClock.currentDate)
        let pending = try events.map { event -> (record: AuditRecord, detailsJSON: [UInt8]) in
            let prepared = try prepare(event, timestamp: timestamp)
            return (prepared.record, prepared.detailsJSON)
        }
        return try write("write audit records") { db in
            try Self.insert(pending, db: db)
        }
    }

    /// Inserts prepared records after the current head and moves the head; runs inside a transaction.
    static func insert(
        _ items: [(record: AuditRecord, detailsJSON: [UInt8])],
        db: Database
    ) throws -> (head: AuditHead, records: [AuditRecord]) {
        var head = try readChainState(db).head
        var records: [AuditRecord] = []
        records.reserveCapacity(items.count)
        // Records go in groups of up to `rowsPerInsert` per statement. The columns are bound straight
        // from each record (SQLite copies them); declaring the statement bound lets GRDB run each
        // execution with its usual checks and error reporting.
        var statement: Statement?
        var rowsInStatement = 0
        var rowsBound = 0
        defer { if let statement { sqlite3_clear_bindings(statement.sqliteStatement) } }
        var timestamp: (milliseconds: Int, text: String)?
        var body: [UInt8] = []
        body.reserveCapacity(512)
        for (offset, (template, detailsJSON)) in items.enumerated() {
            var record = template
            record.seq = head.seq + 1
            record.prevHash = head.hash
            if timestamp?.milliseconds != record.timestampMilliseconds {
                timestamp = (record.timestampMilliseconds, record.timestampText)
            }
            body.removeAll(keepingCapacity: true)
            record.writeCanonical(
                into: &body, includingHash: false, detailsJSON: detailsJSON, timestampText: timestamp?.text)
            guard body.count <= maximumRecordBytes else {
                throw AuditError(
                    .recordTooLarge,
                    "the \"\(record.name.prefix(80))\" record is \(body.count) bytes; the limit is "
                        + "\(maximumRecordBytes) — log a summary or a reference instead")
            }
            record.hash = chainHash(prevHash: record.prevHash, body: body)
            if rowsBound == 0 {
                rowsInStatement = min(rowsPerInsert, items.count - offset)
                let next = try db.cachedStatement(sql: insertSQL[rowsInStatement - 1])
                next.setUncheckedArguments(StatementArguments())
                statement = next
            }
            guard let current = statement else {
                throw AuditError(.invalidArgument, "internal error: no insert statement was prepared; please report it")
            }
            try AuditRecordBinder.bind(
                record, detailsJSON: detailsJSON, to: current.sqliteStatement,
                firstColumn: Int32(rowsBound * AuditRecordBinder.columnCount))
            rowsBound += 1
            if rowsBound == rowsInStatement {
                try current.execute()
                sqlite3_clear_bindings(current.sqliteStatement)
                rowsBound = 0
            }
            head = record.position
            records.append(record)
        }
        try moveHead(to: head, db: db)
        return (head, records)
    }

    /// Records `head` as the chain's head (a cached statement: it runs once per write).
    static func moveHead(to head: AuditHead, db: Database) throws {
        let statement = try db.cachedStatement(sql: "UPDATE audit_chain SET head_seq = ?, head_hash = ? WHERE id = 1")
        try statement.execute(arguments: [head.seq, head.hash])
    }

    /// Runs `body` in an immediate write transaction (rolled back when it throws).
    func write<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        try storeCall(what) {
            try queue.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError(path: databaseURL.path, reason: "cannot \(what)") }
                return result
            }
        }
    }

    // MARK: Reading

    /// The stored records in chain order, optionally limited to a period and to some event types.
    ///
    /// - Parameters:
    ///   - start: the earliest timestamp included (inclusive); `nil` for no lower bound.
    ///   - end: the first timestamp excluded (the period is half-open, `start ..< end`); `nil` for no bound.
    ///   - types: the event types to return; `nil` for all.
    /// - Throws: ``StoreError`` when the store cannot be read or a record is damaged (run ``verify()``).
    public func records(
        from start: Date? = nil,
        to end: Date? = nil,
        types: Set<AuditEventType>? = nil
    ) throws -> [AuditRecord] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let start {
            conditions.append("timestamp_ms >= ?")
            _ = arguments.append(contentsOf: [AuditTimestamp.milliseconds(start)])
        }
        if let end {
            conditions.append("timestamp_ms < ?")
            _ = arguments.append(contentsOf: [AuditTimestamp.milliseconds(end)])
        }
        if let types {
            if types.isEmpty { return [] }
            conditions.append("event_type IN (\(Array(repeating: "?", count: types.count).joined(separator: ",")))")
            _ = arguments.append(contentsOf: StatementArguments(types.map(\.rawValue)))
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try storeCall("read audit records") {
            try queue.read { db in
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT * FROM audit_record \(filter) ORDER BY seq", arguments: arguments)
                var records: [AuditRecord] = []
                while let row = try rows.next() {
                    switch Self.decode(row) {
                    case .success(let decoded): records.append(decoded.record)
                    case .failure(let problem):
                        throw StoreError(
                            path: databaseURL.path,
                            reason: "audit record seq \(problem.seq) is damaged (\(problem.reason)); run verify()")
                    }
                }
                return records
            }
        }
    }

    /// A row that does not decode into a record.
    struct RowProblem: Error {
        var seq: Int
        var reason: String
    }

    /// Decodes a row without trusting its types (the file may have been edited); never traps.
    static func decode(_ row: Row) -> Result<(record: AuditRecord, detailsJSON: [UInt8]), RowProblem> {
        let seq = Int.fromDatabaseValue(row["seq"] as DatabaseValue) ?? -1
        func optional(_ column: String) throws(RowProblem) -> String? {
            let value = row[column] as DatabaseValue
            if value.isNull { return nil }
            guard let string = String.fromDatabaseValue(value) else {
                throw RowProblem(seq: seq, reason: "column \(column) is not text")
            }
            return string
        }
        func required(_ column: String) throws(RowProblem) -> String {
            guard let value = try optional(column) else {
                throw RowProblem(seq: seq, reason: "column \(column) is NULL")
            }
            return value
        }
        do throws(RowProblem) {
            guard let timestamp = Int.fromDatabaseValue(row["timestamp_ms"] as DatabaseValue) else {
                throw RowProblem(seq: seq, reason: "column timestamp_ms is not an integer")
            }
            let severityText = try optional("severity")
            let severity = try severityText.map { text throws(RowProblem) -> AuditSeverity in
                guard let severity = AuditSeverity(rawValue: text) else {
                    throw RowProblem(seq: seq, reason: "unknown severity \(text)")
                }
                return severity
            }
            let outcomeText = try required("outcome")
            guard let outcome = AuditOutcome(rawValue: outcomeText) else {
                throw RowProblem(seq: seq, reason: "unknown outcome \(outcomeText)")
            }
            let durationValue = row["duration_seconds"] as DatabaseValue
            let duration = durationValue.isNull ? nil : Double.fromDatabaseValue(durationValue)
            if !durationValue.isNull && duration == nil {
                throw RowProblem(seq: seq, reason: "column duration_seconds is not a number")
            }
            let rolledBackValue = row["rolled_back"] as DatabaseValue
            var rolledBack: Bool?
            if !rolledBackValue.isNull {
                guard let flag = Int.fromDatabaseValue(rolledBackValue), flag == 0 || flag == 1 else {
                    throw RowProblem(seq: seq, reason: "column rolled_back is not 0 or 1")
                }
                rolledBack = flag == 1
            }
            let detailsText = try required("details")
            let details: AuditDetails
            do {
                guard case .object(let object) = try AuditJSON.parse(Array(detailsText.utf8)) else {
                    throw RowProblem(seq: seq, reason: "details are not a JSON object")
                }
                details = object
            } catch let problem as RowProblem {
                throw problem
            } catch {
                throw RowProblem(seq: seq, reason: "details are not valid JSON (\(error))")
            }
            var detailsJSON: [UInt8] = []
            AuditJSON.writeObject(details, into: &detailsJSON)
            let record = AuditRecord(
                seq: seq, timestampMilliseconds: timestamp, eventType: AuditEventType(try required("event_type")),
                name: try required("name"), severity: severity, outcome: outcome, service: try required("service"),
                host: try required("host"), user: try required("user_name"), sessionID: try required("session_id"),
                transactionID: try optional("transaction_id"), action: try optional("action"),
                object: try optional("object"), message: try optional("message"), durationSeconds: duration,
                rolledBack: rolledBack, details: details, prevHash: try required("prev_hash"),
                hash: try required("hash"))
            return .success((record, detailsJSON))
        } catch {
            return .failure(error)
        }
    }
}

/// Binds the 19 columns of `audit_record`'s insert statement from a record, without building GRDB
/// arguments (a large part of a batch's cost). Values are copied by SQLite (`SQLITE_TRANSIENT`)
/// and stored as GRDB would: text, 64-bit integers, doubles, Booleans as 0/1, `nil` as NULL. No bound
/// text holds a NUL byte (one-line fields replace control characters and JSON escapes them), so
/// binding with an explicit length stores the same text as GRDB's NUL-terminated binding.
private enum AuditRecordBinder {
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }

    private static func bindText(
        _ bytes: UnsafeBufferPointer<UInt8>,
        to statement: SQLiteStatement,
        at index: Int32
    ) -> Int32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            return sqlite3_bind_text(statement, index, "", 0, transient)
        }
        return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            sqlite3_bind_text(statement, index, $0, Int32(clamping: bytes.count), transient)
        }
    }

    /// The columns of one record.
    static let columnCount = 19

    /// Binds `record` to the parameters after `firstColumn` (0 for the first row of the statement).
    static func bind(
        _ record: AuditRecord,
        detailsJSON: [UInt8],
        to statement: SQLiteStatement,
        firstColumn: Int32
    ) throws {
        var code = SQLITE_OK
        var column = firstColumn
        func next() -> Int32? {
            guard code == SQLITE_OK else { return nil }
            column += 1
            return column
        }
        func integer(_ value: Int?) {
            guard let index = next() else { return }
            guard let value else {
                code = sqlite3_bind_null(statement, index)
                return
            }
            code = sqlite3_bind_int64(statement, index, Int64(value))
        }
        func text(_ value: String?) {
            guard let index = next() else { return }
            guard var value else {
                code = sqlite3_bind_null(statement, index)
                return
            }
            code = value.withUTF8 { bindText($0, to: statement, at: index) }
        }
        integer(record.seq)
        integer(record.timestampMilliseconds)
        text(record.eventType.rawValue)
        text(record.name)
        text(record.severity?.rawValue)
        text(record.outcome.rawValue)
        text(record.service)
        text(record.host)
        text(record.user)
        text(record.sessionID)
        text(record.transactionID)
        text(record.action)
        text(record.object)
        text(record.message)
        if let index = next() {
            if let duration = record.durationSeconds {
                code = sqlite3_bind_double(statement, index, duration)
            } else {
                code = sqlite3_bind_null(statement, index)
            }
        }
        integer(record.rolledBack.map { $0 ? 1 : 0 })
        if let index = next() {
            code = detailsJSON.withUnsafeBufferPointer { bindText($0, to: statement, at: index) }
        }
        text(record.prevHash)
        text(record.hash)
        guard code == SQLITE_OK else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: "cannot bind column \(column) of an audit record")
        }
    }
}
