/// What Linux XCTest printed for each check: `Test Case 'Class.method' started|passed|failed`, and the failure
/// lines before the end line (`<file>:<line>: error: Class.method : <message>`).
public struct XCTestLog: Sendable, Equatable {
    /// The recorded end of one check.
    public struct Result: Sendable, Equatable {
        /// `true` when XCTest printed `passed`.
        public var passed: Bool
        /// The failure messages, in order.
        public var messages: [String]
        /// Seconds XCTest reported.
        public var seconds: Double
    }

    /// Checks that ended, by check.
    public var results: [CheckID: Result] = [:]
    /// Checks that started, in order.
    public var started: [CheckID] = []

    /// The check that started last and has no result (the one running when a process died), if any.
    public var unfinished: CheckID? {
        started.last { results[$0] == nil }
    }

    /// Parses XCTest's output.
    ///
    /// - Parameter output: the interleaved standard output and error of the test process.
    public init(parsing output: String) {
        var pending: [CheckID: [String]] = [:]
        for rawLine in output.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(rawLine)
            if line.hasPrefix("Test Case '"), let check = Self.check(in: line.dropFirst("Test Case '".count)) {
                let after = line.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                let tail = after.count == 3 ? after[2].trimmingCharacters(in: .whitespaces) : ""
                if tail.hasPrefix("started") {
                    started.append(check)
                } else if tail.hasPrefix("passed") || tail.hasPrefix("failed") {
                    let seconds = Double(tail.split(separator: "(").last?.split(separator: " ").first ?? "") ?? 0
                    results[check] = Result(
                        passed: tail.hasPrefix("passed"), messages: pending[check] ?? [], seconds: seconds)
                }
                continue
            }
            // `<file>:<line>: error: Class.method : message`
            guard let errorRange = line.range(of: ": error: ") else { continue }
            let rest = line[errorRange.upperBound...]
            guard let separator = rest.range(of: " : "), let check = Self.check(in: rest[..<separator.lowerBound] + "'")
            else { continue }
            pending[check, default: []].append(String(rest[separator.upperBound...]))
        }
    }

    /// `Class.method` up to a closing quote.
    private static func check(in text: Substring) -> CheckID? {
        guard let quote = text.firstIndex(of: "'") else { return nil }
        let name = text[..<quote]
        guard let dot = name.firstIndex(of: ".") else { return nil }
        let className = String(name[..<dot])
        let method = String(name[name.index(after: dot)...])
        guard !className.isEmpty, !method.isEmpty, !method.contains(" ") else { return nil }
        return CheckID(className: className, method: method)
    }
}
