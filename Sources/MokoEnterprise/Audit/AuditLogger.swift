import Crypto
import Foundation
import GRDB

/// A tamper-evident, durable audit log: the curriculum's `AuditLogger`, on SQLite.
///
/// Every record carries the OWASP fields — *when* (timestamp from the injected ``WallClock``, ISO 8601
/// UTC with milliseconds), *who* (``user``), *where* (``service``, ``host``), *what* (event type, name,
/// severity, details) and the *outcome* — plus a transaction id, the logger's ``sessionID`` and a
/// sequence number `seq`. Records are chained: each one's hash is
/// `SHA-256(previous hash ‖ canonical JSON of the record)`, starting from ``genesisHash``, so
/// ``verify()`` finds any record that was edited, deleted, reordered or truncated.
///
/// ```swift
/// let audit = try AuditLogger(service: "demo_script", directory: logs, retentionDays: 90)
/// try await audit.transaction("user_provisioning", metadata: ["ticket": "OPS-42"]) { txn in
///     try txn.logEvent("create_user", details: ["username": "john.doe"])
///     try txn.logEvent("assign_permissions", details: ["permissions": ["read", "write"]])
/// }
/// try audit.logSecurityEvent("authn_login_fail", severity: .high, details: ["ip": "192.0.2.1"])
/// ```
///
/// **Durability and failures.** Records are stored in `directory/audit_<service>.sqlite` (WAL) through
/// `DurableStore`. With ``StoreDurability/full`` (the default) a record is on disk when the call
/// returns. A record that cannot be written is *reported*: the call throws ``StoreError`` (or
/// ``AuditError`` for refused input) and nothing is written. This is deliberate: compliance logging
/// must not be silently lost, so an operation whose audit trail cannot be written fails (the
/// transaction scope does not run its body when `transaction_start` cannot be recorded). Callers that
/// prefer best effort wrap the call in `try?`.
///
/// **Redaction.** Every string in names, messages and details passes through
/// ``SecretRedactor/redact(_:)`` before it is written; string values under credential-named keys
/// (`password`, `token`, `api_key`, `*_secret`...) are masked whole. One-line fields (name, user,
/// action, object, message, service, host) have CR, LF and other control characters replaced by
/// spaces, so a value cannot forge a second log entry. Detail strings may span lines: JSON escapes them.
///
/// **Limits.** One record's canonical JSON may not exceed ``maximumRecordBytes`` (1 MiB): a larger
/// record (say a 10 MB detail value) is refused with ``AuditError/Code/recordTooLarge`` and nothing
/// is written. Invalid UTF-8 cannot reach the logger as a `String`: bytes decoded with
/// `String(decoding:as:)` carry U+FFFD replacement characters, and are stored as such.
///
/// One process writes a store at a time; several loggers in one process may share a directory when
/// their services differ. The type is `Sendable`; calls are serialised by the store.
public final class AuditLogger: AuditEventRecording {
    /// The hash before the first record: 64 zeros.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The largest canonical JSON of one record, in bytes (1 MiB).
    public static let maximumRecordBytes = 1_048_576

    /// The version of the record format and chain rules, recorded in reports.
    public static let formatVersion = "moko-audit/1"

    /// The service (application) name stamped on every record.
    public let service: String
    /// The directory holding the store.
    public let directory: URL
    /// The SQLite file of the store.
    public let databaseURL: URL
    /// How many days ``cleanupOldLogs()`` keeps.
    public let retentionDays: Int
    /// Who acts: the user stamped on every record.
    public let user: String
    /// The host the service runs on.
    public let host: String
    /// This logger instance's session identifier, stamped on every record.
    public let sessionID: String

    let wallClock: any WallClock
    let queue: DatabaseQueue

