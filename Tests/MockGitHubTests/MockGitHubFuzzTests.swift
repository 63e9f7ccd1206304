import Foundation
import MockGitHub
import Testing

/// Generates seeded malformed requests: bad JSON, wrong types, huge bodies, odd paths, headers and methods.
struct MockGitHubFuzzer {
    var state: UInt64
    let token: String

    init(seed: UInt64, token: String) {
        self.state = seed
        self.token = token
    }

    mutating func next() -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }

    static let paths = [
        "/user", "/user/orgs", "/orgs/moko-lab", "/orgs/moko-lab/repos", "/orgs/nope/repos", "/repos/moko-lab/{repo}",
        "/repos/moko-lab/{repo}/issues", "/repos/moko-lab/{repo}/issues/1", "/repos/moko-lab/{repo}/hooks",
        "/repos/moko-lab/{repo}/hooks/1", "/repos/moko-lab/{repo}/branches/main/protection",
        "/orgs/moko-lab/teams/platform/repos/moko-lab/{repo}", "/rate_limit", "/repositories/{id}",
        "/organizations/{id}/repos", "/", "", "/repos", "/repos/moko-lab", "/repos//", "/%zz/%%",
        "/repos/../../etc/passwd",
        "/repos/moko-lab/{repo}/issues/99999999999999999999999", "/__mock/state", "/__mock/clock",
        "/repos/moko-lab/{repo}/branches/%F0%9F%92%A5/protection", "/user/", "/orgs/moko-lab/repos/",
    ]
    static let methods = ["GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS", "TRACE", "BREW", "get", ""]
    static let queries = [
        "", "?per_page=-1", "?per_page=abc", "?page=0", "?page=99999999999999999999", "?per_page=9223372036854775807",
        "?page=9223372036854775807&per_page=100", "?state=weird", "?sort=\u{1F4A5}", "?a=%ZZ&&&=", "?per_page=",
        "?direction=sideways&type=none",
    ]

    mutating func body() -> [UInt8] {
        if next() % 60 == 0 { return Array(repeating: UInt8(ascii: "a"), count: 1_100_000) }
        switch next() % 14 {
        case 0: return []
        case 1: return Array("{".utf8)
        case 2: return Array("{\"name\":".utf8)
        case 3: return Array(repeating: UInt8(ascii: "["), count: 5_000)
        case 4: return (0..<Int(next() % 512)).map { _ in UInt8(truncatingIfNeeded: next()) }
        case 5: return Array("{\"name\":5,\"private\":\"yes\",\"has_issues\":[]}".utf8)
        case 6: return Array("{\"title\":{\"a\":1},\"labels\":\"x\",\"assignees\":[1,2]}".utf8)
        case 7: return Array("{\"config\":[],\"events\":{},\"active\":\"no\"}".utf8)
        case 8: return Array("{\"required_status_checks\":1,\"enforce_admins\":\"x\"}".utf8)
        case 9: return Array(repeating: UInt8(ascii: "{"), count: 100_000)
        case 10: return Array("\"just a string\"".utf8)
        case 11: return Array("{\"name\":\"\u{0}\",\"permission\":7,\"state\":\"reopen\",\"per_page\":1e999}".utf8)
        case 12: return Array("{\"name\":\"ok\"} trailing".utf8)
        default: return Array("{\"a\":\"\\ud800\",\"b\":-0.0e+,\"c\":01}".utf8)
        }
    }

    mutating func request(repo: String, repoID: Int, orgID: Int) -> MockRequest {
        var path = pick(Self.paths)
        path = path.replacingOccurrences(of: "{repo}", with: chance(80) ? repo : "does-not-exist")
        path = path.replacingOccurrences(
            of: "{id}", with: chance(50) ? String(path.contains("organizations") ? orgID : repoID) : "-1")
        if chance(5) { path += "/" + String(repeating: "x", count: 5_000) }
        let target = path + pick(Self.queries)
        var headers: [(name: String, value: String)] = []
        switch next() % 9 {
        case 0: break
        case 1: headers.append(("Authorization", "Bearer \(token)"))
        case 2: headers.append(("Authorization", "Basic !!!notbase64"))
        case 3: headers.append(("Authorization", "Digest \(token)"))
        case 4: headers.append(("Authorization", String(repeating: "B", count: 10_000)))
        case 5: headers.append(("Authorization", "token"))
        case 6: headers.append(("Authorization", "Basic " + Data(":".utf8).base64EncodedString()))
        default: headers.append(("authorization", "token \(token)"))
        }
        if chance(80) { headers.append(("User-Agent", pick(["fuzz", "", "\u{1F4A5}"]))) }
        if chance(30) {
            headers.append(("X-GitHub-Api-Version", pick(["2022-11-28", "1999-01-01", "", "2026-03-10"])))
        }
        if chance(20) { headers.append(("If-None-Match", pick(["*", "\"", "W/", "garbage", "\"abc\", W/\"def\""]))) }
        if chance(10) {
            headers.append(("If-Modified-Since", pick(["yesterday", "Thu, 01 Jan 2099 00:00:00 GMT", ""])))
        }
        if chance(5) { headers.append(("X-Weird-\(next() % 100)", String(repeating: "v", count: Int(next() % 3_000)))) }
        return MockRequest(
            method: pick(Self.methods), target: target, headers: headers, body: body(), inFlight: chance(2) ? 500 : 1)
    }
}

@Suite("MockGitHub robustness")
struct MockGitHubFuzzTests {
    @Test func tenThousandMalformedRequestsNeverGive5xx() async throws {
        let mock = MockGitHub(configuration: .init(seed: 99, fixture: .standard(repos: 30), secondaryLimits: false))
        let client = MockGitHubTestClient(mock: mock, token: await mock.token(for: "mona"))
        let first = try #require(await client.get("/orgs/moko-lab/repos").json?.arrayValue?.first)
        let repo = try #require(first["name"]?.stringValue)
        let repoID = try #require(first["id"]?.intValue)
        let orgID = try #require(first["owner"]?["id"]?.intValue)
        var fuzzer = MockGitHubFuzzer(seed: 20_260_101, token: client.token ?? "")
        var statuses: [Int: Int] = [:]
        var serverErrors: [String] = []
        for index in 0..<10_000 {
            let request = fuzzer.request(repo: repo, repoID: repoID, orgID: orgID)
            let response = await mock.handle(request)
            statuses[response.status, default: 0] += 1
            if response.status >= 500 || response.status < 100 {
                serverErrors.append("#\(index) \(request.method) \(request.target.prefix(80)) → \(response.status)")
            }
            if !response.body.isEmpty && response.status != 200 {
                #expect(
                    response.json != nil, "error body is not JSON for \(request.method) \(request.target.prefix(80))")
            }
            if index % 500 == 0 { mock.clock.advance(by: 3_601) }
        }
        #expect(serverErrors.isEmpty, "\(serverErrors.prefix(10))")
        let clientErrors = statuses.filter { (400..<500).contains($0.key) }.values.reduce(0, +)
        #expect(clientErrors > 8_000, "\(statuses.sorted { $0.key < $1.key })")
    }

    @Test func malformedJSONBodiesAreRejectedWith400AndChangeNothing() async throws {
        let client = await MockGitHubTestClient.make()
        let before = await client.mock.dumpState()
        for body in ["{", "{\"name\":", "nul", "[1,]", "{\"a\" 1}", String(repeating: "[", count: 100)] {
            let response = await client.send("POST", "/orgs/moko-lab/repos", json: body)
            #expect(response.status == 400)
        }
        #expect(await client.mock.dumpState() == before)
    }
}
