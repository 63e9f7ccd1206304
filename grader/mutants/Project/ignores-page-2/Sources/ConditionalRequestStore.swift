import Crypto
import Foundation
import MokoEnterprise
import Synchronization

/// An `HTTPTransport` that remembers the ETag of every successful GET in the state directory, so the
/// *next run* revalidates with `If-None-Match` and a `304 Not Modified` costs no rate-limit quota.
///
/// The GitHub client's own ETag cache lives in memory and dies with the process; this layer sits under
/// it and survives. A GET that already carries `If-None-Match` (the client's cache) passes unchanged. A
/// `304` answered to a validator this layer added is turned back into the stored `200` response, so the
/// client sees the same bytes it saw last time. Entries are keyed by URL and a hash of the
/// `Authorization` header (never the header itself), so two tokens never share a response. The file is
/// rewritten after every new entry: a run killed at any point leaves every ETag it received.
final class ConditionalRequestStore: HTTPTransport {
    /// One remembered response.
    struct Entry: Codable, Sendable {
        var etag: String
        var body: Data
        var link: String?
    }

    private let wrapped: any HTTPTransport
    private let fileURL: URL?
    private let entries: Mutex<[String: Entry]>
    private let counters = Mutex<(requests: Int, conditional: Int, notModified: Int)>((0, 0, 0))

    /// Wraps `transport`, loading earlier entries from `fileURL` when it exists.
    ///
    /// - Parameters:
    ///   - transport: the transport that really sends the requests.
    ///   - fileURL: where the entries are kept between runs; nil keeps them in memory only.
    init(wrapping transport: any HTTPTransport, fileURL: URL?) {
        wrapped = transport
        self.fileURL = fileURL
        var loaded: [String: Entry] = [:]
        if let fileURL, let data = try? Data(contentsOf: fileURL),
            let decoded = try? JSONDecoder().decode([String: Entry].self, from: data)
        {
            loaded = decoded
        }
        entries = Mutex(loaded)
    }

    /// Requests sent, GETs this layer made conditional, and how many of those were answered `304`.
    var statistics: (requests: Int, conditional: Int, notModified: Int) { counters.withLock { $0 } }

    /// Sends `request`, adding `If-None-Match` to a GET whose response is remembered.
    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        counters.withLock { $0.requests += 1 }
        guard request.method == "GET" else { return try await wrapped.send(request) }
        let key = Self.key(request)
        var outgoing = request
        var added: Entry?
        if request.headers["If-None-Match"] == nil, let entry = entries.withLock({ $0[key] }) {
            outgoing.headers["If-None-Match"] = entry.etag
            added = entry
            counters.withLock { $0.conditional += 1 }
        }
        var response = try await wrapped.send(outgoing)
        if response.statusCode == 304, let added {
            counters.withLock { $0.notModified += 1 }
            response.statusCode = 200
            response.body = added.body
            if let link = added.link { response.headers["Link"] = link }
            response.headers["ETag"] = added.etag
            return response
        }
        if response.statusCode == 200, let etag = response.headers["ETag"] {
            let entry = Entry(etag: etag, body: response.body, link: response.headers["Link"])
            entries.withLock { $0[key] = entry }
            // Kept at once, so a run killed right after this read still revalidates it next time; a write
            // error surfaces at the run's final `save()`.
            try? save()
        }
        return response
    }

    /// Writes the entries to the state directory (owner-only permissions).
    func save() throws {
        guard let fileURL else { return }
        let data = try JSONEncoder().encode(entries.withLock { $0 })
        try data.write(to: fileURL, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: fileURL.path)
    }

    private static func key(_ request: HTTPTransportRequest) -> String {
        let identity = request.headers["Authorization"].map {
            SHA256.hash(data: Data($0.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        }
        return (identity ?? "anonymous") + " " + request.url.absoluteString
    }
}
