import Foundation

/// How submission code is confined while its checks run.
public struct Sandbox: Sendable, Equatable {
    /// The confinement.
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// bubblewrap: new namespaces (network: loopback only), the instructor tree, results and other
        /// submissions hidden behind empty folders, a private /tmp, the build folder read-only.
        case bwrap
        /// `unshare --net` (root only): loopback-only network; files are not hidden.
        case unshare
        /// No confinement beyond the resource limits.
        case none
    }

    /// The confinement in use.
    public var mode: Mode
    /// `prlimit` when present (CPU, address space, no core files).
    public var prlimit: String?
    /// The bubblewrap or unshare executable.
    public var tool: String?

    /// Picks the strongest confinement this machine offers, or the one asked for.
    ///
    /// - Parameter requested: a mode, or `nil` for the strongest available.
    /// - Throws: ``GradingError/usage(_:)`` when the requested mode is not available.
    public static func detect(requested: Mode? = nil) throws -> Sandbox {
        let prlimit = ProcessRunner.which("prlimit")
        // Installed is not enough: containers often forbid the namespaces bubblewrap needs.
        let bwrap = ProcessRunner.which("bwrap").flatMap { works([$0] + probe) ? $0 : nil }
        let unshare = getuid() == 0 ? ProcessRunner.which("unshare") : nil
        let ip = ProcessRunner.which("ip")
        switch requested {
        case .bwrap?:
            guard let bwrap else {
                throw GradingError.usage("--sandbox bwrap: bwrap is not installed (apt-get install bubblewrap)")
            }
            return Sandbox(mode: .bwrap, prlimit: prlimit, tool: bwrap)
        case .unshare?:
            guard let unshare, ip != nil else {
                throw GradingError.usage("--sandbox unshare needs root, unshare and ip")
            }
            return Sandbox(mode: .unshare, prlimit: prlimit, tool: unshare)
        case .none?:
            return Sandbox(mode: .none, prlimit: prlimit, tool: nil)
        case nil:
            if let bwrap { return Sandbox(mode: .bwrap, prlimit: prlimit, tool: bwrap) }
            if let unshare, ip != nil { return Sandbox(mode: .unshare, prlimit: prlimit, tool: unshare) }
            return Sandbox(mode: .none, prlimit: prlimit, tool: nil)
        }
    }

    static let probe = [
        "--die-with-parent", "--unshare-all", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "/bin/true",
    ]

    /// `true` when `command` exits 0 within 10 s.
    static func works(_ command: [String]) -> Bool {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("grade-probe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: log) }
        let outcome = try? ProcessRunner.run(
            command, directory: FileManager.default.temporaryDirectory, environment: [:], wallSeconds: 10,
            outputBytes: 10_000, logFile: log)
        return outcome?.ending == .exited(0)
    }

    /// One line for the report: what confines the submission's code here.
    public var summary: String {
        let limits =
            prlimit == nil ? "no prlimit: wall-time and output limits only" : "prlimit CPU/address-space limits"
        switch mode {
        case .bwrap:
            return "bubblewrap (network: loopback only; instructor tree, hidden check sources and results hidden; "
                + "private /tmp; build read-only), \(limits)"
        case .unshare:
            return "unshare --net (network: loopback only; files NOT hidden: install bubblewrap), \(limits)"
        case .none:
            return "NOT SANDBOXED (network and files reachable: install bubblewrap), \(limits)"
        }
    }

    /// The command line that runs `command` confined.
    ///
    /// - Parameters:
    ///   - command: the executable and its arguments.
    ///   - limits: the rubric's limits.
    ///   - hide: folders the code must not see (instructor tree, results, the submissions).
    ///   - readOnly: folders it needs (the build folder), bound read-only after the hiding.
    ///   - environment: the environment inside the sandbox.
    ///   - writable: folders bound read-write after the others (a capstone scenario's work folder).
    /// - Returns: the full command line.
    public func wrap(
        _ command: [String], limits: Rubric.Limits, hide: [URL], readOnly: [URL], environment: [String: String],
        writable: [URL] = []
    ) -> [String] {
        var line: [String] = []
        if let prlimit {
            // RLIMIT_FSIZE bounds every file the code writes, the output log included, even when a child it started
            // outlives the kill of its process group: runaway output can never fill the disk.
            let fileBytes = max(limits.exerciseOutputBytes * 4, 64 << 20)
            line += [
                prlimit, "--cpu=\(limits.exerciseCPUSeconds)", "--as=\(limits.exerciseMemoryBytes)", "--core=0",
                "--fsize=\(fileBytes)", "--",
            ]
        }
        switch mode {
        case .bwrap:
            line += [tool ?? "bwrap", "--die-with-parent", "--unshare-all", "--new-session", "--ro-bind", "/", "/"]
            line += ["--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
            // Never hide `/` or a top-level folder (a submission in `/sub` has `/` as its parent).
            for url in hide where url.standardizedFileURL.pathComponents.count > 2 {
                line += ["--tmpfs", url.standardizedFileURL.path]
            }
            for url in readOnly { line += ["--ro-bind", url.path, url.path] }
            for url in writable { line += ["--bind", url.path, url.path] }
            line += ["--chdir", "/tmp", "--clearenv"]
            for (key, value) in environment.sorted(by: { $0.key < $1.key }) { line += ["--setenv", key, value] }
            line += command
        case .unshare:
            line += [tool ?? "unshare", "--net", "--", "/bin/sh", "-c", "ip link set lo up && exec \"$@\"", "sh"]
            line += command
        case .none:
            line += command
        }
        return line
    }
}
