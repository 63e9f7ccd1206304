import Foundation
import NIOCore
import Testing

@testable import MockGitHub
@testable import MockGitHubServer

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The caches and rewritten helpers of the request path: the same answers as before, and no stale bodies.
@Suite("MockGitHub hot path")
struct MockGitHubHotPathTests {
    @Test func bodyBuffersReuseOnlyTheSameUnchangedArray() {
        let buffers = MockGitHubBodyBuffers()
        let page = [UInt8](repeating: UInt8(ascii: "a"), count: 10_000)
        let first = buffers.buffer(page)
        #expect(Array(first.readableBytesView) == page)
        let again = buffers.buffer(page)
        #expect(Array(again.readableBytesView) == page)
        // A changed copy of the array is a new storage: its bytes are served, not the cached ones.
        var changed = page
        changed[0] = UInt8(ascii: "b")
        let changedBuffer = buffers.buffer(changed)
        #expect(Array(changedBuffer.readableBytesView) == changed)
        // An equal array in another storage is served correctly too.
        let copy = Array(page.map { $0 })
        #expect(Array(buffers.buffer(copy).readableBytesView) == page)
        // Small bodies are copied each time.
        #expect(Array(buffers.buffer([1, 2, 3]).readableBytesView) == [1, 2, 3])
        // More distinct bodies than the capacity: every answer is still the right one.
        for index in 0..<(MockGitHubBodyBuffers.capacity * 2) {
            let body = [UInt8](repeating: UInt8(index), count: MockGitHubBodyBuffers.minimumSize + index)
            #expect(Array(buffers.buffer(body).readableBytesView) == body)
        }
    }

