import Foundation
import MokoEnterprise

#if canImport(Glibc)
import Glibc
#endif

/// Section "github-client": the ETag cache's cost per hit, a full client round trip answered by a 304, and
/// the memory of streaming a long repository list against collecting it.
enum GitHubClientBenchmarks {
    static func run() async throws -> [BenchRow] {
        var rows: [BenchRow] = []
        rows.append(try await cacheHitLookup())
        rows.append(try await notModifiedRoundTrip())
        let pageBytes = try await heapPeak(repos: 100, stream: true, perPage: 100)
        for count in [1_000, 10_000] {
            let streamed = try await heapPeak(repos: count, stream: true, perPage: 100)
            rows.append(
                BenchRow(
                    name: "stream \(count) repos (per_page 100): peak heap growth", value: streamed / 1_024,
                    unit: "KiB", target: "≤ 2× one page (\(Int(pageBytes * 2 / 1_024)) KiB)",
                    meetsTarget: streamed <= pageBytes * 2))
            let collected = try await heapPeak(repos: count, stream: false, perPage: 100)
            rows.append(
                BenchRow(name: "collect \(count) repos: peak heap growth", value: collected / 1_024, unit: "KiB"))
        }
        let cached = try await heapPeak(repos: 10_000, stream: true, perPage: 100, caching: true)
        rows.append(
            BenchRow(
                name: "stream 10000 repos with the default ETag cache (32 MiB cap): peak heap growth",
                value: cached / 1_024, unit: "KiB"))
        return rows
    }

    /// The client-side cost of a hit: key, lookup of the validator, and the 304 bookkeeping.
    private static func cacheHitLookup() async throws -> BenchRow {
        let cache = ETagCache()
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        for index in 0..<1_000 {
            cache.store(
                ETagCache.Entry(
                    etag: "\"etag-\(index)\"", body: Data(repeating: 65, count: 2_048), link: nil, validatedAt: now),
                for: key(index))
        }
        let url = "https://api.github.com/repos/octo-org/repo-500"
        var misses = 0
        let nanoseconds = await nanosecondsPerCall(iterations: 1_000_000, warmup: 10_000) {
            let key = ETagCache.Key(method: "GET", url: url, identity: "token:0123456789abcdef01234567")
            if cache.conditionalETag(for: key, at: now) == nil || cache.revalidated(key, at: now) == nil {
                misses += 1
            }
        }
        precondition(misses == 0, "the benchmark key must hit")
        let micro = nanoseconds / 1_000
        return BenchRow(
            name: "ETag cache hit: lookup + bookkeeping (no I/O)", value: micro, unit: "µs/op", target: "≤ 1 µs",
            meetsTarget: micro <= 1)
    }

    /// A local bucket large enough never to throttle the benchmark (the pipeline still runs through it).
    private static func unthrottled(caching: Bool) -> RateLimitConfig {
        RateLimitConfig(maxRequestsPerHour: 1_000_000_000, burstSize: 1_000_000, enableCaching: caching)
    }

    private static func key(_ index: Int) -> ETagCache.Key {
        ETagCache.Key(
            method: "GET", url: "https://api.github.com/repos/octo-org/repo-\(index)",
            identity: "token:0123456789abcdef01234567")
    }

