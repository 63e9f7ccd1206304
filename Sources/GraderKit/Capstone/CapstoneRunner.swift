import Foundation

/// Drives the capstone's scenarios: per scenario a fresh `mock-github` (seeded, port 0) and the submission's
/// `moko-project`, both inside one confined process (the sandbox's network namespace has only loopback, so the
/// mock must live in it), then reads what the mock and the runs left behind and judges it.
///
/// A bash driver script starts the mock, waits for its URL and token, runs `moko-project` as each step asks
/// (its own cleared environment with `GITHUB_TOKEN` and `GITHUB_API_URL`), notes the journal's length around
/// every run, and finally reads the mock's state and violations through its admin API (bash `/dev/tcp`).
struct CapstoneRunner: Sendable {
    var workspace: Workspace
    var sandbox: Sandbox
    var limits: Rubric.Limits
    var hide: [URL]
    var logDirectory: URL
    /// Wall time of one scenario.
    var wallSeconds: Double = 120

    var mockExecutable: URL { workspace.scratchPath.appendingPathComponent("debug/mock-github") }
    var projectExecutable: URL { workspace.scratchPath.appendingPathComponent("debug/moko-project") }

    /// One `moko-project` run of a scenario.
    struct Step: Sendable {
        var name: String
        var arguments: [String]
        var environment: [String: String] = [:]
        /// A configuration file's text, written as `<work>/<name>.yaml` and passed as `--config`.
        var config: String?
        /// What the driver does before starting the run.
        var prelude: Prelude?
        /// Kill the run (SIGKILL) once the journal shows this many successful mutating requests of it.
        var killAfterMutations: Int?
    }

    /// Something the driver does before a run.
    enum Prelude: Sendable, Equatable {
        /// Waits (so the mock's one-second spacing of mutations holds across two processes).
        case pause(Double)
        /// Leaves `CapstonePolicy.quotaRemaining` requests of the token's quota, resetting
        /// `CapstonePolicy.quotaResetSeconds` after the current second (the mock's clock follows wall time, the
        /// clock `moko-project` compares `X-RateLimit-Reset` with), and notes the reset in `quota-reset`.
        case quota
    }

    static func steps(_ scenario: CapstoneScenario) -> [Step] {
        let org = CapstonePolicy.organisation
        switch scenario {
        case .normalRun:
            return [Step(name: "main", arguments: ["--org", org, "--json"], config: CapstonePolicy.configYAML)]
        case .dryRun:
            return [
                Step(
                    name: "dry-run", arguments: ["--org", org, "--dry-run", "--json"], config: CapstonePolicy.configYAML
                )
            ]
        case .maliciousInput:
            return MaliciousCase.all.map {
                Step(
                    name: $0.name, arguments: ["--org", $0.org], environment: $0.environment,
                    config: $0.config ?? CapstonePolicy.configYAML)
            } + [
                Step(name: "control", arguments: ["--org", org, "--dry-run"], config: CapstonePolicy.configYAML)
            ]
        case .tokenNeverLeaked:
            return [
                Step(
                    name: "verbose", arguments: ["--org", org, "--verbose", "--log-file", "@STATE@/run.log"],
                    config: CapstonePolicy.configYAML)
            ]
        case .serverErrorBurst:
            return [
                Step(
                    name: "burst", arguments: ["--org", org, "--json", "--concurrency", "1"],
                    config: CapstonePolicy.configYAML)
            ]
        case .quotaReset:
            // One repository at a time: requests already in flight when the quota runs out would be a race,
            // not a fault of the program.
            return [
                Step(
                    name: "quota", arguments: ["--org", org, "--json", "--concurrency", "1"],
                    config: CapstonePolicy.configYAML, prelude: .quota)
            ]
        case .outageBreaker:
            return [
                Step(
                    name: "outage",
                    arguments: ["--org", org, "--json", "--concurrency", String(CapstonePolicy.outageConcurrency)],
                    config: CapstonePolicy.configYAML)
            ]
        case .killResume:
            return [
                Step(
                    name: "first", arguments: ["--org", org, "--json"], config: CapstonePolicy.configYAML,
                    killAfterMutations: CapstonePolicy.killAfterMutations),
                Step(
                    name: "resume", arguments: ["--org", org, "--json"], config: CapstonePolicy.configYAML,
                    prelude: .pause(1.2)),
            ]
        case .conditionalRequests:
            return [
                Step(name: "first", arguments: ["--org", org, "--json"], config: CapstonePolicy.configYAML),
                Step(name: "second", arguments: ["--org", org, "--json"], config: CapstonePolicy.configYAML),
            ]
        case .boundedParallelism:
            return [
                Step(
                    name: "parallel",
                    arguments: [
                        "--org", org, "--dry-run", "--json", "--concurrency",
                        String(CapstonePolicy.parallelConcurrency),
                    ],
                    config: CapstonePolicy.configYAML)
            ]
        }
    }

