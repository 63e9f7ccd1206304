import Foundation
import LabKit
import MokoEnterpriseTestSupport
import Synchronization
import Testing

/// A small package on disk as SwiftPM would leave it after a build: sources, outputs, and a manifest whose
/// `shell` commands are real `/bin/sh` scripts (copying sources into "objects" and "linking" them).
struct FastPathLab {
    let directory: TemporaryDirectory
    var root: String { directory.path }
    var scratch: String { root + "/.b" }

    init() throws {
        directory = try TemporaryDirectory(prefix: "fastpath")
        try write("Package.swift", "// package")
        try write("Exercises/Ex/A.swift", "let a = 1\n")
        try write("Tests/ExTests/T.swift", "final class T {}\n")
        try writeManifest()
        // What the last SwiftPM build produced.
        try write(".b/Ex.build/sources", "Exercises/Ex/A.swift\n")
        try write(".b/A.o", "let a = 1\n")
        try write(".b/T.o", "final class T {}\n")
        try write(".b/derived.swift", "// discovered\n")
        try write(".b/bundle.xctest", "let a = 1\nfinal class T {}\n")
    }

    /// The manifest; like the compiler, the "compiles" rewrite an object only when it changes.
    func writeManifest(linkInputs: String = "", extra: String = "") throws {
        let r = root
        let compile =
            "if grep -q BROKEN Exercises/Ex/A.swift; then echo \"\(r)/Exercises/Ex/A.swift:1:5: error: broken\"; "
            + "exit 1; fi; if grep -q CRASH Exercises/Ex/A.swift; then echo boom; exit 2; fi; "
            + "cmp -s Exercises/Ex/A.swift .b/A.o || cat Exercises/Ex/A.swift > .b/A.o"
        try write(
            ".b/debug.yaml",
            """
            client:
              name: basic
            tools: {}
            nodes:
              "\(r)/Exercises/Ex/":
                is-directory-structure: true
                content-exclusion-patterns: [".git",".build"]
              "\(r)/Tests/ExTests/":
                is-directory-structure: true
                content-exclusion-patterns: [".git",".build"]
            commands:
              "\(r)/.b/Ex.build/sources":
                tool: write-auxiliary-file
                inputs: ["<sources-file-list>","\(r)/Exercises/Ex/A.swift"]
                outputs: ["\(r)/.b/Ex.build/sources"]

              "C.Ex":
                tool: shell
                inputs: ["\(r)/Exercises/Ex/A.swift","\(r)/.b/Ex.build/sources"]
                outputs: ["\(r)/.b/A.o"]
                description: "Compiling Swift Module 'Ex' (1 sources)"
                args: ["/bin/sh","-c",\(json(compile)),"-parseable-output"]

              "C.ExTests":
                tool: shell
                inputs: ["\(r)/Tests/ExTests/T.swift"]
                outputs: ["\(r)/.b/T.o"]
                description: "Compiling Swift Module 'ExTests' (1 sources)"
                args: ["/bin/sh","-c","cmp -s Tests/ExTests/T.swift .b/T.o || cat Tests/ExTests/T.swift > .b/T.o"]

              "discovery":
                tool: test-discovery-tool
                inputs: ["\(r)/.b/T.o"]
                outputs: ["\(r)/.b/derived.swift"]

              "<Ex.module>":
                tool: phony
                inputs: ["\(r)/.b/A.o"]
                outputs: ["<Ex.module>"]

              "C.link":
                tool: shell
                inputs: ["<Ex.module>","\(r)/.b/A.o","\(r)/.b/T.o","\(r)/.b/derived.swift"\(linkInputs)]
                outputs: ["\(r)/.b/bundle.xctest"]
                description: "Linking bundle.xctest"
                args: ["/bin/sh","-c","cat .b/A.o .b/T.o > .b/bundle.xctest"]

              "PackageStructure":
                tool: package-structure-tool
                inputs: ["\(r)/Exercises/Ex/","\(r)/Tests/ExTests/","\(r)/Package.swift"]
                outputs: ["<PackageStructure>"]
                description: "Planning build"
                allow-missing-inputs: true
            \(extra)
            """)
    }

