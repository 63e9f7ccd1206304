import Foundation
import MockGitHub
import Testing

@Suite("MockGitHub protocol")
struct MockGitHubProtocolTests {
    @Test func paginationOver250ReposReturnsEachOnceWithLinks() async throws {
        let client = await MockGitHubTestClient.make(repos: 250)
        let base = await client.mock.baseURL
        var target: String? = "/orgs/moko-lab/repos?per_page=100"
        var names: [String] = []
        var pages = 0
        while let current = target {
            let response = await client.get(current)
            #expect(response.status == 200)
            let items = try #require(response.json?.arrayValue)
            names += items.compactMap { $0["full_name"]?.stringValue }
            let links = mockGitHubLinks(response.header("link"), base: base)
            pages += 1
            switch pages {
            case 1:
                #expect(links["prev"] == nil && links["first"] == nil)
                #expect(links["next"]?.contains("page=2") == true)
                #expect(links["last"]?.contains("page=3") == true)
            case 2:
                #expect(links["prev"]?.contains("page=1") == true)
                #expect(links["first"]?.contains("page=1") == true)
                #expect(links["next"]?.contains("page=3") == true)
                #expect(links["last"]?.contains("page=3") == true)
            default:
                #expect(links["next"] == nil && links["last"] == nil)
                #expect(links["prev"]?.contains("page=2") == true)
            }
            if let next = links["next"] {
                #expect(next.hasPrefix("/organizations/"))
                #expect(next.contains("per_page=100"))
            }
            target = links["next"]
        }
        #expect(pages == 3)
        #expect(names.count == 250)
        #expect(Set(names).count == 250)
        #expect(await client.mock.violations().filter { $0.rule == "constructed-page-url" }.isEmpty)
    }

    @Test func onePageHasNoLinkAndPerPageIsCapped() async throws {
        let client = await MockGitHubTestClient.make(repos: 20)
        let single = await client.get("/orgs/moko-lab/repos")
        #expect(single.header("link") == nil)
        #expect(single.json?.arrayValue?.count == 20)
        let big = await MockGitHubTestClient.make(repos: 150)
        let capped = await big.get("/orgs/moko-lab/repos?per_page=500")
        #expect(capped.json?.arrayValue?.count == 100)
        #expect(await big.mock.violations().contains { $0.rule == "constructed-page-url" })
        let past = await big.get("/orgs/moko-lab/repos?page=9")
        #expect(past.status == 200 && past.json?.arrayValue?.isEmpty == true)
    }

