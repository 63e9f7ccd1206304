extension MockGitHub {
    /// Opens issues in a repository directly, as if its members had filed them: for fixtures of exercises
    /// and tests that need a repository with many issues (a multi-page list) without sending one `POST` per
    /// issue. Nothing is journaled and no quota is spent.
    ///
    /// The issues get the next numbers of the repository, in order, the author `author` and the current
    /// virtual time. They are part of the live state only: ``reset()`` removes them again.
    ///
    /// ```swift
    /// let mock = MockGitHub(configuration: .init(fixture: .standard(repos: 3)))
    /// let repo = (await mock.dumpState()).repos[0]
    /// try await mock.addIssues(owner: repo.ownerLogin, repo: repo.name, titles: (1...250).map { "Issue \($0)" })
    /// ```
    ///
    /// - Parameters:
    ///   - owner: the repository's owner login (case-insensitive).
    ///   - repo: the repository's name (case-insensitive).
    ///   - titles: one title per issue, each non-empty.
    ///   - closed: whether the issues are closed (`state_reason` `completed`) rather than open.
    ///   - author: the login shown as the issues' author.
    /// - Returns: the numbers given to the new issues, in order.
    /// - Throws: `MockGitHubAdminError` when the repository does not exist or a title is empty; nothing is
    ///   added then.
    @discardableResult
    public func addIssues(
        owner: String, repo: String, titles: [String], closed: Bool = false, author: String = "mona"
    ) throws(MockGitHubAdminError) -> [Int] {
        let key = owner.lowercased() + "/" + repo.lowercased()
        guard let id = repoIDByFullName[key], let index = repoIndexByID[id] else {
            throw MockGitHubAdminError(message: "Repository \(owner)/\(repo) does not exist; no issue was added.")
        }
        if let position = titles.firstIndex(where: \.isEmpty) {
            throw MockGitHubAdminError(message: "Title number \(position + 1) is empty; no issue was added.")
        }
        let now = clock.seconds
        var numbers: [Int] = []
        for title in titles {
            let number = state.repos[index].nextIssueNumber
            state.repos[index].nextIssueNumber += 1
            state.repos[index].issues.append(
                MockGitHubState.Issue(
                    id: nextID(), number: number, title: title, body: nil, state: closed ? "closed" : "open",
                    stateReason: closed ? "completed" : nil, labels: [], assignees: [], userLogin: author,
                    createdAt: now, updatedAt: now, closedAt: closed ? now : nil, version: nextVersion()))
            numbers.append(number)
        }
        if !titles.isEmpty { touchRepo(index, now: now) }
        return numbers
    }
}
