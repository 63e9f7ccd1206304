import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT/SIGTERM into values of an `AsyncStream` through Dispatch signal sources, so the lifecycle
/// can cancel the work and run the interrupt hook instead of dying mid-write. A second signal exits the
/// process at once with 128 + signal (the user insisted).
///
/// `@unchecked Sendable`: the sources are created in `init` and only cancelled in `stop()`; Dispatch sources
/// are thread-safe, and the signal count is behind a mutex.
final class CLISignalMonitor: @unchecked Sendable {
    let signals: AsyncStream<Int32>
    private let continuation: AsyncStream<Int32>.Continuation
    private let sources: [any DispatchSourceSignal]
    private let watched: [Int32]
    private let previousHandlers: [sighandler_t?]
    private let received: Counter
    private let registrations: AsyncStream<Int32>

    private final class Counter: Sendable {
        private let count = Mutex(0)

        func increment() -> Int {
            count.withLock { count in
                count += 1
                return count
            }
        }
    }

    init(watching watched: [Int32] = [SIGINT, SIGTERM]) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        signals = stream
        self.continuation = continuation
        self.watched = watched
        var sources: [any DispatchSourceSignal] = []
        var previous: [sighandler_t?] = []
        let received = Counter()
        self.received = received
        let (registrations, registered) = AsyncStream.makeStream(of: Int32.self)
        self.registrations = registrations
        for number in watched {
            // The default action would kill the process before the handler runs: ignore, then observe.
            previous.append(signal(number, SIG_IGN))
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if received.increment() > 1 { _exit(128 + number) }
                continuation.yield(number)
            }
            source.setRegistrationHandler { registered.yield(number) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
        self.previousHandlers = previous
    }

    /// Returns once every signal source is registered with the system: a signal sent after this is seen.
    ///
    /// `resume()` registers sources asynchronously; a signal arriving in between would be ignored.
    func waitUntilRegistered() async {
        var count = 0
        for await _ in registrations {
            count += 1
            if count == watched.count { return }
        }
    }

    /// Stops observing and restores the signal actions found at start.
    func stop() {
        for source in sources { source.cancel() }
        for (number, handler) in zip(watched, previousHandlers) { signal(number, handler) }
        continuation.finish()
    }
}
