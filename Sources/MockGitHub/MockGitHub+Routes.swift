extension MockGitHub {
    /// Dispatches a GitHub API request to its endpoint.
    func route(_ call: inout MockCall) throws(MockHTTPError) -> MockResponse {
        let s = call.segments
        let m = call.method
        if s.contains(where: \.isEmpty) { throw notFound() }
        switch (s.count, s.first ?? "") {
        case (1, "user") where m == "GET":
            guard case .user(let userIndex, _) = call.identity else {
                throw MockHTTPError(
                    response: error(401, "Requires authentication", doc: "/users/users#get-the-authenticated-user"))
            }
            return getUser(call, userIndex: userIndex)
        case (2, "user") where s[1] == "orgs" && m == "GET":
            guard let login = call.login else {
                throw MockHTTPError(response: error(401, "Requires authentication"))
            }
            let orgs = state.orgs.filter { $0.members[login] != nil }.sorted { $0.id < $1.id }
            return try pagedJSON(call, items: orgs.map { orgJSON($0, full: false) }, canonical: "/user/orgs")
        case (2, "users") where m == "GET":
            guard let index = userIndexByLogin[s[1].lowercased()] else { throw notFound() }
            let user = state.users[index]
            return jsonResponse(call, accountJSON(login: user.login, id: user.id, isOrg: false))
        case (1, "rate_limit") where m == "GET":
            return rateLimitBody(call)
        case (2, "orgs") where m == "GET":
            guard let index = orgIndexByLogin[s[1].lowercased()] else { throw notFound() }
            return jsonResponse(call, orgJSON(state.orgs[index], full: true))
        case (3, "orgs") where s[2] == "repos":
            guard let index = orgIndexByLogin[s[1].lowercased()] else { throw notFound() }
            if m == "GET" { return listOrgRepos(call, orgIndex: index) }
            if m == "POST" { return try createRepo(call, orgIndex: index) }
            throw notFound()
        case (3, "organizations") where s[2] == "repos" && m == "GET":
            guard let id = Int(s[1]), let index = orgIndexByID[id] else { throw notFound() }
            return listOrgRepos(call, orgIndex: index)
        case (3, "orgs") where s[2] == "teams" && m == "GET":
            guard let index = orgIndexByLogin[s[1].lowercased()], isOrgMember(call, orgIndex: index) else {
                throw notFound()
            }
            let orgID = state.orgs[index].id
            let teams = state.teams.filter { $0.orgID == orgID }.sorted { $0.id < $1.id }
            return try pagedJSON(call, items: teams.map { teamJSON($0) }, canonical: "/orgs/\(s[1])/teams")
        case (4, "orgs") where s[2] == "teams" && m == "GET":
            let (_, teamIndex) = try resolveTeam(call, org: s[1], slug: s[3])
            return jsonResponse(call, teamJSON(state.teams[teamIndex]))
        case (7, "orgs") where s[2] == "teams" && s[4] == "repos":
            return try teamRepo(call, org: s[1], slug: s[3], owner: s[5], name: s[6])
        case (_, "repos") where s.count >= 3:
            return try repoRoute(&call, reference: .name(owner: s[1], name: s[2]), rest: Array(s[3...]))
        case (_, "repositories") where s.count >= 2:
            guard let id = Int(s[1]) else { throw notFound() }
            return try repoRoute(&call, reference: .id(id), rest: Array(s[2...]))
        default:
            throw notFound()
        }
    }

    enum RepoReference {
        case name(owner: String, name: String)
        case id(Int)
    }

    /// Resolves a repository reference; answers 301/307 for renamed repositories and 404 for hidden ones.
    func resolveRepo(_ call: MockCall, _ reference: RepoReference, rest: [String]) throws(MockHTTPError) -> Int {
        switch reference {
        case .id(let id):
            guard let index = repoIndexByID[id], role(call, state.repos[index]) > 0 else { throw notFound() }
            return index
        case .name(let owner, let name):
            let key = owner.lowercased() + "/" + name.lowercased()
            if let id = repoIDByFullName[key], let index = repoIndexByID[id] {
                guard role(call, state.repos[index]) > 0 else { throw notFound() }
                return index
            }
            if let id = state.renamed[key], let index = repoIndexByID[id], role(call, state.repos[index]) > 0 {
                var location = configuration.baseURL + "/repositories/\(id)"
                if !rest.isEmpty { location += "/" + rest.joined(separator: "/") }
                if !call.rawQuery.isEmpty { location += "?" + call.rawQuery }
                let status = call.method == "GET" || call.method == "HEAD" ? 301 : 307
                let message = status == 301 ? "Moved Permanently" : "Temporary Redirect"
                var response = error(status, message, extra: [("url", .string(location))])
                response.headers.append(("location", location))
                throw MockHTTPError(response: response)
            }
            throw notFound()
        }
    }

    func repoRoute(
        _ call: inout MockCall, reference: RepoReference, rest: [String]
    ) throws(MockHTTPError)
        -> MockResponse
    {
        let index = try resolveRepo(call, reference, rest: rest)
        let repo = state.repos[index]
        let callerRole = role(call, repo)
        let m = call.method
        if call.isMutation && repo.archived {
            let unarchiving =
                rest.isEmpty && m == "PATCH" && (try? MockJSON.parse(call.request.body))?["archived"] == .bool(false)
            if !unarchiving {
                throw MockHTTPError(response: error(403, "Repository was archived so is read-only."))
            }
        }
        switch rest.count {
        case 0:
            switch m {
            case "GET", "HEAD": return getRepo(call, repo: repo, role: callerRole)
            case "PATCH": return try updateRepo(call, index: index, role: callerRole)
            case "DELETE": return try deleteRepo(call, index: index, role: callerRole)
            default: throw notFound()
            }
        case 1 where rest[0] == "branches" && m == "GET":
            let items: [MockJSON] = repo.branches.map { branchJSON(repo, $0) }
            return try pagedJSON(call, items: items, canonical: "/repositories/\(repo.id)/branches")
        case 2 where rest[0] == "branches" && m == "GET":
            guard repo.branches.contains(rest[1]) else { throw branchNotFound() }
            return jsonResponse(call, branchJSON(repo, rest[1]))
        case 3 where rest[0] == "branches" && rest[2] == "protection":
            return try protection(call, index: index, role: callerRole, branch: rest[1])
        case 1 where rest[0] == "issues":
            guard repo.hasIssues else { throw issuesDisabled() }
            if m == "GET" { return try listIssues(call, repo: repo) }
            if m == "POST" { return try createIssue(call, index: index, role: callerRole) }
            throw notFound()
        case 2 where rest[0] == "issues":
            guard repo.hasIssues else { throw issuesDisabled() }
            guard let number = Int(rest[1]), let issueIndex = repo.issues.firstIndex(where: { $0.number == number })
            else { throw notFound() }
            if m == "GET" {
                return jsonResponse(call, issueJSON(repo.issues[issueIndex], repo: repo, modern: call.modern))
            }
            if m == "PATCH" {
                return try updateIssue(call, index: index, issueIndex: issueIndex, role: callerRole)
            }
            throw notFound()
        case 1 where rest[0] == "hooks":
            guard callerRole >= 5 else { throw notFound() }
            if m == "GET" {
                return try pagedJSON(
                    call,
                    items: repo.hooks.map { hookJSON($0, repo: repo) },
                    canonical: "/repositories/\(repo.id)/hooks"
                )
            }
            if m == "POST" { return try createHook(call, index: index) }
            throw notFound()
        case 2 where rest[0] == "hooks":
            guard callerRole >= 5 else { throw notFound() }
            guard let id = Int(rest[1]), let hookIndex = repo.hooks.firstIndex(where: { $0.id == id }) else {
                throw notFound()
            }
            switch m {
            case "GET": return jsonResponse(call, hookJSON(repo.hooks[hookIndex], repo: repo))
            case "PATCH": return try updateHook(call, index: index, hookIndex: hookIndex)
            case "DELETE":
                state.repos[index].hooks.remove(at: hookIndex)
                touchRepo(index, now: call.now)
                return MockResponse(status: 204)
            default: throw notFound()
            }
        default:
            throw notFound()
        }
    }

    func issuesDisabled() -> MockHTTPError {
        MockHTTPError(response: error(410, "Issues are disabled for this repo", doc: "/issues/issues"))
    }

    func branchNotFound() -> MockHTTPError {
        MockHTTPError(response: error(404, "Branch not found", doc: "/branches/branches#get-a-branch"))
    }

    // MARK: - Responses

    /// Identity part of every ETag: the same URL has different ETags for different callers and versions.
    ///
    /// FNV-1a of `identityKey|2022|path?query`, hashed piece by piece (the same value, no joined string).
    func etagSeed(_ call: MockCall) -> UInt64 {
        var hash = MockHashing.fnv1a(call.identityKey)
        hash = MockHashing.fnv1a(call.modern ? "|2026|" : "|2022|", seed: hash)
        hash = MockHashing.fnv1a(call.path, seed: hash)
        hash = MockHashing.fnv1a("?", seed: hash)
        return MockHashing.fnv1a(call.rawQuery, seed: hash)
    }

    /// A 200 JSON response with an ETag derived from the body and the caller.
    func jsonResponse(_ call: MockCall, _ json: MockJSON, status: Int = 200) -> MockResponse {
        let body = json.bytes
        var response = MockResponse(status: status, body: body)
        if status == 200 {
            response.headers.append(("etag", MockHashing.etag(MockHashing.fnv1a(body, seed: etagSeed(call)))))
        }
        return response
    }

    /// A paginated JSON array of already-rendered items.
    func pagedJSON(_ call: MockCall, items: [MockJSON], canonical: String) throws(MockHTTPError) -> MockResponse {
        let (range, link) = page(call, total: items.count, canonical: canonical)
        var response = jsonResponse(call, .array(Array(items[range])))
        if let link { response.headers.append(("link", link)) }
        return response
    }

    /// The slice of a list `page` and `per_page` select, and the `Link` header (nil when one page holds all).
    func page(_ call: MockCall, total: Int, canonical: String) -> (Range<Int>, String?) {
        var perPage = call.query("per_page").flatMap { Int($0) } ?? 30
        if perPage < 1 { perPage = 30 }
        perPage = min(perPage, 100)
        var page = call.query("page").flatMap { Int($0) } ?? 1
        if page < 1 { page = 1 }
        let lastPage = max(1, (total + perPage - 1) / perPage)
        let start = min(
            total, (page - 1).multipliedReportingOverflow(by: perPage).overflow ? total : (page - 1) * perPage)
        let end = min(total, start + perPage)
        guard lastPage > 1 else { return (start..<end, nil) }
        let kept = call.query.filter { $0.0 != "page" }
        func url(_ number: Int) -> String {
            var parts = kept.map { MockGitHub.queryEscape($0.0) + "=" + MockGitHub.queryEscape($0.1) }
            parts.append("page=\(number)")
            return "<" + configuration.baseURL + canonical + "?" + parts.joined(separator: "&") + ">"
        }
        var links: [String] = []
        if page > 1 { links.append(url(min(page - 1, lastPage)) + "; rel=\"prev\"") }
        if page < lastPage {
            links.append(url(page + 1) + "; rel=\"next\"")
            links.append(url(lastPage) + "; rel=\"last\"")
        }
        if page > 1 { links.append(url(1) + "; rel=\"first\"") }
        return (start..<end, links.isEmpty ? nil : links.joined(separator: ", "))
    }

    static func queryEscape(_ text: String) -> String {
        var allowed = CharacterSetASCII.unreserved
        allowed.insert(",")
        var out = ""
        for byte in text.utf8 {
            if allowed.contains(byte) {
                out.append(Character(Unicode.Scalar(byte)))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    // MARK: - Users and rate limit

    func getUser(_ call: MockCall, userIndex: Int) -> MockResponse {
        let user = state.users[userIndex]
        guard case .object(var members) = accountJSON(login: user.login, id: user.id, isOrg: false) else {
            return error(500, "Server Error")
        }
        members += [
            ("name", user.name.map(MockJSON.string) ?? .null),
            ("company", .null),
            ("blog", .string("")),
            ("location", .null),
            ("email", user.email.map(MockJSON.string) ?? .null),
            ("hireable", .null),
            ("bio", .null),
            ("twitter_username", .null),
            ("public_repos", .int(0)),
            ("public_gists", .int(0)),
            ("followers", .int(0)),
            ("following", .int(0)),
            ("created_at", .string(MockTimeFormat.iso8601(clock.epoch.timeIntervalSince1970 - 86_400 * 800))),
            ("updated_at", .string(MockTimeFormat.iso8601(clock.epoch.timeIntervalSince1970 - 86_400))),
            ("private_gists", .int(0)),
            ("total_private_repos", .int(0)),
            ("owned_private_repos", .int(0)),
            ("disk_usage", .int(0)),
            ("collaborators", .int(0)),
            ("two_factor_authentication", .bool(true)),
        ]
        return jsonResponse(call, .object(members))
    }

    func rateLimitBody(_ call: MockCall) -> MockResponse {
        let bucket =
            buckets[call.identityKey]
            ?? MockBucket(
                limit: call.login == nil ? configuration.anonymousLimit : configuration.userLimit,
                used: 0,
                reset: (call.now + 3_600).rounded(.up)
            )
        let live =
            call.now >= bucket.reset
            ? MockBucket(limit: bucket.limit, used: 0, reset: (call.now + 3_600).rounded(.up)) : bucket
        func entry(_ limit: Int, _ used: Int, _ reset: Double) -> MockJSON {
            .object([
                ("limit", .int(limit)), ("used", .int(used)), ("remaining", .int(max(0, limit - used))),
                ("reset", .int(Int(reset))),
            ])
        }
        let core = entry(live.limit, live.used, live.reset)
        let idle = (call.now + 60).rounded(.up)
        var resources: [(String, MockJSON)] = [("core", core)]
        for (name, limit) in [
            ("search", 30), ("graphql", 5_000), ("integration_manifest", 5_000), ("source_import", 100),
            ("code_scanning_upload", 1_000), ("actions_runner_registration", 10_000), ("scim", 15_000),
            ("dependency_snapshots", 100), ("code_search", 10),
        ] {
            resources.append((name, entry(limit, 0, name == "graphql" ? (call.now + 3_600).rounded(.up) : idle)))
        }
        var members: [(String, MockJSON)] = [("resources", .object(resources))]
        if !call.modern { members.append(("rate", core)) }
        return MockResponse(status: 200, body: MockJSON.object(members).bytes)
    }

    func teamJSON(_ team: MockGitHubState.Team) -> MockJSON {
        let orgLogin = orgIndexByID[team.orgID].map { state.orgs[$0].login } ?? ""
        let url = configuration.baseURL + "/organizations/\(team.orgID)/team/\(team.id)"
        return .object([
            ("name", .string(team.name)),
            ("id", .int(team.id)),
            ("node_id", .string(MockGitHub.nodeID("T_", team.id))),
            ("slug", .string(team.slug)),
            ("description", .null),
            ("privacy", .string("closed")),
            ("notification_setting", .string("notifications_enabled")),
            ("url", .string(url)),
            ("html_url", .string("https://github.com/orgs/\(orgLogin)/teams/\(team.slug)")),
            ("members_url", .string(url + "/members{/member}")),
            ("repositories_url", .string(url + "/repos")),
            ("permission", .string("pull")),
            ("parent", .null),
        ])
    }

    func branchJSON(_ repo: MockGitHubState.Repo, _ branch: String) -> MockJSON {
        let sha =
            MockHashing.hex(MockHashing.fnv1a(repo.fullName + "#" + branch)) + "00000000"
            + MockHashing.hex(UInt64(repo.id))
        return .object([
            ("name", .string(branch)),
            (
                "commit",
                .object([
                    ("sha", .string(sha)),
                    ("url", .string(configuration.baseURL + "/repos/" + repo.fullName + "/commits/" + sha)),
                ])
            ),
            ("protected", .bool(repo.protections[branch] != nil)),
        ])
    }

    func isOrgMember(_ call: MockCall, orgIndex: Int) -> Bool {
        guard let login = call.login else { return false }
        return state.orgs[orgIndex].members[login] != nil
    }
}

/// ASCII byte sets for URL escaping.
enum CharacterSetASCII {
    static var unreserved: Set<UInt8> {
        var set = Set<UInt8>()
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { set.insert(byte) }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { set.insert(byte) }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { set.insert(byte) }
        for byte in "-._~".utf8 { set.insert(byte) }
        return set
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

extension Set where Element == UInt8 {
    fileprivate mutating func insert(_ character: Character) {
        if let value = character.asciiValue { insert(value) }
    }
}
