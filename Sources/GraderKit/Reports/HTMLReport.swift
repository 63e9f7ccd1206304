/// The self-contained HTML report of one submission (inline CSS, no scripts, no external resources).
public enum HTMLReport {
    static let style = """
        body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
        td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f3f3f3}
        .pass{color:#1a7f37}.fail,.error,.timeout,.not_run{color:#b42318}.muted{color:#777}pre{white-space:pre-wrap;margin:0}
        """

    /// Renders the report.
    public static func render(_ result: GradeResult, label: String) -> String {
        let escape = Reports.escape
        var html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>\(escape(label)) — MokoLab grade</title>"
        html += "<style>\(style)</style></head><body>"
        html +=
            "<h1>\(escape(label)): \(result.score) / \(result.maxScore) — \(result.passed ? "<span class=pass>PASS</span>" : "<span class=fail>FAIL</span>")</h1>"
        if result.provisional {
            html +=
                "<p>Provisional: \(result.pendingPoints) points are pending (not gradable yet); the pass mark applies to the \(result.gradablePoints) gradable points.</p>"
        }
        if result.incomplete {
            html += "<p class=error>Incomplete: the grader failed on some exercise; those points are not counted.</p>"
        }
        html += "<table><tr><th>Criterion</th><th>Score</th><th>Gradable</th><th>Max</th></tr>"
        for criterion in result.criteria {
            html +=
                "<tr><td>\(escape(criterion.title))</td><td>\(criterion.points)</td><td>\(criterion.gradablePoints)</td><td>\(criterion.maxPoints)</td></tr>"
        }
        html +=
            "<tr><th>Total</th><th>\(result.score)</th><th>\(result.gradablePoints)</th><th>\(result.maxScore)</th></tr></table>"
        html += "<h2>Exercises</h2><table><tr><th>Exercise</th><th>Status</th><th>Points</th><th>Details</th></tr>"
        for exercise in result.exercises {
            html +=
                "<tr><td>\(exercise.id)</td><td>\(exercise.status.rawValue)</td><td>\(exercise.points) / \(exercise.maxPoints)</td>"
            html +=
                "<td><pre>\(escape(exercise.message ?? (exercise.source == "skeleton" ? "no folder in the submission: skeleton graded" : "")))</pre></td></tr>"
        }
        html +=
            "</table><h2>Checks</h2><table><tr><th>Check</th><th>Kind</th><th>Status</th><th>Points</th><th>Message</th></tr>"
        for check in result.checks {
            html += "<tr><td>\(escape(check.name))</td><td>\(check.hidden ? "hidden" : "visible")</td>"
            html +=
                "<td class=\(check.status.rawValue)>\(check.status.rawValue)</td><td>\(check.points) / \(check.maxPoints)</td>"
            html += "<td><pre>\(escape(check.message ?? ""))</pre></td></tr>"
        }
        html += "</table>"
        if !result.pending.isEmpty {
            html += "<h2>Pending</h2><table><tr><th>Item</th><th>Criterion</th><th>Points</th><th>Why</th></tr>"
            for item in result.pending {
                html +=
                    "<tr class=muted><td>\(escape(item.id))</td><td>\(escape(item.criterion))</td><td>\(item.points)</td><td>\(escape(item.reason))</td></tr>"
            }
            html += "</table>"
        }
        if !result.ignoredEdits.isEmpty {
            html +=
                "<h2>Ignored edits</h2><p>These files are not yours to change; the grader used the instructor's copy.</p><ul>"
            for edit in result.ignoredEdits { html += "<li>\(escape(edit.path)) (\(edit.change.rawValue))</li>" }
            html += "</ul>"
        }
        if !result.notes.isEmpty {
            html += "<h2>Notes</h2><ul>" + result.notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
        }
        html +=
            "<p class=muted>Graded \(escape(result.gradedAt)); submission \(result.submissionSHA256.prefix(16)); sandbox: \(escape(result.sandbox)).</p>"
        html += "</body></html>\n"
        return html
    }
}

/// The certificate and badge of a passing submission.
public enum Certificate {
    /// A printable HTML certificate.
    public static func html(_ result: GradeResult, label: String) -> String {
        let escape = Reports.escape
        return """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>MokoLab certificate — \(escape(label))</title>
            <style>body{font-family:Georgia,serif;text-align:center;margin:4em;border:6px double #345;padding:3em}
            h1{font-size:2.2em}p{font-size:1.2em}.small{font-size:.8em;color:#666}</style></head><body>
            <h1>Certificate of completion</h1>
            <p>MokoStandards Enterprise Libraries — Swift</p>
            <p>awarded to</p><h2>\(escape(label))</h2>
            <p>score \(result.score) of \(result.maxScore)\(result.provisional ? " (provisional: \(result.score) of \(result.gradablePoints) gradable points; \(result.pendingPoints) pending)" : "")</p>
            <p class="small">Graded \(escape(result.gradedAt)); submission SHA-256 \(result.submissionSHA256)</p>
            </body></html>

            """
    }

    /// A small SVG badge, e.g. "MokoLab | 190/200".
    public static func badge(_ result: GradeResult) -> String {
        let value =
            result.provisional ? "\(result.score)/\(result.gradablePoints)*" : "\(result.score)/\(result.maxScore)"
        let width = 70 + value.count * 7
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="20" role="img" aria-label="MokoLab: \(value)">
            <rect width="64" height="20" fill="#555"/><rect x="64" width="\(width - 64)" height="20" fill="#2e7d32"/>
            <g fill="#fff" font-family="Verdana,sans-serif" font-size="11">
            <text x="6" y="14">MokoLab</text><text x="70" y="14">\(value)</text></g></svg>

            """
    }
}