    func json(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data(), as: UTF8.self)
    }

    func write(_ path: String, _ text: String) throws { try directory.write(path, text) }

    func read(_ path: String) throws -> String { try directory.read(path) }

    /// Sets a file's modification time: an edit always gets a time of its own, whatever the clock's granularity.
    func touch(_ path: String, secondsAgo: Double) throws {
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -secondsAgo)], ofItemAtPath: directory.appending(path).path)
    }

    func builder(runner: any ProcessRunning, environment: [String: String] = ["LAB_ONLY": "Ex"]) -> FastPathBuilder {
        FastPathBuilder(
            planFile: directory.appending(".b/plan.json"), manifestFile: directory.appending(".b/debug.yaml"),
            target: directory.appending(".b/bundle.xctest"), labRoot: directory.url,
            scratch: directory.appending(".b"), environment: environment, runner: runner)
    }

    /// Records the plan as after a SwiftPM build that started after every file was written.
    func recorded(runner: RecordingProcessRunner = RecordingProcessRunner()) throws -> FastPathBuilder {
        let builder = builder(runner: runner)
        let problem = builder.record(builtSince: Date(timeIntervalSinceNow: 10))
        #expect(problem == nil)
        return builder
    }
}

/// Runs real processes and remembers what it ran.
final class RecordingProcessRunner: ProcessRunning {
    private let ran = Mutex<[Invocation]>([])
    var invocations: [Invocation] { ran.withLock { $0 } }
    var descriptions: [String] { invocations.map { ([$0.program] + $0.arguments).joined(separator: " ") } }

    func run(_ invocation: Invocation, onLine: @escaping @Sendable (String) -> Void) throws -> ProcessOutcome {
        ran.withLock { $0.append(invocation) }
        return try SystemProcessRunner(children: ChildProcesses()).run(invocation, onLine: onLine)
    }
}

@Suite struct FastPathBuilderTests {
    @Test func nothingChangedRunsNothing() throws {
        let lab = try FastPathLab()
        defer { lab.directory.remove() }
        let runner = RecordingProcessRunner()
        let builder = try lab.recorded(runner: runner)
        #expect(builder.build() == .built(commands: 0, output: ""))
        #expect(runner.invocations.isEmpty)
    }

    @Test func anEditedSourceRerunsItsCompileThenTheLinkWithoutParseableOutput() throws {
        let lab = try FastPathLab()
        defer { lab.directory.remove() }
        let runner = RecordingProcessRunner()
        let builder = try lab.recorded(runner: runner)
        try lab.write("Exercises/Ex/A.swift", "let a = 2\n")
        #expect(builder.build() == .built(commands: 2, output: ""))
        #expect(runner.invocations.count == 2)
        #expect(runner.invocations.allSatisfy { !$0.arguments.contains("-parseable-output") })
        #expect(runner.invocations.allSatisfy { $0.environment == ["LAB_ONLY": "Ex"] && $0.program == "/bin/sh" })
        #expect(try lab.read(".b/bundle.xctest") == "let a = 2\nfinal class T {}\n")
        // Recorded as built: the next build has nothing to do.
        #expect(builder.build() == .built(commands: 0, output: ""))
        #expect(runner.invocations.count == 2)
    }

    @Test func aCommandWhoseOutputsDidNotChangeLeavesItsDependentsAlone() throws {
        let lab = try FastPathLab()
        defer { lab.directory.remove() }
        let runner = RecordingProcessRunner()
        let builder = try lab.recorded(runner: runner)
        // A touched input reruns the compile; its object is the same and is not rewritten, so no link.
        try lab.touch("Exercises/Ex/A.swift", secondsAgo: 1)
        #expect(builder.build() == .built(commands: 1, output: ""))
        #expect(runner.descriptions.first?.contains("Exercises/Ex/A.swift") == true)
    }

