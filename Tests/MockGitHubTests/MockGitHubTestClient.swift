import Foundation
import MockGitHub

/// A tiny in-process client for the tests: adds a token, User-Agent, Accept and version headers.
struct MockGitHubTestClient {
    let mock: MockGitHub
    var token: String?
    var extraHeaders: [(name: String, value: String)] = []

    init(mock: MockGitHub, token: String?) {
        self.mock = mock
        self.token = token
    }

    static func make(repos: Int = 10, seed: UInt64 = 1, login: String = "mona") async -> MockGitHubTestClient {
        let mock = MockGitHub(configuration: .init(seed: seed, fixture: .standard(repos: repos)))
        return MockGitHubTestClient(mock: mock, token: await mock.token(for: login))
    }

    var baseHeaders: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("User-Agent", "mock-github-tests"), ("Accept", "application/vnd.github+json"),
            ("X-GitHub-Api-Version", "2022-11-28"),
        ]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return headers + extraHeaders
    }

    func send(
        _ method: String,
        _ target: String,
        json: String? = nil,
        headers: [(name: String, value: String)] = []
    ) async -> MockResponse {
        await mock.handle(
            MockRequest(method: method, target: target, headers: baseHeaders + headers, body: Array((json ?? "").utf8))
        )
    }

    func get(_ target: String, headers: [(name: String, value: String)] = []) async -> MockResponse {
        await send("GET", target, headers: headers)
    }

    func admin(_ method: String, _ path: String, json: String? = nil) async -> MockResponse {
        await mock.handle(
            MockRequest(
                method: method,
                target: path,
                headers: [("Authorization", "Bearer \(await mock.adminToken)")],
                body: Array((json ?? "").utf8)
            )
        )
    }
}

/// Parses a `Link` header into rel → path+query (base URL removed).
func mockGitHubLinks(_ header: String?, base: String) -> [String: String] {
    var links: [String: String] = [:]
    for part in (header ?? "").split(separator: ",") {
        guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"),
            let relRange = part.range(of: "rel=\"")
        else { continue }
        var url = String(part[part.index(after: open)..<close])
        if url.hasPrefix(base) { url.removeFirst(base.count) }
        let rel = part[relRange.upperBound...].prefix { $0 != "\"" }
        links[String(rel)] = url
    }
    return links
}
