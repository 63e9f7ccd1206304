import Crypto
import Foundation
import GRDB
import GRDBSQLite

/// The write path of ``AuditLogger/logEvents(_:)``: every event of a batch cleaned and laid out once in
/// one byte buffer, then chained and inserted without building an ``AuditRecord`` per event.
///
/// For each event the buffer holds its canonical JSON (the text the chain hashes) in three pieces, around
/// the two values only known under the write lock, the previous hash and the sequence number:
///
///     {"action":…,"details":{…},…,"outcome":"success","prev_hash":"   ← before
///     ‹previous hash›
///     "[,"rolled_back":…],"seq":                                   ← middle
///     ‹seq›
///     ,"service":…,"user":…}                                       ← after
///
/// The text columns point into the buffer: a string that needed no JSON escaping is bound from inside its
/// literal; one that did has its raw bytes appended after the record. The statement binds them without a
/// copy (`SQLITE_STATIC`): the buffer outlives every execution, and the bindings are cleared before it
/// goes. The records are the same bytes as ``AuditLogger/log(_:)`` writes (a test compares both paths,
/// and `verify()` recomputes every hash with the general code).
struct AuditBatch {
    /// A range of ``bytes``; a negative count stands for SQL NULL.
    struct Span {
        var start: Int
        var count: Int

        static let null = Span(start: 0, count: -1)
    }

    /// Where one record's pieces and column texts are in ``bytes``.
    struct Row {
        /// The canonical JSON up to the previous hash: `start ..< prevHashAt`.
        var start: Int
        /// Where the previous hash goes; the middle piece runs from here to `seqAt`.
        var prevHashAt: Int
        /// Where the sequence number goes; the last piece runs from here to `end`.
        var seqAt: Int
        /// The end of the canonical JSON.
        var end: Int
        var eventType: Span
        var name: Span
        var severity: Span
        var outcome: Span
        var transactionID: Span
        var action: Span
        var object: Span
        var message: Span
        var details: Span
        var durationSeconds: Double?
        var rolledBack: Bool?
    }

    /// The raw texts of the logger's constant columns, the pieces, and the raw texts that needed escaping.
    private(set) var bytes: [UInt8] = []
    private(set) var rows: [Row] = []
    let timestampMilliseconds: Int

    private let service: Span
    private let host: Span
    private let user: Span
    private let sessionID: Span
    /// `,"host":"…"`, `,"service":…,"session_id":…`, `,"timestamp":"…"` and `,"user":…}`, already escaped.
    private let hostMember: [UInt8]
    private let serviceMembers: [UInt8]
    private let timestampMember: [UInt8]
    private let userMember: [UInt8]

    /// Starts an empty batch of `logger`'s records, all stamped `timestampMilliseconds`.
    init(logger: AuditLogger, timestampMilliseconds: Int, capacity: Int) {
        self.timestampMilliseconds = timestampMilliseconds
        rows.reserveCapacity(capacity)
        // About one canonical record, plus its escaped copies, per event: one allocation for most batches.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256 + capacity * 512)
        func raw(_ text: String) -> Span {
            let start = buffer.count
            buffer.append(contentsOf: text.utf8)
            return Span(start: start, count: buffer.count - start)
        }
        service = raw(logger.service)
        host = raw(logger.host)
        user = raw(logger.user)
        sessionID = raw(logger.sessionID)
        bytes = buffer
        buffer = []
        func member(_ name: String, _ value: String) -> [UInt8] {
            var out = Array(",\"\(name)\":".utf8)
            AuditJSON.writeString(value, into: &out)
            return out
        }
        hostMember = member("host", logger.host)
        serviceMembers = member("service", logger.service) + member("session_id", logger.sessionID)
        timestampMember = member("timestamp", AuditTimestamp.format(milliseconds: timestampMilliseconds))
        userMember = member("user", logger.user) + [UInt8(ascii: "}")]
    }

    // MARK: Laying out

