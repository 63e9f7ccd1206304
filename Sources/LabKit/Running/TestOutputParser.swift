/// Reads the output of `swift test --disable-swift-testing` (XCTest on Linux, SwiftPM's build lines).
///
/// It relies only on what the output states: `Test Case 'C.m' started|passed|failed|skipped` lines (Linux
/// XCTest prints no module names), failure lines `file:line: error: C.m : message` printed before a check's
/// result line, compiler diagnostics `path.swift:L:C: error: message` with their source excerpts, and
/// crash lines. A run is never judged by its last line: a filter that matched nothing exits 0 and prints a
/// green summary, and Swift Testing's summary says "passed" even after XCTest failures.
public enum TestOutputParser {
    /// Parses a whole output.
    public static func parse(_ output: String) -> TestRunReport {
        var report = TestRunReport()
        var current: CheckResult?
        var openFailure = false
        var diagnostic: CompilerDiagnostic?
        var seenDiagnostics = Set<String>()

        func finishDiagnostic() {
            guard var finished = diagnostic else { return }
            diagnostic = nil
            while let last = finished.excerpt.last, last.trimmingCharacters(in: .whitespaces).isEmpty {
                finished.excerpt.removeLast()
            }
            let key = "\(finished.path):\(finished.line):\(finished.column):\(finished.message)"
            if seenDiagnostics.insert(key).inserted { report.diagnostics.append(finished) }
        }

        for rawLine in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)

            if let match = line.wholeMatch(of: #/Test Case '([^'.]+)\.([^']+)' (started|passed|failed|skipped)\b.*/#) {
                finishDiagnostic()
                openFailure = false
                let className = String(match.1)
                let method = String(match.2)
                switch match.3 {
                case "started":
                    if let unfinished = current { report.checks.append(unfinished) }
                    current = CheckResult(className: className, method: method, status: .unfinished)
                default:
                    var result =
                        current?.className == className && current?.method == method
                        ? current ?? CheckResult(className: className, method: method, status: .unfinished)
                        : CheckResult(className: className, method: method, status: .unfinished)
                    result.status = CheckResult.Status(rawValue: String(match.3)) ?? .failed
                    report.checks.append(result)
                    current = nil
                }
                continue
            }
            if line.hasPrefix("Test Suite '") {
                finishDiagnostic()
                openFailure = false
                continue
            }
            if let match = line.wholeMatch(of: #/(.*?):(\d+): error: ([^ ]+)\.([^ .]+) : (.*)/#),
                current?.className == String(match.3), current?.method == String(match.4)
            {
                current?.failures.append(String(match.5))
                if current?.location == nil { current?.location = "\(match.1):\(match.2)" }
                openFailure = true
                continue
            }
            if let crash = crashLine(line) {
                finishDiagnostic()
                if report.crash == nil { report.crash = crash }
                openFailure = false
                continue
            }
            if current != nil {
                // A multi-line failure message continues until the next line XCTest itself prints.
                if openFailure, var failures = current?.failures, let last = failures.popLast() {
                    current?.failures = failures + [last + "\n" + line]
                }
                continue
            }
            if let match = line.wholeMatch(of: #/(.+\.swift):(\d+):(\d+): (error|warning): (.*)/#) {
                finishDiagnostic()
                diagnostic = CompilerDiagnostic(
                    path: String(match.1), line: Int(match.2) ?? 0, column: Int(match.3) ?? 0,
                    severity: String(match.4), message: String(match.5))
                continue
            }
            if diagnostic != nil {
                if isBuildProgress(line) || line.hasPrefix("error: ") || line.hasPrefix("warning: ") {
                    finishDiagnostic()
                } else {
                    diagnostic?.excerpt.append(line)
                    continue
                }
            }
            if line.hasPrefix("error: "), !isNoise(line) {
                report.buildErrors.append(String(line.dropFirst("error: ".count)))
            }
        }
        finishDiagnostic()
        if let unfinished = current { report.checks.append(unfinished) }
        return report
    }

    /// `[12/40] Compiling ...`, `Building for debugging...`, `Build complete!` and similar SwiftPM lines.
    static func isBuildProgress(_ line: String) -> Bool {
        line.hasPrefix("[") && line.contains("] ") || line.hasPrefix("Building for ")
            || line.hasPrefix("Build complete")
            || line.hasPrefix("Compiling ") || line.hasPrefix("Write ") || line.hasPrefix("Planning build")
            || line.hasPrefix("Fetching ") || line.hasPrefix("Computing version") || line.hasPrefix("Build of ")
    }

    /// SwiftPM's summary lines after a failed build or run repeat what the diagnostics said.
    private static func isNoise(_ line: String) -> Bool {
        line.hasPrefix("error: fatalError") || line.hasPrefix("error: emit-module command failed")
            || line.hasPrefix("error: compile command failed")
    }

    private static func crashLine(_ line: String) -> String? {
        let markers = [
            "Fatal error:", "Exited with unexpected signal code", "Exited with signal code", "Precondition failed",
            "Segmentation fault", "Illegal instruction", "Assertion failed:",
        ]
        return markers.contains { line.contains($0) } ? line : nil
    }
}
