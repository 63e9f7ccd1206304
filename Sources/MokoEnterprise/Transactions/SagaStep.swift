/// One step of a saga: a forward action and the compensation that semantically undoes it.
///
/// Compensations should be idempotent: the orchestrator retries one that throws.
public struct SagaStep: Sendable {
    /// A forward action: receives the saga's context and returns the step's output (stored in the
    /// context under the step's name unless it is `Void`).
    public typealias Forward = @Sendable (SagaContext) async throws -> any Sendable
    /// A compensation: receives the saga's context (with the step's own output in it).
    public typealias Compensation = @Sendable (SagaContext) async throws -> Void

    /// The step's name, unique within a saga; it keys the step's output in the ``SagaContext``.
    public var name: String
    /// The forward action.
    public var forward: Forward
    /// The compensation.
    public var compensate: Compensation

    /// Creates a step whose actions use the saga's context.
    ///
    /// - Parameters:
    ///   - name: unique within the saga.
    ///   - forward: the action; what it returns (unless `Void`) is stored in the context under `name`.
    ///   - compensate: undoes `forward` after a later step failed.
    public init<Output: Sendable>(
        name: String,
        forward: @escaping @Sendable (SagaContext) async throws -> Output,
        compensate: @escaping @Sendable (SagaContext) async throws -> Void
    ) {
        self.name = name
        self.forward = { context in try await forward(context) }
        self.compensate = compensate
    }

    /// Creates a step whose actions need no context (the curriculum's `{'name', 'forward', 'compensate'}`).
    ///
    /// - Parameters:
    ///   - name: unique within the saga.
    ///   - forward: the action; what it returns (unless `Void`) is stored in the context under `name`.
    ///   - compensate: undoes `forward` after a later step failed.
    public init<Output: Sendable>(
        name: String,
        forward: @escaping @Sendable () async throws -> Output,
        compensate: @escaping @Sendable () async throws -> Void
    ) {
        self.name = name
        self.forward = { _ in try await forward() }
        self.compensate = { _ in try await compensate() }
    }
}
