import Foundation
import InMemoryLogging
import Logging
import MokoEnterprise
import MokoEnterpriseTestSupport
import Testing

/// A transport that answers from a closure and records every request.
private final class GitHubStubTransport: HTTPTransport {
    let requests = TestRecorder<HTTPTransportRequest>()
    let respond: @Sendable (HTTPTransportRequest) throws -> HTTPTransportResponse

    init(_ respond: @escaping @Sendable (HTTPTransportRequest) throws -> HTTPTransportResponse) {
        self.respond = respond
    }

    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        requests.append(request)
        return try respond(request)
    }
}

private func gitHubJSON(_ status: Int, _ text: String, headers: [String: String] = [:]) -> HTTPTransportResponse {
    var fields = HTTPHeaderFields(headers)
    fields["Content-Type"] = "application/json; charset=utf-8"
    return HTTPTransportResponse(statusCode: status, headers: fields, body: Data(text.utf8))
}

@Suite("GitHubClient (unit)")
struct GitHubClientUnitTests {
    @Test func headerLookupIgnoresCase() {
        var headers = HTTPHeaderFields(["Etag": "\"a\"", "X-Ratelimit-Remaining": "7"])
        #expect(headers["ETag"] == "\"a\"")
        #expect(headers["x-ratelimit-remaining"] == "7")
        headers["ETAG"] = "\"b\""
        #expect(headers.values(for: "etag") == ["\"b\""])
        headers["etag"] = nil
        #expect(headers["ETag"] == nil)
    }

