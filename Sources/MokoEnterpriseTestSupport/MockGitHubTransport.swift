import Foundation
import MockGitHub
import MokoEnterprise
import Synchronization

/// An ``HTTPTransport`` that hands each request to the mock GitHub server's core in-process: no socket,
/// no port, no real time.
///
/// The request's path and query become the mock's request target (the host is ignored, so the client's
/// base URL may be the mock's default `https://api.github.com`). Transport-level faults of the mock's
/// fault plan are enacted as transport errors: a connection reset or a truncated body throws
/// ``HTTPTransportError`` (`.connectionFailed`), and a planned delay longer than the request's timeout
/// throws `.timedOut` without waiting. Shorter delays are slept on `delayClock` when one is given and
/// ignored otherwise.
///
/// ```swift
/// let mock = MockGitHub(configuration: .init(fixture: .standard(repos: 250)))
/// let clock = ManualClock()
/// let client = try GitHubClient(
///     token: await mock.token(for: "mona"), transport: MockGitHubTransport(mock: mock), clock: clock)
/// ```
public final class MockGitHubTransport: HTTPTransport {
    /// The mock server core that answers.
    public let mock: MockGitHub

    private let delayClock: (any Clock<Duration>)?
    private let inFlight = Mutex<[String: Int]>([:])
    private let connection: Int

    /// Creates a transport over `mock`.
    ///
    /// - Parameters:
    ///   - mock: the server core.
    ///   - delayClock: the clock to sleep planned latency on; `nil` ignores latency shorter than the timeout.
    ///   - connection: the connection id the mock records in its journal.
    public init(mock: MockGitHub, delayClock: (any Clock<Duration>)? = nil, connection: Int = 1) {
        self.mock = mock
        self.delayClock = delayClock
        self.connection = connection
    }

    /// Sends the request to the mock core and returns its response.
    ///
    /// - Parameter request: the request.
    /// - Returns: the mock's status, headers and body.
    /// - Throws: ``HTTPTransportError`` for planned resets, truncations and timeouts; `CancellationError`.
    public func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        try Task.checkCancellation()
        var target = request.url.path.isEmpty ? "/" : request.url.path
        if let query = request.url.query { target += "?" + query }
        let credential = request.headers["Authorization"] ?? ""
        let concurrent = inFlight.withLock { counts -> Int in
            counts[credential, default: 0] += 1
            return counts[credential, default: 0]
        }
        defer { inFlight.withLock { $0[credential, default: 1] -= 1 } }
        let mockRequest = MockRequest(
            method: request.method,
            target: target,
            headers: request.headers.map { (name: $0.name, value: $0.value) },
            body: request.body.map { Array($0) } ?? [],
            inFlight: concurrent,
            connection: connection
        )
        let response = await mock.handle(mockRequest)
        if response.delay > .zero {
            if let timeout = request.timeout, response.delay >= timeout {
                throw HTTPTransportError(
                    kind: .timedOut, method: request.method, url: request.url,
                    detail: "the mock held the response for \(response.delay)")
            }
            if let delayClock { try await delayClock.sleep(for: response.delay) }
        }
        switch response.transport {
        case .normal:
            break
        case .reset(let afterBytes):
            throw HTTPTransportError(
                kind: .connectionFailed, method: request.method, url: request.url,
                detail: "connection reset by the mock after \(afterBytes) bytes")
        case .truncate(let bytes):
            throw HTTPTransportError(
                kind: .connectionFailed, method: request.method, url: request.url,
                detail: "body truncated by the mock after \(bytes) bytes")
        }
        return HTTPTransportResponse(
            statusCode: response.status,
            headers: HTTPHeaderFields(pairs: response.headers.map { ($0.name, $0.value) }),
            body: Data(response.body)
        )
    }
}
