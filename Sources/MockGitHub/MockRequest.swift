/// One HTTP request as the core sees it: no transport, just method, target, headers and body.
public struct MockRequest: Sendable {
    /// The HTTP method in upper case, e.g. `GET`.
    public var method: String
    /// The request target: path plus optional query, e.g. `/orgs/acme/repos?per_page=100`.
    public var target: String
    /// Header fields; names are matched case-insensitively.
    public var headers: [(name: String, value: String)]
    /// The request body bytes (empty when there is none).
    public var body: [UInt8]
    /// The client's address, used for the anonymous rate-limit bucket.
    public var remoteAddress: String
    /// Requests from the same credentials in flight at the transport, this one included.
    ///
    /// The HTTP adapter counts them; in-process callers may set it to exercise the concurrency limits.
    public var inFlight: Int
    /// An identifier of the client connection, recorded in the journal.
    public var connection: Int
    /// Set once the header names have been lower-cased.
    var headersAreLowercased = false

    /// Creates a request.
    public init(
        method: String,
        target: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        remoteAddress: String = "127.0.0.1",
        inFlight: Int = 1,
        connection: Int = 0
    ) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.inFlight = inFlight
        self.connection = connection
    }

    /// The first value of the header `name` (case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        for field in headers where field.name == name { return field.value }
        if headersAreLowercased && !name.utf8.contains(where: { (65...90).contains($0) }) { return nil }
        let lowered = name.lowercased()
        for field in headers where field.name.utf8.count == lowered.utf8.count && field.name.lowercased() == lowered {
            return field.value
        }
        return nil
    }

    /// A copy whose header names are lower case, so lookups by lower-case name are exact matches.
    var normalized: MockRequest {
        var copy = self
        if headers.contains(where: { MockRequest.needsLowercasing($0.name) }) {
            copy.headers = headers.map { (name: $0.name.lowercased(), value: $0.value) }
        }
        copy.headersAreLowercased = true
        return copy
    }

    /// Whether `lowercased()` could change `name`: it has an ASCII capital or a non-ASCII byte.
    static func needsLowercasing(_ name: String) -> Bool {
        name.utf8.contains { (65...90).contains($0) || $0 >= 0x80 }
    }
}