    /// `getRepo` through the whole client pipeline, answered by an in-process transport with a 304.
    private static func notModifiedRoundTrip() async throws -> BenchRow {
        let body = Data(#"{"id":1,"name":"repo","full_name":"octo-org/repo","private":false}"#.utf8)
        let transport = BenchGitHubTransport { request in
            var headers: HTTPHeaderFields = [
                "ETag": "\"v1\"", "X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999",
                "X-RateLimit-Used": "1", "X-RateLimit-Reset": "4102444800", "X-RateLimit-Resource": "core",
            ]
            if request.headers["If-None-Match"] == "\"v1\"" {
                return HTTPTransportResponse(statusCode: 304, headers: headers)
            }
            headers["Content-Type"] = "application/json"
            return HTTPTransportResponse(statusCode: 200, headers: headers, body: body)
        }
        let client = try GitHubClient(
            token: "bench-token", baseURL: URL(string: "https://api.github.com"),
            rateLimitConfig: unthrottled(caching: true), transport: transport, environment: [:])
        let nanoseconds = try await nanosecondsPerCall(iterations: 50_000) {
            _ = try await client.getRepo(owner: "octo-org", repo: "repo")
        }
        return BenchRow(
            name: "getRepo answered 304 (full client path, in-process transport)", value: nanoseconds / 1_000,
            unit: "µs/op")
    }

    /// The growth of the C heap's in-use bytes while listing `repos` repositories.
    private static func heapPeak(
        repos: Int, stream: Bool, perPage: Int, caching: Bool = false
    ) async throws
        -> Double
    {
        let transport = BenchGitHubTransport { request in pageResponse(request, total: repos, perPage: perPage) }
        let client = try GitHubClient(
            token: "bench-token", baseURL: URL(string: "https://api.github.com"),
            rateLimitConfig: unthrottled(caching: caching), transport: transport, environment: [:])
        let baseline = heapInUse()
        var peak = baseline
        if stream {
            var count = 0
            for try await repo in client.listRepos(org: "octo-org", perPage: perPage) {
                count += repo.id > 0 ? 1 : 0
                if count % 10 == 0 { peak = max(peak, heapInUse()) }
            }
            precondition(count == repos, "streamed \(count) of \(repos)")
        } else {
            let all = try await client.listRepos(org: "octo-org", perPage: perPage).collect()
            peak = max(peak, heapInUse())
            precondition(all.count == repos, "collected \(all.count) of \(repos)")
        }
        return Double(max(0, peak - baseline))
    }

    private static func pageResponse(
        _ request: HTTPTransportRequest, total: Int, perPage: Int
    )
        -> HTTPTransportResponse
    {
        let page =
            URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems?
            .first { $0.name == "page" }?.value.flatMap { Int($0) } ?? 1
        let start = (page - 1) * perPage
        let end = min(total, start + perPage)
        var text = "["
        for id in start..<max(start, end) {
            if id > start { text += "," }
            text += #"{"id":\#(id + 1),"node_id":"R_\#(id)","name":"repo-\#(id)","full_name":"octo-org/repo-\#(id)","#
            text += #""private":false,"description":"Repository number \#(id) of the benchmark organisation","#
            text += #""default_branch":"main","archived":false,"has_issues":true,"has_wiki":true,"#
            text += #""html_url":"https://github.com/octo-org/repo-\#(id)","topics":["bench","swift"],"#
            text += #""created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}"#
        }
        text += "]"
        var headers: HTTPHeaderFields = [
            "Content-Type": "application/json", "ETag": "\"page-\(page)\"", "X-RateLimit-Remaining": "4999",
            "X-RateLimit-Reset": "4102444800",
        ]
        if end < total {
            headers["Link"] =
                "<https://api.github.com/organizations/1/repos?per_page=\(perPage)&page=\(page + 1)>; rel=\"next\""
        }
        return HTTPTransportResponse(statusCode: 200, headers: headers, body: Data(text.utf8))
    }

    /// Bytes in use on the C heap (glibc `mallinfo2`: `uordblks + hblkhd`), which Swift objects live on.
    ///
    /// `mallinfo2` is declared in `<malloc.h>`, which the Glibc module does not import; it is looked up
    /// with `dlsym` and called per the x86-64 System V ABI (a struct returned through a hidden pointer).
    /// Elsewhere the resident set size is used instead.
    private static func heapInUse() -> Int {
        #if os(Linux) && arch(x86_64)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallinfo2") {
            typealias MallInfo2 = @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer
            let function = unsafeBitCast(symbol, to: MallInfo2.self)
            var fields = [Int](repeating: 0, count: 10)
            fields.withUnsafeMutableBytes { buffer in
                if let base = buffer.baseAddress { _ = function(base) }
            }
            // struct mallinfo2 { arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, ... }
            return fields[7] + fields[4]
        }
        #endif
        return residentBytes()
    }

    private static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let digits = line.filter(\.isNumber)
            return (Int(digits) ?? 0) * 1_024
        }
        return 0
    }
}

/// An in-process transport answering from a closure (the benchmark cannot link the mock server).
private struct BenchGitHubTransport: HTTPTransport {
    let respond: @Sendable (HTTPTransportRequest) -> HTTPTransportResponse

    init(_ respond: @escaping @Sendable (HTTPTransportRequest) -> HTTPTransportResponse) {
        self.respond = respond
    }

    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse { respond(request) }
}
