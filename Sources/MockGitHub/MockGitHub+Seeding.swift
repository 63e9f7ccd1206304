extension MockGitHub {
    private static let adjectives = [
        "amber", "brisk", "calm", "deft", "eager", "fleet", "golden", "hardy", "ivory", "jolly", "keen", "lucid",
        "mellow", "nimble", "opal", "placid", "quiet", "rapid", "sturdy", "tidy", "umber", "vivid", "witty", "zesty",
    ]
    private static let nouns = [
        "api", "billing", "cache", "docs", "engine", "gateway", "infra", "ledger", "mailer", "notifier", "orders",
        "portal", "queue", "reports", "search", "tracker", "uploader", "vault", "worker", "sdk",
    ]
    private static let languages = ["Swift", "Python", "Go", "TypeScript", "Rust", "PHP", "Kotlin"]

    /// Builds a world from a fixture and seed; ids, generated names and tokens come from the seed.
    static func build(fixture: MockFixture, seed: UInt64, now: Double) -> MockGitHubState {
        var random = MockRandom(seed: MockHashing.mix(seed, 0x6669_7874))
        var state = MockGitHubState.empty(firstID: 100_000 + Int(seed % 900_000) * 10)
        func allocate() -> Int {
            defer { state.nextID += 1 }
            return state.nextID
        }
        var tokenNumber = 0
        for user in fixture.users
        where !state.users.contains(where: { $0.login.lowercased() == user.login.lowercased() }) {
            let id = allocate()
            state.users.append(
                .init(id: id, login: user.login, name: user.name, email: nil, siteAdmin: false)
            )
            let tokens = user.tokens ?? [generatedToken(&random)]
            for token in tokens {
                tokenNumber += 1
                state.tokens.append(
                    .init(token: token, id: "t\(tokenNumber)", userID: id, scopes: ["repo", "admin:org"]))
            }
        }
        for org in fixture.orgs where !state.orgs.contains(where: { $0.login.lowercased() == org.login.lowercased() }) {
            let orgID = allocate()
            state.orgs.append(
                .init(
                    id: orgID,
                    login: org.login,
                    description: "The \(org.login) organisation",
                    members: org.members,
                    basePermission: org.basePermission ?? "read"
                )
            )
            var specs = org.repos ?? []
            let generated = max(0, min(org.generatedRepos ?? 0, 100_000))
            for index in 0..<generated {
                let adjective = adjectives[Int(random.next() % UInt64(adjectives.count))]
                let noun = nouns[Int(random.next() % UInt64(nouns.count))]
                let number = String(index + 1)
                let padded = String(repeating: "0", count: max(0, 4 - number.count)) + number
                specs.append(
                    .init(
                        name: "\(adjective)-\(noun)-\(padded)",
                        private: index % 5 == 4,
                        description: "The \(adjective) \(noun) service"
                    )
                )
            }
            var repoIDsByName: [String: Int] = [:]
            for (offset, spec) in specs.enumerated()
            where repoIDsByName[spec.name.lowercased()] == nil && !spec.name.isEmpty {
                let id = allocate()
                repoIDsByName[spec.name.lowercased()] = id
                let created = now - Double(specs.count - offset) * 3_600
                let branches = (spec.branches?.isEmpty == false ? spec.branches : nil) ?? ["main"]
                state.repos.append(
                    .init(
                        id: id,
                        name: spec.name,
                        ownerLogin: org.login,
                        ownerID: orgID,
                        ownerIsOrg: true,
                        description: spec.description,
                        homepage: nil,
                        visibility: spec.private == true ? "private" : "public",
                        fork: false,
                        archived: spec.archived ?? false,
                        disabled: false,
                        hasIssues: spec.hasIssues ?? true,
                        hasWiki: true,
                        hasProjects: true,
                        hasDiscussions: false,
                        isTemplate: false,
                        defaultBranch: branches[0],
                        mergeSettings: defaultMergeSettings,
                        language: languages[Int(random.next() % UInt64(languages.count))],
                        topics: [],
                        size: Int(random.next() % 50_000),
                        stargazers: Int(random.next() % 500),
                        createdAt: created,
                        updatedAt: created + 60,
                        pushedAt: created + 120,
                        branches: branches,
                        protections: [:],
                        issues: [],
                        nextIssueNumber: 1,
                        hooks: [],
                        version: 0
                    )
                )
            }
            for team in org.teams ?? [] {
                var grants: [String: String] = [:]
                for (name, permission) in team.repos ?? [:] {
                    if let id = repoIDsByName[name.lowercased()] { grants[String(id)] = permission }
                }
                if team.repos == nil, let first = state.repos.first(where: { $0.ownerID == orgID }) {
                    grants[String(first.id)] = "push"
                }
                state.teams.append(
                    .init(
                        id: allocate(),
                        orgID: orgID,
                        slug: team.slug,
                        name: team.slug,
                        members: team.members,
                        repoPermissions: grants
                    )
                )
            }
        }
        return state
    }

    static let defaultMergeSettings: [String: Bool] = [
        "allow_squash_merge": true, "allow_merge_commit": true, "allow_rebase_merge": true,
        "allow_auto_merge": false, "delete_branch_on_merge": false, "allow_update_branch": false,
        "allow_forking": true, "web_commit_signoff_required": false,
    ]

    private static func generatedToken(_ random: inout MockRandom) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var token = "ghp_"
        for _ in 0..<36 { token.append(alphabet[Int(random.next() % UInt64(alphabet.count))]) }
        return token
    }
}
