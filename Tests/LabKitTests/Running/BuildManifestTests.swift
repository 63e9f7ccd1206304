import Foundation
import LabKit
import Testing

@Suite struct BuildManifestTests {
    static let text = #"""
        client:
          name: basic
          file-system: device-agnostic
        tools: {}
        targets:
          "main": ["<Ex-debug.module>"]
        default: "main"
        nodes:
          "/lab/Exercises/Ex/":
            is-directory-structure: true
            content-exclusion-patterns: [".git",".build"]
          "/lab/stamp":
            is-command-timestamp: true
        commands:
          "/lab/.b/Ex.build/sources":
            tool: write-auxiliary-file
            inputs: ["<sources-file-list>","/lab/Exercises/Ex/A.swift"]
            outputs: ["/lab/.b/Ex.build/sources"]
            description: "Write auxiliary file /lab/.b/Ex.build/sources"

          "C.Ex-debug.module":
            tool: shell
            inputs: ["/lab/Exercises/Ex/A.swift","/lab/.b/Ex.build/sources"]
            outputs: ["/lab/.b/Ex.build/A.swift.o","/lab/.b/Modules/Ex.swiftmodule"]
            description: "Compiling Swift Module 'Ex' (1 sources)"
            args: ["/usr/bin/swiftc","-module-name","Ex","-parseable-output","-D","QUOTE=\"a b\""]

          "/lab/.b/C.build/c.c.o":
            tool: clang
            inputs: ["/lab/.b/checkouts/c/c.c"]
            outputs: ["/lab/.b/C.build/c.c.o"]
            description: "Compiling C c.c"
            args: ["/usr/bin/clang","-c","c.c"]
            deps: "/lab/.b/C.build/c.c.d"

          "run-with-env":
            tool: shell
            inputs: []
            outputs: ["/lab/.b/out"]
            args: ["/bin/true"]
            env:
              "A": "1"

          "swift-version":
            tool: write-auxiliary-file
            inputs: ["<swift-get-version>","/usr/bin/swiftc"]
            outputs: ["/lab/.b/swift-version.txt"]
            always-out-of-date: "true"

          "PackageStructure":
            tool: package-structure-tool
            inputs: ["/lab/Exercises/Ex/","/lab/Package.swift"]
            outputs: ["<PackageStructure>"]
            description: "Planning build"
            allow-missing-inputs: true

        """#

    @Test func readsCommandsWithTheirInputsOutputsAndArguments() throws {
        let manifest = try BuildManifest.parse(Data(Self.text.utf8))
        #expect(
            manifest.commands.map(\.name) == [
                "/lab/.b/Ex.build/sources", "C.Ex-debug.module", "/lab/.b/C.build/c.c.o", "run-with-env",
                "swift-version", "PackageStructure",
            ])
        let compile = try #require(manifest.commands.first { $0.name == "C.Ex-debug.module" })
        #expect(compile.tool == "shell" && compile.isUnderstood && !compile.alwaysOutOfDate)
        #expect(compile.inputs == ["/lab/Exercises/Ex/A.swift", "/lab/.b/Ex.build/sources"])
        #expect(compile.outputs == ["/lab/.b/Ex.build/A.swift.o", "/lab/.b/Modules/Ex.swiftmodule"])
        #expect(
            compile.arguments == ["/usr/bin/swiftc", "-module-name", "Ex", "-parseable-output", "-D", #"QUOTE="a b""#])
        #expect(compile.description == "Compiling Swift Module 'Ex' (1 sources)")
        #expect(manifest.commands[0].inputs.first == "<sources-file-list>")
    }

    @Test func marksWhatItDoesNotModel() throws {
        let manifest = try BuildManifest.parse(Data(Self.text.utf8))
        let clang = try #require(manifest.commands.first { $0.tool == "clang" })
        #expect(!clang.isUnderstood && clang.dependencyFile == "/lab/.b/C.build/c.c.d")
        #expect(manifest.commands.first { $0.name == "run-with-env" }?.isUnderstood == false)
        #expect(manifest.commands.first { $0.name == "swift-version" }?.alwaysOutOfDate == true)
        #expect(manifest.directoryStructures == ["/lab/Exercises/Ex/"])
        #expect(manifest.specialNodes == ["/lab/stamp"])
    }

    @Test func aLineNotShapedAsSwiftPMWritesItIsAnError() {
        let broken = Self.text.replacingOccurrences(
            of: #"inputs: ["/lab/Exercises/Ex/A.swift","/lab/.b/Ex.build/sources"]"#, with: "inputs: [unquoted]")
        #expect(throws: LabError.self) { try BuildManifest.parse(Data(broken.utf8)) }
        #expect(throws: LabError.self) { try BuildManifest.parse(Data("commands:\n  name-without-quotes:\n".utf8)) }
    }
}
