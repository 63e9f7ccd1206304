/// Why ``SecurityValidator/validatePath(_:allowedRoot:)`` refused a path.
public struct PathValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Reason: Sendable, Hashable {
        /// The path is empty.
        case empty
        /// The path holds a NUL byte (raw or `%00`).
        case nulByte
        /// The path holds a control character.
        case controlCharacter
        /// A `%` escape is malformed, or decodes to invalid UTF-8 (overlong `%c0%af`).
        case invalidEncoding
        /// After decoding once, the path still holds `%XX` escapes (double encoding).
        case doubleEncoding
        /// The path uses a look-alike of `/`, `\` or `.` (U+FF0F, U+2215, U+FF0E, …).
        case lookalikeCharacter(String)
        /// The path uses a backslash, a drive letter or a UNC prefix.
        case windowsSyntax
        /// A component is `..` or only dots (`....`).
        case traversalComponent(String)
        /// The path resolves (symlinks included) outside the allowed root.
        case outsideRoot(resolved: String)
        /// The allowed root does not exist or cannot be resolved.
        case rootUnavailable(String)
    }

    /// The path as given (control characters escaped).
    public var path: String
    /// What is wrong.
    public var reason: Reason

    /// Creates an error.
    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// What is wrong and what to do.
    public var description: String {
        let shown = path.unicodeScalars.map {
            $0.properties.generalCategory == .control ? "\\u{\(String($0.value, radix: 16))}" : String($0)
        }.joined()
        let explanation: String
        switch reason {
        case .empty: explanation = "the path is empty"
        case .nulByte: explanation = "contains a NUL byte"
        case .controlCharacter: explanation = "contains a control character"
        case .invalidEncoding: explanation = "has a malformed %-escape or invalid UTF-8"
        case .doubleEncoding: explanation = "is percent-encoded more than once"
        case .lookalikeCharacter(let character): explanation = "uses the look-alike character '\(character)'"
        case .windowsSyntax: explanation = "uses a backslash, drive letter or UNC prefix"
        case .traversalComponent(let component): explanation = "has the traversal component '\(component)'"
        case .outsideRoot(let resolved): explanation = "resolves to \(resolved), outside the allowed root"
        case .rootUnavailable(let root): explanation = "the allowed root \(root) cannot be resolved"
        }
        return "path '\(shown)' refused: \(explanation); use a relative path of plain names inside the root"
    }
}
