extension MockGitHub {
    // MARK: - Issues

    func listIssues(_ call: MockCall, repo: MockGitHubState.Repo) throws(MockHTTPError) -> MockResponse {
        let stateFilter = call.query("state") ?? "open"
        guard ["open", "closed", "all"].contains(stateFilter) else {
            throw validationFailed([
                .object([("resource", .string("Issue")), ("code", .string("invalid")), ("field", .string("state"))])
            ])
        }
        let labels = call.query("labels").map { $0.split(separator: ",").map(String.init) } ?? []
        var issues = repo.issues.filter { issue in
            (stateFilter == "all" || issue.state == stateFilter) && labels.allSatisfy(issue.labels.contains)
        }
        let ascending = call.query("direction") == "asc"
        if call.query("sort") == "updated" {
            issues.sort { ($0.updatedAt, $0.number) < ($1.updatedAt, $1.number) }
        } else {
            issues.sort { $0.number < $1.number }
        }
        if !ascending { issues.reverse() }
        return try pagedJSON(
            call,
            items: issues.map { issueJSON($0, repo: repo, modern: call.modern) },
            canonical: "/repositories/\(repo.id)/issues"
        )
    }

    func stringList(_ body: MockJSON, _ key: String) throws(MockHTTPError) -> [String]? {
        guard let value = body[key], !value.isNull else { return nil }
        guard case .array(let items) = value else {
            throw invalidRequest("For 'properties/\(key)', \(MockGitHub.describe(value)) is not an array.")
        }
        var result: [String] = []
        for item in items {
            if case .string(let text) = item {
                result.append(text)
            } else if case .object = item, let name = item["name"]?.stringValue {
                result.append(name)
            } else {
                throw invalidRequest("For 'items', \(MockGitHub.describe(item)) is not a string.")
            }
        }
        return result
    }

    func createIssue(_ call: MockCall, index: Int, role: Int) throws(MockHTTPError) -> MockResponse {
        guard let login = call.login else { throw MockHTTPError(response: error(401, "Requires authentication")) }
        let body = try objectBody(call)
        let title: String
        switch body["title"] {
        case .string(let text)? where !text.isEmpty: title = text
        case .int(let number)?: title = String(number)
        case nil, .string?:
            throw validationFailed([
                .object([
                    ("resource", .string("Issue")), ("code", .string("missing_field")), ("field", .string("title")),
                ])
            ])
        case let value?:
            throw invalidRequest("For 'properties/title', \(MockGitHub.describe(value)) is not a string or integer.")
        }
        let issueBody = try optionalString(body, "body") ?? nil
        var labels = try stringList(body, "labels") ?? []
        var assignees = try stringList(body, "assignees") ?? []
        if !call.modern, let single = try optionalString(body, "assignee"), let single { assignees.append(single) }
        if role < 3 {
            // Fields needing push access are silently dropped for other callers, as on GitHub.
            labels = []
            assignees = []
        }
        for assignee in assignees where userIndexByLogin[assignee.lowercased()] == nil {
            throw validationFailed([
                .object([
                    ("value", .string(assignee)), ("resource", .string("Issue")), ("field", .string("assignees")),
                    ("code", .string("invalid")),
                ])
            ])
        }
        let now = call.now
        var repo = state.repos[index]
        let issue = MockGitHubState.Issue(
            id: nextID(), number: repo.nextIssueNumber, title: title, body: issueBody, state: "open",
            stateReason: nil, labels: Array(Set(labels)).sorted(), assignees: assignees, userLogin: login,
            createdAt: now, updatedAt: now, closedAt: nil, version: nextVersion()
        )
        repo.nextIssueNumber += 1
        repo.issues.append(issue)
        state.repos[index] = repo
        touchRepo(index, now: now)
        var response = MockResponse(
            status: 201,
            body: issueJSON(issue, repo: state.repos[index], modern: call.modern).bytes
        )
        response.headers.append(
            ("location", configuration.baseURL + "/repos/" + repo.fullName + "/issues/\(issue.number)"))
        return response
    }

