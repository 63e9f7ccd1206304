import Synchronization

/// A stand-in for a remote system (a repository's settings on GitHub): a key-value store that can be told
/// to reject writes to some keys, so a transaction can be made to fail part-way. Provided: not part of
/// the exercise.
public final class RepositorySettings: Sendable {
    /// A write the store refused.
    public struct WriteRejected: Error, Sendable, Equatable, CustomStringConvertible {
        /// The key whose write was refused.
        public var key: String

        /// `write to '<key>' was rejected`.
        public var description: String { "write to '\(key)' was rejected" }
    }

    private let values: Mutex<[String: String]>
    private let rejectedKeys: Set<String>

    /// Creates a store.
    ///
    /// - Parameters:
    ///   - values: the initial settings.
    ///   - rejecting: keys whose writes throw ``WriteRejected``.
    public init(_ values: [String: String] = [:], rejecting: Set<String> = []) {
        self.values = Mutex(values)
        self.rejectedKeys = rejecting
    }

    /// Every setting now.
    public var snapshot: [String: String] { values.withLock { $0 } }

    /// The value of one setting, `nil` when it is not set.
    public func value(for key: String) -> String? { values.withLock { $0[key] } }

    /// Sets one value.
    ///
    /// - Throws: ``WriteRejected`` for a key given in `rejecting`; nothing changes then.
    public func set(_ value: String, for key: String) throws {
        if rejectedKeys.contains(key) { throw WriteRejected(key: key) }
        values.withLock { $0[key] = value }
    }

    /// Removes one setting (no error when it is not set).
    public func remove(_ key: String) {
        _ = values.withLock { $0.removeValue(forKey: key) }
    }
}

/// One change to apply: set `key` to `value`.
public struct SettingChange: Sendable, Equatable {
    /// The setting's name, e.g. `description`.
    public var key: String
    /// Its new value.
    public var value: String

    /// Creates a change.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
