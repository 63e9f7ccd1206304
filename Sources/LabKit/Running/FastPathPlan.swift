import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A node's identity as compared between two builds: a file's modification time, size and inode; a directory
/// structure's file listing (as a hash).
public struct NodeStamp: Codable, Hashable, Sendable {
    /// Modification time in nanoseconds since 1970 (a directory structure: the hash of its listing).
    public var modified: Int64
    /// Size in bytes (a directory structure: how many entries it lists).
    public var size: Int64
    /// The inode (0 for a directory structure).
    public var inode: UInt64

    /// Creates a stamp.
    public init(modified: Int64, size: Int64, inode: UInt64) {
        self.modified = modified
        self.size = size
        self.inode = inode
    }

    /// A stamp no node ever has: recorded for a file that may have changed while SwiftPM was building, so that
    /// the next run treats it as changed.
    public static let unknown = NodeStamp(modified: -1, size: -1, inode: 0)

    /// The stamp of the file at `path` (following symbolic links), nil when there is none.
    public static func file(_ path: String) -> NodeStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return NodeStamp(
            modified: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec), size: Int64(info.st_size),
            inode: UInt64(info.st_ino))
    }

    /// The stamp of a directory structure: the names and kinds of every entry below it, recursively, without
    /// hidden entries (SwiftPM ignores them) and without `.git` and `.build`; nil when it is not a directory.
    ///
    /// Contents and times are not part of it: an editor saving a file by writing a copy and renaming it over
    /// the original leaves it unchanged, an added, removed or renamed file changes it.
    public static func directoryStructure(_ path: String) -> NodeStamp? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        let root = URL(fileURLWithPath: path, isDirectory: true)
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
        else { return nil }
        var entries: [String] = []
        let prefix = root.standardizedFileURL.path
        for case let url as URL in walker {
            if url.lastPathComponent == ".build" || url.lastPathComponent == ".git" {
                walker.skipDescendants()
                continue
            }
            let isFolder = (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full
            entries.append((isFolder ? "d " : "f ") + relative)
        }
        entries.sort()
        return NodeStamp(
            modified: Int64(bitPattern: FastPathPlan.hash(entries.joined(separator: "\n"))),
            size: Int64(entries.count), inode: 0)
    }
}

/// What `lab test` needs to rebuild an exercise's test bundle without SwiftPM: the commands of SwiftPM's build
/// plan the bundle depends on, in dependency order, and the identity of every node they read or write as of the
/// last build.
///
/// It is made from SwiftPM's manifest (``make(manifest:manifestStamp:target:environment:labRoot:scratch:builtSince:)``)
/// after a successful `swift build`, stored next to the build (``FastPathBuilder``) and used by the next `lab test`
/// while SwiftPM's plan, `Package.swift`, `Package.resolved`, the environment and the file listing of every source
/// folder are unchanged.
public struct FastPathPlan: Codable, Sendable, Equatable {
    /// The format of the stored plan; a plan of another format is ignored.
    public static let formatVersion = 1

    /// What the fast path may do with a command that is out of date.
    public enum Kind: String, Codable, Sendable {
        /// A `shell` command (the compiler, the linker): rerun it with its exact arguments.
        case run
        /// A `phony` command: groups nodes, nothing to run.
        case group
        /// A `write-auxiliary-file` command writing a list of files (`<sources-file-list>`, `<link-file-list>`):
        /// its content is the list of its inputs' names, fixed by SwiftPM's plan, so nothing to redo while the
        /// plan is unchanged.
        case fileList
        /// Anything else (clang, test discovery, copies, the toolchain's version): only SwiftPM may redo it, so
        /// when it is out of date the fast path gives way to SwiftPM.
        case other
    }

    /// One command of the plan.
    public struct Step: Codable, Sendable, Equatable {
        /// What may be done when it is out of date.
        public var kind: Kind
        /// The llbuild tool.
        public var tool: String
        /// What SwiftPM prints while running it.
        public var description: String?
        /// Its input nodes (indexes into ``FastPathPlan/paths``).
        public var inputs: [Int]
        /// Its output nodes (indexes into ``FastPathPlan/paths``).
        public var outputs: [Int]
        /// Its virtual input nodes (`<name>`).
        public var virtualInputs: [String]
        /// Its virtual output nodes.
        public var virtualOutputs: [String]
        /// The program and its arguments (``Kind/run`` only).
        public var arguments: [String]
    }

