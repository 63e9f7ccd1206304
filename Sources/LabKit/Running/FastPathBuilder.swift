import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rebuilds an exercise's test bundle without SwiftPM when only files SwiftPM's plan already knows changed, and
/// records that plan after every successful SwiftPM build.
///
/// SwiftPM spends over a second per `swift build` on fixed work (loading the package, planning, llbuild walking
/// some thousand commands) before the half second of real work an edit to one exercise needs. After a
/// successful `swift build`, ``record(builtSince:)`` stores the commands the test bundle depends on
/// (``FastPathPlan``). The next ``build(onLine:)`` compares every node those commands read or write with the
/// stamps recorded at the last build (llbuild's own rule: a command is out of date when one of its inputs or
/// outputs changed, or an output is missing), in dependency order, and reruns the out-of-date `shell` commands
/// (the compiler, the linker) with SwiftPM's exact arguments, without `-parseable-output` so that the compiler
/// prints its usual text. It gives way to SwiftPM (``Outcome/needsSwiftPM(_:)``) when SwiftPM's plan,
/// `Package.swift`, `Package.resolved`, the environment or a source folder's file listing changed, when a
/// command only SwiftPM runs (test discovery, clang, copies, the toolchain's version) is out of date, or when
/// anything unexpected happens.
///
/// llbuild's database does not learn about these runs: the next `swift build` sees changed inputs and redoes
/// that work once (an incremental compile that finds nothing to do, maybe a relink). That costs time, never a
/// wrong result.
public struct FastPathBuilder: Sendable {
    /// Where the plan is stored, e.g. `.build-lab/lab-fastpath-Exercise3_4.json`.
    public var planFile: URL
    /// SwiftPM's manifest, e.g. `.build-lab/debug.yaml`.
    public var manifestFile: URL
    /// The test bundle the plan builds.
    public var target: URL
    /// The lab folder: where the commands run.
    public var labRoot: URL
    /// The build folder.
    public var scratch: URL
    /// Variables added to the current environment for the commands (as for `swift build`).
    public var environment: [String: String]
    /// Starts the commands.
    public var runner: any ProcessRunning

    /// Creates a builder.
    public init(
        planFile: URL, manifestFile: URL, target: URL, labRoot: URL, scratch: URL, environment: [String: String],
        runner: any ProcessRunning
    ) {
        self.planFile = planFile
        self.manifestFile = manifestFile
        self.target = target
        self.labRoot = labRoot
        self.scratch = scratch
        self.environment = environment
        self.runner = runner
    }

    /// How a fast build ended.
    public enum Outcome: Sendable, Equatable {
        /// Built: `commands` commands ran (0 when everything was up to date); `output` is what they printed.
        case built(commands: Int, output: String)
        /// A compiler command failed with diagnostics: its outcome, and the command as a user would type it.
        case failed(ProcessOutcome, command: String)
        /// SwiftPM must build, for this reason.
        case needsSwiftPM(String)
    }

    /// The fingerprint of the environment the commands (and SwiftPM) run in.
    var environmentFingerprint: UInt64 {
        FastPathPlan.environmentFingerprint(ProcessInfo.processInfo.environment.merging(environment) { $1 })
    }

