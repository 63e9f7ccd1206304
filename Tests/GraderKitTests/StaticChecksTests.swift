import Foundation
import XCTest

@testable import GraderKit

final class StaticChecksTests: XCTestCase {
    func testItemIDsMapToChecks() {
        XCTAssertEqual(StaticCheck(itemID: "Project.static.no-warnings"), .noWarnings)
        XCTAssertEqual(StaticCheck(itemID: "Project.static.coverage"), .coverage)
        XCTAssertNil(StaticCheck(itemID: "Project.static.unknown"))
        XCTAssertNil(StaticCheck(itemID: "Project.scenario.dry-run"))
        XCTAssertEqual(StaticCheck.allCases.count, 8)
        for check in StaticCheck.allCases { XCTAssertEqual(StaticCheck(itemID: check.itemID), check) }
    }

    func testWarningsAreTakenOnlyFromProjectFiles() {
        let log = """
            [10/20] Compiling Project MokoProject.swift
            /w/Exercises/Project/Sources/MokoProject.swift:12:9: warning: variable 'x' was never mutated
            /w/Exercises/Project/Sources/MokoProject.swift:12:9: warning: variable 'x' was never mutated
            /w/Exercises/Exercise1_10/ContactValidation.swift:121:13: warning: variable 'errors' was never mutated
            warning: 'swift-distributed-tracing': found 1 file(s) which are unhandled
            /w/Exercises/Project/Tests/ProjectTests.swift:3:1: warning: 'foo' is deprecated
            /w/Exercises/Project/Sources/Policy.swift:4:2: error: cannot find 'y' in scope
            """
        let warnings = StaticRules.compilerWarnings(inBuildLog: log, folder: "Exercises/Project")
        XCTAssertEqual(
            warnings,
            [
                "Exercises/Project/Sources/MokoProject.swift:12: variable 'x' was never mutated",
                "Exercises/Project/Tests/ProjectTests.swift:3: 'foo' is deprecated",
            ])
        XCTAssertTrue(StaticRules.compiled(module: "Project", inBuildLog: log))
        XCTAssertFalse(StaticRules.compiled(module: "Project", inBuildLog: "[3/4] Compiling ProjectTests A.swift"))
        XCTAssertEqual(StaticRules.warningsVerdict([]).fraction, 1)
        XCTAssertEqual(StaticRules.warningsVerdict(warnings).fraction, 0)
    }

