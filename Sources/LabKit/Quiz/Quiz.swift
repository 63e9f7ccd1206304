import Crypto
import Foundation
import Yams

/// A session quiz (`sessions/quizzes/session-N.yaml`): multiple-choice questions whose answers are stored
/// only as hashes, so the kit's plain text does not give them away.
///
/// The answer of question `qK` of session N is stored as the SHA-256 (hex) of
/// `mokolab-quiz:session-N:qK:<index of the right choice>`.
public struct Quiz: Sendable, Equatable {
    /// One question.
    public struct Question: Sendable, Equatable {
        /// The question's key, e.g. `q3` (used in the answer hash).
        public var key: String
        /// The question.
        public var prompt: String
        /// The choices, in the order shown.
        public var choices: [String]
        /// SHA-256 (hex, lowercase) of the right answer's key.
        public var answerHash: String
        /// Shown after answering, when present.
        public var explanation: String?

        /// Creates a question.
        public init(key: String, prompt: String, choices: [String], answerHash: String, explanation: String? = nil) {
            self.key = key
            self.prompt = prompt
            self.choices = choices
            self.answerHash = answerHash
            self.explanation = explanation
        }
    }

    private struct File: Decodable {
        struct Entry: Decodable {
            var id: String?
            var question: String
            var choices: [String]
            var answer_sha256: String
            var explanation: String?
        }
        var session: Int?
        var title: String?
        var questions: [Entry]
    }

    /// Parses a quiz file.
    ///
    /// - Parameters:
    ///   - yaml: the file's text.
    ///   - session: the session, when the file does not say.
    ///   - source: the file's path, for error messages.
    /// - Throws: ``LabError`` naming the file when it is malformed, a question has fewer than two choices,
    ///   or no choice matches a question's stored answer.
    public init(yaml: String, session: Int, source: String) throws {
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: yaml)
        } catch {
            throw LabError.badFile(source, "is not a quiz file: \(error)")
        }
        self.session = file.session ?? session
        title = file.title
        questions = file.questions.enumerated().map { index, entry in
            Question(
                key: entry.id ?? "q\(index + 1)", prompt: entry.question, choices: entry.choices,
                answerHash: entry.answer_sha256, explanation: entry.explanation)
        }
        guard !questions.isEmpty else { throw LabError.badFile(source, "has no questions") }
        for question in questions {
            guard question.choices.count >= 2 else {
                throw LabError.badFile(source, "question \(question.key) has fewer than two choices")
            }
            guard rightChoice(for: question) != nil else {
                throw LabError.badFile(source, "no choice of question \(question.key) matches its stored answer")
            }
        }
    }

    /// Loads `sessions/quizzes/session-<session>.yaml` of a lab.
    ///
    /// - Throws: ``LabError`` (usage) when the lab has no quiz for that session.
    public static func load(session: Int, lab: LabFolder) throws -> Quiz {
        let path = "sessions/quizzes/session-\(session).yaml"
        guard lab.exists(path) else {
            let available =
                ((try? FileManager.default.contentsOfDirectory(atPath: lab.url("sessions/quizzes").path)) ?? [])
                .compactMap { $0.wholeMatch(of: #/session-(\d+)\.yaml/#).map { String($0.1) } }.sorted()
            throw LabError.usage(
                "lab quiz: there is no quiz for session \(session) (\(path)); "
                    + (available.isEmpty
                        ? "this lab has no quizzes yet." : "quizzes: \(available.joined(separator: ", ")).")
            )
        }
        let text = (try? String(contentsOf: lab.url(path), encoding: .utf8)) ?? ""
        return try Quiz(yaml: text, session: session, source: path)
    }

    /// The session (1, 2 or 3).
    public var session: Int
    /// The title, when the file gives one.
    public var title: String?
    /// The questions, in order.
    public var questions: [Question]
    /// Creates a quiz.
    public init(session: Int, title: String? = nil, questions: [Question]) {
        self.session = session
        self.title = title
        self.questions = questions
    }

    /// The hash that marks choice `index` of question `key` as right.
    public static func answerHash(session: Int, question key: String, choice index: Int) -> String {
        SHA256.hash(data: Data("mokolab-quiz:session-\(session):\(key):\(index)".utf8))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `choice` (0-based position in ``Question/choices``) is the right answer to `question`.
    public func isRight(_ choice: Int, for question: Question) -> Bool {
        Self.answerHash(session: session, question: question.key, choice: choice) == question.answerHash.lowercased()
    }

    /// The position of the right choice (0-based), found by trying each; nil when none matches (a broken file).
    public func rightChoice(for question: Question) -> Int? {
        question.choices.indices.first { isRight($0, for: question) }
    }
}