    /// Rebuilds the target with the out-of-date commands of the stored plan, or says why SwiftPM must.
    ///
    /// - Parameter onLine: called with a progress line (`[fast 1] Compiling Swift Module ...`) per command.
    public func build(onLine: @escaping @Sendable (String) -> Void = { _ in }) -> Outcome {
        guard let data = try? Data(contentsOf: planFile) else { return .needsSwiftPM("no plan recorded yet") }
        guard let plan = try? JSONDecoder().decode(FastPathPlan.self, from: data),
            plan.version == FastPathPlan.formatVersion
        else { return .needsSwiftPM("the recorded plan is unreadable or of another version") }
        guard plan.target == target.resolvingSymlinksInPath().path || plan.target == target.path else {
            return .needsSwiftPM("the recorded plan builds another target")
        }
        guard NodeStamp.file(manifestFile.path) == plan.manifest else {
            return .needsSwiftPM("SwiftPM's build plan changed since it was recorded")
        }
        guard plan.environment == environmentFingerprint else { return .needsSwiftPM("the environment changed") }
        if let running = swiftPMRunning() { return .needsSwiftPM(running) }

        let directories = Set(plan.directories)
        var current = [NodeStamp?](repeating: nil, count: plan.paths.count)
        var known = [Bool](repeating: false, count: plan.paths.count)
        func stamp(_ node: Int) -> NodeStamp? {
            if !known[node] {
                current[node] =
                    directories.contains(node)
                    ? NodeStamp.directoryStructure(plan.paths[node]) : NodeStamp.file(plan.paths[node])
                known[node] = true
            }
            return current[node]
        }
        func changed(_ node: Int) -> Bool { stamp(node) != plan.stamps[node] }

        for node in plan.guards where changed(node) {
            let path = plan.paths[node]
            return .needsSwiftPM(
                directories.contains(node)
                    ? "files were added to or removed from \(display(path))" : "\(display(path)) changed")
        }
        // Every node no step writes (the sources), stamped once now: that is what the commands below read.
        let produced = Set(plan.steps.flatMap(\.outputs))
        for node in plan.paths.indices where !produced.contains(node) { _ = stamp(node) }

        var changedVirtual = Set<String>()
        var ran = 0
        var output = ""
        for step in plan.steps {
            let outOfDate =
                step.inputs.contains(where: changed) || step.virtualInputs.contains(where: changedVirtual.contains)
                || step.outputs.contains { stamp($0) == nil || changed($0) }
            guard outOfDate else { continue }
            let name = step.description ?? step.tool
            switch step.kind {
            case .group:
                changedVirtual.formUnion(step.virtualOutputs)
            case .fileList:
                guard step.outputs.allSatisfy({ stamp($0) != nil }) else { return .needsSwiftPM("\(name) is missing") }
            case .other:
                return .needsSwiftPM("\(name) is out of date (\(step.tool): only SwiftPM runs it)")
            case .run:
                guard let program = step.arguments.first else { return .needsSwiftPM("\(name) has no program") }
                ran += 1
                onLine("[fast \(ran)] \(name)")
                let invocation = Invocation(
                    program: program, arguments: step.arguments.dropFirst().filter { $0 != "-parseable-output" },
                    environment: environment, directory: labRoot)
                let outcome: ProcessOutcome
                do {
                    outcome = try runner.run(invocation, onLine: { _ in })
                } catch {
                    return .needsSwiftPM("\(program) could not start")
                }
                output += outcome.output
                guard outcome.exitCode == 0 else {
                    // Compiler errors are shown as they are; anything else (a linker failure, a crash) is left
                    // to SwiftPM, which reports it as usual.
                    guard !TestOutputParser.parse(outcome.output).compileErrors.isEmpty else {
                        return .needsSwiftPM("\(name) failed without a compiler error")
                    }
                    return .failed(
                        ProcessOutcome(exitCode: outcome.exitCode, output: output), command: invocation.commandLine)
                }
                for node in step.outputs { known[node] = false }
                changedVirtual.formUnion(step.virtualOutputs)
            }
        }

        // Up to date: the sources as read above, the outputs as they are now.
        var updated = plan
        updated.stamps = plan.paths.indices.map { stamp($0) }
        if updated.stamps != plan.stamps { try? save(updated) }
        return .built(commands: ran, output: output)
    }

    /// After a successful `swift build` that started at `builtSince`: records the plan for the next
    /// ``build(onLine:)``.
    ///
    /// - Returns: nil when recorded, else why not (for `lab test --verbose`).
    @discardableResult
    public func record(builtSince: Date) -> String? {
        try? FileManager.default.removeItem(at: planFile)
        guard let manifestStamp = NodeStamp.file(manifestFile.path) else {
            return "SwiftPM wrote no \(manifestFile.lastPathComponent)"
        }
        do {
            let manifest = try BuildManifest.read(manifestFile)
            let targetPath = target.resolvingSymlinksInPath().path
            let plan = try FastPathPlan.make(
                manifest: manifest, manifestStamp: manifestStamp, target: targetPath,
                environment: environmentFingerprint, labRoot: labRoot.path, scratch: scratch.path,
                builtSince: Int64(builtSince.timeIntervalSince1970 * 1_000_000_000))
            // The manifest must still be the one read: another build may have replaced it meanwhile.
            guard NodeStamp.file(manifestFile.path) == manifestStamp else { return "SwiftPM's plan changed meanwhile" }
            try save(plan)
            return nil
        } catch let refusal as FastPathPlan.Refusal {
            return refusal.reason
        } catch {
            return "\(error)"
        }
    }

    private func save(_ plan: FastPathPlan) throws {
        try JSONEncoder().encode(plan).write(to: planFile, options: .atomic)
    }

    /// A SwiftPM process that holds this build folder (its `.lock` names a live `swift-build`): then SwiftPM,
    /// which waits for it, must build.
    func swiftPMRunning() -> String? {
        let lock = scratch.appendingPathComponent(".lock")
        guard let text = try? String(contentsOf: lock, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0, kill(pid, 0) == 0,
            let name = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8), name.contains("swift")
        else { return nil }
        return "SwiftPM (process \(pid)) is building in \(scratch.lastPathComponent)"
    }

    private func display(_ path: String) -> String {
        PathDisplay(roots: [labRoot.path, labRoot.resolvingSymlinksInPath().path], exerciseFolder: nil).display(path)
    }
}
