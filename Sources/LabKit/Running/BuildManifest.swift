import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The build plan SwiftPM writes for llbuild (`<scratch>/debug.yaml`): its commands with their exact inputs,
/// outputs and arguments, and the nodes that are directory structures.
///
/// SwiftPM writes the file in a fixed shape (every value is JSON on one line), which this reader relies on rather
/// than a general YAML parser (the file is several megabytes; a YAML parser takes seconds on it):
///
/// ```
/// nodes:
///   "/lab/Exercises/Exercise1_3/":
///     is-directory-structure: true
/// commands:
///   "C.Exercise1_3-x86_64-unknown-linux-gnu-debug.module":
///     tool: shell
///     inputs: ["/lab/Exercises/Exercise1_3/Greet.swift"]
///     outputs: ["/lab/.build-lab/.../Greet.swift.o"]
///     args: ["/usr/bin/swiftc","-module-name","Exercise1_3"]
/// ```
///
/// A line it does not understand inside a command marks that command ``Command/isUnderstood`` `false`, so the
/// fast path never runs it and never trusts it to be up to date.
public struct BuildManifest: Sendable, Equatable {
    /// One command of the plan.
    public struct Command: Sendable, Equatable {
        /// The command's name (its key in the manifest).
        public var name: String
        /// The llbuild tool: `shell`, `phony`, `clang`, `write-auxiliary-file`, `test-discovery-tool`, ...
        public var tool: String
        /// Its input nodes: files, directory structures (ending in `/`) and virtual nodes (`<name>`).
        public var inputs: [String]
        /// Its output nodes.
        public var outputs: [String]
        /// The program and its arguments (`shell` and `clang`).
        public var arguments: [String]
        /// What SwiftPM prints while running it (`Compiling Swift Module 'Exercise1_3' (2 sources)`).
        public var description: String?
        /// The makefile-style dependency file llbuild reads after the command (`clang`: the headers it read).
        public var dependencyFile: String?
        /// llbuild reruns it on every build (`always-out-of-date`).
        public var alwaysOutOfDate: Bool
        /// Every line of the command was one this reader knows (no environment, dependency file or working
        /// folder of its own, which a plain rerun would not reproduce).
        public var isUnderstood: Bool

        /// Creates a command.
        public init(
            name: String, tool: String, inputs: [String] = [], outputs: [String] = [], arguments: [String] = [],
            description: String? = nil, alwaysOutOfDate: Bool = false, isUnderstood: Bool = true
        ) {
            self.name = name
            self.tool = tool
            self.inputs = inputs
            self.outputs = outputs
            self.arguments = arguments
            self.description = description
            self.alwaysOutOfDate = alwaysOutOfDate
            self.isUnderstood = isUnderstood
        }
    }

    /// The commands, in the order of the file.
    public var commands: [Command]
    /// Nodes declared as directory structures (llbuild compares their file listing, not their contents).
    public var directoryStructures: Set<String>
    /// Nodes declared with any other attribute (`is-mutated`, `is-command-timestamp`): the fast path does not
    /// model them.
    public var specialNodes: Set<String>

    /// Creates a manifest from its parts.
    public init(commands: [Command], directoryStructures: Set<String> = [], specialNodes: Set<String> = []) {
        self.commands = commands
        self.directoryStructures = directoryStructures
        self.specialNodes = specialNodes
    }

