/// What an exercise skeleton throws from every place the trainee still has to fill in.
///
/// Skeletons throw instead of crashing (`fatalError` would stop every other check in the run), so a check
/// that reaches unfinished code fails on its own with a message that says where to work:
///
/// ```swift
/// public func greeting() throws -> String {
///     // TODO: build "Hello, NAME!"
///     throw Unimplemented("the greeting text (Greet.greeting())", exercise: "1.3")
/// }
/// ```
public struct Unimplemented: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is missing, in words a trainee recognises, e.g. "the greeting text (Greet.greeting())".
    public var what: String
    /// The exercise number as the catalogue spells it, e.g. "1.3".
    public var exercise: String
    /// The source file that holds the `// TODO:`, e.g. "Greet.swift".
    public var file: String

    /// Creates the error for one unfinished place.
    ///
    /// - Parameters:
    ///   - what: what is missing.
    ///   - exercise: the exercise number, e.g. "1.3".
    ///   - fileID: the file that throws; leave the default.
    public init(_ what: String, exercise: String, fileID: String = #fileID) {
        self.what = what
        self.exercise = exercise
        self.file = fileID.split(separator: "/").last.map(String.init) ?? fileID
    }

    /// `not implemented yet: <what> — see the TODO in <file>; run `lab hint <exercise>``.
    public var description: String {
        "not implemented yet: \(what) — see the TODO in \(file); run `lab hint \(exercise)`"
    }
}