    /// Opens (creating when absent) the audit store of `service` in `directory`.
    ///
    /// Reopening a directory continues its chain where it stopped.
    ///
    /// - Parameters:
    ///   - service: the service name, stamped on every record and used in the file name
    ///     (`audit_<service>.sqlite`).
    ///   - directory: where the store lives; created when absent.
    ///   - retentionDays: how many days ``cleanupOldLogs()`` keeps; at least 1 (default 90).
    ///   - user: who acts; defaults to `$USER`, then `"system"`.
    ///   - wallClock: the source of timestamps (pass a `ManualClock` in tests).
    ///   - durability: ``StoreDurability/full`` (each record on disk before the call returns) or
    ///     ``StoreDurability/normal`` (survives a crash of the process, not a power cut).
    /// - Throws: ``StoreError`` naming the directory when it cannot be created, read or written, or the
    ///   file when it is not a healthy store; ``AuditError`` when `service` is empty or
    ///   `retentionDays` is below 1.
    public init(
        service: String,
        directory: URL,
        retentionDays: Int = 90,
        user: String? = nil,
        wallClock: any WallClock = SystemWallClock(),
        durability: StoreDurability = .full
    ) throws {
        let cleanService = AuditSanitizer.line(service).trimmingCharacters(in: .whitespaces)
        guard !cleanService.isEmpty else {
            throw AuditError(.invalidArgument, "the service name is empty; pass the name of your script or service")
        }
        guard retentionDays >= 1 else {
            throw AuditError(
                .invalidArgument,
                "retentionDays is \(retentionDays); audit logs must be kept at least 1 day (PCI DSS asks 365)"
            )
        }
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue,
            !fileManager.isReadableFile(atPath: directory.path)
        {
            throw StoreError(
                path: directory.path,
                reason: "the audit directory is not readable; grant read permission or choose another directory"
            )
        }
        let fileName = "audit_\(Self.fileSafe(cleanService)).sqlite"
        self.queue = try DurableStore.open(
            directory: directory, fileName: fileName, durability: durability, migrator: Self.migrator)
        self.service = cleanService
        self.directory = directory
        self.databaseURL = directory.appendingPathComponent(fileName)
        self.retentionDays = retentionDays
        let environmentUser = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 }
        self.user = AuditSanitizer.line(user ?? environmentUser ?? "system")
        self.host = AuditSanitizer.line(ProcessInfo.processInfo.hostName)
        self.sessionID = UUID().uuidString.lowercased()
        self.wallClock = wallClock
    }

    private static func fileSafe(_ name: String) -> String {
        String(
            name.unicodeScalars.map { scalar -> Character in
                let allowed = CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_"
                return allowed && scalar.isASCII ? Character(scalar) : "_"
            })
    }

    /// `hex(SHA-256(utf8(prevHash) ‖ body))`: the chain rule.
    static func chainHash(prevHash: String, body: [UInt8]) -> String {
        var hasher = SHA256()
        var prevHash = prevHash
        prevHash.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        body.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return AuditJSON.hex(hasher.finalize())
    }

    // MARK: Logging

    /// Records one event and returns the stored record.
    ///
    /// - Throws: ``AuditError`` when the record is too large, ``StoreError`` when it cannot be written.
    @discardableResult
    public func log(_ event: AuditEvent) throws -> AuditRecord {
        let (_, records) = try append([event])
        guard let record = records.first else {
            throw StoreError(path: databaseURL.path, reason: "the record was not stored")
        }
        return record
    }

    /// Records many events in one SQLite transaction (all or none), for throughput.
    ///
    /// - Returns: the new head of the chain.
    /// - Throws: ``AuditError`` when a record is too large, ``StoreError`` when they cannot be written;
    ///   then none of them is stored.
    @discardableResult
    public func logEvents(_ events: [AuditEvent]) throws -> AuditHead {
        try appendBatch(events)
    }

    /// `error_<TypeName>` in snake-ish form, e.g. `error_StoreError`.
    static func errorName(_ error: any Error) -> String {
        "error_" + String(describing: type(of: error))
    }

    // MARK: Head

    /// The newest position of the chain (``AuditHead/genesis`` for an empty store).
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public var head: AuditHead {
        get throws {
            try storeCall("read the chain head") { try queue.read { db in try Self.readChainState(db).head } }
        }
    }

    /// The position the chain starts from: genesis, or the last record removed by ``cleanupOldLogs()``.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read.
    public var anchor: AuditHead {
        get throws {
            try storeCall("read the chain anchor") { try queue.read { db in try Self.readChainState(db).anchor } }
        }
    }

    /// Runs a store operation, turning SQLite errors into a ``StoreError`` naming the file.
    func storeCall<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as AuditError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(
                path: databaseURL.path,
                reason: "cannot \(what) (\(error.message ?? "SQLite error \(error.resultCode)"))")
        } catch {
            throw StoreError(path: databaseURL.path, reason: "cannot \(what) (\(error))")
        }
    }
}
