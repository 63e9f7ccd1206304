import Foundation

/// Asks a quiz's questions in the terminal and gives the score at the end.
public struct QuizSession: Sendable {
    /// The quiz.
    public var quiz: Quiz

    /// Creates a session for a quiz.
    public init(quiz: Quiz) {
        self.quiz = quiz
    }

    /// The score of a finished or abandoned quiz.
    public struct Score: Sendable, Equatable {
        /// Right answers.
        public var right: Int
        /// Questions answered.
        public var answered: Int
        /// Questions in the quiz.
        public var total: Int

        /// Creates a score.
        public init(right: Int, answered: Int, total: Int) {
            self.right = right
            self.answered = answered
            self.total = total
        }
    }

    /// Runs the quiz.
    ///
    /// - Parameters:
    ///   - output: where questions and feedback go.
    ///   - readLine: returns the next line the user typed, nil at the end of input (the quiz then stops).
    /// - Returns: the score.
    public func run(output: any TextSink, readLine: () -> String?) -> Score {
        var score = Score(right: 0, answered: 0, total: quiz.questions.count)
        output.line("Session \(quiz.session) quiz\(quiz.title.map { ": \($0)" } ?? "") — \(score.total) questions.")
        output.line("Answer with the letter (or number) of a choice.\n")
        questions: for (number, question) in quiz.questions.enumerated() {
            output.line("\(number + 1). \(question.prompt)")
            for (index, choice) in question.choices.enumerated() {
                output.line("   \(Self.letter(index))) \(choice)")
            }
            var choice: Int?
            while choice == nil {
                output.write("> ")
                guard let typed = readLine() else {
                    output.line("")
                    break questions
                }
                choice = Self.choice(typed, count: question.choices.count)
                if choice == nil {
                    let count = question.choices.count
                    output.line("Type a letter from a to \(Self.letter(count - 1)) (or a number from 1 to \(count)).")
                }
            }
            guard let choice else { break }
            score.answered += 1
            if quiz.isRight(choice, for: question) {
                score.right += 1
                output.line("✓ Right.")
            } else if let right = quiz.rightChoice(for: question) {
                output.line("✗ Not quite: the answer is \(Self.letter(right))) \(question.choices[right])")
            }
            if let explanation = question.explanation { output.line("  \(explanation)") }
            output.line("")
        }
        if score.answered < score.total {
            output.line("Quiz stopped after \(score.answered) of \(score.total) questions.")
        }
        output.line(
            "Score: \(score.right) of \(score.total)\(score.total > 0 ? " (\(score.right * 100 / score.total)%)" : "")."
        )
        return score
    }

    /// `a` for choice 0, `b` for 1, ...
    static func letter(_ index: Int) -> String {
        String(UnicodeScalar(UInt8(ascii: "a") &+ UInt8(truncatingIfNeeded: index)))
    }

    /// The 0-based choice a typed answer names (`2`, `b`, ` B `), or nil.
    public static func choice(_ typed: String, count: Int) -> Int? {
        let text = typed.trimmingCharacters(in: .whitespaces).lowercased()
        if let number = Int(text), (1...count).contains(number) { return number - 1 }
        if text.count == 1, let scalar = text.unicodeScalars.first, ("a"..."z").contains(scalar) {
            let index = Int(scalar.value) - Int(("a" as Unicode.Scalar).value)
            return index < count ? index : nil
        }
        return nil
    }
}
