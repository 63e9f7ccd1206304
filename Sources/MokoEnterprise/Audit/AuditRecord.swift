import Foundation

/// One stored audit record: the event plus the OWASP *when*, *who* and *where*, and its chain fields.
///
/// Its canonical JSON (``canonicalJSON``: sorted keys, no whitespace, `hash` excluded) is what the
/// chain hashes: `hash = hex(SHA-256(utf8(prevHash) ‖ utf8(canonicalJSON)))`. An exported line
/// (``jsonLine``) is the same object with `hash` added. Field names follow the original MokoStandards
/// logger: `event_type`, `transaction_id`, `session_id`, `service`, `user`, `timestamp`.
public struct AuditRecord: Sendable, Hashable {
    /// Position in the chain, from 1, without gaps.
    public var seq: Int
    /// When the event was logged, in whole milliseconds since 1970 (UTC), from the logger's `WallClock`.
    public var timestampMilliseconds: Int
    /// The kind of event.
    public var eventType: AuditEventType
    /// The event's name.
    public var name: String
    /// The severity, for security events.
    public var severity: AuditSeverity?
    /// Whether the action succeeded.
    public var outcome: AuditOutcome
    /// The service (application) that logged it: OWASP *where*.
    public var service: String
    /// The host the service ran on.
    public var host: String
    /// Who acted: OWASP *who*.
    public var user: String
    /// The logger instance's session identifier.
    public var sessionID: String
    /// The transaction the record belongs to, if any.
    public var transactionID: String?
    /// The action performed.
    public var action: String?
    /// The object acted on.
    public var object: String?
    /// A one-line description or reason.
    public var message: String?
    /// How long the action took, in seconds.
    public var durationSeconds: Double?
    /// For change events: whether the change was rolled back.
    public var rolledBack: Bool?
    /// Structured details, already redacted.
    public var details: AuditDetails
    /// The hash of the previous record (``AuditLogger/genesisHash`` for the first).
    public var prevHash: String
    /// This record's hash.
    public var hash: String

    /// The time of the record.
    public var timestamp: Date { Date(timeIntervalSince1970: Double(timestampMilliseconds) / 1000) }

    /// The time as ISO 8601 UTC with milliseconds, e.g. `2026-01-01T00:00:00.000Z`.
    public var timestampText: String { AuditTimestamp.format(milliseconds: timestampMilliseconds) }

    /// The canonical JSON the hash covers (every field but `hash`).
    public var canonicalJSON: String { String(decoding: canonicalBytes(includingHash: false), as: UTF8.self) }

    /// The exported JSONL line (without the newline): canonical JSON including `hash`.
    public var jsonLine: String { String(decoding: canonicalBytes(includingHash: true), as: UTF8.self) }

    /// The chain position of this record.
    public var position: AuditHead { AuditHead(seq: seq, hash: hash) }

    /// The record as a JSON object, optional fields omitted when absent.
    public var jsonObject: [String: AuditValue] {
        var object: [String: AuditValue] = [
            "details": .object(details), "event_type": .string(eventType.rawValue), "hash": .string(hash),
            "host": .string(host), "name": .string(name), "outcome": .string(outcome.rawValue),
            "prev_hash": .string(prevHash), "seq": .int(seq), "service": .string(service),
            "session_id": .string(sessionID), "timestamp": .string(timestampText), "user": .string(user),
        ]
        if let action { object["action"] = .string(action) }
        if let durationSeconds { object["duration_seconds"] = .double(durationSeconds) }
        if let message { object["message"] = .string(message) }
        if let target = self.object { object["object"] = .string(target) }
        if let rolledBack { object["rolled_back"] = .bool(rolledBack) }
        if let severity { object["severity"] = .string(severity.rawValue) }
        if let transactionID { object["transaction_id"] = .string(transactionID) }
        return object
    }

    /// Writes the canonical form by hand, fields in sorted key order (same bytes as
    /// `AuditJSON.writeObject(jsonObject)`, without building a dictionary; a test checks they agree).
    func canonicalBytes(
        includingHash: Bool,
        detailsJSON: [UInt8]? = nil,
        timestampText cachedTimestamp: String? = nil
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(384)
        writeCanonical(
            into: &out, includingHash: includingHash, detailsJSON: detailsJSON, timestampText: cachedTimestamp)
        return out
    }

    /// Appends ``canonicalBytes(includingHash:detailsJSON:timestampText:)`` to `out` (a reused buffer).
    func writeCanonical(
        into out: inout [UInt8],
        includingHash: Bool,
        detailsJSON: [UInt8]? = nil,
        timestampText cachedTimestamp: String? = nil
    ) {
        var first = true
        func key(_ name: StaticString) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }
        out.append(UInt8(ascii: "{"))
        if let action {
            key("action")
            AuditJSON.writeString(action, into: &out)
        }
        key("details")
        if let detailsJSON {
            out.append(contentsOf: detailsJSON)
        } else {
            AuditJSON.writeObject(details, into: &out)
        }
        if let durationSeconds {
            key("duration_seconds")
            AuditJSON.writeDouble(durationSeconds, into: &out)
        }
        key("event_type")
        AuditJSON.writeString(eventType.rawValue, into: &out)
        if includingHash {
            key("hash")
            AuditJSON.writeString(hash, into: &out)
        }
        key("host")
        AuditJSON.writeString(host, into: &out)
        if let message {
            key("message")
            AuditJSON.writeString(message, into: &out)
        }
        key("name")
        AuditJSON.writeString(name, into: &out)
        if let object {
            key("object")
            AuditJSON.writeString(object, into: &out)
        }
        key("outcome")
        AuditJSON.writeString(outcome.rawValue, into: &out)
        key("prev_hash")
        AuditJSON.writeString(prevHash, into: &out)
        if let rolledBack {
            key("rolled_back")
            out.append(contentsOf: (rolledBack ? "true" : "false").utf8)
        }
        key("seq")
        out.append(contentsOf: String(seq).utf8)
        key("service")
        AuditJSON.writeString(service, into: &out)
        key("session_id")
        AuditJSON.writeString(sessionID, into: &out)
        if let severity {
            key("severity")
            AuditJSON.writeString(severity.rawValue, into: &out)
        }
        key("timestamp")
        AuditJSON.writeString(cachedTimestamp ?? timestampText, into: &out)
        if let transactionID {
            key("transaction_id")
            AuditJSON.writeString(transactionID, into: &out)
        }
        key("user")
        AuditJSON.writeString(user, into: &out)
        out.append(UInt8(ascii: "}"))
    }
}