    func testCodeOnlyBlanksCommentsAndStringsButKeepsInterpolations() {
        let source = #"""
            let a = "fatalError()" // fatalError()
            /* preconditionFailure() /* nested */ fatalError() */
            let b = "\(fatalError("x"))"
            let c = #"raw "fatalError" \(no)"#
            let d = """
                fatalError()
                """
            fatalError("real")
            let e = myfatalError()
            """#
        XCTAssertEqual(StaticRules.trapCalls(in: source), [3, 8])
        let code = StaticRules.codeOnly(source)
        XCTAssertEqual(code.split(separator: "\n", omittingEmptySubsequences: false).count, 9)
        XCTAssertFalse(code.contains("nested"))
        XCTAssertEqual(StaticRules.trapCalls(in: "guard ok else { preconditionFailure() }\n"), [1])
        XCTAssertEqual(StaticRules.trapCalls(in: "let s = \"\\\"fatalError()\"\n"), [])
    }

    func testCrashRuleFindingsAreFilteredFromLintOutput() {
        let output = """
            /w/Exercises/Project/Sources/A.swift:2:9: warning: [NeverForceUnwrap] do not force unwrap 'x'
            /w/Exercises/Project/Sources/A.swift:3:9: warning: [NeverUseForceTry] do not use force try
            /w/Exercises/Project/Sources/A.swift:4:1: warning: [Indentation] replace 2 spaces with 4
            /w/Exercises/Project/Sources/A.swift:5:8: warning: [NeverUseImplicitlyUnwrappedOptionals] use 'Int'
            """
        XCTAssertEqual(StaticRules.crashRuleFindings(inLintOutput: output).count, 3)
        XCTAssertEqual(StaticRules.lintFindings(inLintOutput: output).count, 4)
        XCTAssertEqual(StaticRules.crashVerdict(ruleFindings: [], trapCalls: []).fraction, 1)
        XCTAssertEqual(StaticRules.crashVerdict(ruleFindings: [], trapCalls: ["A.swift:8"]).fraction, 0)
        XCTAssertEqual(StaticRules.lintVerdict([], exitCode: 0).fraction, 1)
        XCTAssertEqual(StaticRules.lintVerdict([], exitCode: 1).fraction, 0, "a failing lint with no line still fails")
    }

    func testTokenLiteralsAreFound() {
        let token = "ghp_" + String(repeating: "a1B2", count: 9)
        XCTAssertEqual(StaticRules.tokenLiterals(in: "let a = 1\nlet t = \"\(token)\"\n"), [2])
        XCTAssertEqual(StaticRules.tokenLiterals(in: "// github_pat_" + String(repeating: "x", count: 30)), [1])
        XCTAssertEqual(StaticRules.tokenLiterals(in: "let prefix = \"ghp_\"\nlet env = \"GITHUB_TOKEN\""), [])
    }

    func testHelpMustListEveryFlagAsAWholeWord() {
        let complete = StaticRules.contractFlags.map { "  \($0) <value>" }.joined(separator: "\n")
        XCTAssertEqual(StaticRules.missingFlags(inHelp: complete), [])
        XCTAssertEqual(StaticRules.helpVerdict(exitCode: 0, help: complete).fraction, 1)
        let partial = complete.replacingOccurrences(of: "--org <value>", with: "--organisation <value>")
            .replacingOccurrences(of: "--json", with: "--json-lines")
        XCTAssertEqual(StaticRules.missingFlags(inHelp: partial), ["--org", "--json"])
        XCTAssertEqual(StaticRules.helpVerdict(exitCode: 0, help: partial).fraction, 0)
        XCTAssertEqual(StaticRules.helpVerdict(exitCode: 1, help: complete).fraction, 0)
        XCTAssertEqual(StaticRules.helpVerdict(exitCode: nil, help: complete).fraction, 0)
    }

    func testDocCoverageCountsTheProjectsDeclarations() throws {
        func symbol(
            _ path: [String], kind: String = "swift.struct", doc: String? = nil, file: String = "A.swift"
        )
            -> [String: Any]
        {
            var entry: [String: Any] = [
                "kind": ["identifier": kind], "identifier": ["precise": "s:" + path.joined()],
                "pathComponents": path,
                "location": ["uri": "file:///w/Exercises/Project/Sources/\(file)"],
            ]
            if let doc { entry["docComment"] = ["lines": [["text": doc]]] }
            return entry
        }
        var synthesized = symbol(["Run", "init"], kind: "swift.init")
        synthesized["identifier"] = ["precise": "s:Run::SYNTHESIZED::init"]
        var elsewhere = symbol(["Library"])
        elsewhere["location"] = ["uri": "file:///w/Sources/MokoEnterprise/Library.swift"]
        let graph: [String: Any] = [
            "symbols": [
                symbol(["Run"], doc: "A run."), symbol(["Run", "start()"], kind: "swift.method", doc: "Starts."),
                symbol(["Run", "count"], kind: "swift.property"), symbol(["Report"], doc: "  ", file: "B.swift"),
                symbol(["Run"], kind: "swift.extension"), symbol(["_Hidden"]), synthesized, elsewhere,
            ]
        ]
        let data = try JSONSerialization.data(withJSONObject: graph)
        let coverage = try StaticRules.docCoverage(symbolGraph: data, folder: "/Exercises/Project/Sources/")
        XCTAssertEqual(coverage.total, 4)
        XCTAssertEqual(coverage.documented, 2)
        XCTAssertEqual(coverage.undocumented, ["Report (B.swift)", "Run.count (A.swift)"])
        let half = StaticRules.docVerdict(coverage)
        XCTAssertEqual(half.fraction, 0.5 / 0.8, accuracy: 0.0001)
        XCTAssertTrue(half.message.contains("2 of 4"))
        let most = StaticRules.DocCoverage(total: 10, documented: 8, undocumented: ["a", "b"])
        XCTAssertEqual(StaticRules.docVerdict(most).fraction, 1)
        XCTAssertEqual(StaticRules.docVerdict(.init(total: 0, documented: 0, undocumented: [])).fraction, 0)
        XCTAssertThrowsError(try StaticRules.docCoverage(symbolGraph: Data("[]".utf8), folder: "/"))
    }

    private let skeleton = """
        # Contract

        ## Exit codes

        | 0 | done |

        ## Your documentation

        ### Usage

        TODO: how to run it.

        ### Configuration

        TODO: the keys.

        ### Exit codes

        TODO: when.

        ### Design

        TODO: the design.

        ### Tests

        TODO: the tests.
        """

    func testTheShippedReadmeHasNoneOfItsOwnSections() {
        XCTAssertEqual(
            StaticRules.missingTopics(readme: skeleton, skeleton: skeleton),
            ["Usage", "Configuration", "Exit codes", "Design", "Tests"])
        XCTAssertEqual(StaticRules.readmeVerdict(missing: ["Usage", "Design"]).fraction, 0.6, accuracy: 0.0001)
    }

    func testReadmeSectionsMustBeWrittenAndNotPlaceholders() {
        let written =
            skeleton
            .replacingOccurrences(of: "TODO: how to run it.", with: "Run `moko-project --org acme`.")
            .replacingOccurrences(of: "TODO: the design.", with: "")
            .replacingOccurrences(
                of: "### Tests\n\nTODO: the tests.", with: "### Tests\n\n#### Unit\n\nThe policy diff is tested.")
            + "\n\n## Architecture\n\n```\n## not a heading\n```\nThree layers.\n"
        XCTAssertEqual(
            StaticRules.missingTopics(readme: written, skeleton: skeleton), ["Configuration", "Exit codes"])
        let sections = StaticRules.sections(of: written)
        XCTAssertFalse(sections.contains { $0.heading == "not a heading" })
        XCTAssertTrue(sections.contains { $0.heading == "Tests" && $0.body.contains("policy diff") })
    }

    func testOwnTestsNeedEnoughPassingTestsAndCoverageNeedsThem() {
        XCTAssertEqual(StaticRules.ownTestsVerdict(passed: 5, failed: [], ran: true).fraction, 1)
        XCTAssertEqual(StaticRules.ownTestsVerdict(passed: 4, failed: [], ran: true).fraction, 0)
        XCTAssertEqual(StaticRules.ownTestsVerdict(passed: 9, failed: ["A.test"], ran: true).fraction, 0)
        XCTAssertEqual(StaticRules.ownTestsVerdict(passed: 9, failed: [], ran: false).fraction, 0)
        XCTAssertEqual(StaticRules.coverageVerdict(covered: 60, total: 100, testsPassed: true).fraction, 1)
        XCTAssertEqual(
            StaticRules.coverageVerdict(covered: 30, total: 100, testsPassed: true).fraction, 0.5, accuracy: 0.0001)
        XCTAssertEqual(StaticRules.coverageVerdict(covered: 90, total: 100, testsPassed: false).fraction, 0)
        XCTAssertEqual(StaticRules.coverageVerdict(covered: 0, total: 0, testsPassed: true).fraction, 0)
    }

    func testLineCoverageSumsTheProjectsFiles() throws {
        let export = """
            {"data": [{"files": [
              {"filename": "/w/Exercises/Project/Sources/A.swift", "summary": {"lines": {"count": 100, "covered": 70}}},
              {"filename": "/w/Exercises/Project/Sources/B.swift", "summary": {"lines": {"count": 50, "covered": 5}}},
              {"filename": "/w/Exercises/Project/Tests/T.swift", "summary": {"lines": {"count": 80, "covered": 80}}}
            ], "totals": {}}], "type": "llvm.coverage.json.export"}
            """
        let (covered, total) = try StaticRules.lineCoverage(
            llvmCovExport: Data(export.utf8), folder: "/Exercises/Project/Sources/")
        XCTAssertEqual(covered, 75)
        XCTAssertEqual(total, 150)
    }

    func testVerdictPointsAreClampedAndRoundedDown() {
        XCTAssertEqual(StaticVerdict(fraction: 0.5 / 0.8, message: "").points(of: Points(10)), Points(hundredths: 625))
        XCTAssertEqual(StaticVerdict(fraction: 1 / 3, message: "").points(of: Points(5)), Points(hundredths: 166))
        XCTAssertEqual(StaticVerdict(fraction: 2, message: "").points(of: Points(5)), Points(5))
        XCTAssertEqual(StaticVerdict(fraction: .nan, message: "").points(of: Points(5)), .zero)
    }
}