    /// The plan's format (``formatVersion``).
    public var version: Int
    /// The test bundle the plan builds.
    public var target: String
    /// SwiftPM's manifest as it was when the plan was made.
    public var manifest: NodeStamp
    /// The environment's fingerprint (``environmentFingerprint(_:)``).
    public var environment: UInt64
    /// Every node the steps and guards name.
    public var paths: [String]
    /// The indexes of ``paths`` that are directory structures.
    public var directories: [Int]
    /// Each path's stamp as of the last build (nil: it did not exist; ``NodeStamp/unknown``: may have changed).
    public var stamps: [NodeStamp?]
    /// Nodes whose change means SwiftPM must plan again (`Package.swift`, `Package.resolved`, every source
    /// folder's file listing).
    public var guards: [Int]
    /// The commands the target depends on, every command after the commands it depends on.
    public var steps: [Step]

    /// Why no plan can be made or used: said in `lab test --verbose`.
    public struct Refusal: Error, Sendable, Equatable {
        /// The reason.
        public var reason: String

        /// Creates a refusal.
        public init(_ reason: String) {
            self.reason = reason
        }
    }

    /// Makes the plan for `target` from SwiftPM's manifest, with every node's stamp as it is now.
    ///
    /// - Parameters:
    ///   - manifest: SwiftPM's build plan.
    ///   - manifestStamp: the manifest file's stamp.
    ///   - target: the output to build (the test bundle's absolute path as the manifest names it).
    ///   - environment: the environment's fingerprint.
    ///   - labRoot: the lab folder (C sources inside it, whose headers llbuild tracks and this plan cannot, are
    ///     refused).
    ///   - scratch: the build folder.
    ///   - builtSince: when the build that wrote the manifest started (nanoseconds since 1970): a source file
    ///     modified after that (less two seconds of clock granularity) is recorded as ``NodeStamp/unknown``, since
    ///     the build may have read it before the change.
    /// - Throws: ``Refusal`` when the manifest has something the fast path does not model.
    public static func make(
        manifest: BuildManifest, manifestStamp: NodeStamp, target: String, environment: UInt64, labRoot: String,
        scratch: String, builtSince: Int64
    ) throws(Refusal) -> FastPathPlan {
        var producer: [String: Int] = [:]
        for (index, command) in manifest.commands.enumerated() {
            for output in command.outputs { producer[output] = index }
        }
        guard let last = producer[target] else { throw Refusal("SwiftPM's plan does not build \(target)") }
        guard let structure = manifest.commands.firstIndex(where: { $0.tool == "package-structure-tool" }) else {
            throw Refusal("SwiftPM's plan has no package-structure command")
        }

        // Every command the target depends on, depth first: each after its inputs' producers.
        var order: [Int] = []
        var state: [Int: Bool] = [:]  // false: being visited, true: done
        var stack: [(command: Int, next: Int)] = [(last, 0)]
        state[last] = false
        while let top = stack.last {
            let inputs = manifest.commands[top.command].inputs
            if top.next < inputs.count {
                stack[stack.count - 1].next += 1
                guard let input = producer[inputs[top.next]] else { continue }
                switch state[input] {
                case .none:
                    state[input] = false
                    stack.append((input, 0))
                case .some(false): throw Refusal("SwiftPM's plan has a cycle through \(inputs[top.next])")
                case .some(true): continue
                }
            } else {
                stack.removeLast()
                state[top.command] = true
                order.append(top.command)
            }
        }

        var paths: [String] = []
        var index: [String: Int] = [:]
        func path(_ node: String) throws(Refusal) -> Int {
            if let known = index[node] { return known }
            if manifest.specialNodes.contains(node) {
                throw Refusal("SwiftPM's plan has a node it treats specially: \(node)")
            }
            if node.hasSuffix("/"), !manifest.directoryStructures.contains(node) {
                throw Refusal("SwiftPM's plan reads a whole folder's contents: \(node)")
            }
            paths.append(node)
            index[node] = paths.count - 1
            return paths.count - 1
        }
        func isVirtual(_ node: String) -> Bool { node.hasPrefix("<") && node.hasSuffix(">") }

        var steps: [Step] = []
        var produced = Set<String>()
        let ownFolder = labRoot.hasSuffix("/") ? labRoot : labRoot + "/"
        let scratchFolder = scratch.hasSuffix("/") ? scratch : scratch + "/"
        for position in order {
            let command = manifest.commands[position]
            let kind: Kind
            switch command.tool {
            case "shell" where command.isUnderstood && !command.alwaysOutOfDate && !command.arguments.isEmpty:
                kind = .run
            case "phony": kind = .group
            case "write-auxiliary-file"
            where command.inputs.first == "<sources-file-list>" || command.inputs.first == "<link-file-list>":
                kind = .fileList
            default: kind = .other
            }
            // Only the toolchain's version file is rewritten on every build for a reason the stamps cover (the
            // compiler binary is its input); any other such command is not modelled.
            if command.alwaysOutOfDate, command.inputs.first != "<swift-get-version>" {
                throw Refusal("SwiftPM reruns \(command.name) on every build")
            }
            if command.dependencyFile != nil,
                command.inputs.contains(where: { $0.hasPrefix(ownFolder) && !$0.hasPrefix(scratchFolder) })
            {
                throw Refusal(
                    "the package compiles C sources of its own (\(command.name)), whose headers only SwiftPM tracks")
            }
            var step = Step(
                kind: kind, tool: command.tool, description: command.description, inputs: [], outputs: [],
                virtualInputs: [], virtualOutputs: [], arguments: kind == .run ? command.arguments : [])
            for input in command.inputs {
                if isVirtual(input) { step.virtualInputs.append(input) } else { step.inputs.append(try path(input)) }
            }
            for output in command.outputs {
                produced.insert(output)
                if isVirtual(output) {
                    step.virtualOutputs.append(output)
                } else {
                    step.outputs.append(try path(output))
                }
            }
            steps.append(step)
        }

        var guards: [Int] = []
        for node in manifest.commands[structure].inputs where !isVirtual(node) { guards.append(try path(node)) }
        for node in manifest.directoryStructures.sorted() where index[node] != nil || node.hasPrefix(ownFolder) {
            guards.append(try path(node))
        }

        let directories = paths.indices.filter { manifest.directoryStructures.contains(paths[$0]) }
        let directorySet = Set(directories)
        let changedSince = builtSince - 2_000_000_000
        let stamps = paths.indices.map { position -> NodeStamp? in
            let node = paths[position]
            if directorySet.contains(position) { return NodeStamp.directoryStructure(node) }
            let stamp = NodeStamp.file(node)
            if let stamp, !produced.contains(node), stamp.modified >= changedSince { return .unknown }
            return stamp
        }
        return FastPathPlan(
            version: formatVersion, target: target, manifest: manifestStamp, environment: environment, paths: paths,
            directories: directories, stamps: stamps, guards: Array(Set(guards)).sorted(), steps: steps)
    }

