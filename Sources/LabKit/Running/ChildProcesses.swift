import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The child processes `lab` is running, so that a signal to `lab` (SIGTERM, Ctrl-C, a closed terminal) also
/// stops them.
///
/// Foundation's `Process` starts every child in a process group of its own, so a signal sent to `lab` (or to
/// the terminal's foreground group) never reaches `swift build` or the compilers it starts: they kept
/// running after `lab watch` was stopped. ``SystemProcessRunner`` registers each child here;
/// ``terminateAll(signal:)`` signals each child's whole process group.
public final class ChildProcesses: Sendable {
    /// The registry the `lab` executable uses.
    public static let shared = ChildProcesses()

    private let state = Mutex<(running: Set<Int32>, stoppedBy: Int32?)>(([], nil))

    /// Creates an empty registry (tests use their own).
    public init() {}

    /// The process ids registered now.
    public var running: Set<Int32> { state.withLock { $0.running } }

    /// Records a started child (its process group has its pid as id). When ``terminateAll(signal:)`` has already
    /// run, the child is signalled at once and not recorded.
    public func started(_ pid: Int32) {
        let stoppedBy = state.withLock { state -> Int32? in
            if state.stoppedBy == nil { state.running.insert(pid) }
            return state.stoppedBy
        }
        if let stoppedBy { _ = kill(-pid, stoppedBy) }
    }

    /// Forgets a child that ended.
    public func ended(_ pid: Int32) {
        _ = state.withLock { $0.running.remove(pid) }
    }

    /// Sends `signal` to the process group of every registered child, and to every child registered later.
    ///
    /// - Returns: the process ids signalled.
    @discardableResult
    public func terminateAll(signal: Int32 = SIGTERM) -> [Int32] {
        let pids = state.withLock { state -> [Int32] in
            state.stoppedBy = signal
            return state.running.sorted()
        }
        for pid in pids { _ = kill(-pid, signal) }
        return pids
    }

    /// Whether any process of `pid`'s group is still alive.
    public static func groupIsAlive(_ pid: Int32) -> Bool {
        kill(-pid, 0) == 0
    }
}

/// Turns SIGINT, SIGTERM and SIGHUP to `lab` into a stop of its children: each child's process group gets
/// SIGTERM, whatever is left after `grace` gets SIGKILL, then `exit` runs with 128 + the signal.
public final class StopSignalForwarder: Sendable {
    /// The registry whose children are stopped.
    public let children: ChildProcesses
    /// How long the children get to end after SIGTERM.
    public let grace: Duration
    private let sources: Mutex<[any DispatchSourceSignal]>

    /// Creates a forwarder; ``install(exit:)`` starts listening.
    public init(children: ChildProcesses = .shared, grace: Duration = .seconds(2)) {
        self.children = children
        self.grace = grace
        self.sources = Mutex([])
    }

    /// Stops the children: SIGTERM to each process group, then SIGKILL to the groups still alive after
    /// ``grace``, measured on `clock` (tests pass a clock whose time has already run out).
    ///
    /// - Returns: the process ids whose groups were signalled.
    @discardableResult
    public func stopChildren<C: Clock>(clock: C) -> [Int32] where C.Duration == Duration {
        let pids = children.terminateAll(signal: SIGTERM)
        let deadline = clock.now.advanced(by: grace)
        while pids.contains(where: ChildProcesses.groupIsAlive), clock.now < deadline {
            usleep(20_000)
        }
        for pid in pids where ChildProcesses.groupIsAlive(pid) { _ = kill(-pid, SIGKILL) }
        return pids
    }

    /// Listens for SIGINT, SIGTERM and SIGHUP: on one, stops the children and calls `exit` with 128 + signal.
    public func install(exit: @escaping @Sendable (Int32) -> Void) {
        sources.withLock { sources in
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { [self] in
                    stopChildren(clock: ContinuousClock())
                    exit(128 + signalNumber)
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}