    /// Cleans `event` (redaction, one-line fields, non-finite numbers) and appends its pieces.
    ///
    /// - Throws: ``AuditError`` with code `.recordTooLarge` when the event is clearly above
    ///   ``AuditLogger/maximumRecordBytes``; the batch is then unchanged.
    mutating func add(_ event: AuditEvent) throws {
        _ = try AuditLogger.checkedDetailsSize(event)
        let eventType = AuditSanitizer.line(event.type.rawValue)
        let name = AuditSanitizer.line(event.name)
        let transactionID = AuditSanitizer.line(event.transactionID)
        let action = AuditSanitizer.line(event.action)
        let object = AuditSanitizer.line(event.object)
        let message = AuditSanitizer.line(event.message)
        let duration = event.durationSeconds.map { $0.isFinite ? $0 : 0 }

        // Members in sorted key order, as `AuditRecord.writeCanonical` writes them.
        let start = bytes.count
        bytes.append(UInt8(ascii: "{"))
        var actionSpan = Span.null
        var actionEscaped = false
        if let action {
            key("action", first: true)
            actionEscaped = !string(action, &actionSpan)
        }
        key("details", first: action == nil)
        let detailsStart = bytes.count
        AuditSanitizer.writeDetails(event.details, into: &bytes)
        let details = Span(start: detailsStart, count: bytes.count - detailsStart)
        if let duration {
            key("duration_seconds")
            AuditJSON.writeDouble(duration, into: &bytes)
        }
        key("event_type")
        var eventTypeSpan = Span.null
        let eventTypeEscaped = !string(eventType, &eventTypeSpan)
        bytes.append(contentsOf: hostMember)
        var messageSpan = Span.null
        var messageEscaped = false
        if let message {
            key("message")
            messageEscaped = !string(message, &messageSpan)
        }
        key("name")
        var nameSpan = Span.null
        let nameEscaped = !string(name, &nameSpan)
        var objectSpan = Span.null
        var objectEscaped = false
        if let object {
            key("object")
            objectEscaped = !string(object, &objectSpan)
        }
        key("outcome")
        var outcomeSpan = Span.null
        _ = string(event.outcome.rawValue, &outcomeSpan)
        key("prev_hash")
        bytes.append(UInt8(ascii: "\""))
        let prevHashAt = bytes.count
        bytes.append(UInt8(ascii: "\""))
        if let rolledBack = event.rolledBack {
            key("rolled_back")
            bytes.append(contentsOf: (rolledBack ? "true" : "false").utf8)
        }
        key("seq")
        let seqAt = bytes.count
        bytes.append(contentsOf: serviceMembers)
        var severitySpan = Span.null
        if let severity = event.severity {
            key("severity")
            _ = string(severity.rawValue, &severitySpan)
        }
        bytes.append(contentsOf: timestampMember)
        var transactionSpan = Span.null
        var transactionEscaped = false
        if let transactionID {
            key("transaction_id")
            transactionEscaped = !string(transactionID, &transactionSpan)
        }
        bytes.append(contentsOf: userMember)
        let end = bytes.count

        // Raw copies of the strings whose literal holds escapes.
        if actionEscaped, let action { actionSpan = raw(action) }
        if eventTypeEscaped { eventTypeSpan = raw(eventType) }
        if messageEscaped, let message { messageSpan = raw(message) }
        if nameEscaped { nameSpan = raw(name) }
        if objectEscaped, let object { objectSpan = raw(object) }
        if transactionEscaped, let transactionID { transactionSpan = raw(transactionID) }

        rows.append(
            Row(
                start: start, prevHashAt: prevHashAt, seqAt: seqAt, end: end, eventType: eventTypeSpan,
                name: nameSpan, severity: severitySpan, outcome: outcomeSpan, transactionID: transactionSpan,
                action: actionSpan, object: objectSpan, message: messageSpan, details: details,
                durationSeconds: duration, rolledBack: event.rolledBack))
    }