    @Test func aMutationChangesTheServedPageAndETagOverASocket() async throws {
        let mock = MockGitHub(configuration: .init(seed: 4, fixture: .standard(repos: 30), secondaryLimits: false))
        let server = try await MockGitHubServer.start(mock: mock)
        let token = try #require(await mock.token(for: "mona"))
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration)
        func send(
            _ method: String, _ path: String, body: String? = nil, etag: String? = nil
        ) async throws -> (
            Data, HTTPURLResponse
        ) {
            var request = URLRequest(url: try #require(URL(string: server.baseURL.absoluteString + path)))
            request.httpMethod = method
            request.setValue("mock-github-hot-path", forHTTPHeaderField: "User-Agent")
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            if let etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
            request.httpBody = body.map { Data($0.utf8) }
            let (data, response) = try await session.data(for: request)
            return (data, try #require(response as? HTTPURLResponse))
        }
        do {
            let page = "/orgs/moko-lab/repos?per_page=100"
            let (before, first) = try await send("GET", page)
            let (repeated, second) = try await send("GET", page)
            #expect(before.count > MockGitHubBodyBuffers.minimumSize)
            #expect(repeated == before)
            let etag = try #require(first.value(forHTTPHeaderField: "ETag"))
            #expect(second.value(forHTTPHeaderField: "ETag") == etag)
            let items = try #require(try JSONSerialization.jsonObject(with: before) as? [[String: Any]])
            let name = try #require(items.first?["name"] as? String)
            let (_, patched) = try await send(
                "PATCH", "/repos/moko-lab/\(name)", body: #"{"description":"changed by the hot-path test"}"#)
            #expect(patched.statusCode == 200)
            let (after, third) = try await send("GET", page)
            #expect(third.statusCode == 200)
            #expect(third.value(forHTTPHeaderField: "ETag") != etag)
            #expect(String(decoding: after, as: UTF8.self).contains("changed by the hot-path test"))
            #expect(!String(decoding: before, as: UTF8.self).contains("changed by the hot-path test"))
            let (_, stale) = try await send("GET", page, etag: etag)
            #expect(stale.statusCode == 200)
            let (_, fresh) = try await send("GET", page, etag: third.value(forHTTPHeaderField: "ETag"))
            #expect(fresh.statusCode == 304)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func requestIDKeepsItsFormat() {
        for (seed, sequence) in [(UInt64(1), 1), (7, 42), (0, 0), (UInt64.max, 123_456)] {
            let value = MockHashing.hex(MockHashing.mix(seed, UInt64(sequence))).uppercased()
            let chars = Array(value)
            let expected =
                String(chars[0..<4]) + ":" + String(chars[4..<8]) + ":" + String(chars[8..<16]) + ":"
                + String(sequence)
            #expect(MockGitHub.requestID(seed: seed, sequence: sequence) == expected)
        }
    }

    @Test func hexAndETagKeepTheirFormat() {
        for value: UInt64 in [0, 1, 0xabc, 0xdead_beef_0000_0001, .max] {
            let digits = String(value, radix: 16)
            let expected = String(repeating: "0", count: 16 - digits.count) + digits
            #expect(MockHashing.hex(value) == expected)
            #expect(
                MockHashing.etag(value) == "\"" + expected + MockHashing.hex(MockHashing.mix(value, 0x5bd1_e995)) + "\""
            )
        }
    }

    @Test func etagSeedHashesTheJoinedKey() {
        // FNV-1a over the pieces (as `etagSeed` hashes them) equals FNV-1a over the joined string.
        let joined = "u:5|2022|/orgs/moko-lab/repos?per_page=2"
        var hash = MockHashing.fnv1a("u:5")
        hash = MockHashing.fnv1a("|2022|", seed: hash)
        hash = MockHashing.fnv1a("/orgs/moko-lab/repos", seed: hash)
        hash = MockHashing.fnv1a("?", seed: hash)
        hash = MockHashing.fnv1a("per_page=2", seed: hash)
        #expect(hash == MockHashing.fnv1a(joined))
    }

    @Test func authorizationSchemesStillParse() async {
        let client = await MockGitHubTestClient.make(repos: 2)
        let token = client.token ?? ""
        let basic = Data("x:\(token)".utf8).base64EncodedString()
        for header in ["Bearer \(token)", "token \(token)", "BEARER \(token)", "Basic \(basic)", "  token   \(token) "]
        {
            let response = await client.mock.handle(
                MockRequest(method: "GET", target: "/user", headers: [("Authorization", header), ("User-Agent", "t")]))
            #expect(response.status == 200, "\(header)")
        }
        for header in ["Bearer", "Bearer nope", "Digest \(token)", "Basic !!!", "Bearer\t\(token)"] {
            let response = await client.mock.handle(
                MockRequest(method: "GET", target: "/user", headers: [("Authorization", header), ("User-Agent", "t")]))
            #expect(response.status == 401, "\(header)")
            #expect(response.text.contains("Bad credentials"))
        }
    }

    @Test func targetSplittingMatchesCharacterSplitting() {
        var random = MockRandom(seed: 99)
        let alphabet = Array("/?&=%+ab-_.~é\r\n\u{301}")
        var targets = [
            "", "/", "//", "/repos/moko-lab/x", "/repos//x/", "/orgs/moko-lab/repos?per_page=100&page=2", "?", "/a?b?c",
            "/x%2Fy/z", "/é/ü?q=é", "/a/\u{301}b", "/\r\n/x",
        ]
        for _ in 0..<500 {
            targets.append(
                String((0..<Int(random.next() % 24)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            )
        }
        for target in targets {
            let expectedSplit: (String, String)
            if let mark = target.firstIndex(of: "?") {
                expectedSplit = (String(target[..<mark]), String(target[target.index(after: mark)...]))
            } else {
                expectedSplit = (target, "")
            }
            let split = MockGitHub.splitTarget(target)
            #expect(split.0 == expectedSplit.0 && split.1 == expectedSplit.1, "\(target.debugDescription)")
            let expectedSegments = expectedSplit.0.split(separator: "/", omittingEmptySubsequences: false)
                .dropFirst().map { MockGitHub.percentDecode(String($0)) }
            #expect(MockGitHub.pathSegments(expectedSplit.0) == expectedSegments, "\(target.debugDescription)")
        }
    }

    @Test func responseHeaderLookupIgnoresCase() {
        let response = MockResponse(status: 200, headers: [("etag", "\"x\""), ("link", "<a>")])
        #expect(response.header("etag") == "\"x\"")
        #expect(response.header("ETag") == "\"x\"")
        #expect(response.header("Link") == "<a>")
        #expect(response.header("retry-after") == nil)
        let request = MockRequest(method: "GET", target: "/", headers: [("X-Thing", "1"), ("accept", "a")])
        #expect(request.normalized.header("x-thing") == "1")
        #expect(request.normalized.header("Accept") == "a")
    }
}