    /// Single-quotes `text` for bash.
    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The driver script of `scenario` working in `work`.
    func script(_ scenario: CapstoneScenario, work: URL, adminToken: String) -> String {
        let w = work.path
        var lines = [
            "set -u",
            "W=\(Self.quote(w))",
            "ADMIN=\(Self.quote(adminToken))",
            ": > \"$W/journal.ndjson\"",
        ]
        var faultArgument = ""
        if let plan = CapstonePolicy.faultPlan(scenario) {
            lines.append("printf '%s' \(Self.quote(plan)) > \"$W/faults.json\"")
            faultArgument = " --fault-plan \"$W/faults.json\""
        }
        lines += [
            "\(Self.quote(mockExecutable.path)) --port 0 --repos \(CapstonePolicy.repositories(scenario)) "
                + "--seed \(CapstonePolicy.seed)\(faultArgument) "
                + "--admin-token \"$ADMIN\" --journal \"$W/journal.ndjson\" > \"$W/mock.out\" 2> \"$W/mock.err\" &",
            "MOCK=$!",
            "for i in $(seq 1 300); do grep -q '^admin token:' \"$W/mock.out\" 2>/dev/null && break; sleep 0.1; done",
            "URL=$(sed -n 's/^mock-github listening on //p' \"$W/mock.out\")",
            "TOKEN=$(sed -n 's/^token: //p' \"$W/mock.out\")",
            "if [ -z \"$URL\" ] || [ -z \"$TOKEN\" ]; then echo 'mock-github did not start' > \"$W/infrastructure\"; kill $MOCK 2>/dev/null; exit 0; fi",
            "printf '%s' \"$TOKEN\" > \"$W/token\"",
            "PORT=${URL##*:}",
            "mkdir -p \"$W/home\" \"$W/state\"",
            "journal_lines() { wc -l < \"$W/journal.ndjson\" | tr -d ' '; }",
            // admin METHOD PATH BODY OUT: one admin API call through bash's /dev/tcp (no curl in the sandbox).
            "admin() {",
            "  exec 3<>\"/dev/tcp/127.0.0.1/$PORT\" || return 1",
            "  printf '%s %s HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nAuthorization: Bearer %s\\r\\nContent-Type: application/json\\r\\n"
                + "Content-Length: %s\\r\\nConnection: close\\r\\n\\r\\n%s' \"$1\" \"$2\" \"$ADMIN\" \"${#3}\" \"$3\" >&3",
            "  cat <&3 > \"$4\"",
            "  exec 3<&-",
            "}",
            "fetch() { admin GET \"$1\" '' \"$2\"; }",
            // mutations_since N: successful mutating requests after journal line N.
            "mutations_since() { tail -n +$(($1 + 1)) \"$W/journal.ndjson\" | grep -E '\"method\":\"(POST|PUT|PATCH|DELETE)\"' "
                + "| grep -c '\"status\":2[0-9][0-9]'; }",
        ]
        for step in Self.steps(scenario) {
            var environment = [
                "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "\(w)/home", "LANG": "C.UTF-8", "NO_COLOR": "1",
            ]
            for (key, value) in step.environment { environment[key] = value }
            var arguments = step.arguments.map { $0.replacingOccurrences(of: "@STATE@", with: "\(w)/state") }
            arguments += ["--state-dir", "\(w)/state"]
            if let config = step.config {
                let file = "\(w)/\(step.name).yaml"
                lines.append("printf '%s' \(Self.quote(config)) > \(Self.quote(file))")
                arguments += ["--config", file]
            }
            // GITHUB_TOKEN and GITHUB_API_URL come first so a step's own environment overrides them.
            var envLine = "env -i GITHUB_TOKEN=\"$TOKEN\" GITHUB_API_URL=\"$URL\""
            for (key, value) in environment.sorted(by: { $0.key < $1.key }) {
                envLine += " " + Self.quote("\(key)=\(value)")
            }
            let name = step.name
            switch step.prelude {
            case .pause(let seconds):
                lines.append("sleep \(seconds)")
            case .quota:
                lines += [
                    "RESET=$(( $(date +%s) + \(CapstonePolicy.quotaResetSeconds) ))",
                    "admin PUT /__mock/ratelimit \"{\\\"subject\\\":{\\\"token\\\":\\\"$TOKEN\\\"},\\\"limit\\\":5000,"
                        + "\\\"remaining\\\":\(CapstonePolicy.quotaRemaining),\\\"reset\\\":$RESET}\" \"$W/quota.http\"",
                    "grep -q '^HTTP/1.1 200' \"$W/quota.http\" && echo $RESET > \"$W/quota-reset\"",
                ]
            case nil:
                break
            }
            let command =
                "(cd \"$W/home\" && exec \(envLine) \(Self.quote(projectExecutable.path)) "
                + arguments.map(Self.quote).joined(separator: " ")
                + " > \"$W/\(name).stdout\" 2> \"$W/\(name).stderr\" < /dev/null)"
            lines.append("journal_lines > \"$W/\(name).before\"")
            if let count = step.killAfterMutations {
                lines += [
                    "\(command) &",
                    "RUN=$!",
                    "B=$(cat \"$W/\(name).before\")",
                    "while kill -0 $RUN 2>/dev/null; do",
                    "  if [ \"$(mutations_since $B)\" -ge \(count) ]; then",
                    "    sleep 0.5",
                    "    kill -9 $RUN 2>/dev/null && echo killed > \"$W/\(name).killed\"",
                    "    break",
                    "  fi",
                    "  sleep 0.05",
                    "done",
                    "wait $RUN",
                ]
            } else {
                lines.append(command)
            }
            lines += [
                "echo $? > \"$W/\(name).exit\"",
                "sleep 0.2",
                "journal_lines > \"$W/\(name).after\"",
            ]
        }
        lines += [
            "fetch /__mock/state \"$W/state.http\"",
            "fetch /__mock/violations \"$W/violations.http\"",
            "kill $MOCK 2>/dev/null",
            "wait $MOCK 2>/dev/null",
            "echo done > \"$W/finished\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Runs `scenario` and returns its check result for `allocation` (the scenario's rubric item).
    func run(_ scenario: CapstoneScenario, allocation: ItemAllocation) -> CheckResult {
        let id = allocation.item.id
        func result(
            _ status: CheckStatus, _ message: String?, infrastructure: Bool = false, seconds: Double = 0
        )
            -> CheckResult
        {
            let points = Points(allocation.item.points)
            return CheckResult(
                name: id, exercise: id, hidden: true, criterion: allocation.item.criterion, status: status,
                points: status == .pass ? points : .zero, maxPoints: points,
                message: message.map { ExerciseRunner.cap($0, limits.messageCharacters) },
                infrastructure: infrastructure, seconds: seconds)
        }
        guard FileManager.default.isExecutableFile(atPath: mockExecutable.path) else {
            return result(.error, "the grader could not find mock-github in its build", infrastructure: true)
        }
        guard FileManager.default.isExecutableFile(atPath: projectExecutable.path) else {
            return result(.error, "moko-project was not built")
        }
        guard let bash = ["/bin/bash", "/usr/bin/bash"].first(where: FileManager.default.isExecutableFile(atPath:))
        else {
            return result(.error, "the grader needs bash to drive the capstone", infrastructure: true)
        }
        let work = URL(fileURLWithPath: "/tmp/grade-capstone-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        } catch {
            return result(.error, "the grader could not create its work folder: \(error)", infrastructure: true)
        }
        let adminToken = "grader-" + UUID().uuidString
        let scriptText = script(scenario, work: work, adminToken: adminToken)
        let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8"]
        let command = sandbox.wrap(
            [bash, "-c", scriptText], limits: limits, hide: hide, readOnly: [workspace.scratchPath],
            environment: environment, writable: [work])
        let outcome: ProcessOutcome
        do {
            outcome = try ProcessRunner.run(
                command, directory: work, environment: environment, wallSeconds: wallSeconds,
                outputBytes: limits.exerciseOutputBytes,
                logFile: logDirectory.appendingPathComponent("Project-\(scenario.rawValue).log"))
        } catch {
            return result(.error, "the grader could not run the scenario: \(error)", infrastructure: true)
        }
        let collected = Self.collect(work: work, scenario: scenario)
        keepLogs(work: work, scenario: scenario)
        if let problem = collected.infrastructure {
            return result(.error, problem, infrastructure: true, seconds: outcome.seconds)
        }
        if outcome.ending == .timedOut {
            return result(
                .timeout, "the scenario ran out of its \(Int(wallSeconds)) s (moko-project hung or was too slow?)",
                seconds: outcome.seconds)
        }
        if !collected.finished {
            if outcome.ending == .outputLimit {
                return result(
                    .error, "the scenario printed more than \(limits.exerciseOutputBytes) bytes",
                    seconds: outcome.seconds)
            }
            return result(
                .error, "the scenario stopped before it finished (moko-project exhausted a resource limit?)",
                seconds: outcome.seconds)
        }
        let verdict = CapstoneJudge.judge(scenario, collected.evidence)
        return result(verdict.passed ? .pass : .fail, verdict.message, seconds: outcome.seconds)
    }

    /// Copies the scenario's outputs (not the state directory: it may be large) to the instructor's logs.
    private func keepLogs(work: URL, scenario: CapstoneScenario) {
        let target = logDirectory.appendingPathComponent("Project-\(scenario.rawValue)")
        try? FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? []
        where !["state", "home"].contains(name) {
            let source = work.appendingPathComponent(name)
            if let data = try? Data(contentsOf: source), data.count < 4_000_000 {
                try? data.write(to: target.appendingPathComponent(name))
            }
        }
    }

    struct Collected {
        var evidence: CapstoneEvidence
        var finished: Bool
        var infrastructure: String?
    }

    static func collect(work: URL, scenario: CapstoneScenario) -> Collected {
        func text(_ name: String) -> String? {
            (try? Data(contentsOf: work.appendingPathComponent(name))).map { String(decoding: $0, as: UTF8.self) }
        }
        func number(_ name: String) -> Int? {
            text(name).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let infrastructure = text("infrastructure").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var runs: [CapstoneEvidence.Run] = []
        for step in steps(scenario) {
            guard let before = number("\(step.name).before") else { break }
            runs.append(
                CapstoneEvidence.Run(
                    name: step.name, exitCode: number("\(step.name).exit").map { Int32(clamping: $0) },
                    journalBefore: before, journalAfter: number("\(step.name).after") ?? Int.max,
                    stdout: text("\(step.name).stdout") ?? "", stderr: text("\(step.name).stderr") ?? "",
                    killed: text("\(step.name).killed") != nil))
        }
        let journal = parseJournal(text("journal.ndjson") ?? "")
        let state = (try? Data(contentsOf: work.appendingPathComponent("state.http"))).flatMap(httpBody).flatMap {
            try? JSONDecoder().decode(CapstoneEvidence.State.self, from: $0)
        }
        let violations = (try? Data(contentsOf: work.appendingPathComponent("violations.http"))).flatMap(httpBody)
            .flatMap { try? JSONDecoder().decode([CapstoneEvidence.Violation].self, from: $0) }
        var files: [String: Data] = [:]
        let stateDirectory = work.appendingPathComponent("state")
        for file in FileTree.files(under: stateDirectory) {
            if let data = try? Data(contentsOf: stateDirectory.appendingPathComponent(file)) { files[file] = data }
        }
        let evidence = CapstoneEvidence(
            runs: runs, journal: journal, state: state, violations: violations, stateFiles: files,
            token: text("token") ?? "", quotaReset: number("quota-reset"))
        return Collected(
            evidence: evidence, finished: text("finished") != nil, infrastructure: infrastructure)
    }

    /// The journal lines (NDJSON); a line that does not parse is skipped.
    static func parseJournal(_ text: String) -> [CapstoneEvidence.JournalLine] {
        text.split(separator: "\n").compactMap {
            try? JSONDecoder().decode(CapstoneEvidence.JournalLine.self, from: Data($0.utf8))
        }
    }

    /// The body of a raw HTTP/1.1 response (plain or chunked).
    static func httpBody(_ response: Data) -> Data? {
        let separator = Data("\r\n\r\n".utf8)
        guard let range = response.range(of: separator) else { return nil }
        let head = String(decoding: response[..<range.lowerBound], as: UTF8.self).lowercased()
        guard head.hasPrefix("http/1.1 200") || head.hasPrefix("http/1.0 200") else { return nil }
        var body = Data(response[range.upperBound...])
        guard head.contains("transfer-encoding: chunked") else { return body }
        var decoded = Data()
        let lineEnd = Data("\r\n".utf8)
        while let end = body.range(of: lineEnd) {
            let sizeText = String(decoding: body[body.startIndex..<end.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first.map(String.init) ?? "", radix: 16) else {
                return nil
            }
            if size == 0 { break }
            let start = end.upperBound
            guard body.distance(from: start, to: body.endIndex) >= size else { return nil }
            let chunkEnd = body.index(start, offsetBy: size)
            decoded.append(body[start..<chunkEnd])
            body = Data(body[chunkEnd...].dropFirst(2))
        }
        return decoded
    }
}
