import Foundation
import Synchronization

/// A batch of user accounts to import, as an HR export would hand it over. Provided: not part of the
/// exercise.
public struct ImportBatch: Sendable, Equatable {
    /// The batch's identifier, e.g. `HR-2026-001`.
    public var id: String
    /// Where the batch comes from, e.g. `hr_export`.
    public var source: String
    /// The usernames as received: maybe with stray spaces, capitals and duplicates.
    public var usernames: [String]

    /// Creates a batch.
    public init(id: String, source: String, usernames: [String]) {
        self.id = id
        self.source = source
        self.usernames = usernames
    }

    /// Checks the batch: it holds at least one username and none is blank.
    ///
    /// - Throws: ``InvalidBatch`` saying what is wrong; nothing is changed.
    public func validate() throws {
        guard !usernames.isEmpty else { throw InvalidBatch(reason: "the batch holds no usernames") }
        if let index = usernames.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw InvalidBatch(reason: "username number \(index + 1) is blank")
        }
    }

    /// The usernames trimmed and lower-cased, duplicates removed (the first occurrence keeps its place).
    public func normalizedUsernames() -> [String] {
        var seen = Set<String>()
        return usernames.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter {
            seen.insert($0).inserted
        }
    }
}

/// Why ``ImportBatch/validate()`` refused a batch.
public struct InvalidBatch: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the batch.
    public var reason: String

    /// Creates the error.
    public init(reason: String) { self.reason = reason }

    /// `invalid batch: <reason>`.
    public var description: String { "invalid batch: \(reason)" }
}

/// Where imported accounts are saved: a stand-in for a user directory. Provided: not part of the exercise.
public final class AccountStore: Sendable {
    /// The store's name, e.g. `ldap`.
    public let name: String
    private let saved = Mutex<[String]>([])

    /// Creates an empty store.
    public init(name: String) { self.name = name }

    /// Every saved account, in the order saved.
    public var accounts: [String] { saved.withLock { $0 } }

    /// Saves accounts.
    ///
    /// - Parameter usernames: the accounts to add.
    /// - Returns: how many were saved.
    @discardableResult
    public func save(_ usernames: [String]) -> Int {
        saved.withLock { $0.append(contentsOf: usernames) }
        return usernames.count
    }
}
