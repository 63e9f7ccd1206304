import Foundation

/// The files of a folder with their sizes and modification times: two snapshots differ when a file was
/// saved, added, removed or renamed.
public struct FolderSnapshot: Sendable, Equatable {
    /// Path → (size, modification time in seconds since 1970).
    public var entries: [String: [Double]]

    /// Takes a snapshot of `folder` (recursively); empty when it does not exist.
    public init(of folder: URL) {
        var entries: [String: [Double]] = [:]
        for file in SourceScan.files(in: folder) {
            let values = try? file.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey])
            entries[file.path] = [
                Double(values?.fileSize ?? -1), values?.contentModificationDate?.timeIntervalSince1970 ?? -1,
            ]
        }
        self.entries = entries
    }
}

/// Waits until something in a folder changes.
public protocol ChangeWaiting: Sendable {
    /// Returns once a file under `folder` differs from `snapshot` (saved, added, removed).
    ///
    /// - Throws: `CancellationError` when the task is cancelled.
    func waitForChange(in folder: URL, since snapshot: FolderSnapshot) async throws
}

/// Waits for file events where the kernel delivers them (Linux inotify) and, in any case, compares snapshots
/// every `interval`: saves on network or container mounts, where events never arrive, are still seen.
public struct FileChangeWaiter<C: Clock<Duration>>: ChangeWaiting {
    /// The clock the polling waits on.
    public var clock: C
    /// How often to compare snapshots.
    public var interval: Duration
    /// Whether to use file events at all (`--poll` turns them off).
    public var useFileEvents: Bool

    /// Creates a waiter.
    public init(clock: C, interval: Duration = .milliseconds(500), useFileEvents: Bool = true) {
        self.clock = clock
        self.interval = interval
        self.useFileEvents = useFileEvents
    }

    /// Returns once a file under `folder` differs from `snapshot`.
    public func waitForChange(in folder: URL, since snapshot: FolderSnapshot) async throws {
        let events = useFileEvents ? FileEvents(folder: folder) : nil
        defer { events?.close() }
        while true {
            try Task.checkCancellation()
            if let events {
                // Blocks for at most one interval; an event ends the wait early.
                events.wait(
                    milliseconds: Int32(interval.components.seconds * 1000)
                        + Int32(interval.components.attoseconds / 1_000_000_000_000_000))
            } else {
                try await clock.sleep(for: interval)
            }
            if FolderSnapshot(of: folder) != snapshot { return }
        }
    }
}

/// Linux inotify events for one folder (nil elsewhere or when the kernel refuses).
final class FileEvents: Sendable {
    private let descriptor: Int32

    init?(folder: URL) {
        #if os(Linux)
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        // Modified, written, created, deleted, moved in or out (editors save by renaming).
        let mask: UInt32 = 0x2 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200
        guard inotify_add_watch(descriptor, folder.path, mask) >= 0 else {
            _ = Glibc.close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        #else
        return nil
        #endif
    }

    /// Waits up to `milliseconds` for an event, then drains the queue.
    func wait(milliseconds: Int32) {
        #if os(Linux)
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&request, 1, milliseconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while read(descriptor, &buffer, buffer.count) > 0 {}
        #endif
    }

    func close() {
        #if os(Linux)
        _ = Glibc.close(descriptor)
        #endif
    }
}
