import Foundation
import LabKit
import Testing

@Suite struct QuizHashTests {
    @Test func answerHashIsSHA256OfTheKeyString() {
        // sha256("mokolab-quiz:session-1:q1:2"), computed with `printf %s ... | sha256sum`.
        #expect(
            Quiz.answerHash(session: 1, question: "q1", choice: 2)
                == "9b3b284396c81a89e8d35619ae2e490e058e3ceb57083ef07d17eb20115d311a")
    }
}

@Suite struct QuizSessionTests {
    static func quiz() -> Quiz {
        Quiz(
            session: 1,
            questions: [
                .init(
                    key: "q1", prompt: "Which type retries?", choices: ["A", "B", "C"],
                    answerHash: Quiz.answerHash(session: 1, question: "q1", choice: 2)),
                .init(
                    key: "q2", prompt: "Which type audits?", choices: ["X", "Y"],
                    answerHash: Quiz.answerHash(session: 1, question: "q2", choice: 0), explanation: "Because."),
            ])
    }

    @Test func scoresRightAndWrongAnswersAndAsksAgainOnBadInput() {
        var answers = ["7", "c", "2"][...]
        let output = TextBuffer()
        let score = QuizSession(quiz: Self.quiz()).run(output: output) { answers.popFirst() }
        #expect(score == .init(right: 1, answered: 2, total: 2))
        #expect(output.text.contains("Type a letter from a to c (or a number from 1 to 3)."))
        #expect(output.text.contains("✓ Right."))
        #expect(output.text.contains("✗ Not quite: the answer is a) X"))
        #expect(output.text.contains("Because."))
        #expect(output.text.contains("Score: 1 of 2 (50%)."))
    }

    @Test func endOfInputStopsTheQuizWithThePartialScore() {
        var answers = ["3"][...]
        let output = TextBuffer()
        let score = QuizSession(quiz: Self.quiz()).run(output: output) { answers.popFirst() }
        #expect(score == .init(right: 1, answered: 1, total: 2))
        #expect(output.text.contains("Quiz stopped after 1 of 2 questions."))
    }

    @Test func readsAQuizFileAndRejectsABrokenAnswer() throws {
        let good = """
            session: 2
            questions:
              - id: q1
                question: "Pick"
                choices: ["a", "b"]
                answer_sha256: \(Quiz.answerHash(session: 2, question: "q1", choice: 1))
            """
        let quiz = try Quiz(yaml: good, session: 9, source: "s.yaml")
        #expect(quiz.session == 2 && quiz.rightChoice(for: quiz.questions[0]) == 1)
        #expect(throws: LabError.badFile("s.yaml", "no choice of question q1 matches its stored answer")) {
            _ = try Quiz(
                yaml: good.replacingOccurrences(of: "session: 2", with: "session: 3"), session: 9, source: "s.yaml")
        }
    }

    @Test func everyQuizOfTheLabHasAnAnswerForEachQuestion() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let lab = LabFolder(root: root)
        for session in 1...3 where lab.exists("sessions/quizzes/session-\(session).yaml") {
            let quiz = try Quiz.load(session: session, lab: lab)
            #expect(quiz.questions.count >= 3)
        }
        #expect(throws: LabError.self) { _ = try Quiz.load(session: 9, lab: lab) }
    }
}
