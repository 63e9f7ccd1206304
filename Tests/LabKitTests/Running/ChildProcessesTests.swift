import Foundation
import LabKit
import MokoEnterpriseTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A signal to `lab` must stop the `swift` it started, with everything that one started: these run real,
/// short shell children that would otherwise wait 30 s, and never sleep themselves.
@Suite struct ChildProcessesTests {
    @Test func terminateAllStopsTheChildsWholeProcessGroup() throws {
        let directory = try TemporaryDirectory(prefix: "children")
        let children = ChildProcesses()
        let signalled = Mutex<[Int32]>([])
        let started = ContinuousClock.now
        // The background `sleep` is a grandchild holding the output pipe: `run` returns only once it is gone too.
        let outcome = try SystemProcessRunner(children: children).run(
            Invocation(program: "sh", arguments: ["-c", "sleep 30 & echo ready; wait"], directory: directory.url)
        ) { line in
            if line == "ready" {
                #expect(children.running.count == 1)
                signalled.withLock { $0 = children.terminateAll(signal: SIGTERM) }
            }
        }
        #expect(outcome.exitCode == 128 + SIGTERM)
        #expect(signalled.withLock { $0.count } == 1)
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(children.running.isEmpty)
    }

    @Test func aChildStartedAfterTheStopIsStoppedAtOnce() throws {
        let directory = try TemporaryDirectory(prefix: "children")
        let children = ChildProcesses()
        children.terminateAll(signal: SIGTERM)
        let started = ContinuousClock.now
        let outcome = try SystemProcessRunner(children: children).run(
            Invocation(program: "sh", arguments: ["-c", "sleep 30"], directory: directory.url)
        ) { _ in }
        #expect(outcome.exitCode == 128 + SIGTERM)
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func aChildIgnoringSIGTERMIsKilledWhenTheGraceIsOver() throws {
        let directory = try TemporaryDirectory(prefix: "children")
        let children = ChildProcesses()
        // No grace at all: the deadline has passed as soon as SIGTERM is sent, so SIGKILL follows at once.
        let forwarder = StopSignalForwarder(children: children, grace: .zero)
        let outcome = try SystemProcessRunner(children: children).run(
            Invocation(
                program: "sh", arguments: ["-c", "trap '' TERM; echo ready; sleep 30; sleep 30"],
                directory: directory.url)
        ) { line in
            if line == "ready" { #expect(forwarder.stopChildren(clock: ContinuousClock()).count == 1) }
        }
        #expect(outcome.exitCode == 128 + SIGKILL)
    }

    @Test func stoppingWithoutChildrenSignalsNothing() {
        let forwarder = StopSignalForwarder(children: ChildProcesses())
        #expect(forwarder.stopChildren(clock: ManualClock()).isEmpty)
    }
}