    /// Reads the manifest file at `url`.
    ///
    /// - Throws: ``LabError`` when the file cannot be read or is not shaped as SwiftPM writes it.
    public static func read(_ url: URL) throws -> BuildManifest {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LabError.badFile(url.path, "cannot be read (\(error.localizedDescription))")
        }
        return try parse(data, source: url.path)
    }

    /// Parses a manifest's text.
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - source: the file's name, for error messages.
    /// - Throws: ``LabError`` when a line is not shaped as SwiftPM writes it.
    public static func parse(_ data: Data, source: String = "debug.yaml") throws -> BuildManifest {
        var parser = Parser(source: source)
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            let bytes = buffer.bindMemory(to: UInt8.self)
            guard let base = buffer.baseAddress else { return }
            var start = 0
            var number = 0
            while start < bytes.count {
                // memchr: the file has megabytes, and a byte loop is slow in a debug build of `lab`.
                let end =
                    memchr(base + start, 0x0A, bytes.count - start).map { base.distance(to: UnsafeRawPointer($0)) }
                    ?? bytes.count
                number += 1
                try parser.line(UnsafeBufferPointer(rebasing: bytes[start..<end]), number: number)
                start = end + 1
            }
        }
        parser.finishEntry()
        return BuildManifest(
            commands: parser.commands, directoryStructures: parser.directoryStructures,
            specialNodes: parser.specialNodes)
    }

    /// Reads the manifest line by line: top-level sections, two-space entries (`"name":`), four-space keys.
    private struct Parser {
        let source: String
        var section = ""
        var commands: [Command] = []
        var directoryStructures: Set<String> = []
        var specialNodes: Set<String> = []
        var entry: String?
        var command: Command?

        init(source: String) {
            self.source = source
        }

        mutating func finishEntry() {
            if let command { commands.append(command) }
            command = nil
            entry = nil
        }

        func malformed(_ number: Int, _ problem: String) -> LabError {
            LabError.badFile(source, "line \(number): \(problem) (not a manifest as SwiftPM writes it)")
        }

        mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int) throws {
            let space = UInt8(ascii: " ")
            var indent = 0
            while indent < bytes.count, bytes[indent] == space { indent += 1 }
            if indent == bytes.count { return }  // a blank line
            switch indent {
            case 0:
                finishEntry()
                let text = String(decoding: bytes, as: UTF8.self)
                section = String(text.prefix { $0 != ":" })
            case 2 where section == "commands" || section == "nodes":
                finishEntry()
                guard bytes.count > 3, bytes[bytes.count - 1] == UInt8(ascii: ":"),
                    let name = Self.string(UnsafeBufferPointer(rebasing: bytes[2..<(bytes.count - 1)]))
                else { throw malformed(number, "an entry that is not a quoted name followed by a colon") }
                entry = name
                if section == "commands" { command = Command(name: name, tool: "") }
            case 4 where entry != nil:
                guard let colon = bytes[4...].firstIndex(of: UInt8(ascii: ":")) else {
                    throw malformed(number, "a key without a colon")
                }
                let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[4..<colon]), as: UTF8.self)
                var start = colon + 1
                while start < bytes.count, bytes[start] == space { start += 1 }
                let value = UnsafeBufferPointer(rebasing: bytes[start...])
                if section == "nodes" {
                    try node(key: key, value: value, number: number)
                } else {
                    try commandKey(key, value: value, number: number)
                }
            default:
                // Deeper lines (a command's environment) or entries of other sections.
                if section == "commands" { command?.isUnderstood = false }
            }
        }

        mutating func node(key: String, value: UnsafeBufferPointer<UInt8>, number: Int) throws {
            guard let entry else { return }
            let text = String(decoding: value, as: UTF8.self)
            switch key {
            case "is-directory-structure" where text == "true":
                directoryStructures.insert(entry)
            case "content-exclusion-patterns":
                // SwiftPM always excludes `.git` and `.build`; another list is not modelled.
                if Self.strings(value).map(Set.init) != [".git", ".build"] { specialNodes.insert(entry) }
            default:
                specialNodes.insert(entry)
            }
        }

        mutating func commandKey(_ key: String, value: UnsafeBufferPointer<UInt8>, number: Int) throws {
            guard command != nil else { return }
            func list() throws -> [String] {
                guard let list = Self.strings(value) else {
                    throw malformed(number, "`\(key)` is not a list of quoted strings")
                }
                return list
            }
            let text = { String(decoding: value, as: UTF8.self) }
            switch key {
            case "tool": command?.tool = text()
            case "inputs":
                let inputs = try list()
                command?.inputs = inputs
            case "outputs":
                let outputs = try list()
                command?.outputs = outputs
            case "args":
                let arguments = try list()
                command?.arguments = arguments
            case "description": command?.description = Self.string(value) ?? text()
            case "always-out-of-date": command?.alwaysOutOfDate = text() == "true" || text() == "\"true\""
            case "allow-missing-inputs": break
            case "deps":
                command?.dependencyFile = Self.string(value)
                command?.isUnderstood = false
            default: command?.isUnderstood = false  // env, working-directory, ...
            }
        }

        /// One JSON string (`"..."`) that is the whole of `bytes`.
        static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
            var position = 0
            guard let string = quoted(bytes, at: &position), position == bytes.count else { return nil }
            return string
        }

        /// A JSON list of strings (`["a","b"]`) that is the whole of `bytes`.
        static func strings(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
            guard bytes.count >= 2, bytes[0] == UInt8(ascii: "["), bytes[bytes.count - 1] == UInt8(ascii: "]") else {
                return nil
            }
            var result: [String] = []
            var position = 1
            if bytes.count == 2 { return result }
            while true {
                guard let string = quoted(bytes, at: &position), position < bytes.count else { return nil }
                result.append(string)
                position += 1
                switch bytes[position - 1] {
                case UInt8(ascii: ","): continue
                case UInt8(ascii: "]") where position == bytes.count: return result
                default: return nil
                }
            }
        }

        /// The JSON string starting at `position` (which moves past its closing quote).
        ///
        /// Strings without a backslash (nearly all: paths and flags) are taken as they are, found with `memchr`;
        /// the rare escaped one is decoded by `JSONDecoder`.
        static func quoted(_ bytes: UnsafeBufferPointer<UInt8>, at position: inout Int) -> String? {
            let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
            guard let base = bytes.baseAddress, position < bytes.count, bytes[position] == quote else { return nil }
            let start = position + 1
            var end = start
            var escaped = false
            while true {
                guard end < bytes.count, let found = memchr(base + end, Int32(quote), bytes.count - end) else {
                    return nil
                }
                let index = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                let backslashes = memchr(base + end, Int32(backslash), index - end) != nil
                escaped = escaped || backslashes
                // A quote preceded by an odd number of backslashes is part of the string.
                var count = 0
                while index - count - 1 >= start, bytes[index - count - 1] == backslash { count += 1 }
                end = index
                if count % 2 == 0 { break }
                end += 1
            }
            position = end + 1
            let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard escaped else { return String(decoding: raw, as: UTF8.self) }
            return try? JSONDecoder().decode(String.self, from: Data(bytes[(start - 1)...end]))
        }
    }
}
