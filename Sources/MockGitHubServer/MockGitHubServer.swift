import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MockGitHub
import NIOCore
import Synchronization

/// The mock GitHub served over HTTP/1.1 on 127.0.0.1 (a thin Hummingbird adapter over `MockGitHub`).
///
/// ```swift
/// let server = try await MockGitHubServer.start(mock: MockGitHub())
/// // use server.baseURL …
/// await server.stop()
/// ```
///
/// The adapter enacts what the core describes: delays before the headers, dropped connections and
/// truncated bodies. It also counts requests in flight per credential for the concurrency limits.
public struct MockGitHubServer: Sendable {
    /// Why the server could not start.
    public struct StartError: Error, Sendable, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    /// The core being served.
    public let mock: MockGitHub
    /// The bound host (always a loopback address).
    public let host: String
    /// The bound port (the real one when 0 was asked for).
    public let port: Int
    /// `http://127.0.0.1:<port>`, no trailing slash.
    public var baseURL: URL {
        URL(string: "http://\(host):\(port)") ?? URL(fileURLWithPath: "/")
    }

    private let task: Task<Void, any Error>

    /// Starts serving `mock` on `host:port` (port 0 picks a free port) and returns once it listens.
    ///
    /// The mock's base URL is set to the bound address so `Link`, `Location` and `url` fields point here.
    ///
    /// - Parameters:
    ///   - mock: the core to serve.
    ///   - host: a loopback address; anything else is refused.
    ///   - port: the port, or 0 for an ephemeral one.
    ///   - clock: the clock used for fault delays.
    ///   - logLevel: Hummingbird's log level (`.critical` keeps test output quiet).
    /// - Throws: `StartError` when the host is not loopback or the port cannot be bound.
    public static func start(
        mock: MockGitHub,
        host: String = "127.0.0.1",
        port: Int = 0,
        clock: any Clock<Duration> = ContinuousClock(),
        logLevel: Logger.Level = .critical
    ) async throws -> MockGitHubServer {
        guard host == "127.0.0.1" || host == "localhost" || host == "::1" else {
            throw StartError(description: "The mock binds loopback only; \(host) is not 127.0.0.1, ::1 or localhost.")
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = makeApplication(mock: mock, host: host, port: port, clock: clock, logLevel: logLevel) {
            port in
            await mock.setBaseURL("http://\(host):\(port)")
            continuation.yield(port)
            continuation.finish()
        }
        let task = Task {
            defer { continuation.finish() }
            try await application.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            do {
                try await task.value
            } catch {
                throw StartError(description: "Could not listen on \(host):\(port): \(error)")
            }
            throw StartError(description: "The server stopped before it listened on \(host):\(port).")
        }
        return MockGitHubServer(mock: mock, host: host, port: bound, task: task)
    }

    /// Stops the server and waits until it has closed its socket.
    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    /// Serves `mock` until the surrounding task is cancelled or SIGINT/SIGTERM arrives (for executables and
    /// ServiceLifecycle groups); `onReady` receives the bound port.
    ///
    /// - Throws: when the port cannot be bound.
    public static func run(
        mock: MockGitHub,
        host: String = "127.0.0.1",
        port: Int = 0,
        clock: any Clock<Duration> = ContinuousClock(),
        logLevel: Logger.Level = .error,
        onReady: @escaping @Sendable (Int) async -> Void
    ) async throws {
        guard host == "127.0.0.1" || host == "localhost" || host == "::1" else {
            throw StartError(description: "The mock binds loopback only; \(host) is not 127.0.0.1, ::1 or localhost.")
        }
        let application = makeApplication(mock: mock, host: host, port: port, clock: clock, logLevel: logLevel) {
            port in
            await mock.setBaseURL("http://\(host):\(port)")
            await onReady(port)
        }
        try await application.runService()
    }

    private static func makeApplication(
        mock: MockGitHub,
        host: String,
        port: Int,
        clock: any Clock<Duration>,
        logLevel: Logger.Level,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "mock-github")
        logger.logLevel = logLevel
        return Application(
            responder: MockGitHubResponder(mock: mock, clock: clock),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "GitHub.com"),
            onServerRunning: { channel in
                await onRunning(channel.localAddress?.port ?? port)
            },
            logger: logger
        )
    }
}

/// Request context that keeps the channel, so the responder can drop connections.
struct MockGitHubRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

/// Thrown to abort a response on purpose (planned dropped connection or truncated body).
struct MockGitHubPlannedDrop: Error {}

/// Converts HTTP requests to `MockRequest`, calls the core and enacts the planned transport faults.
struct MockGitHubResponder: HTTPResponder {
    typealias Context = MockGitHubRequestContext

