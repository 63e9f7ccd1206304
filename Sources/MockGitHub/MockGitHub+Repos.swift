extension MockGitHub {
    // MARK: - Body parsing

    /// Parses a request body that must be a JSON object; an empty body counts as `{}`.
    func objectBody(_ call: MockCall) throws(MockHTTPError) -> MockJSON {
        let body = call.request.body
        if body.count > 1_048_576 {
            throw MockHTTPError(response: error(413, "Request body is too large (more than 1 MiB)."))
        }
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .object([]) }
        let json: MockJSON
        do {
            json = try MockJSON.parse(body)
        } catch {
            throw MockHTTPError(response: self.error(400, "Problems parsing JSON"))
        }
        guard case .object = json else {
            throw MockHTTPError(response: error(400, "Body should be a JSON object"))
        }
        return json
    }

    static func describe(_ value: MockJSON) -> String {
        let text = value.text
        return text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    func optionalString(_ body: MockJSON, _ key: String) throws(MockHTTPError) -> String?? {
        guard let value = body[key] else { return .none }
        switch value {
        case .null: return .some(nil)
        case .string(let text): return .some(text)
        default: throw invalidRequest("For 'properties/\(key)', \(MockGitHub.describe(value)) is not a string or null.")
        }
    }

    func optionalBool(_ body: MockJSON, _ key: String) throws(MockHTTPError) -> Bool? {
        guard let value = body[key] else { return nil }
        guard case .bool(let flag) = value else {
            throw invalidRequest("For 'properties/\(key)', \(MockGitHub.describe(value)) is not a boolean.")
        }
        return flag
    }

    // MARK: - Get and list

    func getRepo(_ call: MockCall, repo: MockGitHubState.Repo, role: Int) -> MockResponse {
        let body = repoBytes(repo, role: role, full: true, modern: call.modern)
        var hash = MockHashing.mix(etagSeed(call), UInt64(repo.id))
        hash = MockHashing.mix(hash, UInt64(repo.version) &* 8 &+ UInt64(role))
        return MockResponse(
            status: 200,
            headers: [("etag", MockHashing.etag(hash)), ("last-modified", MockTimeFormat.httpDate(repo.updatedAt))],
            body: body
        )
    }

    /// Repository ids of an organisation in the requested order (cached until the next mutation).
    func sortedRepoIDs(orgID: Int, sort: String, ascending: Bool) -> [Int] {
        let key = "\(orgID)|\(sort)|\(ascending)"
        if let cached = listCache[key] { return cached }
        let repos = state.repos.filter { $0.ownerID == orgID }
        let sorted: [MockGitHubState.Repo]
        switch sort {
        case "full_name":
            sorted = repos.sorted { ($0.fullName.lowercased(), $0.id) < ($1.fullName.lowercased(), $1.id) }
        case "updated": sorted = repos.sorted { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }
        case "pushed": sorted = repos.sorted { ($0.pushedAt, $0.id) < ($1.pushedAt, $1.id) }
        default: sorted = repos.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
        let ids = ascending ? sorted.map(\.id) : sorted.reversed().map(\.id)
        listCache[key] = ids
        return ids
    }

    func listOrgRepos(_ call: MockCall, orgIndex: Int) -> MockResponse {
        let org = state.orgs[orgIndex]
        let sort =
            call.query("sort").flatMap { ["created", "updated", "pushed", "full_name"].contains($0) ? $0 : nil }
            ?? "created"
        let direction = call.query("direction") ?? (sort == "full_name" ? "asc" : "desc")
        let type = call.query("type") ?? "all"
        let member = isOrgMember(call, orgIndex: orgIndex)
        var visible: [(index: Int, role: Int)] = []
        for id in sortedRepoIDs(orgID: org.id, sort: sort, ascending: direction == "asc") {
            guard let index = repoIndexByID[id] else { continue }
            let repo = state.repos[index]
            let role = role(call, repo)
            guard role > 0 else { continue }
            switch type {
            case "public": if repo.isPrivate { continue }
            case "private": if !repo.isPrivate { continue }
            case "forks": if !repo.fork { continue }
            case "sources": if repo.fork { continue }
            case "member": if !member { continue }
            default: break
            }
            visible.append((index, role))
        }
        let (range, link) = page(call, total: visible.count, canonical: "/organizations/\(org.id)/repos")
        var body: [UInt8] = [UInt8(ascii: "[")]
        var hash = MockHashing.mix(etagSeed(call), UInt64(visible.count))
        for (offset, entry) in visible[range].enumerated() {
            if offset > 0 { body.append(UInt8(ascii: ",")) }
            let repo = state.repos[entry.index]
            body.append(contentsOf: repoBytes(repo, role: entry.role, full: false, modern: call.modern))
            hash = MockHashing.mix(hash, UInt64(repo.id) &* 31 &+ UInt64(repo.version) &* 8 &+ UInt64(entry.role))
        }
        body.append(UInt8(ascii: "]"))
        var response = MockResponse(status: 200, headers: [("etag", MockHashing.etag(hash))], body: body)
        if let link { response.headers.append(("link", link)) }
        return response
    }

    // MARK: - Create, update, delete

    static func validRepoName(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            let allowed =
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_" || scalar == "."
            out.unicodeScalars.append(allowed ? scalar : "-")
        }
        return out
    }

    func checkName(_ body: MockJSON, required: Bool) throws(MockHTTPError) -> String? {
        guard let value = body["name"] else {
            if !required { return nil }
            throw validationFailed(
                [
                    .object([
                        ("resource", .string("Repository")), ("code", .string("missing_field")),
                        ("field", .string("name")),
                    ])
                ],
                message: "Repository creation failed."
            )
        }
        guard case .string(let raw) = value else {
            throw invalidRequest("For 'properties/name', \(MockGitHub.describe(value)) is not a string.")
        }
        let name = MockGitHub.validRepoName(raw.trimmingCharacters(in: .whitespaces))
        if name.isEmpty || name == "." || name == ".." {
            throw validationFailed(
                [
                    .object([
                        ("resource", .string("Repository")), ("code", .string("missing_field")),
                        ("field", .string("name")),
                    ]),
                    .object([
                        ("resource", .string("Repository")), ("code", .string("custom")), ("field", .string("name")),
                        ("message", .string("name is too short (minimum is 1 character)")),
                    ]),
                ],
                message: "Repository creation failed."
            )
        }
        if name.count > 100 {
            throw validationFailed(
                [
                    .object([
                        ("resource", .string("Repository")), ("code", .string("custom")), ("field", .string("name")),
                        ("message", .string("name is too long (maximum is 100 characters)")),
                    ])
                ],
                message: "Repository creation failed."
            )
        }
        return name
    }

    func duplicateName(_ name: String) -> MockHTTPError {
        validationFailed(
            [
                .object([
                    ("resource", .string("Repository")), ("code", .string("custom")), ("field", .string("name")),
                    ("message", .string("name already exists on this account")),
                ])
            ],
            message: "Repository creation failed."
        )
    }

    /// Applies the settable fields of a create/update body to `repo`.
    func applySettings(_ body: MockJSON, to repo: inout MockGitHubState.Repo) throws(MockHTTPError) {
        if let description = try optionalString(body, "description") { repo.description = description }
        if let homepage = try optionalString(body, "homepage") { repo.homepage = homepage }
        if let isPrivate = try optionalBool(body, "private") { repo.visibility = isPrivate ? "private" : "public" }
        if let visibility = body["visibility"] {
            guard case .string(let text) = visibility, ["public", "private", "internal"].contains(text) else {
                throw validationFailed([
                    .object([
                        ("resource", .string("Repository")), ("code", .string("invalid")),
                        ("field", .string("visibility")),
                        ("value", visibility),
                    ])
                ])
            }
            if text == "internal" && !repo.ownerIsOrg {
                throw validationFailed([
                    .object([
                        ("resource", .string("Repository")), ("code", .string("custom")),
                        ("field", .string("visibility")),
                        ("message", .string("internal visibility is only available to organisations")),
                    ])
                ])
            }
            repo.visibility = text
        }
        if let flag = try optionalBool(body, "has_issues") { repo.hasIssues = flag }
        if let flag = try optionalBool(body, "has_wiki") { repo.hasWiki = flag }
        if let flag = try optionalBool(body, "has_projects") { repo.hasProjects = flag }
        if let flag = try optionalBool(body, "has_discussions") { repo.hasDiscussions = flag }
        if let flag = try optionalBool(body, "is_template") { repo.isTemplate = flag }
        for key in [
            "allow_squash_merge", "allow_merge_commit", "allow_rebase_merge", "allow_auto_merge",
            "delete_branch_on_merge", "allow_update_branch", "allow_forking", "web_commit_signoff_required",
        ] {
            if let flag = try optionalBool(body, key) { repo.mergeSettings[key] = flag }
        }
    }

    func createRepo(_ call: MockCall, orgIndex: Int) throws(MockHTTPError) -> MockResponse {
        guard call.login != nil else { throw MockHTTPError(response: error(401, "Requires authentication")) }
        guard isOrgMember(call, orgIndex: orgIndex) else {
            throw MockHTTPError(
                response: error(403, "You need admin access to the organization before adding a repository to it.")
            )
        }
        let body = try objectBody(call)
        guard let name = try checkName(body, required: true) else { throw notFound() }
        let org = state.orgs[orgIndex]
        if repoIDByFullName[org.login.lowercased() + "/" + name.lowercased()] != nil { throw duplicateName(name) }
        let now = call.now
        var repo = MockGitHubState.Repo(
            id: 0, name: name, ownerLogin: org.login, ownerID: org.id, ownerIsOrg: true, description: nil,
            homepage: nil, visibility: "public", fork: false, archived: false, disabled: false, hasIssues: true,
            hasWiki: true, hasProjects: true, hasDiscussions: false, isTemplate: false, defaultBranch: "main",
            mergeSettings: MockGitHub.defaultMergeSettings, language: nil, topics: [], size: 0, stargazers: 0,
            createdAt: now, updatedAt: now, pushedAt: now, branches: ["main"], protections: [:], issues: [],
            nextIssueNumber: 1, hooks: [], version: 0
        )
        try applySettings(body, to: &repo)
        if let teamValue = body["team_id"] {
            guard let teamID = teamValue.intValue,
                let teamIndex = state.teams.firstIndex(where: { $0.id == teamID && $0.orgID == org.id })
            else {
                throw validationFailed([
                    .object([
                        ("resource", .string("Repository")), ("code", .string("invalid")),
                        ("field", .string("team_id")),
                    ])
                ])
            }
            repo.id = nextID()
            state.teams[teamIndex].repoPermissions[String(repo.id)] = "pull"
            teamRoleCache.removeAll()
        } else {
            repo.id = nextID()
        }
        repo.version = nextVersion()
        state.repos.append(repo)
        repoIndexByID[repo.id] = state.repos.count - 1
        repoIDByFullName[repo.fullName.lowercased()] = repo.id
        state.renamed.removeValue(forKey: repo.fullName.lowercased())
        listCache.removeAll()
        var response = MockResponse(
            status: 201, body: repoBytes(repo, role: role(call, repo), full: true, modern: call.modern))
        response.headers.append(("location", configuration.baseURL + "/repos/" + repo.fullName))
        return response
    }

    func touchRepo(_ index: Int, now: Double) {
        state.repos[index].version = nextVersion()
        state.repos[index].updatedAt = now
        listCache.removeAll()
    }

    func updateRepo(_ call: MockCall, index: Int, role: Int) throws(MockHTTPError) -> MockResponse {
        guard role >= 5 else { throw MockHTTPError(response: error(403, "Must have admin rights to Repository.")) }
        let body = try objectBody(call)
        var repo = state.repos[index]
        let oldKey = repo.fullName.lowercased()
        try applySettings(body, to: &repo)
        if let archived = try optionalBool(body, "archived") { repo.archived = archived }
        if let value = body["default_branch"] {
            guard case .string(let branch) = value else {
                throw invalidRequest("For 'properties/default_branch', \(MockGitHub.describe(value)) is not a string.")
            }
            guard repo.branches.contains(branch) else {
                throw validationFailed([
                    .object([
                        ("resource", .string("Repository")), ("code", .string("invalid")),
                        ("field", .string("default_branch")),
                        ("message", .string("Cannot update default branch for this repository")),
                    ])
                ])
            }
            repo.defaultBranch = branch
        }
        if let name = try checkName(body, required: false), name != repo.name {
            let newKey = repo.ownerLogin.lowercased() + "/" + name.lowercased()
            if let existing = repoIDByFullName[newKey], existing != repo.id { throw duplicateName(name) }
            repo.name = name
            let updatedKey = repo.fullName.lowercased()
            if updatedKey != oldKey {
                repoIDByFullName.removeValue(forKey: oldKey)
                repoIDByFullName[updatedKey] = repo.id
                state.renamed[oldKey] = repo.id
                state.renamed.removeValue(forKey: updatedKey)
            }
        }
        state.repos[index] = repo
        touchRepo(index, now: call.now)
        return MockResponse(
            status: 200,
            body: repoBytes(state.repos[index], role: role, full: true, modern: call.modern)
        )
    }

    func deleteRepo(_ call: MockCall, index: Int, role: Int) throws(MockHTTPError) -> MockResponse {
        guard role >= 5 else { throw MockHTTPError(response: error(403, "Must have admin rights to Repository.")) }
        let repo = state.repos.remove(at: index)
        let key = String(repo.id)
        for teamIndex in state.teams.indices { state.teams[teamIndex].repoPermissions.removeValue(forKey: key) }
        state.renamed = state.renamed.filter { $0.value != repo.id }
        state.mutationCounter += 1
        rebuildIndexes()
        return MockResponse(status: 204)
    }
}
