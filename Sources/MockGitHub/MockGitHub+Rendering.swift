extension MockGitHub {
    static let roleNames = ["none", "pull", "triage", "push", "maintain", "admin"]

    static func roleValue(_ name: String) -> Int? {
        switch name {
        case "pull", "read": return 1
        case "triage": return 2
        case "push", "write": return 3
        case "maintain": return 4
        case "admin": return 5
        case "none": return 0
        default: return nil
        }
    }

    /// The caller's role on a repository: 0 none (hidden), 1 pull … 5 admin.
    func role(_ call: MockCall, _ repo: MockGitHubState.Repo) -> Int {
        let publicRole = repo.isPrivate ? 0 : 1
        guard case .user(let userIndex, _) = call.identity else { return publicRole }
        let user = state.users[userIndex]
        if user.siteAdmin { return 5 }
        if !repo.ownerIsOrg { return repo.ownerID == user.id ? 5 : publicRole }
        guard let orgIndex = orgIndexByID[repo.ownerID] else { return publicRole }
        let org = state.orgs[orgIndex]
        var result = publicRole
        if let membership = org.members[user.login] {
            if membership == "admin" { return 5 }
            result = max(result, MockGitHub.roleValue(org.basePermission) ?? 1)
        }
        return max(result, teamRoles(login: user.login)[repo.id] ?? 0)
    }

    func teamRoles(login: String) -> [Int: Int] {
        if let cached = teamRoleCache[login] { return cached }
        var roles: [Int: Int] = [:]
        for team in state.teams where team.members.contains(login) {
            for (repoID, permission) in team.repoPermissions {
                guard let id = Int(repoID) else { continue }
                roles[id] = max(roles[id] ?? 0, MockGitHub.roleValue(permission) ?? 0)
            }
        }
        teamRoleCache[login] = roles
        return roles
    }

    func isOrgAdmin(_ call: MockCall, orgIndex: Int) -> Bool {
        guard let login = call.login else { return false }
        return state.orgs[orgIndex].members[login] == "admin"
    }

    // MARK: - Accounts

    func accountJSON(login: String, id: Int, isOrg: Bool) -> MockJSON {
        let base = configuration.baseURL
        let kind = isOrg ? "orgs" : "users"
        let api = base + "/users/" + login
        return .object([
            ("login", .string(login)),
            ("id", .int(id)),
            ("node_id", .string(MockGitHub.nodeID(isOrg ? "O_" : "U_", id))),
            ("avatar_url", .string("https://avatars.githubusercontent.com/u/\(id)?v=4")),
            ("gravatar_id", .string("")),
            ("url", .string(base + "/" + kind + "/" + login)),
            ("html_url", .string("https://github.com/" + login)),
            ("followers_url", .string(api + "/followers")),
            ("following_url", .string(api + "/following{/other_user}")),
            ("gists_url", .string(api + "/gists{/gist_id}")),
            ("starred_url", .string(api + "/starred{/owner}{/repo}")),
            ("subscriptions_url", .string(api + "/subscriptions")),
            ("organizations_url", .string(api + "/orgs")),
            ("repos_url", .string(base + "/" + kind + "/" + login + "/repos")),
            ("events_url", .string(api + "/events{/privacy}")),
            ("received_events_url", .string(api + "/received_events")),
            ("type", .string(isOrg ? "Organization" : "User")),
            ("user_view_type", .string("public")),
            ("site_admin", .bool(false)),
        ])
    }

    func userJSON(_ login: String) -> MockJSON {
        if let index = userIndexByLogin[login.lowercased()] {
            let user = state.users[index]
            return accountJSON(login: user.login, id: user.id, isOrg: false)
        }
        return accountJSON(login: login, id: 0, isOrg: false)
    }

    static func nodeID(_ prefix: String, _ id: Int) -> String {
        let value = MockHashing.hex(MockHashing.mix(UInt64(id), 0x6e6f_6465))
        return prefix + "kgDO" + String(value.prefix(12))
    }

    func orgJSON(_ org: MockGitHubState.Org, full: Bool) -> MockJSON {
        let base = configuration.baseURL + "/orgs/" + org.login
        var members: [(String, MockJSON)] = [
            ("login", .string(org.login)),
            ("id", .int(org.id)),
            ("node_id", .string(MockGitHub.nodeID("O_", org.id))),
            ("url", .string(base)),
            ("repos_url", .string(base + "/repos")),
            ("events_url", .string(base + "/events")),
            ("hooks_url", .string(base + "/hooks")),
            ("issues_url", .string(base + "/issues")),
            ("members_url", .string(base + "/members{/member}")),
            ("public_members_url", .string(base + "/public_members{/member}")),
            ("avatar_url", .string("https://avatars.githubusercontent.com/u/\(org.id)?v=4")),
            ("description", org.description.map(MockJSON.string) ?? .null),
        ]
        if full {
            let repos = state.repos.filter { $0.ownerID == org.id }
            members += [
                ("name", .string(org.login)),
                ("company", .null),
                ("blog", .string("")),
                ("location", .null),
                ("email", .null),
                ("is_verified", .bool(false)),
                ("has_organization_projects", .bool(true)),
                ("has_repository_projects", .bool(true)),
                ("public_repos", .int(repos.lazy.filter { !$0.isPrivate }.count)),
                ("public_gists", .int(0)),
                ("followers", .int(0)),
                ("following", .int(0)),
                ("html_url", .string("https://github.com/" + org.login)),
                ("created_at", .string(MockTimeFormat.iso8601(clock.epoch.timeIntervalSince1970 - 86_400 * 400))),
                ("updated_at", .string(MockTimeFormat.iso8601(clock.epoch.timeIntervalSince1970 - 86_400))),
                ("archived_at", .null),
                ("type", .string("Organization")),
                ("total_private_repos", .int(repos.lazy.filter(\.isPrivate).count)),
                ("owned_private_repos", .int(repos.lazy.filter(\.isPrivate).count)),
                ("default_repository_permission", .string(org.basePermission)),
                ("members_can_create_repositories", .bool(true)),
            ]
        }
        return .object(members)
    }

    // MARK: - Repositories

    /// The repository as JSON bytes for a caller with `role`, cached per version.
    func repoBytes(_ repo: MockGitHubState.Repo, role: Int, full: Bool, modern: Bool) -> [UInt8] {
        let key = MockRenderKey(id: repo.id, role: role, full: full, modern: modern)
        if let cached = renderCache[key], cached.version == repo.version { return cached.bytes }
        let bytes = repoJSON(repo, role: role, full: full, modern: modern).bytes
        renderCache[key] = (repo.version, bytes)
        return bytes
    }

    func repoJSON(_ repo: MockGitHubState.Repo, role: Int, full: Bool, modern: Bool) -> MockJSON {
        let base = configuration.baseURL
        let api = base + "/repos/" + repo.fullName
        let html = "https://github.com/" + repo.fullName
        var members: [(String, MockJSON)] = [
            ("id", .int(repo.id)),
            ("node_id", .string(MockGitHub.nodeID("R_", repo.id))),
            ("name", .string(repo.name)),
            ("full_name", .string(repo.fullName)),
            ("private", .bool(repo.isPrivate)),
            ("owner", accountJSON(login: repo.ownerLogin, id: repo.ownerID, isOrg: repo.ownerIsOrg)),
            ("html_url", .string(html)),
            ("description", repo.description.map(MockJSON.string) ?? .null),
            ("fork", .bool(repo.fork)),
            ("url", .string(api)),
        ]
        let templates: [(String, String)] = [
            ("forks_url", "/forks"), ("keys_url", "/keys{/key_id}"),
            ("collaborators_url", "/collaborators{/collaborator}"), ("teams_url", "/teams"),
            ("hooks_url", "/hooks"), ("issue_events_url", "/issues/events{/number}"), ("events_url", "/events"),
            ("assignees_url", "/assignees{/user}"), ("branches_url", "/branches{/branch}"), ("tags_url", "/tags"),
            ("blobs_url", "/git/blobs{/sha}"), ("git_tags_url", "/git/tags{/sha}"), ("git_refs_url", "/git/refs{/sha}"),
            ("trees_url", "/git/trees{/sha}"), ("statuses_url", "/statuses/{sha}"), ("languages_url", "/languages"),
            ("stargazers_url", "/stargazers"), ("contributors_url", "/contributors"),
            ("subscribers_url", "/subscribers"), ("subscription_url", "/subscription"),
            ("commits_url", "/commits{/sha}"), ("git_commits_url", "/git/commits{/sha}"),
            ("comments_url", "/comments{/number}"), ("issue_comment_url", "/issues/comments{/number}"),
            ("contents_url", "/contents/{+path}"), ("compare_url", "/compare/{base}...{head}"),
            ("merges_url", "/merges"), ("archive_url", "/{archive_format}{/ref}"), ("downloads_url", "/downloads"),
            ("issues_url", "/issues{/number}"), ("pulls_url", "/pulls{/number}"),
            ("milestones_url", "/milestones{/number}"),
            ("notifications_url", "/notifications{?since,all,participating}"), ("labels_url", "/labels{/name}"),
            ("releases_url", "/releases{/id}"), ("deployments_url", "/deployments"),
        ]
        for (key, suffix) in templates { members.append((key, .string(api + suffix))) }
        members += [
            ("created_at", .string(MockTimeFormat.iso8601(repo.createdAt))),
            ("updated_at", .string(MockTimeFormat.iso8601(repo.updatedAt))),
            ("pushed_at", .string(MockTimeFormat.iso8601(repo.pushedAt))),
            ("git_url", .string("git://github.com/" + repo.fullName + ".git")),
            ("ssh_url", .string("git@github.com:" + repo.fullName + ".git")),
            ("clone_url", .string(html + ".git")),
            ("svn_url", .string(html)),
            ("homepage", repo.homepage.map(MockJSON.string) ?? .null),
            ("size", .int(repo.size)),
            ("stargazers_count", .int(repo.stargazers)),
            ("watchers_count", .int(repo.stargazers)),
            ("language", repo.language.map(MockJSON.string) ?? .null),
            ("has_issues", .bool(repo.hasIssues)),
            ("has_projects", .bool(repo.hasProjects)),
        ]
        if !modern { members.append(("has_downloads", .bool(true))) }
        let openIssues = repo.openIssuesCount
        members += [
            ("has_wiki", .bool(repo.hasWiki)),
            ("has_pages", .bool(false)),
            ("has_discussions", .bool(repo.hasDiscussions)),
            ("forks_count", .int(0)),
            ("mirror_url", .null),
            ("archived", .bool(repo.archived)),
            ("disabled", .bool(repo.disabled)),
            ("open_issues_count", .int(openIssues)),
            ("license", .null),
            ("allow_forking", .bool(repo.mergeSettings["allow_forking"] ?? true)),
            ("is_template", .bool(repo.isTemplate)),
            ("web_commit_signoff_required", .bool(repo.mergeSettings["web_commit_signoff_required"] ?? false)),
            ("topics", .array(repo.topics.map(MockJSON.string))),
            ("visibility", .string(repo.visibility)),
            ("forks", .int(0)),
            ("open_issues", .int(openIssues)),
            ("watchers", .int(repo.stargazers)),
            ("default_branch", .string(repo.defaultBranch)),
            (
                "permissions",
                .object([
                    ("admin", .bool(role >= 5)), ("maintain", .bool(role >= 4)), ("push", .bool(role >= 3)),
                    ("triage", .bool(role >= 2)), ("pull", .bool(role >= 1)),
                ])
            ),
        ]
        if !full {
            members.append(
                ("role_name", .string(role >= 1 ? ["read", "triage", "write", "maintain", "admin"][role - 1] : "none")))
            return .object(members)
        }
        for key in [
            "allow_squash_merge", "allow_merge_commit", "allow_rebase_merge", "allow_auto_merge",
            "delete_branch_on_merge", "allow_update_branch",
        ] {
            members.append((key, .bool(repo.mergeSettings[key] ?? false)))
        }
        if !modern { members.append(("use_squash_pr_title_as_default", .bool(false))) }
        members += [
            ("squash_merge_commit_title", .string("COMMIT_OR_PR_TITLE")),
            ("squash_merge_commit_message", .string("COMMIT_MESSAGES")),
            ("merge_commit_title", .string("MERGE_MESSAGE")),
            ("merge_commit_message", .string("PR_TITLE")),
        ]
        if repo.ownerIsOrg {
            members.append(("organization", accountJSON(login: repo.ownerLogin, id: repo.ownerID, isOrg: true)))
        }
        members += [("network_count", .int(0)), ("subscribers_count", .int(1))]
        return .object(members)
    }

    // MARK: - Issues and hooks

    func issueJSON(_ issue: MockGitHubState.Issue, repo: MockGitHubState.Repo, modern: Bool) -> MockJSON {
        let api = configuration.baseURL + "/repos/" + repo.fullName
        let url = api + "/issues/\(issue.number)"
        var members: [(String, MockJSON)] = [
            ("url", .string(url)),
            ("repository_url", .string(api)),
            ("labels_url", .string(url + "/labels{/name}")),
            ("comments_url", .string(url + "/comments")),
            ("events_url", .string(url + "/events")),
            ("html_url", .string("https://github.com/" + repo.fullName + "/issues/\(issue.number)")),
            ("id", .int(issue.id)),
            ("node_id", .string(MockGitHub.nodeID("I_", issue.id))),
            ("number", .int(issue.number)),
            ("title", .string(issue.title)),
            ("user", userJSON(issue.userLogin)),
            (
                "labels",
                .array(
                    issue.labels.map { name in
                        let labelID = Int(MockHashing.fnv1a(repo.fullName + "/" + name) % 1_000_000_000)
                        return .object([
                            ("id", .int(labelID)),
                            ("node_id", .string(MockGitHub.nodeID("LA_", labelID))),
                            ("url", .string(api + "/labels/" + name)),
                            ("name", .string(name)),
                            ("color", .string("ededed")),
                            ("default", .bool(false)),
                            ("description", .null),
                        ])
                    }
                )
            ),
            ("state", .string(issue.state)),
            ("locked", .bool(false)),
        ]
        if !modern { members.append(("assignee", issue.assignees.first.map(userJSON) ?? .null)) }
        members += [
            ("assignees", .array(issue.assignees.map(userJSON))),
            ("milestone", .null),
            ("comments", .int(0)),
            ("created_at", .string(MockTimeFormat.iso8601(issue.createdAt))),
            ("updated_at", .string(MockTimeFormat.iso8601(issue.updatedAt))),
            ("closed_at", issue.closedAt.map { .string(MockTimeFormat.iso8601($0)) } ?? .null),
            ("author_association", .string(associationOf(issue.userLogin, repo: repo))),
            ("active_lock_reason", .null),
            ("body", issue.body.map(MockJSON.string) ?? .null),
            ("closed_by", .null),
            ("state_reason", issue.stateReason.map(MockJSON.string) ?? .null),
        ]
        return .object(members)
    }

    func associationOf(_ login: String, repo: MockGitHubState.Repo) -> String {
        if !repo.ownerIsOrg { return repo.ownerLogin == login ? "OWNER" : "NONE" }
        if let orgIndex = orgIndexByID[repo.ownerID], state.orgs[orgIndex].members[login] != nil { return "MEMBER" }
        return "NONE"
    }

    func hookJSON(_ hook: MockGitHubState.Hook, repo: MockGitHubState.Repo) -> MockJSON {
        let url = configuration.baseURL + "/repos/" + repo.fullName + "/hooks/\(hook.id)"
        var config: [(String, MockJSON)] = []
        for key in hook.config.keys.sorted() {
            let value = hook.config[key] ?? ""
            config.append((key, .string(key == "secret" ? "********" : value)))
        }
        return .object([
            ("type", .string("Repository")),
            ("id", .int(hook.id)),
            ("name", .string(hook.name)),
            ("active", .bool(hook.active)),
            ("events", .array(hook.events.map(MockJSON.string))),
            ("config", .object(config)),
            ("updated_at", .string(MockTimeFormat.iso8601(hook.updatedAt))),
            ("created_at", .string(MockTimeFormat.iso8601(hook.createdAt))),
            ("url", .string(url)),
            ("test_url", .string(url + "/test")),
            ("ping_url", .string(url + "/pings")),
            ("deliveries_url", .string(url + "/deliveries")),
            ("last_response", .object([("code", .null), ("status", .string("unused")), ("message", .null)])),
        ])
    }
}
