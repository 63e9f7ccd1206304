import Foundation

/// The verdicts of the resilience and performance scenarios (5xx burst, quota reset, outage, kill and resume,
/// conditional requests, bounded parallelism). Pure, like the others: they read the journal, the state and the
/// violations the driver collected.
extension CapstoneJudge {
    /// Exit 0 and every repository in line although the mock answered a burst of 5xx; no request was sent more
    /// than `1 + max_retries` times in a row, and every request that got a 5xx was answered properly later.
    static func serverErrorBurst(_ evidence: CapstoneEvidence) -> CapstoneVerdict {
        let what = "5xx burst"
        let run = evidence.run("burst")
        if let problem = exitProblem(run, expected: 0, what: what) { return .fail(problem) }
        guard let run else { return .fail("\(what): moko-project did not run") }
        let lines = evidence.journal(of: run)
        let errors = lines.filter { $0.status >= 500 }
        if errors.isEmpty {
            return .fail("\(what): the mock served no 5xx: the run sent none of the requests the burst targets")
        }
        let limit = 1 + CapstonePolicy.maxRetries
        var failing: [String: (streak: Int, first: Int)] = [:]
        for line in lines {
            let key = line.method + " " + line.target
            let streak = failing[key]?.streak ?? 0
            if streak + 1 > limit {
                return .fail(
                    "\(what): \(line.method) \(line.path) sent \(streak + 1) times in a row after 5xx answers; "
                        + "retry at most \(CapstonePolicy.maxRetries) times (resilience.max_retries), with backoff")
            }
            failing[key] = line.status >= 500 ? (streak + 1, failing[key]?.first ?? line.seq) : nil
        }
        if let (key, _) = failing.sorted(by: { $0.value.first < $1.value.first }).first {
            return .fail("\(what): \(key) got a 5xx and was never retried successfully; retry transient errors")
        }
        if let problem = complianceProblem(evidence.state, what: what) { return .fail(problem) }
        return .pass
    }

    /// Exit 0 and every repository in line with a quota smaller than the run needs: the run crossed the reset,
    /// and no request was sent while the quota was exhausted (the journal's own check and the mock's
    /// `request-while-exhausted` / `retry-before-retry-after` violations).
    static func quotaReset(_ evidence: CapstoneEvidence) -> CapstoneVerdict {
        let what = "quota reset"
        let run = evidence.run("quota")
        if let problem = exitProblem(run, expected: 0, what: what) { return .fail(problem) }
        guard let run else { return .fail("\(what): moko-project did not run") }
        guard let reset = evidence.quotaReset else { return .fail("\(what): the quota could not be set up") }
        let lines = evidence.journal(of: run)
        var exhaustedUntil: (milliseconds: Int, seq: Int)?
        for line in lines {
            if let until = exhaustedUntil, let vt = line.vt, vt < until.milliseconds {
                return .fail(
                    "\(what): request \(line.seq) (\(line.method) \(line.path)) sent \(seconds(until.milliseconds - vt)) "
                        + "before x-ratelimit-reset while x-ratelimit-remaining was 0 (answer \(until.seq)); "
                        + "wait until the reset")
            }
            if line.responseHeaders?["x-ratelimit-remaining"] == "0",
                let value = line.responseHeaders?["x-ratelimit-reset"].flatMap(Int.init)
            {
                exhaustedUntil = (value * 1_000, line.seq)
            }
        }
        guard let violations = evidence.violations else {
            return .fail("\(what): the mock's violations could not be read")
        }
        let rules: Set<String> = ["request-while-exhausted", "retry-before-retry-after"]
        if let first = violations.first(where: { rules.contains($0.rule) }) {
            return .fail("\(what): the mock recorded \(first.rule): \(first.message)")
        }
        if !lines.contains(where: { ($0.vt ?? 0) >= reset * 1_000 }) {
            return .fail(
                "\(what): no request after the quota's reset although \(CapstonePolicy.quotaRemaining) requests "
                    + "cannot bring the organisation in line")
        }
        if let problem = complianceProblem(evidence.state, what: what) { return .fail(problem) }
        return .pass
    }

    /// At most this many requests may reach the failing endpoints in the outage scenario: the breaker's
    /// threshold (it opens after that many failures) plus the other repositories' requests already in flight
    /// (`--concurrency` − 1) plus one trial call. Without a breaker the run sends at least
    /// repositories × (1 + max_retries) = 30.
    public static var outageRequestBound: Int {
        CapstonePolicy.breakerThreshold + CapstonePolicy.outageConcurrency - 1 + 1
    }

    /// Every repository endpoint answers 503: the run ends with a non-zero exit, the circuit breaker kept the
    /// requests to the failing endpoints within ``outageRequestBound``, and nothing was changed.
    static func outageBreaker(_ evidence: CapstoneEvidence) -> CapstoneVerdict {
        let what = "persistent outage"
        guard let run = evidence.run("outage") else { return .fail("\(what): moko-project did not run") }
        guard let code = run.exitCode else { return .fail("\(what): moko-project did not finish") }
        if code == 0 {
            return .fail(
                "\(what): moko-project exited 0 although every repository request failed; expected 75 (breaker open) or 1"
            )
        }
        let lines = evidence.journal(of: run)
        let failed = lines.filter { $0.fault != nil }
        if failed.isEmpty { return .fail("\(what): the run sent no request to the repositories") }
        if failed.count > outageRequestBound {
            return .fail(
                "\(what): \(failed.count) requests to failing endpoints; a circuit breaker with threshold "
                    + "\(CapstonePolicy.breakerThreshold) stops after at most \(outageRequestBound)")
        }
        if let changed = lines.first(where: { $0.isMutation && (200..<300).contains($0.status) }) {
            return .fail("\(what): \(changed.method) \(changed.path) succeeded: a repository was left half-changed")
        }
        return .pass
    }

