import Foundation
import MockGitHub
import MockGitHubServer
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("MockGitHubServer over a socket")
struct MockGitHubServerTests {
    static func session() -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return URLSession(configuration: configuration)
    }

    static func send(
        _ session: URLSession,
        _ url: URL,
        method: String = "GET",
        token: String?,
        headers: [String: String] = [:],
        body: Data? = nil
    ) async throws -> (Data, HTTPURLResponse) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("mock-github-smoke", forHTTPHeaderField: "User-Agent")
        request.setValue("application/vnd.github+json", forHTTPHeaderField: "Accept")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        return (data, http)
    }

    @Test func servesTheCoreOverARealSocket() async throws {
        let mock = MockGitHub(configuration: .init(seed: 3, fixture: .standard(repos: 120)))
        let server = try await MockGitHubServer.start(mock: mock)
        let token = await mock.token(for: "mona")
        let session = Self.session()
        do {
            #expect(server.port > 0)
            #expect(await mock.baseURL == "http://127.0.0.1:\(server.port)")
            var next: URL? = server.baseURL.appendingPathComponent("orgs/moko-lab/repos")
            var count = 0
            while let url = next {
                let (data, response) = try await Self.send(session, url, token: token)
                #expect(response.statusCode == 200)
                let items = try JSONSerialization.jsonObject(with: data) as? [[String: Any]]
                count += items?.count ?? 0
                let link = response.value(forHTTPHeaderField: "Link") ?? ""
                next = link.split(separator: ",").first { $0.contains("rel=\"next\"") }.flatMap { part in
                    guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">") else { return nil }
                    return URL(string: String(part[part.index(after: open)..<close]))
                }
            }
            #expect(count == 120)
            let userURL = server.baseURL.appendingPathComponent("user")
            let (_, first) = try await Self.send(session, userURL, token: token)
            let etag = try #require(first.value(forHTTPHeaderField: "ETag"))
            let (notModified, second) = try await Self.send(
                session, userURL, token: token, headers: ["If-None-Match": etag])
            #expect(second.statusCode == 304)
            #expect(notModified.isEmpty)
            #expect(
                second.value(forHTTPHeaderField: "X-RateLimit-Remaining")
                    == first.value(forHTTPHeaderField: "X-RateLimit-Remaining"))
            let (_, bad) = try await Self.send(session, userURL, token: "nope")
            #expect(bad.statusCode == 401)
            // A planned dropped connection surfaces as a transport error, then service resumes.
            try await mock.setFaultPlan(
                MockFaultPlan(rules: [
                    .init(
                        id: "drop", match: .init(path: "/rate_limit"), when: .init(nth: [1]),
                        action: .init(type: "empty"))
                ])
            )
            let rateURL = server.baseURL.appendingPathComponent("rate_limit")
            await #expect(throws: (any Error).self) { _ = try await Self.send(Self.session(), rateURL, token: token) }
            let (_, resumed) = try await Self.send(Self.session(), rateURL, token: token)
            #expect(resumed.statusCode == 200)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func socketFuzzNeverGives5xx() async throws {
        let mock = MockGitHub(configuration: .init(seed: 5, fixture: .standard(repos: 10), secondaryLimits: false))
        let server = try await MockGitHubServer.start(mock: mock)
        let token = await mock.token(for: "mona") ?? ""
        let session = Self.session()
        var fuzzer = MockGitHubFuzzer(seed: 77, token: token)
        var serverErrors: [String] = []
        var answered = 0
        for _ in 0..<300 {
            let request = fuzzer.request(repo: "whatever", repoID: 1, orgID: 1)
            guard let url = URL(string: server.baseURL.absoluteString + request.target),
                ["GET", "POST", "PATCH", "PUT", "DELETE", "BREW"].contains(request.method)
            else { continue }
            var headers: [String: String] = [:]
            for (name, value) in request.headers where !value.isEmpty && value.count < 4_000 { headers[name] = value }
            guard
                let (_, response) = try? await Self.send(
                    session, url, method: request.method, token: nil, headers: headers,
                    body: request.body.isEmpty || request.method == "GET" ? nil : Data(request.body)
                )
            else { continue }
            answered += 1
            if response.statusCode >= 500 {
                serverErrors.append("\(request.method) \(request.target) → \(response.statusCode)")
            }
        }
        await server.stop()
        #expect(answered > 150)
        #expect(serverErrors.isEmpty, "\(serverErrors.prefix(10))")
    }
}
