import Crypto
import Foundation
import MokoEnterprise
import Testing

/// The quizzes in `sessions/quizzes/` store each answer as
/// `sha256("mokolab-quiz:session-N:qK:<choice index>")` (K from 1, choice index from 0), so a trainee kit does
/// not give the answers away. These tests check that every stored hash names exactly one of the question's
/// choices, and that it is the choice the guide's instructor section gives.
@Suite("Session quizzes")
struct SessionQuizTests {
    static let sessions: [(number: Int, guide: String, questions: Int)] = [
        (1, "sessions/session-1-libraries-overview.md", 5),
        (2, "sessions/session-2-integration-workshop.md", 5),
        (3, "sessions/session-3-advanced-features.md", 5),
    ]

    struct Question {
        var id: String
        var text: String
        var choices: [String]
        var answerHash: String
    }

    static func loadQuiz(session: Int) throws -> [Question] {
        let url = GuideFiles.root.appendingPathComponent("sessions/quizzes/session-\(session).yaml")
        let yaml = try YAMLUtilities.safeLoadYAML(url)
        #expect(yaml.value(at: "session") == .int(session), "session-\(session).yaml names another session")
        let questions = try #require(
            yaml.value(at: "questions")?.arrayValue, "session-\(session).yaml has no questions")
        return try questions.enumerated().map { index, question in
            let id = try #require(question.value(at: "id")?.stringValue, "question \(index + 1) has no id")
            return Question(
                id: id,
                text: try #require(question.value(at: "question")?.stringValue, "\(id) has no question text"),
                choices: try #require(question.value(at: "choices")?.arrayValue, "\(id) has no choices").map {
                    try #require($0.stringValue, "\(id) has a choice that is not text")
                },
                answerHash: try #require(question.value(at: "answer_sha256")?.stringValue, "\(id) has no answer_sha256")
            )
        }
    }

    static func hash(session: Int, question: Int, choice: Int) -> String {
        SHA256.hash(data: Data("mokolab-quiz:session-\(session):q\(question):\(choice)".utf8))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// `**Q3: b)**` lines of the guide's instructor section: question number → choice index.
    static func instructorAnswers(guide: String) throws -> [Int: Int] {
        let text = try String(contentsOf: GuideFiles.root.appendingPathComponent(guide), encoding: .utf8)
        let section = try #require(
            text.range(of: "## For instructors").map { text[$0.lowerBound...] },
            "\(guide) has no '## For instructors' section")
        var answers: [Int: Int] = [:]
        for match in section.matches(of: /\*\*Q(\d+): ([a-z])\)\*\*/) {
            guard let number = Int(match.1), let letter = match.2.unicodeScalars.first else { continue }
            answers[number] = Int(letter.value) - Int(("a" as Unicode.Scalar).value)
        }
        return answers
    }

    @Test(
        "every answer hash names exactly one choice, the one the instructor section gives",
        arguments: sessions.map(\.number))
    func answersAreConsistent(session: Int) throws {
        let spec = try #require(Self.sessions.first { $0.number == session })
        let questions = try Self.loadQuiz(session: session)
        #expect(questions.count == spec.questions, "session \(session) should have \(spec.questions) questions")
        let instructor = try Self.instructorAnswers(guide: spec.guide)
        for (offset, question) in questions.enumerated() {
            let number = offset + 1
            #expect(question.id == "q\(number)", "question \(number) should have id q\(number)")
            #expect(question.choices.count >= 3, "q\(number) needs at least three choices")
            let matching = question.choices.indices.filter {
                Self.hash(session: session, question: number, choice: $0) == question.answerHash
            }
            #expect(
                matching.count == 1, "session \(session) q\(number): the answer hash matches \(matching.count) choices")
            #expect(
                instructor[number] == matching.first,
                "session \(session) q\(number): the instructor section and the stored hash disagree")
        }
    }

    @Test("the guide asks the quiz's questions, without marking the answers", arguments: sessions.map(\.number))
    func guideShowsTheQuestions(session: Int) throws {
        let spec = try #require(Self.sessions.first { $0.number == session })
        let text = try String(contentsOf: GuideFiles.root.appendingPathComponent(spec.guide), encoding: .utf8)
        let trainee = String(text[..<(text.range(of: "## For instructors")?.lowerBound ?? text.endIndex)])
        for question in try Self.loadQuiz(session: session) {
            #expect(trainee.contains(question.text), "\(spec.guide) does not ask \(question.id): \(question.text)")
            for choice in question.choices {
                #expect(trainee.contains(choice), "\(spec.guide) lacks a choice of \(question.id): \(choice)")
            }
        }
        #expect(!trainee.contains("✅"), "\(spec.guide) marks answers before the instructor section")
    }

    @Test(
        "the instructor section is each guide's last part (a trainee kit can cut it off)",
        arguments: sessions.map(\.number))
    func instructorSectionIsLast(session: Int) throws {
        let spec = try #require(Self.sessions.first { $0.number == session })
        let text = try String(contentsOf: GuideFiles.root.appendingPathComponent(spec.guide), encoding: .utf8)
        let start = try #require(text.range(of: "\n## For instructors\n"), "\(spec.guide) has no instructor section")
        let later = text[start.upperBound...].split(separator: "\n").filter {
            $0.hasPrefix("## ") || $0.hasPrefix("# ")
        }
        #expect(later.isEmpty, "\(spec.guide) has sections after '## For instructors': \(later)")
    }

    @Test("a changed answer is noticed")
    func hashDiffersPerChoice() {
        let hashes = (0..<4).map { Self.hash(session: 1, question: 1, choice: $0) }
        #expect(Set(hashes).count == 4)
        #expect(Self.hash(session: 1, question: 1, choice: 0) != Self.hash(session: 2, question: 1, choice: 0))
    }
}