    /// The first run was killed (SIGKILL) after some changes; the second, with the same state directory, exits 0
    /// with every repository in line, and repeats no mutating request the first one completed.
    static func killResume(_ evidence: CapstoneEvidence) -> CapstoneVerdict {
        let what = "kill and resume"
        guard let first = evidence.run("first") else { return .fail("\(what): moko-project did not run") }
        if !first.killed {
            return .fail(
                "\(what): the first run ended (exit \(first.exitCode.map(String.init) ?? "none")) before "
                    + "\(CapstonePolicy.killAfterMutations) changes were seen, so it could not be killed mid-run")
        }
        let resume = evidence.run("resume")
        if let problem = exitProblem(resume, expected: 0, what: "\(what) (the run after the kill)") {
            return .fail(problem)
        }
        guard let resume else { return .fail("\(what): the second run did not run") }
        let done = Set(
            evidence.journal(of: first).filter { $0.isMutation && (200..<300).contains($0.status) }.map {
                $0.method + " " + $0.path
            })
        if done.isEmpty { return .fail("\(what): the first run changed nothing before it was killed") }
        let repeated = evidence.journal(of: resume).filter { $0.isMutation && done.contains($0.method + " " + $0.path) }
        if let again = repeated.first {
            return .fail(
                "\(what): \(repeated.count) change(s) the killed run had completed were sent again; first: "
                    + "\(again.method) \(again.path) — record progress (checkpoint) and resume from it")
        }
        if let problem = complianceProblem(evidence.state, what: what) { return .fail(problem) }
        return .pass
    }

    /// Two runs exit 0; every GET of the second run that repeats a request the mock answered with an ETag
    /// carries `If-None-Match`, some are answered 304, and the mock recorded no `missing-conditional`.
    static func conditionalRequests(_ evidence: CapstoneEvidence) -> CapstoneVerdict {
        let what = "conditional requests"
        let first = evidence.run("first")
        if let problem = exitProblem(first, expected: 0, what: "\(what) (first run)") { return .fail(problem) }
        let second = evidence.run("second")
        if let problem = exitProblem(second, expected: 0, what: "\(what) (second run)") { return .fail(problem) }
        guard let second else { return .fail("\(what): the second run did not run") }
        var served = Set<String>()
        var unconditional: [CapstoneEvidence.JournalLine] = []
        var notModified = 0
        for line in evidence.journal where line.seq <= second.journalAfter && line.method == "GET" {
            if line.seq > second.journalBefore {
                if line.headers?["if-none-match"] == nil, served.contains(line.target) { unconditional.append(line) }
                if line.status == 304 { notModified += 1 }
            }
            if line.status == 200, line.responseHeaders?["etag"] != nil { served.insert(line.target) }
        }
        if let again = unconditional.first {
            return .fail(
                "\(what): the second run fetched \(unconditional.count) resource(s) again without If-None-Match "
                    + "although an ETag was served; first: \(again.target)")
        }
        if notModified == 0 {
            return .fail("\(what): the second run got no 304 Not Modified (keep ETags from one run to the next)")
        }
        guard let violations = evidence.violations else {
            return .fail("\(what): the mock's violations could not be read")
        }
        if let first = violations.first(where: { $0.rule == "missing-conditional" }) {
            return .fail("\(what): the mock recorded missing-conditional: \(first.message)")
        }
        return .pass
    }

    /// A `--dry-run --concurrency 3` over more than a page of repositories exits 0, reads every active
    /// repository, and the mock saw more than one and never more than three of its requests in flight.
    static func boundedParallelism(_ evidence: CapstoneEvidence) -> CapstoneVerdict {
        let what = "bounded parallelism"
        let run = evidence.run("parallel")
        if let problem = exitProblem(run, expected: 0, what: what) { return .fail(problem) }
        guard let run else { return .fail("\(what): moko-project did not run") }
        guard let state = evidence.state else { return .fail("\(what): the mock's state could not be read") }
        let lines = evidence.journal(of: run)
        let read = Set(lines.filter { $0.method == "GET" }.map(\.path))
        let repos = activeRepositories(state)
        let unread = repos.filter { !read.contains("/repos/\(CapstonePolicy.organisation)/\($0.name)") }
        if !unread.isEmpty {
            return .fail(
                "\(what): \(unread.count) of \(repos.count) repositories were never read (GET /repos/<org>/<name>); "
                    + "follow the Link header's rel=\"next\" to every page")
        }
        let most = lines.map(\.inFlight).max() ?? 0
        let limit = CapstonePolicy.parallelConcurrency
        if most > limit {
            return .fail("\(what): \(most) requests in flight at once with --concurrency \(limit)")
        }
        if most <= 1 {
            return .fail(
                "\(what): never more than one request in flight: repositories were not processed in parallel")
        }
        return .pass
    }

    /// `1.5 s` for a number of milliseconds.
    static func seconds(_ milliseconds: Int) -> String {
        let value = Double(milliseconds) / 1_000
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
