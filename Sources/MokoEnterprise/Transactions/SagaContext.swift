import Synchronization

/// Values shared by the steps of one saga run: inputs the caller puts in, and each step's output.
///
/// When a step's forward action returns a value (anything but `Void`), the orchestrator stores it under
/// the step's name, so later steps and every compensation can read it:
///
/// ```swift
/// SagaStep(name: "create_repo",
///          forward: { _ in try await github.createRepo("myrepo") },        // returns a Repository
///          compensate: { context in
///              if let repo = context.output(of: "create_repo", as: Repository.self) {
///                  try await github.deleteRepo(repo.id)
///              }
///          })
/// ```
///
/// The context is `Sendable`; reads and writes are atomic.
public final class SagaContext: Sendable {
    private let values: Mutex<[String: any Sendable]>

    /// Creates a context, optionally seeded with inputs.
    public init(_ values: [String: any Sendable] = [:]) {
        self.values = Mutex(values)
    }

    /// The value stored under `key`, if there is one of type `Value`.
    public func value<Value: Sendable>(forKey key: String, as type: Value.Type = Value.self) -> Value? {
        values.withLock { $0[key] } as? Value
    }

    /// The output of the step named `step`, if it completed and returned a `Value`.
    public func output<Value: Sendable>(of step: String, as type: Value.Type = Value.self) -> Value? {
        value(forKey: step, as: type)
    }

    /// Stores `value` under `key`, replacing what was there.
    public func set(_ value: any Sendable, forKey key: String) {
        values.withLock { $0[key] = value }
    }

    /// Removes the value stored under `key`.
    public func removeValue(forKey key: String) {
        _ = values.withLock { $0.removeValue(forKey: key) }
    }

    /// Every key that holds a value, sorted.
    public var keys: [String] {
        values.withLock { $0.keys.sorted() }
    }
}