    @Test func etagGives304WithoutSpendingQuota() async throws {
        let client = await MockGitHubTestClient.make()
        let first = await client.get("/repos/moko-lab/\(try await firstRepoName(client))")
        let etag = try #require(first.header("etag"))
        #expect(etag.hasPrefix("\"") && !etag.hasPrefix("W/"))
        let remaining = try #require(first.header("x-ratelimit-remaining").flatMap { Int($0) })
        let name = try await firstRepoName(client)
        let second = await client.get("/repos/moko-lab/\(name)", headers: [("If-None-Match", etag)])
        #expect(second.status == 304)
        #expect(second.body.isEmpty)
        #expect(second.header("etag") == etag)
        #expect(second.header("x-ratelimit-remaining").flatMap { Int($0) } == remaining - 1)
        let weak = await client.get("/repos/moko-lab/\(name)", headers: [("If-None-Match", "W/" + etag)])
        #expect(weak.status == 304)
        #expect(weak.header("x-ratelimit-remaining").flatMap { Int($0) } == remaining - 1)
        // A mutation changes the ETag of the repository and of the list containing it.
        let list = await client.get("/orgs/moko-lab/repos")
        let listTag = try #require(list.header("etag"))
        let patch = await client.send("PATCH", "/repos/moko-lab/\(name)", json: #"{"description":"changed"}"#)
        #expect(patch.status == 200)
        let after = await client.get("/repos/moko-lab/\(name)", headers: [("If-None-Match", etag)])
        #expect(after.status == 200)
        #expect(after.header("etag") != etag)
        let listAfter = await client.get("/orgs/moko-lab/repos", headers: [("If-None-Match", listTag)])
        #expect(listAfter.status == 200)
    }

    @Test func quotaExhaustionGives403ThenResetsAfterAdvancingTheClock() async throws {
        let client = await MockGitHubTestClient.make()
        let set = await client.admin("PUT", "/__mock/ratelimit", json: #"{"subject":{"login":"mona"},"remaining":2}"#)
        #expect(set.status == 200)
        #expect(await client.get("/user").status == 200)
        let last = await client.get("/user")
        #expect(last.status == 200)
        #expect(last.header("x-ratelimit-remaining") == "0")
        let limited = await client.get("/user")
        #expect(limited.status == 403)
        #expect(limited.header("x-ratelimit-remaining") == "0")
        #expect(limited.header("x-ratelimit-limit") == "5000")
        #expect(limited.header("x-ratelimit-resource") == "core")
        let reset = try #require(limited.header("x-ratelimit-reset").flatMap { Double($0) })
        #expect(limited.json?["message"]?.stringValue?.hasPrefix("API rate limit exceeded for user ID") == true)
        // /rate_limit stays free and answers.
        let rate = await client.get("/rate_limit")
        #expect(rate.status == 200)
        #expect(rate.json?["resources"]?["core"]?["remaining"] == .int(0))
        #expect(await client.mock.violations().contains { $0.rule == "request-while-exhausted" })
        client.mock.clock.advance(by: reset - client.mock.clock.seconds + 1)
        let again = await client.get("/user")
        #expect(again.status == 200)
        #expect(again.header("x-ratelimit-remaining") == "4999")
    }

    @Test func quotaStatusCanBe429() async throws {
        let mock = MockGitHub(configuration: .init(rateLimitStatus: 429, userLimit: 1))
        let client = MockGitHubTestClient(mock: mock, token: await mock.token(for: "mona"))
        #expect(await client.get("/user").status == 200)
        let limited = await client.get("/user")
        #expect(limited.status == 429)
        #expect(limited.header("x-ratelimit-remaining") == "0")
    }

    @Test func secondaryLimitCarriesRetryAfterAndClassifiableMessage() async throws {
        let mock = MockGitHub(configuration: .init(pointsPerMinute: 3))
        let client = MockGitHubTestClient(mock: mock, token: await mock.token(for: "mona"))
        for _ in 0..<3 { #expect(await client.get("/user").status == 200) }
        let limited = await client.get("/user")
        #expect(limited.status == 403)
        #expect(limited.header("retry-after") == "60")
        let message = try #require(limited.json?["message"]?.stringValue)
        #expect(message.lowercased().hasPrefix("you have exceeded a secondary rate limit"))
        #expect(limited.json?["documentation_url"]?.stringValue?.hasSuffix("secondary-rate-limits") == true)
        #expect(limited.header("x-ratelimit-remaining") != "0")
        #expect(await client.get("/user").status == 403)
        #expect(await mock.violations().contains { $0.rule == "retry-before-retry-after" })
        mock.clock.advance(by: 61)
        #expect(await client.get("/user").status == 200)
    }

    @Test func concurrencyAboveTheCapIsASecondaryLimit() async throws {
        let client = await MockGitHubTestClient.make()
        let request = MockRequest(
            method: "GET", target: "/user", headers: client.baseHeaders, inFlight: 101
        )
        let response = await client.mock.handle(request)
        #expect(response.status == 403)
        #expect(response.json?["message"]?.stringValue?.contains("secondary rate limit") == true)
        #expect(await client.mock.violations().contains { $0.rule == "concurrency-exceeded" })
    }

    @Test func faultBurstIsServedThenServiceResumes() async throws {
        let client = await MockGitHubTestClient.make()
        try await client.mock.setFaultPlan(.burst(method: "GET", path: "/user", status: 502, occurrences: 2...4))
        var statuses: [Int] = []
        for _ in 0..<6 { statuses.append(await client.get("/user").status) }
        #expect(statuses == [200, 502, 502, 502, 200, 200])
        let journal = await client.mock.journalEntries()
        #expect(journal.filter { $0.fault == "burst" }.count == 3)
        #expect(await client.get("/rate_limit").status == 200)
    }

    @Test func faultPlanDescribesTransportFaults() async throws {
        let client = await MockGitHubTestClient.make()
        let plan = MockFaultPlan(rules: [
            .init(
                id: "slow", match: .init(path: "/user"), when: .init(nth: [1]),
                action: .init(type: "latency", fixed: 250)),
            .init(id: "cut", match: .init(path: "/user"), when: .init(nth: [2]), action: .init(type: "truncate")),
            .init(id: "drop", match: .init(path: "/user"), when: .init(nth: [3]), action: .init(type: "empty")),
            .init(
                id: "hold", match: .init(path: "/user"), when: .init(nth: [4]),
                action: .init(type: "timeout", holdMs: 10_000)),
        ])
        try await client.mock.setFaultPlan(plan)
        let slow = await client.get("/user")
        #expect(slow.status == 200 && slow.delay == .milliseconds(250))
        let cut = await client.get("/user")
        #expect(cut.transport == .truncate(bytes: cut.body.count / 2))
        let drop = await client.get("/user")
        #expect(drop.transport == .reset(afterBytes: 0))
        let hold = await client.get("/user")
        #expect(hold.status == 502 && hold.delay == .seconds(10))
        #expect(await client.get("/user").transport == .normal)
        await #expect(throws: MockGitHubAdminError.self) {
            try await client.mock.setFaultPlan(MockFaultPlan(rules: [.init(id: "x", action: .init(type: "explode"))]))
        }
    }

    @Test func sameSeedGivesIdenticalJournal() async throws {
        func run() async -> String {
            let client = await MockGitHubTestClient.make(repos: 40, seed: 42)
            let plan = MockFaultPlan(rules: [
                .init(
                    id: "flaky", match: .init(method: "GET"), when: .init(probability: 0.3),
                    action: .init(type: "status", status: 503))
            ])
            try? await client.mock.setFaultPlan(plan)
            _ = await client.get("/orgs/moko-lab/repos?per_page=10")
            _ = await client.get("/orgs/moko-lab/repos?per_page=10&page=2")
            _ = await client.get("/user")
            _ = await client.send("POST", "/orgs/moko-lab/repos", json: #"{"name":"fresh"}"#)
            _ = await client.send("POST", "/repos/moko-lab/fresh/issues", json: #"{"title":"hello"}"#)
            _ = await client.get("/repos/moko-lab/fresh/issues")
            client.mock.clock.advance(by: 5)
            _ = await client.send("PATCH", "/repos/moko-lab/fresh", json: #"{"name":"fresher"}"#)
            _ = await client.get("/repos/moko-lab/fresh")
            return await client.mock.journalNDJSON()
        }
        let first = await run()
        let second = await run()
        #expect(first == second)
        #expect(first.split(separator: "\n").count == 8)
        let other = MockGitHub(configuration: .init(seed: 43, fixture: .standard(repos: 40)))
        let seeded = MockGitHub(configuration: .init(seed: 42, fixture: .standard(repos: 40)))
        #expect(await other.dumpState() != seeded.dumpState())
    }

    @Test func allAuthorizationFormsAreAccepted() async throws {
        let mock = MockGitHub()
        let token = try #require(await mock.token(for: "mona"))
        let forms = [
            "Bearer \(token)", "token \(token)", "Basic " + Data(token.utf8).base64EncodedString(),
            "Basic " + Data("mona:\(token)".utf8).base64EncodedString(),
        ]
        for form in forms {
            let response = await mock.handle(
                MockRequest(method: "GET", target: "/user", headers: [("Authorization", form), ("User-Agent", "t")])
            )
            #expect(response.status == 200, "\(form)")
            #expect(response.json?["login"] == .string("mona"))
        }
        let password = await mock.handle(
            MockRequest(
                method: "GET", target: "/user",
                headers: [
                    ("Authorization", "Basic " + Data("mona:hunter2".utf8).base64EncodedString()), ("User-Agent", "t"),
                ]
            )
        )
        #expect(password.status == 401)
        #expect(password.json?["message"] == .string("Bad credentials"))
        #expect(password.header("x-ratelimit-limit") == "60")
        let anonymous = await mock.handle(MockRequest(method: "GET", target: "/user", headers: [("User-Agent", "t")]))
        #expect(anonymous.status == 401)
        #expect(anonymous.json?["message"] == .string("Requires authentication"))
        let noAgent = await mock.handle(
            MockRequest(method: "GET", target: "/user", headers: [("Authorization", forms[0])]))
        #expect(noAgent.status == 403)
    }

    @Test func hiddenRepositoriesAre404NotForbidden() async throws {
        let admin = await MockGitHubTestClient.make(repos: 10)
        let names = try #require(await admin.get("/orgs/moko-lab/repos").json?.arrayValue)
        let privateRepo = try #require(names.first { $0["private"] == .bool(true) }?["name"]?.stringValue)
        let outsider = MockGitHubTestClient(mock: admin.mock, token: await admin.mock.token(for: "octocat"))
        let hidden = await outsider.get("/repos/moko-lab/\(privateRepo)")
        #expect(hidden.status == 404)
        #expect(hidden.json?["message"] == .string("Not Found"))
        let anonymous = MockGitHubTestClient(mock: admin.mock, token: nil)
        #expect(await anonymous.get("/repos/moko-lab/\(privateRepo)").status == 404)
        let outsiderList = try #require(await outsider.get("/orgs/moko-lab/repos").json?.arrayValue)
        #expect(outsiderList.count == 8)
        let bad = MockGitHubTestClient(mock: admin.mock, token: "ghp_not_a_token")
        #expect(await bad.get("/repos/moko-lab/\(privateRepo)").status == 401)
        let member = MockGitHubTestClient(mock: admin.mock, token: await admin.mock.token(for: "hubot"))
        let forbidden = await member.send("DELETE", "/repos/moko-lab/\(privateRepo)")
        #expect(forbidden.status == 403)
        #expect(forbidden.json?["message"] == .string("Must have admin rights to Repository."))
        #expect(await admin.get("/repos/moko-lab/\(privateRepo)/").status == 404)
    }

    @Test func renameAnswers301FromTheOldName() async throws {
        let client = await MockGitHubTestClient.make()
        let name = try await firstRepoName(client)
        let id = try #require(await client.get("/repos/moko-lab/\(name)").json?["id"]?.intValue)
        let renamed = await client.send("PATCH", "/repos/moko-lab/\(name)", json: #"{"name":"renamed-repo"}"#)
        #expect(renamed.status == 200)
        #expect(renamed.json?["full_name"] == .string("moko-lab/renamed-repo"))
        let old = await client.get("/repos/moko-lab/\(name)")
        #expect(old.status == 301)
        let location = try #require(old.header("location"))
        #expect(location.hasSuffix("/repositories/\(id)"))
        #expect(old.json?["message"] == .string("Moved Permanently"))
        let followed = await client.get("/repositories/\(id)")
        #expect(followed.json?["name"] == .string("renamed-repo"))
        #expect(await client.send("PATCH", "/repos/moko-lab/\(name)", json: "{}").status == 307)
    }

    @Test func validationErrorsCarryErrorsArray() async throws {
        let client = await MockGitHubTestClient.make()
        let name = try await firstRepoName(client)
        let duplicate = await client.send("POST", "/orgs/moko-lab/repos", json: "{\"name\":\"\(name)\"}")
        #expect(duplicate.status == 422)
        let error = try #require(duplicate.json?["errors"]?.arrayValue?.first)
        #expect(error["code"] == .string("custom"))
        #expect(error["field"] == .string("name"))
        #expect(error["message"] == .string("name already exists on this account"))
        #expect(duplicate.json?["status"] == .string("422"))
        let missing = await client.send("POST", "/orgs/moko-lab/repos", json: "{}")
        #expect(missing.status == 422)
        #expect(missing.json?["errors"]?.arrayValue?.first?["code"] == .string("missing_field"))
        let wrongType = await client.send("POST", "/orgs/moko-lab/repos", json: #"{"name":5}"#)
        #expect(wrongType.status == 422)
        #expect(wrongType.json?["message"]?.stringValue?.hasPrefix("Invalid request.") == true)
        let broken = await client.send("POST", "/orgs/moko-lab/repos", json: "{\"name\":")
        #expect(broken.status == 400)
        #expect(broken.json?["message"] == .string("Problems parsing JSON"))
        let array = await client.send("POST", "/orgs/moko-lab/repos", json: "[]")
        #expect(array.json?["message"] == .string("Body should be a JSON object"))
        let created = await client.send("POST", "/orgs/moko-lab/repos", json: #"{"name":"brand-new","private":true}"#)
        #expect(created.status == 201)
        #expect(created.header("location")?.hasSuffix("/repos/moko-lab/brand-new") == true)
        #expect(created.json?["visibility"] == .string("private"))
    }

    @Test func disabledIssuesGive410() async throws {
        let client = await MockGitHubTestClient.make()
        let name = try await firstRepoName(client)
        let issue = await client.send("POST", "/repos/moko-lab/\(name)/issues", json: #"{"title":"one"}"#)
        #expect(issue.status == 201)
        #expect(issue.json?["number"] == .int(1))
        let second = await client.send("POST", "/repos/moko-lab/\(name)/issues", json: #"{"title":"two"}"#)
        #expect(second.json?["number"] == .int(2))
        _ = await client.send("PATCH", "/repos/moko-lab/\(name)", json: #"{"has_issues":false}"#)
        let disabled = await client.send("POST", "/repos/moko-lab/\(name)/issues", json: #"{"title":"three"}"#)
        #expect(disabled.status == 410)
        #expect(disabled.json?["message"] == .string("Issues are disabled for this repo"))
        #expect(await client.get("/repos/moko-lab/\(name)/issues").status == 410)
    }

    @Test func archivedRepositoriesRejectWritesWith403() async throws {
        let client = await MockGitHubTestClient.make()
        let name = try await firstRepoName(client)
        #expect(await client.send("PATCH", "/repos/moko-lab/\(name)", json: #"{"archived":true}"#).status == 200)
        let write = await client.send("POST", "/repos/moko-lab/\(name)/issues", json: #"{"title":"x"}"#)
        #expect(write.status == 403)
        #expect(write.json?["message"] == .string("Repository was archived so is read-only."))
        let patch = await client.send("PATCH", "/repos/moko-lab/\(name)", json: #"{"description":"x"}"#)
        #expect(patch.status == 403)
        #expect(await client.get("/repos/moko-lab/\(name)").status == 200)
        #expect(await client.send("PATCH", "/repos/moko-lab/\(name)", json: #"{"archived":false}"#).status == 200)
    }

    @Test func protectionTeamsAndHooksRoundTrip() async throws {
        let client = await MockGitHubTestClient.make()
        let name = try await firstRepoName(client)
        let path = "/repos/moko-lab/\(name)/branches/main/protection"
        #expect(await client.get(path).json?["message"] == .string("Branch not protected"))
        let minimal =
            #"{"required_status_checks":null,"enforce_admins":false,"required_pull_request_reviews":null,"restrictions":null}"#
        let put = await client.send("PUT", path, json: minimal)
        #expect(put.status == 200)
        #expect(put.json?.objectValue?.map(\.0) == ["url", "enforce_admins"])
        #expect(await client.send("PUT", path, json: #"{"enforce_admins":true}"#).status == 422)
        #expect(await client.send("DELETE", path).status == 204)
        let teamPath = "/orgs/moko-lab/teams/platform/repos/moko-lab/\(name)"
        #expect(await client.send("PUT", teamPath, json: #"{"permission":"maintain"}"#).status == 204)
        let hubot = MockGitHubTestClient(mock: client.mock, token: await client.mock.token(for: "hubot"))
        #expect(await hubot.get("/repos/moko-lab/\(name)").json?["permissions"]?["maintain"] == .bool(true))
        #expect(await client.send("PUT", teamPath, json: #"{"permission":"owner"}"#).status == 422)
        let hook = await client.send(
            "POST", "/repos/moko-lab/\(name)/hooks", json: #"{"config":{"url":"https://example.test/h","secret":"s3"}}"#
        )
        #expect(hook.status == 201)
        #expect(hook.json?["config"]?["secret"] == .string("********"))
        let hookID = try #require(hook.json?["id"]?.intValue)
        #expect(await client.send("DELETE", "/repos/moko-lab/\(name)/hooks/\(hookID)").status == 204)
        #expect(await client.send("DELETE", "/repos/moko-lab/\(name)").status == 204)
        #expect(await client.get("/repos/moko-lab/\(name)").status == 404)
    }

    @Test func adminAPIDrivesClockStateAndNeedsItsToken() async throws {
        let client = await MockGitHubTestClient.make()
        let denied = await client.mock.handle(
            MockRequest(
                method: "GET", target: "/__mock/state", headers: [("Authorization", "Bearer \(client.token ?? "")")])
        )
        #expect(denied.status == 401)
        let dump = await client.admin("GET", "/__mock/state")
        #expect(dump.status == 200)
        _ = await client.send("POST", "/orgs/moko-lab/repos", json: #"{"name":"temp"}"#)
        #expect(await client.admin("PUT", "/__mock/state", json: dump.text).status == 200)
        #expect(await client.get("/repos/moko-lab/temp").status == 404)
        let advanced = await client.admin("POST", "/__mock/clock", json: #"{"advance":3600}"#)
        #expect(advanced.json?["now"] == .string("2026-01-01T01:00:00Z"))
        #expect(await client.admin("POST", "/__mock/clock", json: #"{"set":0}"#).status == 409)
        let trip = await client.admin(
            "POST", "/__mock/ratelimit/trip",
            json: #"{"subject":{"login":"mona"},"kind":"secondary","retryAfter":null}"#
        )
        #expect(trip.status == 200)
        let tripped = await client.get("/user")
        #expect(tripped.status == 403 && tripped.header("retry-after") == nil)
        #expect(await client.admin("POST", "/__mock/reset").status == 200)
        #expect(await client.mock.journalEntries().isEmpty)
        #expect(client.mock.clock.now == MockClock.defaultEpoch)
    }
}

func firstRepoName(_ client: MockGitHubTestClient) async throws -> String {
    let list = await client.get("/orgs/moko-lab/repos?sort=full_name")
    return try #require(list.json?.arrayValue?.first?["name"]?.stringValue)
}