    func updateIssue(_ call: MockCall, index: Int, issueIndex: Int, role: Int) throws(MockHTTPError) -> MockResponse {
        guard let login = call.login else { throw MockHTTPError(response: error(401, "Requires authentication")) }
        var issue = state.repos[index].issues[issueIndex]
        guard role >= 2 || issue.userLogin == login else {
            throw MockHTTPError(response: error(403, "Must have triage rights to Issue."))
        }
        let body = try objectBody(call)
        if let value = body["title"] {
            switch value {
            case .string(let text): issue.title = text
            case .int(let number): issue.title = String(number)
            default:
                throw invalidRequest(
                    "For 'properties/title', \(MockGitHub.describe(value)) is not a string or integer.")
            }
        }
        if let text = try optionalString(body, "body") { issue.body = text }
        if let value = body["state"] {
            guard case .string(let newState) = value, newState == "open" || newState == "closed" else {
                throw validationFailed([
                    .object([
                        ("resource", .string("Issue")), ("code", .string("invalid")), ("field", .string("state")),
                        ("value", value),
                    ])
                ])
            }
            if newState != issue.state {
                issue.state = newState
                let reason = body["state_reason"]?.stringValue
                if newState == "closed" {
                    issue.closedAt = call.now
                    issue.stateReason = reason == "not_planned" ? "not_planned" : "completed"
                } else {
                    issue.closedAt = nil
                    issue.stateReason = "reopened"
                }
            }
        }
        if role >= 3 {
            if let labels = try stringList(body, "labels") { issue.labels = Array(Set(labels)).sorted() }
            if let assignees = try stringList(body, "assignees") { issue.assignees = assignees }
        }
        issue.updatedAt = call.now
        issue.version = nextVersion()
        state.repos[index].issues[issueIndex] = issue
        touchRepo(index, now: call.now)
        return jsonResponse(call, issueJSON(issue, repo: state.repos[index], modern: call.modern))
    }

    // MARK: - Hooks

    func hookConfig(_ value: MockJSON?, into config: inout [String: String]) throws(MockHTTPError) {
        guard let value else { return }
        guard case .object(let members) = value else {
            throw invalidRequest("For 'properties/config', \(MockGitHub.describe(value)) is not an object.")
        }
        for (key, item) in members {
            switch item {
            case .string(let text): config[key] = text
            case .int(let number): config[key] = String(number)
            case .null: config.removeValue(forKey: key)
            default:
                throw invalidRequest("For 'properties/config/\(key)', \(MockGitHub.describe(item)) is not a string.")
            }
        }
        if let contentType = config["content_type"], contentType != "json" && contentType != "form" {
            throw validationFailed([
                .object([
                    ("resource", .string("Hook")), ("code", .string("invalid")), ("field", .string("content_type")),
                ])
            ])
        }
        if let insecure = config["insecure_ssl"], insecure != "0" && insecure != "1" {
            throw validationFailed([
                .object([
                    ("resource", .string("Hook")), ("code", .string("invalid")), ("field", .string("insecure_ssl")),
                ])
            ])
        }
    }