    /// The variables that do not change what SwiftPM builds: the shell's and the terminal's own.
    public static let ignoredVariables: Set<String> = [
        "_", "PWD", "OLDPWD", "SHLVL", "COLUMNS", "LINES", "TERM", "TERM_PROGRAM", "TERM_PROGRAM_VERSION",
        "TERM_SESSION_ID", "COLORTERM", "PS1", "PS2", "PROMPT_COMMAND", "DISPLAY", "WINDOWID", "SSH_TTY",
        "SSH_CONNECTION", "SSH_CLIENT", "SSH_AUTH_SOCK", "TMUX", "TMUX_PANE", "STY", "GPG_TTY", "LS_COLORS",
        "LAB_FAST", "LAB_VERBOSE",
    ]

    /// A fingerprint of the environment a build runs in (SwiftPM evaluates `Package.swift` with it:
    /// `LAB_ONLY`, `LAB_SOLUTIONS`, `PATH`, ...), without ``ignoredVariables``. Only a fingerprint is stored,
    /// never the values (they may hold tokens).
    public static func environmentFingerprint(_ environment: [String: String]) -> UInt64 {
        let text = environment.keys.sorted().filter { !ignoredVariables.contains($0) }.map {
            "\($0)=\(environment[$0] ?? "")"
        }.joined(separator: "\0")
        return hash(text)
    }

    /// FNV-1a, 64 bits: stable between runs (Swift's `Hasher` is seeded per process).
    static func hash(_ text: String) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
        return value
    }
}
