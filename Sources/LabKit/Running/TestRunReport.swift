/// One XCTest check as a `swift test` run reported it.
public struct CheckResult: Sendable, Equatable {
    /// How the check ended.
    public enum Status: String, Sendable, Equatable {
        /// Every assertion held.
        case passed
        /// An assertion failed or the check threw.
        case failed
        /// The check skipped itself (`XCTSkip`).
        case skipped
        /// The check started and the process ended before it finished (a crash).
        case unfinished
    }

    /// The check class, e.g. `Exercise1_3Checks`.
    public var className: String
    /// The method, e.g. `test1_printsHelloWithTheGivenName`.
    public var method: String
    /// How it ended.
    public var status: Status
    /// The failure messages, in the order they were recorded (the text after `Class.method : `).
    public var failures: [String]
    /// Where the first failure was recorded (`file:line` as printed), when known.
    public var location: String?

    /// Creates a result.
    public init(className: String, method: String, status: Status, failures: [String] = [], location: String? = nil) {
        self.className = className
        self.method = method
        self.status = status
        self.failures = failures
        self.location = location
    }

    /// `Class.method`.
    public var name: String { "\(className).\(method)" }

    /// The method name made readable: `test1_printsHelloWithTheGivenName` → `prints hello with the given name`.
    public var readableName: String {
        var base = Substring(method)
        if base.hasPrefix("test") { base = base.dropFirst(4) }
        base = base.drop { $0.isNumber }
        if base.hasPrefix("_") { base = base.dropFirst() }
        var words = ""
        for character in base {
            if character == "_" {
                words += " "
            } else if character.isUppercase, !words.isEmpty, words.last != " " {
                words += " " + character.lowercased()
            } else {
                words += words.isEmpty ? character.lowercased() : String(character)
            }
        }
        return words.isEmpty ? method : words
    }
}

/// A compiler diagnostic (error or warning) with the source excerpt the compiler printed under it.
public struct CompilerDiagnostic: Sendable, Equatable {
    /// The file as printed (absolute), before any rewriting.
    public var path: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// `error` or `warning`.
    public var severity: String
    /// The message on the diagnostic's first line.
    public var message: String
    /// The lines the compiler printed after it (source excerpt, notes), newlines intact.
    public var excerpt: [String]

    /// Creates a diagnostic.
    public init(path: String, line: Int, column: Int, severity: String, message: String, excerpt: [String] = []) {
        self.path = path
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
        self.excerpt = excerpt
    }

    /// Whether it is an error (not a warning).
    public var isError: Bool { severity == "error" }
}

/// What one `swift test` run said, read from its output: check results, compiler errors, a crash.
public struct TestRunReport: Sendable, Equatable {
    /// Every check that started, in the order it ran.
    public var checks: [CheckResult]
    /// Compiler errors and warnings with a file location, in order, without repeats.
    public var diagnostics: [CompilerDiagnostic]
    /// Build errors without a file location (`error: link command failed ...`).
    public var buildErrors: [String]
    /// The line that shows the test process crashed, if any.
    public var crash: String?

    /// Creates a report.
    public init(
        checks: [CheckResult] = [], diagnostics: [CompilerDiagnostic] = [], buildErrors: [String] = [],
        crash: String? = nil
    ) {
        self.checks = checks
        self.diagnostics = diagnostics
        self.buildErrors = buildErrors
        self.crash = crash
    }

    /// Checks that finished (passed or failed), i.e. really ran.
    public var ran: [CheckResult] { checks.filter { $0.status == .passed || $0.status == .failed } }
    /// Checks that passed.
    public var passed: [CheckResult] { checks.filter { $0.status == .passed } }
    /// Checks that failed or never finished, in run order.
    public var failed: [CheckResult] { checks.filter { $0.status == .failed || $0.status == .unfinished } }
    /// Compiler errors (not warnings).
    public var compileErrors: [CompilerDiagnostic] { diagnostics.filter(\.isError) }

    /// The results of one check class.
    public func checks(ofClass className: String) -> [CheckResult] {
        checks.filter { $0.className == className }
    }
}
