import Foundation
import MokoEnterprise

/// The policy every repository of the organisation is brought in line with.
///
/// It comes from the `policy` section of the configuration; every key has a default, so an empty
/// configuration still enforces a sensible baseline (issues on, wiki and projects off, one approving
/// review on the default branch).
struct Policy: Sendable, Equatable, Codable {
    /// The repository settings to enforce (`policy.settings.*`).
    struct Settings: Sendable, Equatable, Codable {
        /// `has_issues`.
        var hasIssues = true
        /// `has_wiki`.
        var hasWiki = false
        /// `has_projects`.
        var hasProjects = false
    }

    /// The protection of the default branch (`policy.branch_protection.*`).
    struct Protection: Sendable, Equatable, Codable {
        /// Approving reviews a pull request needs (0–6).
        var requiredApprovingReviewCount = 1
        /// Whether a new push dismisses earlier approvals.
        var dismissStaleReviews = true
        /// Whether administrators are held to the rules too.
        var enforceAdmins = true
    }

    /// A team that must have access to every repository (`policy.teams[]`).
    struct TeamAccess: Sendable, Equatable, Codable {
        /// The team's slug.
        var slug: String
        /// `pull`, `triage`, `push`, `maintain` or `admin`.
        var permission: String
    }

    /// The settings part.
    var settings = Settings()
    /// The branch protection part.
    var protection = Protection()
    /// The team access part.
    var teams: [TeamAccess] = []

    /// The permissions GitHub accepts for a team on a repository.
    static let permissions: Set<String> = ["pull", "triage", "push", "maintain", "admin"]

    /// Reads the policy from a loaded configuration and validates every value.
    ///
    /// - Parameter config: the merged configuration.
    /// - Returns: the policy.
    /// - Throws: ``CLIError/configuration(_:)`` naming the key of a missing, mistyped or dangerous value.
    static func load(from config: Config) throws -> Policy {
        var policy = Policy()
        do {
            policy.settings.hasIssues = try config.getBool("policy.settings.has_issues", default: true)
            policy.settings.hasWiki = try config.getBool("policy.settings.has_wiki", default: false)
            policy.settings.hasProjects = try config.getBool("policy.settings.has_projects", default: false)
            policy.protection.requiredApprovingReviewCount = try config.getInt(
                "policy.branch_protection.required_approving_review_count", default: 1)
            policy.protection.dismissStaleReviews = try config.getBool(
                "policy.branch_protection.dismiss_stale_reviews", default: true)
            policy.protection.enforceAdmins = try config.getBool(
                "policy.branch_protection.enforce_admins", default: true)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.configuration("invalid policy: \(error)")
        }
        guard (0...6).contains(policy.protection.requiredApprovingReviewCount) else {
            throw CLIError.configuration(
                "policy.branch_protection.required_approving_review_count must be between 0 and 6")
        }
        let validator = SecurityValidator()
        for (index, entry) in ((try? config.getArray("policy.teams")) ?? []).enumerated() {
            guard let map = entry.mapValue, let slug = map["slug"]?.stringValue else {
                throw CLIError.configuration("policy.teams[\(index)] needs a `slug` (and a `permission`)")
            }
            let permission = map["permission"]?.stringValue ?? "push"
            guard validator.isValidInput(slug, type: .custom(pattern: "^[a-z0-9][a-z0-9_-]{0,99}$")),
                !validator.detectSQLInjection(slug).isInjection
            else {
                throw CLIError.configuration(
                    "policy.teams[\(index)].slug is not a team slug (lowercase letters, digits, '-' and '_')")
            }
            guard permissions.contains(permission) else {
                throw CLIError.configuration(
                    "policy.teams[\(index)].permission must be one of \(permissions.sorted().joined(separator: ", "))"
                )
            }
            policy.teams.append(TeamAccess(slug: slug, permission: permission))
        }
        return policy
    }

    /// Whether a repository's settings already match.
    func settingsMatch(_ repo: Repository) -> Bool {
        repo.hasIssues == settings.hasIssues && repo.hasWiki == settings.hasWiki
            && repo.hasProjects == settings.hasProjects
    }

    /// The update that brings the settings in line.
    var settingsUpdate: RepositoryUpdate {
        RepositoryUpdate(hasIssues: settings.hasIssues, hasProjects: settings.hasProjects, hasWiki: settings.hasWiki)
    }

    /// Whether a branch's protection already matches.
    func protectionMatches(_ current: BranchProtection?) -> Bool {
        guard let current else { return false }
        let reviews = current.requiredPullRequestReviews
        return current.enforceAdmins?.enabled == protection.enforceAdmins
            && reviews?.requiredApprovingReviewCount == protection.requiredApprovingReviewCount
            && (reviews?.dismissStaleReviews ?? false) == protection.dismissStaleReviews
    }

    /// The update that brings the protection in line, keeping the rules the policy does not own (status
    /// checks, linear history, force pushes...) as they are.
    func protectionUpdate(keeping current: BranchProtection?) -> BranchProtectionUpdate {
        var update = current.map(Self.restoring) ?? BranchProtectionUpdate()
        update.enforceAdmins = protection.enforceAdmins
        var reviews = current?.requiredPullRequestReviews ?? BranchProtection.PullRequestReviews()
        reviews.dismissStaleReviews = protection.dismissStaleReviews
        reviews.requiredApprovingReviewCount = protection.requiredApprovingReviewCount
        update.requiredPullRequestReviews = reviews
        return update
    }

    /// The update that puts `protection` back as it was (the compensation of a protection change).
    static func restoring(_ protection: BranchProtection) -> BranchProtectionUpdate {
        BranchProtectionUpdate(
            requiredStatusChecks: protection.requiredStatusChecks,
            enforceAdmins: protection.enforceAdmins?.enabled,
            requiredPullRequestReviews: protection.requiredPullRequestReviews,
            requiredLinearHistory: protection.requiredLinearHistory?.enabled,
            allowForcePushes: protection.allowForcePushes?.enabled,
            allowDeletions: protection.allowDeletions?.enabled,
            requiredConversationResolution: protection.requiredConversationResolution?.enabled)
    }
}
