import Foundation
import MokoEnterprise
import Synchronization

/// An HTTP failure as the GitHub client will report it.
struct ResilienceTestHTTPError: HTTPResponseError, Equatable {
    var statusCode: Int
    var headers: [String: String] = [:]
    var message: String?

    func headerValue(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// An error the tests throw when the kind of error does not matter.
struct ResilienceTestFailure: Error, Equatable {
    var id = 0
}

/// A gate that blocks callers until it is opened, and a countdown that resumes a waiter when a count
/// of arrivals is reached: both without polling.
final class ResilienceTestGate: Sendable {
    private struct State {
        var isOpen = false
        var blocked: [CheckedContinuation<Void, Never>] = []
        var arrivals = 0
        var arrivalWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    /// Suspends until ``open()``.
    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.isOpen { return true }
                state.blocked.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Lets every current and future caller of ``wait()`` through.
    func open() {
        let blocked = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.isOpen = true
            defer { state.blocked.removeAll() }
            return state.blocked
        }
        for continuation in blocked { continuation.resume() }
    }

    /// Counts one arrival.
    func arrive() {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.arrivals += 1
            let arrivals = state.arrivals
            let ready = state.arrivalWaiters.filter { $0.count <= arrivals }.map(\.continuation)
            state.arrivalWaiters.removeAll { $0.count <= arrivals }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Suspends until at least `count` arrivals.
    func waitForArrivals(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.arrivals >= count { return true }
                state.arrivalWaiters.append((count, continuation))
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
