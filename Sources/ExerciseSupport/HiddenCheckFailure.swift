/// What a hidden check throws instead of an unexpected error from the trainee's code.
///
/// The text of an error can hold the data it was thrown for (`write to 'k3_xq' was rejected`, "unexpected
/// argument 'Zoë'"), and hidden checks must never show their generated inputs. A hidden check therefore
/// rethrows what escapes the trainee's code through ``concealing(_:while:exercise:)``: an ``Unimplemented``
/// stays as it is (its text only names the unfinished place), anything else becomes this error, which
/// names the step and the error's type, never its text.
///
/// ```swift
/// do {
///     try await SettingsUpdate.apply(changes, to: settings, manager: manager)
/// } catch let error as TransactionFailed {
///     XCTAssertTrue(error.failedOperation == expected, "The wrong operation was named. Run `lab hint 1.9`.")
/// } catch {
///     throw HiddenCheckFailure.concealing(error, while: "applying a generated update", exercise: "1.9")
/// }
/// ```
public struct HiddenCheckFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, without any hidden input or expected value.
    public var message: String
    /// The exercise number as the catalogue spells it, e.g. "1.9".
    public var exercise: String

    /// Creates the error.
    ///
    /// - Parameters:
    ///   - message: what went wrong; never a hidden input or expected value.
    ///   - exercise: the exercise number, e.g. "1.9".
    public init(_ message: String, exercise: String) {
        self.message = message
        self.exercise = exercise
    }

    /// `<message>; run `lab hint <exercise>``.
    public var description: String {
        "\(message); run `lab hint \(exercise)`"
    }

    /// The error a hidden check should rethrow for `error`.
    ///
    /// - Parameters:
    ///   - error: what the trainee's code threw.
    ///   - step: the step that threw, e.g. "applying a generated update".
    ///   - exercise: the exercise number, e.g. "1.9".
    /// - Returns: `error` itself when it is an ``Unimplemented`` or already a ``HiddenCheckFailure``;
    ///   otherwise a ``HiddenCheckFailure`` naming only the step and the error's type.
    public static func concealing(_ error: any Error, while step: String, exercise: String) -> any Error {
        switch error {
        case let error as Unimplemented: return error
        case let error as HiddenCheckFailure: return error
        default:
            return HiddenCheckFailure(
                "\(step) threw an unexpected \(String(reflecting: type(of: error))) (its text is hidden in grader "
                    + "checks)",
                exercise: exercise)
        }
    }
}
