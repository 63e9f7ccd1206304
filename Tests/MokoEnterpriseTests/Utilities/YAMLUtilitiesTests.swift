import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

@Suite struct YAMLUtilitiesTests {
    @Test func malformedYAMLReportsFileLineAndColumn() throws {
        let folder = try TemporaryDirectory(prefix: "yaml-tests")
        defer { folder.remove() }
        let file = folder.appending("broken.yaml")
        try "name: demo\nitems:\n  - one\n  - [two, three\nnext: 1\n".write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try YAMLUtilities.safeLoadYAML(file)
            Issue.record("expected a syntax error")
        } catch let error as YAMLUtilitiesError {
            guard case .syntax(let source, let line, let column, let problem) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(source == file.path)
            #expect(line == 5)
            #expect(column == 5)
            #expect(!problem.isEmpty)
            #expect(error.description.hasPrefix("\(file.path):5:5: invalid YAML"))
        }
    }

    @Test func badIndentationReportsItsLine() {
        #expect(throws: YAMLUtilitiesError.self) { try YAMLUtilities.safeParseYAML("a:\n  b: 1\n c: 2\n") }
        do {
            _ = try YAMLUtilities.safeParseYAML("a:\n  b: 1\n c: 2\n", source: "inline.yaml")
        } catch let error as YAMLUtilitiesError {
            #expect(error.line == 3)
            #expect(error.description.hasPrefix("inline.yaml:3:"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func duplicateKeysAreRejected() {
        #expect(throws: YAMLUtilitiesError.duplicateKey(source: "dup.yaml", key: "token", line: 2, column: 3)) {
            try YAMLUtilities.safeParseYAML("github:\n  token: a\n  org: b\n  token: c\n", source: "dup.yaml")
        }
    }

    @Test func billionLaughsIsRejectedWithoutExpansion() {
        var lines = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            let refs = Array(repeating: "*\(previous)", count: 9).joined(separator: ",")
            lines.append("\(name): &\(name) [\(refs)]")
        }
        let document = lines.joined(separator: "\n") + "\n"
        // 72 aliases in the text would expand to 9^9 (~387 million) strings: the expansion stops at the
        // 101st alias use.
        #expect(throws: YAMLUtilitiesError.tooManyAliases(source: "lol.yaml", limit: 100)) {
            try YAMLUtilities.safeParseYAML(document, source: "lol.yaml")
        }
        // The pre-scan refuses it before parsing when the text alone has too many aliases.
        #expect(throws: YAMLUtilitiesError.tooManyAliases(source: "lol.yaml", limit: 10)) {
            try YAMLUtilities.safeParseYAML(document, source: "lol.yaml", maxAliases: 10)
        }
        #expect(throws: YAMLUtilitiesError.tooManyNodes(source: "lol.yaml", limit: 100_000)) {
            try YAMLUtilities.safeParseYAML(document, source: "lol.yaml", maxAliases: 1_000_000)
        }
    }

    @Test func aliasesUsedAsKeysAreRejected() {
        let document = "base: &big [1, 2, 3]\n? *big\n: value\n"
        #expect(throws: YAMLUtilitiesError.aliasAsKey(source: "k.yaml", line: 2, column: 3)) {
            try YAMLUtilities.safeParseYAML(document, source: "k.yaml")
        }
    }

    @Test func reasonableAliasesAndMergeKeysWork() throws {
        let document = """
            defaults: &defaults
              retries: 3
              timeout: 30
            production:
              <<: *defaults
              timeout: 60
            tags: &tags [a, b]
            copy: *tags
            note: "an *asterisk in text"
            """
        let value = try YAMLUtilities.safeParseYAML(document)
        #expect(value.value(at: "production.retries") == 3)
        #expect(value.value(at: "production.timeout") == 60, "explicit keys win over merged ones")
        #expect(value.value(at: "copy") == ["a", "b"])
        #expect(value.value(at: "note") == "an *asterisk in text")
    }

    @Test func depthLimitIsEnforced() throws {
        let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        #expect(throws: YAMLUtilitiesError.tooDeep(source: "deep.yaml", limit: 64, line: 1, column: 65)) {
            try YAMLUtilities.safeParseYAML(deep, source: "deep.yaml")
        }
        let fine = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(try YAMLUtilities.safeParseYAML(fine, maxDepth: 10) != .null)
        // Far beyond the limit: libyaml's own nesting guard answers before any recursion.
        let hostile = String(repeating: "[", count: 100_000)
        #expect(throws: YAMLUtilitiesError.self) { try YAMLUtilities.safeParseYAML(hostile) }
    }

    @Test func sizeLimitIsEnforcedBeforeParsing() {
        let document = "key: " + String(repeating: "x", count: 2_000) + "\n"
        #expect(throws: YAMLUtilitiesError.tooLarge(source: "<string>", size: 2_006, limit: 1_000)) {
            try YAMLUtilities.safeParseYAML(document, maxBytes: 1_000)
        }
    }

    @Test func tenMegabyteSingleLineFileGetsASizeError() throws {
        let folder = try TemporaryDirectory(prefix: "yaml-big")
        defer { folder.remove() }
        let file = folder.appending("big.yaml")
        var data = Data("key: ".utf8)
        data.append(Data(repeating: UInt8(ascii: "x"), count: 10 * 1024 * 1024))
        try data.write(to: file)
        #expect(throws: YAMLUtilitiesError.tooLarge(source: file.path, size: data.count, limit: 1024 * 1024)) {
            try YAMLUtilities.safeLoadYAML(file)
        }
        let error = YAMLUtilitiesError.tooLarge(source: file.path, size: data.count, limit: 1)
        #expect(error.description.contains("exceeds the limit"))
    }

    @Test func invalidUTF8FileIsAClearError() throws {
        let folder = try TemporaryDirectory(prefix: "yaml-utf8")
        defer { folder.remove() }
        let file = folder.appending("latin1.yaml")
        try Data([0x61, 0x3A, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A]).write(to: file)
        #expect(throws: YAMLUtilitiesError.unreadable(.invalidUTF8(path: file.path, byteOffset: 6))) {
            try YAMLUtilities.safeLoadYAML(file)
        }
    }

    @Test func scalarsKeepTheirYAML12Types() throws {
        let value = try YAMLUtilities.safeParseYAML(
            """
            int: 42
            hex: 0x1F
            float: 2.5
            quoted: "5"
            yes_word: yes
            country: NO
            flag: false
            empty:
            tilde: ~
            date: 2026-02-01
            huge: 123456789012345678901234567890
            """)
        #expect(value.value(at: "int") == 42)
        #expect(value.value(at: "hex") == 31)
        #expect(value.value(at: "float") == 2.5)
        #expect(value.value(at: "quoted") == "5")
        #expect(value.value(at: "yes_word") == "yes")
        #expect(value.value(at: "country") == "NO")
        #expect(value.value(at: "flag") == false)
        #expect(value.value(at: "empty") == .null)
        #expect(value.value(at: "tilde") == .null)
        #expect(value.value(at: "date") == "2026-02-01")
        #expect(value.value(at: "huge") == "123456789012345678901234567890")
    }

    @Test func customTagsAndComplexKeysAreRejected() {
        #expect(throws: YAMLUtilitiesError.self) {
            try YAMLUtilities.safeParseYAML("cmd: !!python/object/apply:os.system [\"rm -rf /\"]\n")
        }
        #expect(throws: YAMLUtilitiesError.nonScalarKey(source: "<string>", line: 1, column: 3)) {
            try YAMLUtilities.safeParseYAML("? [a, b]\n: c\n")
        }
        #expect(throws: YAMLUtilitiesError.multipleDocuments(source: "<string>")) {
            try YAMLUtilities.safeParseYAML("a: 1\n---\nb: 2\n")
        }
    }

    @Test func deepMergeMergesMappingsAndReplacesEverythingElse() {
        let base: ConfigValue = ["db": ["host": "localhost", "port": 5432], "tags": ["a", "b"], "name": "x"]
        let override: ConfigValue = ["db": ["port": 3306], "cache": ["enabled": true], "tags": ["c"], "name": nil]
        let merged = YAMLUtilities.deepMerge(base, override)
        #expect(
            merged == [
                "db": ["host": "localhost", "port": 3306], "cache": ["enabled": true], "tags": ["c"], "name": nil,
            ])
    }

    @Test func dumpYAMLRoundTripsTypes() throws {
        let value: ConfigValue = [
            "text": "5", "word": "yes", "number": 5, "ratio": 0.5, "on": true, "none": nil, "list": ["a", 1],
            "nested": ["empty": ""],
        ]
        let text = try YAMLUtilities.dumpYAML(value)
        #expect(try YAMLUtilities.safeParseYAML(text) == value)
    }
}
