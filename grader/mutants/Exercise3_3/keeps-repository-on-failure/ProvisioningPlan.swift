import Foundation
import MokoEnterprise

/// What to set up for a new repository: the repository, its branch protection, team access, starter
/// issues and a webhook. Provided: not part of the exercise.
public struct ProvisioningPlan: Sendable, Equatable {
    /// A team and the role it gets on the repository.
    public struct TeamGrant: Sendable, Equatable {
        /// The team's slug, e.g. `platform`.
        public var slug: String
        /// Its role, e.g. `.push`.
        public var permission: TeamPermission

        /// Creates a grant.
        public init(slug: String, permission: TeamPermission) {
            self.slug = slug
            self.permission = permission
        }
    }

    /// The organisation that owns the repository.
    public var org: String
    /// The repository's name.
    public var name: String
    /// The branch to protect (the mock creates repositories with `main`).
    public var protectedBranch: String
    /// Approving reviews required on the protected branch (0–6).
    public var requiredApprovals: Int
    /// The teams to grant access, in order.
    public var teams: [TeamGrant]
    /// Titles of the starter issues, in order.
    public var issueTitles: [String]
    /// The webhook's payload URL (https).
    public var hookURL: String

    /// Creates a plan.
    public init(
        org: String, name: String, protectedBranch: String = "main", requiredApprovals: Int = 1,
        teams: [TeamGrant], issueTitles: [String], hookURL: String
    ) {
        self.org = org
        self.name = name
        self.protectedBranch = protectedBranch
        self.requiredApprovals = requiredApprovals
        self.teams = teams
        self.issueTitles = issueTitles
        self.hookURL = hookURL
    }

    /// Checks the plan before anything is sent.
    ///
    /// - Throws: ``ProvisioningPlanError`` naming the first problem.
    public func validate() throws {
        let nameCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        for (label, value) in [("org", org), ("repository name", name), ("branch", protectedBranch)] {
            guard !value.isEmpty, value.unicodeScalars.allSatisfy(nameCharacters.contains) else {
                throw ProvisioningPlanError("\(label) '\(value)' must be non-empty letters, digits, '-', '_' or '.'")
            }
        }
        guard (0...6).contains(requiredApprovals) else {
            throw ProvisioningPlanError("requiredApprovals must be between 0 and 6, not \(requiredApprovals)")
        }
        if let team = teams.first(where: { $0.slug.isEmpty }) {
            throw ProvisioningPlanError("a team grant (\(team.permission.rawValue)) has an empty slug")
        }
        guard Set(teams.map(\.slug)).count == teams.count else {
            throw ProvisioningPlanError("a team is listed twice; grant each team once")
        }
        guard issueTitles.allSatisfy({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw ProvisioningPlanError("every starter issue needs a title")
        }
        guard let url = URL(string: hookURL), url.scheme == "https", url.host != nil else {
            throw ProvisioningPlanError("the webhook URL '\(hookURL)' must be an absolute https URL")
        }
    }
}

/// A plan that cannot be provisioned as written; nothing was sent.
public struct ProvisioningPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

/// What a successful provisioning created.
public struct ProvisionedRepository: Sendable, Equatable {
    /// `org/name`.
    public var fullName: String
    /// The teams that got access, in order.
    public var teams: [String]
    /// The numbers of the starter issues, in order.
    public var issueNumbers: [Int]
    /// The webhook's id.
    public var hookID: Int

    /// Creates the result.
    public init(fullName: String, teams: [String], issueNumbers: [Int], hookID: Int) {
        self.fullName = fullName
        self.teams = teams
        self.issueNumbers = issueNumbers
        self.hookID = hookID
    }
}
