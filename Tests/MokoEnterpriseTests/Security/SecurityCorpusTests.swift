import Foundation
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

/// One row of `Fixtures/security/*.jsonl`.
private struct SecurityCorpusRow: Decodable {
    var detector: String?
    var kind: String?
    var input: String
}

@Suite("Security corpus")
struct SecurityCorpusTests {
    let validator = SecurityValidator()

    private func load(_ name: String) throws -> [SecurityCorpusRow] {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: fixtures.appendingPathComponent("security/\(name)"))
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try JSONDecoder().decode(SecurityCorpusRow.self, from: Data($0))
        }
    }

    @Test func everyMaliciousInputIsDetectedByItsDetector() throws {
        let rows = try load("malicious.jsonl")
        #expect(rows.count >= 200)
        let root = try TemporaryDirectory(prefix: "corpus-root")
        defer { root.remove() }
        var missed: [String] = []
        var perDetector: [String: Int] = [:]
        for row in rows {
            let detector = row.detector ?? "?"
            perDetector[detector, default: 0] += 1
            let detected: Bool
            switch detector {
            case "credentials": detected = !validator.detectCredentials(row.input).isEmpty
            case "sql": detected = validator.detectSQLInjection(row.input).isInjection
            case "path": detected = (try? validator.validatePath(row.input, allowedRoot: root.path)) == nil
            case "shell": detected = !validator.detectDangerousPatterns(row.input).isEmpty
            default: detected = false
            }
            if !detected { missed.append("[\(detector)] \(row.input)") }
        }
        let rate = Double(rows.count - missed.count) / Double(rows.count) * 100
        print(
            "security corpus: \(rows.count) malicious inputs \(perDetector), detection rate \(String(format: "%.1f", rate)) %"
        )
        #expect(missed.isEmpty, "missed:\n\(missed.joined(separator: "\n"))")
    }

    @Test func benignInputsAreRarelyFlagged() throws {
        let rows = try load("benign.jsonl")
        #expect(rows.count >= 1_000)
        var flagged: [String] = []
        for row in rows {
            var detectors: [String] = []
            if !validator.detectCredentials(row.input).isEmpty { detectors.append("credentials") }
            if validator.detectSQLInjection(row.input).isInjection { detectors.append("sql") }
            if !validator.detectDangerousPatterns(row.input).isEmpty { detectors.append("shell") }
            if !detectors.isEmpty { flagged.append("\(detectors) \(row.input)") }
        }
        let rate = Double(flagged.count) / Double(rows.count) * 100
        print(
            "security corpus: \(rows.count) benign inputs, false-positive rate \(String(format: "%.2f", rate)) % (\(flagged.count) flagged)"
        )
        for line in flagged { print("  flagged: \(line)") }
        #expect(rate <= 1.0, "flagged:\n\(flagged.joined(separator: "\n"))")
    }
}