    /// Appends `"name":`, after a comma unless it is the first member.
    private mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Appends `value` as a JSON string literal. When it needs no escaping, `span` is set to its bytes
    /// inside the literal and the result is true; otherwise the literal is escaped and the result false.
    private mutating func string(_ value: String, _ span: inout Span) -> Bool {
        var value = value
        let start = bytes.count
        let plain = value.withUTF8 { text -> Bool in
            for byte in text where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                return false
            }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: text)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        if plain {
            span = Span(start: start + 1, count: bytes.count - start - 2)
        } else {
            AuditJSON.writeString(value, into: &bytes)
        }
        return plain
    }

    /// Appends the raw UTF-8 of `value`.
    private mutating func raw(_ value: String) -> Span {
        let start = bytes.count
        bytes.append(contentsOf: value.utf8)
        return Span(start: start, count: bytes.count - start)
    }

    // MARK: Chaining and inserting

    /// Chains the rows after the current head, inserts them and moves the head; runs inside the write
    /// transaction. Returns the new head.
    func insert(db: Database) throws -> AuditHead {
        let start = try AuditLogger.readChainState(db).head
        guard !rows.isEmpty else { return start }
        let startHash = Array(start.hash.utf8)
        var hashes = [UInt8](repeating: 0, count: rows.count * 64)
        var body: [UInt8] = []
        body.reserveCapacity(1024)
        try bytes.withUnsafeBufferPointer { text in
            try startHash.withUnsafeBufferPointer { startHash in
                try hashes.withUnsafeMutableBufferPointer { hashes in
                    try insert(
                        text: text, startHash: startHash, hashes: hashes, body: &body, first: start.seq + 1, db: db)
                }
            }
        }
        let head = AuditHead(seq: start.seq + rows.count, hash: String(decoding: hashes.suffix(64), as: UTF8.self))
        try AuditLogger.moveHead(to: head, db: db)
        return head
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `SQLITE_TRANSIENT`: SQLite copies the text.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }

    /// Hashes and binds every row; `text`, `startHash` and `hashes` stay valid while the statements run
    /// (they are bound without copies), and every binding is cleared before returning.
    private func insert(
        text: UnsafeBufferPointer<UInt8>,
        startHash: UnsafeBufferPointer<UInt8>,
        hashes: UnsafeMutableBufferPointer<UInt8>,
        body: inout [UInt8],
        first: Int,
        db: Database
    ) throws {
        var statement: Statement?
        var rowsInStatement = 0
        var rowsBound = 0
        // Every row is bound again before each execution, so the bindings are cleared once, at the end, on
        // each statement used (the full-size one and the shorter one of the last group).
        var used: [Statement] = []
        defer { for statement in used { sqlite3_clear_bindings(statement.sqliteStatement) } }
        for (index, row) in rows.enumerated() {
            let seq = first + index
            let previous =
                index == 0 ? startHash : UnsafeBufferPointer(rebasing: hashes[(index - 1) * 64..<index * 64])
            body.removeAll(keepingCapacity: true)
            body.append(contentsOf: UnsafeBufferPointer(rebasing: text[row.start..<row.prevHashAt]))
            body.append(contentsOf: previous)
            body.append(contentsOf: UnsafeBufferPointer(rebasing: text[row.prevHashAt..<row.seqAt]))
            body.append(contentsOf: String(seq).utf8)
            body.append(contentsOf: UnsafeBufferPointer(rebasing: text[row.seqAt..<row.end]))
            guard body.count <= AuditLogger.maximumRecordBytes else {
                let name = String(decoding: UnsafeBufferPointer(rebasing: text[spanRange(row.name)]), as: UTF8.self)
                throw AuditError(
                    .recordTooLarge,
                    "the \"\(name.prefix(80))\" record is \(body.count) bytes; the limit is "
                        + "\(AuditLogger.maximumRecordBytes) — log a summary or a reference instead")
            }
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(previous))
            body.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            let hash = UnsafeMutableBufferPointer(rebasing: hashes[index * 64..<(index + 1) * 64])
            hasher.finalize().withUnsafeBytes { digest in
                for (offset, byte) in digest.enumerated() {
                    hash[offset * 2] = Self.hexDigits[Int(byte >> 4)]
                    hash[offset * 2 + 1] = Self.hexDigits[Int(byte & 0x0F)]
                }
            }

            if rowsBound == 0 {
                rowsInStatement = min(AuditLogger.rowsPerInsert, rows.count - index)
                let next = try db.cachedStatement(sql: AuditLogger.insertSQL[rowsInStatement - 1])
                next.setUncheckedArguments(StatementArguments())
                statement = next
                if !used.contains(where: { $0 === next }) { used.append(next) }
            }
            guard let current = statement else {
                throw AuditError(.invalidArgument, "internal error: no insert statement was prepared; please report it")
            }
            try bind(
                row, seq: seq, text: text, previous: previous, hash: UnsafeBufferPointer(hash),
                to: current.sqliteStatement, after: Int32(rowsBound * 19))
            rowsBound += 1
            if rowsBound == rowsInStatement {
                try current.execute()
                rowsBound = 0
            }
        }
    }

    private func spanRange(_ span: Span) -> Range<Int> {
        span.start..<(span.start + max(span.count, 0))
    }

    /// Binds the 19 columns of one row (in `AuditLogger.insertSQL`'s order) after parameter `after`.
    private func bind(
        _ row: Row,
        seq: Int,
        text: UnsafeBufferPointer<UInt8>,
        previous: UnsafeBufferPointer<UInt8>,
        hash: UnsafeBufferPointer<UInt8>,
        to statement: SQLiteStatement,
        after firstColumn: Int32
    ) throws {
        var code = SQLITE_OK
        var column = firstColumn
        func bytes(_ buffer: UnsafeBufferPointer<UInt8>) {
            guard code == SQLITE_OK else { return }
            column += 1
            // Never a null pointer for an empty text (that would store NULL): `text` holds the constants.
            guard let pointer = buffer.baseAddress ?? text.baseAddress else {
                code = sqlite3_bind_text(statement, column, "", 0, Self.transient)
                return
            }
            code = pointer.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) {
                sqlite3_bind_text(statement, column, $0, Int32(clamping: buffer.count), nil)
            }
        }
        func span(_ span: Span) {
            guard span.count >= 0 else {
                guard code == SQLITE_OK else { return }
                column += 1
                code = sqlite3_bind_null(statement, column)
                return
            }
            bytes(UnsafeBufferPointer(rebasing: text[spanRange(span)]))
        }
        func integer(_ value: Int64?) {
            guard code == SQLITE_OK else { return }
            column += 1
            code = value.map { sqlite3_bind_int64(statement, column, $0) } ?? sqlite3_bind_null(statement, column)
        }
        integer(Int64(seq))
        integer(Int64(timestampMilliseconds))
        span(row.eventType)
        span(row.name)
        span(row.severity)
        span(row.outcome)
        span(service)
        span(host)
        span(user)
        span(sessionID)
        span(row.transactionID)
        span(row.action)
        span(row.object)
        span(row.message)
        if code == SQLITE_OK {
            column += 1
            code =
                row.durationSeconds.map { sqlite3_bind_double(statement, column, $0) }
                ?? sqlite3_bind_null(statement, column)
        }
        integer(row.rolledBack.map { $0 ? 1 : 0 })
        span(row.details)
        bytes(previous)
        bytes(hash)
        guard code == SQLITE_OK else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: "cannot bind column \(column) of an audit record")
        }
    }
}

extension AuditLogger {
    /// Appends `events` to the chain in one immediate transaction, all or nothing, without building their
    /// records (the ``logEvents(_:)`` path).
    func appendBatch(_ events: [AuditEvent]) throws -> AuditHead {
        var batch = AuditBatch(
            logger: self, timestampMilliseconds: AuditTimestamp.milliseconds(wallClock.currentDate),
            capacity: events.count)
        for event in events { try batch.add(event) }
        return try write("write audit records") { db in try batch.insert(db: db) }
    }
}
