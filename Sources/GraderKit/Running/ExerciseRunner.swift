import Foundation

/// The status of one check.
public enum CheckStatus: String, Sendable, Codable, CaseIterable {
    /// The check passed.
    case pass
    /// The check failed.
    case fail
    /// The check could not complete: the exercise did not compile, the process crashed, or (marked
    /// `infrastructure`) the grader failed.
    case error
    /// The check was running when the exercise's wall-time limit ran out.
    case timeout
    /// The check never reported a result.
    case notRun = "not_run"
}

/// The result of one check.
public struct CheckResult: Sendable, Equatable, Codable {
    /// `Class.method`.
    public var name: String
    /// The exercise it belongs to.
    public var exercise: String
    /// `true` for hidden (scored) checks.
    public var hidden: Bool
    /// The criterion its points count towards.
    public var criterion: String
    /// What happened.
    public var status: CheckStatus
    /// Points earned.
    public var points: Points
    /// Points available.
    public var maxPoints: Points
    /// What went wrong, safe to show a trainee (no hidden input or expected value), at most the rubric's
    /// message length.
    public var message: String?
    /// `true` when the grader, not the submission, failed: the check's points are not counted either way.
    public var infrastructure: Bool
    /// Seconds XCTest reported.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case name, exercise, hidden, criterion, status, points, message, infrastructure, seconds
        case maxPoints = "max_points"
    }
}

/// Runs one exercise's visible and hidden checks in their own process(es), within the rubric's limits.
struct ExerciseRunner: Sendable {
    var workspace: Workspace
    var sandbox: Sandbox
    var limits: Rubric.Limits
    var hide: [URL]
    var logDirectory: URL

    /// Runs `allocation`'s checks: one process for all; when it crashes or hangs, the checks that never started
    /// run again in a new process, within what is left of the exercise's wall time (at most three processes).
    func run(_ allocation: ItemAllocation) -> [CheckResult] {
        let id = allocation.item.id
        let all = allocation.checks
        var remaining = all
        var results: [CheckID: CheckResult] = [:]
        var budget = Double(limits.exerciseWallSeconds)
        var attempt = 0
        while !remaining.isEmpty && attempt < 3 && (attempt == 0 || budget > 1) {
            attempt += 1
            let filter: String
            if attempt == 1 {
                filter = "\(id)Tests.\(id)Checks,\(id)HiddenTests.\(id)HiddenChecks"
            } else {
                filter = remaining.map { "\(module(of: $0, exercise: id)).\($0.check.className)/\($0.check.method)" }
                    .joined(separator: ",")
            }
            let environment = [
                "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8",
                "NO_COLOR": "1",
            ]
            let command = sandbox.wrap(
                [workspace.testBundle.path, filter], limits: limits, hide: hide, readOnly: [workspace.scratchPath],
                environment: environment)
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
                "grade-run-\(UUID().uuidString)")
            try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let outcome: ProcessOutcome
            do {
                outcome = try ProcessRunner.run(
                    command, directory: scratch, environment: environment, wallSeconds: budget,
                    outputBytes: limits.exerciseOutputBytes,
                    logFile: logDirectory.appendingPathComponent("\(id)-run\(attempt).log"))
            } catch {
                for check in remaining {
                    results[check.check] = result(
                        check, id, .error, "the grader could not run the checks: \(error)", infrastructure: true)
                }
                remaining = []
                break
            }
            budget -= outcome.seconds
            let log = XCTestLog(parsing: outcome.output)
            for check in remaining {
                if let recorded = log.results[check.check] {
                    let message = recorded.passed ? nil : trimmed(recorded.messages, hidden: check.hidden)
                    results[check.check] = result(
                        check, id, recorded.passed ? .pass : .fail, message, seconds: recorded.seconds)
                }
            }
            if let unfinished = log.unfinished, let check = remaining.first(where: { $0.check == unfinished }) {
                let (status, message): (CheckStatus, String) =
                    switch outcome.ending {
                    case .timedOut:
                        (
                            .timeout,
                            "the exercise ran out of its \(limits.exerciseWallSeconds) s (a hang or an endless loop?)"
                        )
                    case .outputLimit: (.error, "the check printed more than \(limits.exerciseOutputBytes) bytes")
                    case .signalled(let signal):
                        (
                            .error,
                            "the check crashed the test process (signal \(signal): a force unwrap, `try!`, `fatalError` or an out-of-range index?)"
                        )
                    // bubblewrap and shells report a child killed by signal N as exit status 128 + N.
                    case .exited(let code) where code > 128 && code < 160:
                        (
                            .error,
                            "the check crashed the test process (signal \(code - 128): a force unwrap, `try!`, `fatalError` or an out-of-range index?)"
                        )
                    case .exited(let code): (.error, "the test process exited (\(code)) in the middle of this check")
                    }
                results[check.check] = result(check, id, status, message)
            }
            let stillMissing = remaining.filter { results[$0.check] == nil }
            if stillMissing.count == remaining.count && log.started.isEmpty {
                // Nothing ran at all: no point starting again.
                remaining = stillMissing
                break
            }
            remaining = stillMissing
        }
        for check in remaining where results[check.check] == nil {
            results[check.check] = result(
                check, id, .notRun, "the check never reported a result (the test process stopped before it)")
        }
        return all.compactMap { results[$0.check] }
    }

    private func module(of check: CheckAllocation, exercise: String) -> String {
        check.hidden ? "\(exercise)HiddenTests" : "\(exercise)Tests"
    }

    private func result(
        _ check: CheckAllocation, _ exercise: String, _ status: CheckStatus, _ message: String?,
        infrastructure: Bool = false, seconds: Double = 0
    ) -> CheckResult {
        CheckResult(
            name: check.check.description, exercise: exercise, hidden: check.hidden, criterion: check.criterion,
            status: status, points: status == .pass ? check.points : .zero, maxPoints: check.points,
            message: message.map { Self.cap($0, limits.messageCharacters) }, infrastructure: infrastructure,
            seconds: seconds)
    }

    /// The failure messages of a check, without XCTest's assertion prefix.
    private func trimmed(_ messages: [String], hidden: Bool) -> String {
        let cleaned = messages.map { message -> String in
            var text = message
            for prefix in ["XCTAssertTrue failed - ", "XCTAssertFalse failed - ", "XCTFail failed - ", "failed - "]
            where text.hasPrefix(prefix) {
                text = String(text.dropFirst(prefix.count))
            }
            return text
        }
        if cleaned.isEmpty { return "the check failed" }
        var unique: [String] = []
        for message in cleaned where !unique.contains(message) { unique.append(message) }
        return unique.joined(separator: "\n")
    }

    /// At most `limit` characters, with a notice when cut.
    static func cap(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + " … (message cut at \(limit) characters)"
    }
}
