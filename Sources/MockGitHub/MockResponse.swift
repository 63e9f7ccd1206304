/// One HTTP response from the core, plus what the transport must do to enact a planned fault.
public struct MockResponse: Sendable {
    /// What the HTTP adapter must do beyond sending the response normally.
    public enum Transport: Sendable, Equatable {
        /// Send the response as is.
        case normal
        /// Close the connection after sending `afterBytes` bytes of the body (0: before the headers).
        case reset(afterBytes: Int)
        /// Send the headers with the full `Content-Length`, then only `bytes` bytes of body, then close.
        case truncate(bytes: Int)
    }

    /// The status code.
    public var status: Int
    /// Header fields in order; names are lower case.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]
    /// A delay the transport applies before sending the headers (latency and timeout faults).
    public var delay: Duration
    /// A transport-level fault to enact.
    public var transport: Transport
    /// The id of the fault rule that shaped this response, if any.
    public var faultRule: String?

    /// Creates a response.
    public init(
        status: Int,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        delay: Duration = .zero,
        transport: Transport = .normal,
        faultRule: String? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.transport = transport
        self.faultRule = faultRule
    }

    /// The first value of the header `name` (case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        if !MockRequest.needsLowercasing(name) { return headers.first { $0.name == name }?.value }
        let lowered = name.lowercased()
        return headers.first { $0.name == lowered }?.value
    }

    /// The body parsed as JSON, or nil.
    public var json: MockJSON? { try? MockJSON.parse(body) }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
