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
    private let received: Counter

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
        let received = Counter()
        self.received = received
        for number in watched {
            // The default action would kill the process before the handler runs: ignore, then observe.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if received.increment() > 1 { _exit(128 + number) }
                continuation.yield(number)
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Stops observing and restores the default signal actions.
    func stop() {
        for source in sources { source.cancel() }
        for number in watched { signal(number, SIG_DFL) }
        continuation.finish()
    }
}