    @Test func linkHeaderYieldsTheNextURL() async throws {
        let client = try GitHubClient(
            token: "t", baseURL: URL(string: "https://example.test"),
            transport: GitHubStubTransport { request in
                if request.url.query?.contains("page=2") == true {
                    return gitHubJSON(200, #"[{"id":2,"name":"b","full_name":"o/b"}]"#)
                }
                return gitHubJSON(
                    200, #"[{"id":1,"name":"a","full_name":"o/a"}]"#,
                    headers: [
                        "Link": #"<https://example.test/organizations/9/repos?per_page=1&page=2>; rel="next", "#
                            + #"<https://example.test/organizations/9/repos?per_page=1&page=2>; rel="last""#
                    ])
            }, clock: ManualClock(), wallClock: ManualClock(), environment: [:])
        let repos = try await client.listRepos(org: "o", perPage: 1).collect()
        #expect(repos.map(\.fullName) == ["o/a", "o/b"])
    }

    @Test func readsTokenAndBaseURLFromTheEnvironment() async throws {
        let transport = GitHubStubTransport { _ in gitHubJSON(200, #"{"id":1,"name":"r","full_name":"o/r"}"#) }
        let client = try GitHubClient(
            transport: transport, clock: ManualClock(),
            environment: ["GH_TOKEN": "gh-secret", "GITHUB_API_URL": "http://127.0.0.1:9/api/"])
        _ = try await client.getRepo(owner: "o", repo: "r")
        let sent = try #require(transport.requests.values.first)
        #expect(sent.url.absoluteString == "http://127.0.0.1:9/api/repos/o/r")
        #expect(sent.headers["Authorization"] == "Bearer gh-secret")
        #expect(sent.headers["Accept"] == "application/vnd.github+json")
        #expect(sent.headers["X-GitHub-Api-Version"] == "2022-11-28")
        #expect(sent.headers["User-Agent"]?.isEmpty == false)

        let preferred = try GitHubClient(
            transport: transport, clock: ManualClock(), environment: ["GITHUB_TOKEN": "a", "GH_TOKEN": "b"])
        _ = try await preferred.getRepo(owner: "o", repo: "r")
        #expect(transport.requests.values.last?.headers["Authorization"] == "Bearer a")
        #expect(preferred.baseURL.absoluteString == "https://api.github.com")
    }

    @Test func rejectsANonHTTPBaseURL() {
        #expect(throws: GitHubClientError.self) {
            try GitHubClient(clock: ManualClock(), environment: ["GITHUB_API_URL": "ftp://example.test"])
        }
    }

    @Test func badArgumentsFailBeforeAnyRequest() async throws {
        let transport = GitHubStubTransport { _ in gitHubJSON(200, "{}") }
        let client = try GitHubClient(
            token: "t", baseURL: URL(string: "https://example.test"), transport: transport, clock: ManualClock(),
            environment: [:])
        for (owner, repo) in [("o", "../x"), ("o/p", "r"), ("", "r"), ("o", "r?x=1"), ("o", "r\n")] {
            await #expect(throws: GitHubClientError.self) { try await client.getRepo(owner: owner, repo: repo) }
        }
        await #expect(throws: GitHubClientError.self) {
            for try await _ in client.listRepos(org: "a/b") {}
        }
        #expect(transport.requests.count == 0)
    }

    @Test func validationErrorsCarryGitHubsDetails() async throws {
        let body = #"""
            {"message":"Repository creation failed.","errors":[{"resource":"Repository","code":"custom",
            "field":"name","message":"name already exists on this account"}],
            "documentation_url":"https://docs.github.com/rest/repos/repos#create","status":"422"}
            """#
        let client = try GitHubClient(
            token: "t", baseURL: URL(string: "https://example.test"),
            transport: GitHubStubTransport { _ in gitHubJSON(422, body) }, clock: ManualClock(), environment: [:])
        let error = await #expect(throws: GitHubAPIError.self) {
            try await client.createRepo(org: "o", NewRepository(name: "dup"))
        }
        #expect(error?.statusCode == 422)
        #expect(error?.message == "Repository creation failed.")
        #expect(error?.errors.first?.field == "name")
        #expect(error?.errors.first?.code == "custom")
        #expect(error?.documentationURL == "https://docs.github.com/rest/repos/repos#create")
        #expect(error?.description.contains("name already exists") == true)
    }

    @Test func updateSendsOnlyTheFieldsSet() async throws {
        let transport = GitHubStubTransport { _ in gitHubJSON(200, #"{"id":1,"name":"r","full_name":"o/r"}"#) }
        let client = try GitHubClient(
            token: "t", baseURL: URL(string: "https://example.test"), transport: transport, clock: ManualClock(),
            environment: [:])
        try await client.updateRepo(owner: "o", repo: "r", RepositoryUpdate(hasWiki: false, deleteBranchOnMerge: true))
        let sent = try #require(transport.requests.values.first)
        #expect(sent.method == "PATCH")
        #expect(
            String(decoding: sent.body ?? Data(), as: UTF8.self) == #"{"delete_branch_on_merge":true,"has_wiki":false}"#
        )
    }

    @Test func branchProtectionPutAlwaysSendsTheFourRequiredKeys() async throws {
        let transport = GitHubStubTransport { _ in
            gitHubJSON(200, #"{"url":"https://example.test/x","enforce_admins":{"url":"u","enabled":true}}"#)
        }
        let client = try GitHubClient(
            token: "t", baseURL: URL(string: "https://example.test"), transport: transport, clock: ManualClock(),
            environment: [:])
        let rule = try await client.updateBranchProtection(
            owner: "o", repo: "r", branch: "main", BranchProtectionUpdate(enforceAdmins: true))
        #expect(rule.enforceAdmins?.enabled == true)
        let body = try #require(transport.requests.values.first?.body)
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "required_status_checks", "enforce_admins", "required_pull_request_reviews", "restrictions",
            ])
        #expect(object["restrictions"] is NSNull)
    }

    @Test func neverLogsTheToken() async throws {
        let token = "ghp_" + String(repeating: "x", count: 36)
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "test") { _ in logs }
        logger.logLevel = .trace
        let client = try GitHubClient(
            token: token, baseURL: URL(string: "https://example.test"), logger: logger,
            transport: GitHubStubTransport { _ in gitHubJSON(404, #"{"message":"Not Found"}"#) }, clock: ManualClock(),
            environment: [:])
        let error = await #expect(throws: GitHubAPIError.self) { try await client.getRepo(owner: "o", repo: "r") }
        #expect(!logs.entries.isEmpty)
        for entry in logs.entries {
            #expect(!"\(entry.message) \(entry.metadata)".contains(token))
        }
        #expect(!String(describing: error).contains(token))
    }

    @Test func redirectsAreFollowedWithoutLeakingTheTokenToAnotherHost() async throws {
        let transport = GitHubStubTransport { request in
            switch request.url.absoluteString {
            case "https://example.test/repos/o/old":
                return gitHubJSON(
                    301, #"{"message":"Moved Permanently"}"#,
                    headers: ["Location": "https://example.test/repositories/7"])
            case "https://example.test/repositories/7":
                return gitHubJSON(200, #"{"id":7,"name":"new","full_name":"o/new"}"#)
            default:
                return gitHubJSON(404, #"{"message":"Not Found"}"#)
            }
        }
        let client = try GitHubClient(
            token: "t", baseURL: URL(string: "https://example.test"), transport: transport, clock: ManualClock(),
            environment: [:])
        let repo = try await client.getRepo(owner: "o", repo: "old")
        #expect(repo.fullName == "o/new")
        #expect(transport.requests.values.map(\.headers["Authorization"]) == ["Bearer t", "Bearer t"])
    }
}