    @Test func aStaleCommandOnlySwiftPMRunsNeedsSwiftPM() throws {
        let lab = try FastPathLab()
        defer { lab.directory.remove() }
        let runner = RecordingProcessRunner()
        let builder = try lab.recorded(runner: runner)
        // The test object changes: test discovery (which only SwiftPM runs) is out of date.
        try lab.write("Tests/ExTests/T.swift", "final class T2 {}\n")
        #expect(
            builder.build()
                == .needsSwiftPM("test-discovery-tool is out of date (test-discovery-tool: only SwiftPM runs it)"))
        #expect(runner.invocations.count == 1)  // the test module's compile, before discovery
    }

    @Test func aMissingOutputIsRebuilt() throws {
        let lab = try FastPathLab()
        defer { lab.directory.remove() }
        let runner = RecordingProcessRunner()
        let builder = try lab.recorded(runner: runner)
        try FileManager.default.removeItem(at: lab.directory.appending(".b/bundle.xctest"))
        #expect(builder.build() == .built(commands: 1, output: ""))
        #expect(runner.descriptions.first?.contains("bundle.xctest") == true)
        #expect(FileManager.default.fileExists(atPath: lab.directory.appending(".b/bundle.xctest").path))
    }

    @Test func anAddedOrRemovedSourceFileNeedsSwiftPMButAnAtomicSaveDoesNot() throws {
        let lab = try FastPathLab()
        defer { lab.directory.remove() }
        let runner = RecordingProcessRunner()
        let builder = try lab.recorded(runner: runner)
        // An editor's save: write a copy, rename it over the file (new inode, same listing).
        try lab.write("Exercises/Ex/.A.swift.tmp", "let a = 3\n")
        try FileManager.default.removeItem(at: lab.directory.appending("Exercises/Ex/A.swift"))
        try FileManager.default.moveItem(
            at: lab.directory.appending("Exercises/Ex/.A.swift.tmp"),
            to: lab.directory.appending("Exercises/Ex/A.swift"))
        #expect(builder.build() == .built(commands: 2, output: ""))

        try lab.write("Exercises/Ex/B.swift", "let b = 1\n")
        #expect(builder.build() == .needsSwiftPM("files were added to or removed from Exercises/Ex/"))
        try FileManager.default.removeItem(at: lab.directory.appending("Exercises/Ex/B.swift"))
        #expect(builder.build() == .built(commands: 0, output: ""))
        try FileManager.default.removeItem(at: lab.directory.appending("Tests/ExTests/T.swift"))
        #expect(builder.build() == .needsSwiftPM("files were added to or removed from Tests/ExTests/"))
        #expect(runner.invocations.count == 2)
    }

    @Test func aChangedManifestPackageOrEnvironmentNeedsSwiftPM() throws {
        let lab = try FastPathLab()
        defer { lab.directory.remove() }
        let runner = RecordingProcessRunner()
        let builder = try lab.recorded(runner: runner)
        #expect(
            lab.builder(runner: runner, environment: ["LAB_ONLY": "Other"]).build()
                == .needsSwiftPM("the environment changed"))
        try lab.write("Package.swift", "// package, edited")
        #expect(builder.build() == .needsSwiftPM("Package.swift changed"))
        try lab.writeManifest(extra: "\n")
        #expect(builder.build() == .needsSwiftPM("SwiftPM's build plan changed since it was recorded"))
        #expect(runner.invocations.isEmpty)
    }

    @Test func withoutAPlanOrWithAnUnreadableOneSwiftPMBuilds() throws {
        let lab = try FastPathLab()
        defer { lab.directory.remove() }
        let builder = lab.builder(runner: RecordingProcessRunner())
        #expect(builder.build() == .needsSwiftPM("no plan recorded yet"))
        try lab.write(".b/plan.json", "{}")
        #expect(builder.build() == .needsSwiftPM("the recorded plan is unreadable or of another version"))
    }

    @Test func aSourceModifiedWhileSwiftPMBuiltIsRebuiltNextTime() throws {
        let lab = try FastPathLab()
        defer { lab.directory.remove() }
        let runner = RecordingProcessRunner()
        let builder = lab.builder(runner: runner)
        try lab.touch("Package.swift", secondsAgo: 60)
        // The build started a second ago; the sources (written just now) may have changed after the compiler
        // read them: both compiles rerun (finding the objects unchanged), then nothing.
        #expect(builder.record(builtSince: Date(timeIntervalSinceNow: -1)) == nil)
        #expect(builder.build() == .built(commands: 2, output: ""))
        #expect(builder.build() == .built(commands: 0, output: ""))
    }

    @Test func compilerErrorsAreReportedAndOtherFailuresLeftToSwiftPM() throws {
        let lab = try FastPathLab()
        defer { lab.directory.remove() }
        let runner = RecordingProcessRunner()
        let builder = try lab.recorded(runner: runner)
        try lab.write("Exercises/Ex/A.swift", "BROKEN\n")
        guard case .failed(let outcome, let command) = builder.build() else {
            Issue.record("a compiler error must be reported")
            return
        }
        #expect(outcome.exitCode == 1 && outcome.output == "\(lab.root)/Exercises/Ex/A.swift:1:5: error: broken\n")
        #expect(command.hasPrefix("LAB_ONLY=Ex /bin/sh -c "))
        // Nothing was recorded as built: fixed, the compile and the link run.
        try lab.write("Exercises/Ex/A.swift", "let a = 5\n")
        #expect(builder.build() == .built(commands: 2, output: ""))

        try lab.write("Exercises/Ex/A.swift", "CRASH\n")
        #expect(
            builder.build() == .needsSwiftPM("Compiling Swift Module 'Ex' (1 sources) failed without a compiler error"))
    }

    @Test func aPlanIsRefusedForWhatItDoesNotModel() throws {
        let lab = try FastPathLab()
        defer { lab.directory.remove() }
        let builder = lab.builder(runner: RecordingProcessRunner())
        // The package's own C sources: llbuild tracks their headers through dependency files, the plan cannot.
        try lab.write(".b/own.o", "c")
        try lab.writeManifest(
            linkInputs: ",\"\(lab.root)/.b/own.o\"",
            extra: """
                  "\(lab.root)/.b/own.o":
                    tool: clang
                    inputs: ["\(lab.root)/Sources/COwn/own.c"]
                    outputs: ["\(lab.root)/.b/own.o"]
                    deps: "\(lab.root)/.b/own.c.d"
                """)
        #expect(builder.record(builtSince: Date())?.hasPrefix("the package compiles C sources of its own") == true)
        #expect(builder.build() == .needsSwiftPM("no plan recorded yet"))

        // A command SwiftPM reruns on every build (other than the toolchain's version file).
        try lab.writeManifest(
            linkInputs: ",\"\(lab.root)/.b/own.o\"",
            extra: """
                  "\(lab.root)/.b/own.o":
                    tool: shell
                    inputs: []
                    outputs: ["\(lab.root)/.b/own.o"]
                    always-out-of-date: "true"
                    args: ["/bin/sh","-c","true"]
                """)
        #expect(builder.record(builtSince: Date()) == "SwiftPM reruns \(lab.root)/.b/own.o on every build")

        try lab.writeManifest()
        let elsewhere = FastPathBuilder(
            planFile: lab.directory.appending(".b/plan.json"), manifestFile: lab.directory.appending(".b/debug.yaml"),
            target: lab.directory.appending(".b/nothing.xctest"), labRoot: lab.directory.url,
            scratch: lab.directory.appending(".b"), environment: [:], runner: RecordingProcessRunner())
        #expect(elsewhere.record(builtSince: Date())?.hasPrefix("SwiftPM's plan does not build") == true)
        #expect(!FileManager.default.fileExists(atPath: lab.directory.appending(".b/plan.json").path))
    }
}
