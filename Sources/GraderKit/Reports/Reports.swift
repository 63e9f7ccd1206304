import Foundation

/// Writes a result in every format: our results.json, Gradescope's, JUnit XML, a self-contained HTML report,
/// and for a passing submission a certificate and a badge.
public enum Reports {
    /// Writes all reports of `result` into `directory`.
    ///
    /// - Parameters:
    ///   - result: the graded result.
    ///   - allocation: the rubric it was graded against.
    ///   - label: the submission's name in the reports.
    ///   - directory: the output folder.
    public static func write(_ result: GradeResult, allocation: Allocation, label: String, to directory: URL) throws {
        try json(result).write(to: directory.appendingPathComponent("results.json"), options: .atomic)
        try gradescope(result).write(to: directory.appendingPathComponent("gradescope-results.json"), options: .atomic)
        try Data(junit(result, label: label).utf8).write(
            to: directory.appendingPathComponent("junit.xml"), options: .atomic)
        try Data(HTMLReport.render(result, label: label).utf8).write(
            to: directory.appendingPathComponent("report.html"), options: .atomic)
        let certificate = directory.appendingPathComponent("certificate.html")
        let badge = directory.appendingPathComponent("badge.svg")
        if result.passed {
            try Data(Certificate.html(result, label: label).utf8).write(to: certificate, options: .atomic)
            try Data(Certificate.badge(result).utf8).write(to: badge, options: .atomic)
        } else {
            try? FileManager.default.removeItem(at: certificate)
            try? FileManager.default.removeItem(at: badge)
        }
    }

    /// Our results.json.
    public static func json(_ result: GradeResult) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(result)
    }

    /// Gradescope's results.json: one test per check (hidden checks visible after publication), the score
    /// given explicitly.
    public static func gradescope(_ result: GradeResult) throws -> Data {
        var tests: [[String: Any]] = []
        for (index, check) in result.checks.enumerated() {
            var test: [String: Any] = [
                "name": check.name, "number": "\(index + 1)", "score": check.points.value,
                "max_score": check.maxPoints.value, "status": check.status == .pass ? "passed" : "failed",
                "visibility": check.hidden ? "after_published" : "visible",
                "tags": [check.exercise, check.criterion, check.status.rawValue],
            ]
            if let message = check.message { test["output"] = message }
            tests.append(test)
        }
        var output =
            "Score \(result.score) of \(result.gradablePoints) gradable points (\(result.maxScore) in the rubric"
        output += result.pendingPoints > .zero ? "; \(result.pendingPoints) pending)." : ")."
        if !result.ignoredEdits.isEmpty {
            output +=
                " Ignored edits to files you do not own: "
                + result.ignoredEdits.map(\.path).joined(separator: ", ") + "."
        }
        let object: [String: Any] = [
            "score": result.score.value, "execution_time": Int(result.timings["total"] ?? 0),
            "output": output, "visibility": "visible", "stdout_visibility": "hidden", "tests": tests,
            "extra_data": ["schema": result.schema, "passed": result.passed, "provisional": result.provisional],
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// JUnit XML: a test suite per exercise, a test case per check.
    public static func junit(_ result: GradeResult, label: String) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let failures = result.checks.filter { $0.status == .fail }.count
        let errors = result.checks.filter { $0.status == .error || $0.status == .timeout }.count
        let skipped = result.checks.filter { $0.status == .notRun }.count
        xml +=
            "<testsuites name=\"\(escape(label))\" tests=\"\(result.checks.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\">\n"
        for exercise in result.exercises {
            let checks = result.checks.filter { $0.exercise == exercise.id }
            let time = checks.map(\.seconds).reduce(0, +)
            xml += "  <testsuite name=\"\(escape(exercise.id))\" tests=\"\(checks.count)\" "
            xml += "failures=\"\(checks.filter { $0.status == .fail }.count)\" "
            xml += "errors=\"\(checks.filter { $0.status == .error || $0.status == .timeout }.count)\" "
            xml += "skipped=\"\(checks.filter { $0.status == .notRun }.count)\" time=\"\(time)\">\n"
            for check in checks {
                let parts = check.name.split(separator: ".", maxSplits: 1).map(String.init)
                xml +=
                    "    <testcase classname=\"\(escape(parts.first ?? ""))\" name=\"\(escape(parts.last ?? ""))\" time=\"\(check.seconds)\""
                let message = escape(check.message ?? check.status.rawValue)
                switch check.status {
                case .pass: xml += "/>\n"
                case .fail: xml += ">\n      <failure message=\"\(message)\" type=\"fail\"/>\n    </testcase>\n"
                case .error, .timeout:
                    xml +=
                        ">\n      <error message=\"\(message)\" type=\"\(check.status.rawValue)\"/>\n    </testcase>\n"
                case .notRun: xml += ">\n      <skipped message=\"\(message)\"/>\n    </testcase>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    /// Escapes text for XML and HTML.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default:
                if let scalar = character.unicodeScalars.first, scalar.value < 0x20, character != "\n",
                    character != "\t"
                {
                    escaped += " "
                } else {
                    escaped.append(character)
                }
            }
        }
        return escaped
    }
}

/// The score table printed at the end of a run.
public enum ScoreTable {
    /// Renders the per-criterion table and the verdict.
    public static func render(_ result: GradeResult, label: String) -> String {
        var lines: [String] = []
        lines.append("\(label)")
        lines.append(
            RubricSummary.pad("criterion", 40) + RubricSummary.pad("score", 10) + RubricSummary.pad("gradable", 10)
                + "max")
        for criterion in result.criteria {
            lines.append(
                RubricSummary.pad(criterion.title, 40) + RubricSummary.pad("\(criterion.points)", 10)
                    + RubricSummary.pad("\(criterion.gradablePoints)", 10) + "\(criterion.maxPoints)")
        }
        lines.append(
            RubricSummary.pad("TOTAL", 40) + RubricSummary.pad("\(result.score)", 10)
                + RubricSummary.pad("\(result.gradablePoints)", 10) + "\(result.maxScore)")
        for exercise in result.exercises where exercise.status != .graded {
            lines.append("  \(exercise.id): \(exercise.status.rawValue)")
        }
        for edit in result.ignoredEdits { lines.append("  ignored \(edit.change.rawValue) file: \(edit.path)") }
        let verdict = result.passed ? "PASS" : "FAIL"
        var summary = "score \(result.score)/\(result.maxScore)"
        if result.provisional {
            summary +=
                " (\(result.score)/\(result.gradablePoints) of the gradable points; \(result.pendingPoints) points pending, provisional)"
        }
        lines.append(
            "\(summary): \(verdict) (pass mark \(result.passMark)/\(result.maxScore)\(result.provisional ? ", applied to the gradable share" : ""))"
        )
        if result.incomplete { lines.append("INCOMPLETE: the grader failed on some exercise (see results.json)") }
        return lines.joined(separator: "\n")
    }
}