    func createHook(_ call: MockCall, index: Int) throws(MockHTTPError) -> MockResponse {
        let body = try objectBody(call)
        if let name = body["name"], name != .string("web") {
            throw validationFailed([
                .object([
                    ("resource", .string("Hook")), ("code", .string("custom")), ("field", .string("name")),
                    ("message", .string("Name must be 'web'")),
                ])
            ])
        }
        var config: [String: String] = ["content_type": "form", "insecure_ssl": "0"]
        try hookConfig(body["config"], into: &config)
        guard let url = config["url"], url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw validationFailed([
                .object([
                    ("resource", .string("Hook")), ("code", .string("missing_field")), ("field", .string("config.url")),
                ])
            ])
        }
        _ = url
        let events = try stringList(body, "events") ?? ["push"]
        let active = try optionalBool(body, "active") ?? true
        let hook = MockGitHubState.Hook(
            id: nextID(), name: "web", active: active, events: events, config: config, createdAt: call.now,
            updatedAt: call.now
        )
        state.repos[index].hooks.append(hook)
        touchRepo(index, now: call.now)
        let repo = state.repos[index]
        var response = MockResponse(status: 201, body: hookJSON(hook, repo: repo).bytes)
        response.headers.append(("location", configuration.baseURL + "/repos/" + repo.fullName + "/hooks/\(hook.id)"))
        return response
    }

    func updateHook(_ call: MockCall, index: Int, hookIndex: Int) throws(MockHTTPError) -> MockResponse {
        let body = try objectBody(call)
        var hook = state.repos[index].hooks[hookIndex]
        try hookConfig(body["config"], into: &hook.config)
        if let events = try stringList(body, "events") { hook.events = events }
        if let add = try stringList(body, "add_events") { hook.events += add.filter { !hook.events.contains($0) } }
        if let remove = try stringList(body, "remove_events") { hook.events.removeAll(where: remove.contains) }
        if let active = try optionalBool(body, "active") { hook.active = active }
        hook.updatedAt = call.now
        state.repos[index].hooks[hookIndex] = hook
        touchRepo(index, now: call.now)
        return jsonResponse(call, hookJSON(hook, repo: state.repos[index]))
    }

    // MARK: - Branch protection

    func protection(_ call: MockCall, index: Int, role: Int, branch: String) throws(MockHTTPError) -> MockResponse {
        let repo = state.repos[index]
        guard repo.branches.contains(branch) else { throw branchNotFound() }
        guard role >= 5 else {
            throw MockHTTPError(response: error(403, "Must have admin rights to Repository."))
        }
        switch call.method {
        case "GET":
            guard let rule = repo.protections[branch] else {
                throw MockHTTPError(
                    response: error(
                        404, "Branch not protected", doc: "/branches/branch-protection#get-branch-protection")
                )
            }
            return jsonResponse(call, protectionJSON(rule, repo: repo, branch: branch))
        case "PUT":
            let rule = try validateProtection(try objectBody(call))
            state.repos[index].protections[branch] = rule
            touchRepo(index, now: call.now)
            return MockResponse(status: 200, body: protectionJSON(rule, repo: state.repos[index], branch: branch).bytes)
        case "DELETE":
            guard repo.protections[branch] != nil else {
                throw MockHTTPError(response: error(404, "Branch not protected"))
            }
            state.repos[index].protections.removeValue(forKey: branch)
            touchRepo(index, now: call.now)
            return MockResponse(status: 204)
        default:
            throw notFound()
        }
    }

    /// Checks a protection PUT body against GitHub's schema and returns the normalised rule.
    func validateProtection(_ body: MockJSON) throws(MockHTTPError) -> MockJSON {
        var rule: [(String, MockJSON)] = []
        for key in ["required_status_checks", "enforce_admins", "required_pull_request_reviews", "restrictions"] {
            guard let value = body[key] else { throw invalidRequest("\"\(key)\" wasn't supplied.") }
            rule.append((key, value))
        }
        if let checks = body["required_status_checks"], !checks.isNull {
            guard case .object = checks else {
                throw invalidRequest(
                    "For 'properties/required_status_checks', \(MockGitHub.describe(checks)) is not an object or null.")
            }
            if let strict = checks["strict"], strict.boolValue == nil {
                throw invalidRequest("For 'properties/strict', \(MockGitHub.describe(strict)) is not a boolean.")
            }
            if let contexts = checks["contexts"], contexts.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true {
                throw invalidRequest(
                    "For 'properties/contexts', \(MockGitHub.describe(contexts)) is not an array of strings.")
            }
        }
        if let enforce = body["enforce_admins"], !enforce.isNull, enforce.boolValue == nil {
            throw invalidRequest(
                "For 'properties/enforce_admins', \(MockGitHub.describe(enforce)) is not a boolean or null.")
        }
        if let reviews = body["required_pull_request_reviews"], !reviews.isNull {
            guard case .object = reviews else {
                throw invalidRequest(
                    "For 'properties/required_pull_request_reviews', \(MockGitHub.describe(reviews)) is not an object or null."
                )
            }
            if let count = reviews["required_approving_review_count"] {
                guard let number = count.intValue else {
                    throw invalidRequest(
                        "For 'properties/required_approving_review_count', \(MockGitHub.describe(count)) is not an integer."
                    )
                }
                guard (0...6).contains(number) else {
                    throw validationFailed([
                        .object([
                            ("resource", .string("ProtectedBranch")), ("code", .string("invalid")),
                            ("field", .string("required_approving_review_count")), ("value", count),
                        ])
                    ])
                }
            }
        }
        if let restrictions = body["restrictions"], !restrictions.isNull {
            guard case .object = restrictions else {
                throw invalidRequest(
                    "For 'properties/restrictions', \(MockGitHub.describe(restrictions)) is not an object or null.")
            }
            var total = 0
            for key in ["users", "teams", "apps"] {
                guard let list = restrictions[key] else { continue }
                guard let items = list.arrayValue else {
                    throw invalidRequest("For 'properties/\(key)', \(MockGitHub.describe(list)) is not an array.")
                }
                total += items.count
            }
            if total > 100 {
                throw validationFailed([
                    .object([
                        ("resource", .string("ProtectedBranch")), ("code", .string("custom")),
                        ("message", .string("No more than 100 users, teams, and apps may be specified.")),
                    ])
                ])
            }
        }
        for key in [
            "required_linear_history", "allow_force_pushes", "allow_deletions", "block_creations",
            "required_conversation_resolution", "lock_branch", "allow_fork_syncing",
        ] {
            guard let value = body[key] else { continue }
            guard value.isNull || value.boolValue != nil else {
                throw invalidRequest("For 'properties/\(key)', \(MockGitHub.describe(value)) is not a boolean or null.")
            }
            rule.append((key, value))
        }
        return .object(rule)
    }

    func protectionJSON(_ rule: MockJSON, repo: MockGitHubState.Repo, branch: String) -> MockJSON {
        let url = configuration.baseURL + "/repos/" + repo.fullName + "/branches/" + branch + "/protection"
        var members: [(String, MockJSON)] = [("url", .string(url))]
        if let checks = rule["required_status_checks"], !checks.isNull {
            let contexts = checks["contexts"]?.arrayValue ?? []
            members.append(
                (
                    "required_status_checks",
                    .object([
                        ("url", .string(url + "/required_status_checks")),
                        ("strict", .bool(checks["strict"]?.boolValue ?? false)),
                        ("contexts", .array(contexts)),
                        ("contexts_url", .string(url + "/required_status_checks/contexts")),
                        (
                            "checks",
                            .array(
                                checks["checks"]?.arrayValue
                                    ?? contexts.map { .object([("context", $0), ("app_id", .null)]) })
                        ),
                    ])
                ))
        }
        if let reviews = rule["required_pull_request_reviews"], !reviews.isNull {
            members.append(
                (
                    "required_pull_request_reviews",
                    .object([
                        ("url", .string(url + "/required_pull_request_reviews")),
                        ("dismiss_stale_reviews", .bool(reviews["dismiss_stale_reviews"]?.boolValue ?? false)),
                        (
                            "require_code_owner_reviews",
                            .bool(reviews["require_code_owner_reviews"]?.boolValue ?? false)
                        ),
                        (
                            "require_last_push_approval",
                            .bool(reviews["require_last_push_approval"]?.boolValue ?? false)
                        ),
                        (
                            "required_approving_review_count",
                            .int(reviews["required_approving_review_count"]?.intValue ?? 1)
                        ),
                    ])
                ))
        }
        if let restrictions = rule["restrictions"], !restrictions.isNull {
            members.append(
                (
                    "restrictions",
                    .object([
                        ("url", .string(url + "/restrictions")),
                        ("users_url", .string(url + "/restrictions/users")),
                        ("teams_url", .string(url + "/restrictions/teams")),
                        ("apps_url", .string(url + "/restrictions/apps")),
                        (
                            "users",
                            .array((restrictions["users"]?.arrayValue ?? []).compactMap(\.stringValue).map(userJSON))
                        ),
                        ("teams", .array([])),
                        ("apps", .array([])),
                    ])
                ))
        }
        members.append(
            (
                "enforce_admins",
                .object([
                    ("url", .string(url + "/enforce_admins")),
                    ("enabled", .bool(rule["enforce_admins"]?.boolValue ?? false)),
                ])
            ))
        for key in [
            "required_linear_history", "allow_force_pushes", "allow_deletions", "block_creations",
            "required_conversation_resolution", "lock_branch", "allow_fork_syncing",
        ] {
            if let value = rule[key], let flag = value.boolValue {
                members.append((key, .object([("enabled", .bool(flag))])))
            }
        }
        return .object(members)
    }

    // MARK: - Teams

    func resolveTeam(_ call: MockCall, org: String, slug: String) throws(MockHTTPError) -> (Int, Int) {
        guard let orgIndex = orgIndexByLogin[org.lowercased()], isOrgMember(call, orgIndex: orgIndex) else {
            throw notFound()
        }
        let orgID = state.orgs[orgIndex].id
        guard
            let teamIndex = state.teams.firstIndex(where: {
                $0.orgID == orgID && $0.slug.lowercased() == slug.lowercased()
            })
        else { throw notFound() }
        return (orgIndex, teamIndex)
    }

    func teamRepo(
        _ call: MockCall, org: String, slug: String, owner: String, name: String
    ) throws(MockHTTPError)
        -> MockResponse
    {
        let (orgIndex, teamIndex) = try resolveTeam(call, org: org, slug: slug)
        let repoIndex = try resolveRepo(call, .name(owner: owner, name: name), rest: [])
        let repo = state.repos[repoIndex]
        let key = String(repo.id)
        switch call.method {
        case "GET":
            guard let permission = state.teams[teamIndex].repoPermissions[key] else { throw notFound() }
            _ = permission
            return MockResponse(status: 204)
        case "PUT", "DELETE":
            guard isOrgAdmin(call, orgIndex: orgIndex) else {
                throw MockHTTPError(response: error(403, "Must have admin rights to Repository."))
            }
            if repo.archived { throw MockHTTPError(response: error(403, "Repository was archived so is read-only.")) }
            if call.method == "DELETE" {
                state.teams[teamIndex].repoPermissions.removeValue(forKey: key)
            } else {
                guard repo.ownerID == state.orgs[orgIndex].id else {
                    throw validationFailed([
                        .object([
                            ("resource", .string("TeamRepository")), ("code", .string("custom")),
                            ("message", .string("The repository must be owned by the organization.")),
                        ])
                    ])
                }
                let body = try objectBody(call)
                var permission = "push"
                if let value = body["permission"] {
                    guard case .string(let text) = value, MockGitHub.roleValue(text) != nil, text != "none" else {
                        throw validationFailed([
                            .object([
                                ("resource", .string("TeamRepository")), ("code", .string("invalid")),
                                ("field", .string("permission")), ("value", value),
                            ])
                        ])
                    }
                    permission = text
                }
                state.teams[teamIndex].repoPermissions[key] = permission
            }
            teamRoleCache.removeAll()
            touchRepo(repoIndex, now: call.now)
            return MockResponse(status: 204)
        default:
            throw notFound()
        }
    }
}
