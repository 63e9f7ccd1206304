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
        for field in headers where field.name.count == name.count && field.name.lowercased() == name.lowercased() {
            return field.value
        }
        return nil
    }
}
