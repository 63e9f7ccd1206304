import Synchronization

/// A thread-safe list that concurrent code under test appends to and a test reads afterwards.
///
/// Typical uses: the order in which operations or compensations ran, a side-effect ledger, events
/// emitted by a hook.
public final class TestRecorder<Element: Sendable>: Sendable {
    private let storage = Mutex<[Element]>([])

    /// Creates an empty recorder.
    public init() {}

    /// Appends one element.
    public func append(_ element: Element) { storage.withLock { $0.append(element) } }

    /// Everything appended so far, in order.
    public var values: [Element] { storage.withLock { $0 } }

    /// The number of elements appended so far.
    public var count: Int { storage.withLock { $0.count } }

    /// Removes every element.
    public func removeAll() { storage.withLock { $0.removeAll() } }
}

/// A thread-safe value that concurrent code under test can read and change.
public final class LockedValue<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    /// Creates the box with an initial value.
    public init(_ value: Value) { storage = Mutex(value) }

    /// The current value.
    public var value: Value { storage.withLock { $0 } }

    /// Changes the value under the lock and returns what `body` returns.
    @discardableResult
    public func withLock<Result: Sendable>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try storage.withLock { try body(&$0) }
    }
}
