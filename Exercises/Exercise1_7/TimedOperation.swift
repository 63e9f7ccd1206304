/// One unit of work whose outcome and duration are measured, e.g. one repository synchronised. Provided: not
/// part of the exercise.
public struct TimedOperation: Sendable {
    /// The operation's name, e.g. `sync acme/api`.
    public var name: String
    /// The work; it fails by throwing.
    public var work: @Sendable () async throws -> Void

    /// Creates an operation.
    public init(name: String, work: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.work = work
    }
}