    let mock: MockGitHub
    let clock: any Clock<Duration>
    let inFlight = MockGitHubInFlight()
    let bodies = MockGitHubBodyBuffers()

    static let maxBody = 4 << 20

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let credential = request.headers[.authorization] ?? ""
        let count = inFlight.enter(credential)
        defer { inFlight.leave(credential) }
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(request.headers.count)
        for field in request.headers { headers.append((field.name.canonicalName, field.value)) }
        var body: [UInt8] = []
        do {
            let buffer = try await request.collectBody(upTo: Self.maxBody)
            body = Array(buffer.readableBytesView)
        } catch {
            return Self.tooLarge()
        }
        let remote = context.channel.remoteAddress
        let mockRequest = MockRequest(
            method: request.method.rawValue,
            target: request.head.path ?? "/",
            headers: headers,
            body: body,
            remoteAddress: remote?.ipAddress ?? "127.0.0.1",
            inFlight: count,
            connection: remote?.port ?? 0
        )
        let answer = await mock.handle(mockRequest)
        if answer.delay > .zero { try await clock.sleep(for: answer.delay) }
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        let status = HTTPResponse.Status(code: answer.status)
        let channel = context.channel
        switch answer.transport {
        case .normal:
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: bodies.buffer(answer.body)))
        case .reset(let afterBytes) where afterBytes <= 0:
            try? await channel.close()
            throw MockGitHubPlannedDrop()
        case .reset(let afterBytes):
            let prefix = ByteBuffer(bytes: answer.body.prefix(afterBytes))
            fields[.contentLength] = String(answer.body.count)
            return Response(
                status: status,
                headers: fields,
                body: ResponseBody(contentLength: answer.body.count) { writer in
                    try await writer.write(prefix)
                    try? await channel.close()
                    throw MockGitHubPlannedDrop()
                }
            )
        case .truncate(let bytes):
            let prefix = ByteBuffer(bytes: answer.body.prefix(bytes))
            fields[.contentLength] = String(answer.body.count)
            return Response(
                status: status,
                headers: fields,
                body: ResponseBody(contentLength: answer.body.count) { writer in
                    try await writer.write(prefix)
                    try? await channel.close()
                    throw MockGitHubPlannedDrop()
                }
            )
        }
    }

    static func tooLarge() -> Response {
        let text =
            "{\"message\":\"Request body is too large.\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"413\"}"
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: .contentTooLarge, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Requests in flight per credential, counted by the transport.
final class MockGitHubInFlight: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func enter(_ key: String) -> Int {
        counts.withLock { counts in
            let value = (counts[key] ?? 0) + 1
            counts[key] = value
            return value
        }
    }

    func leave(_ key: String) {
        counts.withLock { counts in
            let value = (counts[key] ?? 1) - 1
            if value <= 0 { counts.removeValue(forKey: key) } else { counts[key] = value }
        }
    }
}

/// Reuses the `ByteBuffer` of a large body the core served before (its cached page or repository bytes),
/// so a repeated response is not copied into a fresh buffer on every request.
///
/// Entries are keyed by the identity of the array's storage. Each entry keeps its array alive, so a
/// storage address seen again belongs to the same, unchanged array: a shared array is copied before
/// any mutation, and a live storage's address cannot be reused by another one.
final class MockGitHubBodyBuffers: Sendable {
    /// Bodies below this size are copied every time (cheaper than the lookup).
    static let minimumSize = 4_096
    /// Entries kept; the oldest is replaced first.
    static let capacity = 32

    private struct Entry: Sendable {
        var bytes: [UInt8]
        var buffer: ByteBuffer
    }

    private struct Storage: Sendable {
        var entries: [Entry] = []
        var next = 0
    }

    private let storage = Mutex(Storage())

    /// A buffer with the bytes of `body`, shared with earlier responses of the same array.
    func buffer(_ body: [UInt8]) -> ByteBuffer {
        guard body.count >= Self.minimumSize else { return ByteBuffer(bytes: body) }
        let address = body.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        let found = storage.withLock { storage -> ByteBuffer? in
            for entry in storage.entries
            where entry.bytes.count == body.count
                && entry.bytes.withUnsafeBufferPointer({ UInt(bitPattern: $0.baseAddress) }) == address
            {
                return entry.buffer
            }
            return nil
        }
        if let found { return found }
        let buffer = ByteBuffer(bytes: body)
        storage.withLock { storage in
            let entry = Entry(bytes: body, buffer: buffer)
            if storage.entries.count < Self.capacity {
                storage.entries.append(entry)
            } else {
                storage.entries[storage.next] = entry
                storage.next = (storage.next + 1) % Self.capacity
            }
        }
        return buffer
    }
}
