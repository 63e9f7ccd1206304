import Exercise3_7
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Checks for Exercise 3.7, memory-efficient processing of 1,050 repositories. Run them with
/// `swift test --disable-swift-testing --filter Exercise3_7Tests`.
///
/// The repositories live in the in-process mock GitHub (org `moko-lab`); its journal tells which pages were
/// requested.
final class Exercise3_7Checks: XCTestCase {
    private static let total = 1_050

    private func makeProcessor(perPage: Int = 100) async throws -> (MemoryEfficientProcessor, MockGitHub) {
        let mock = MockGitHub(
            configuration: .init(seed: 37, fixture: .standard(repos: Self.total), pointsPerMinute: 10_000_000))
        let found = await mock.token(for: "mona")
        let token = try XCTUnwrap(found)
        let client = try GitHubClient(
            token: token, rateLimitConfig: RateLimitConfig(maxRequestsPerHour: 1_000_000, burstSize: 100_000),
            retryPolicy: RetryPolicy(maxRetries: 0), transport: MockGitHubTransport(mock: mock), clock: ManualClock(),
            maxRateLimitWaits: 0)
        return (MemoryEfficientProcessor(client: client, org: "moko-lab", perPage: perPage), mock)
    }

    private func pageRequests(_ mock: MockGitHub) async -> Int {
        await mock.journalEntries().filter { $0.path.hasSuffix("/repos") }.count
    }

    func test1_streamsEveryRepositoryPageByPage() async throws {
        let (processor, mock) = try await makeProcessor()
        let stream = processor.stream()
        var ids = Set<Int>()
        for try await repository in stream { ids.insert(repository.id) }
        XCTAssertEqual(
            ids.count, Self.total, "The stream should yield all 1,050 repositories once. Run `lab hint 3.7`.")
        let requests = await pageRequests(mock)
        XCTAssertEqual(requests, 11, "1,050 repositories at 100 per page are 11 pages. Run `lab hint 3.7`.")
        XCTAssertEqual(stream.pagesFetched, 11, "The stream should count the pages it fetched. Run `lab hint 3.7`.")
    }

    func test2_aConsumerStoppingAfter150FetchesOnlyTwoPages() async throws {
        let (processor, mock) = try await makeProcessor()
        let stream = processor.stream()
        var taken = 0
        for try await _ in stream {
            taken += 1
            if taken == 150 { break }
        }
        XCTAssertEqual(taken, 150, "The stream ended early. Run `lab hint 3.7`.")
        let requests = await pageRequests(mock)
        XCTAssertEqual(
            requests, 2,
            "150 repositories need only pages 1 and 2: fetch a page only when it is needed. "
                + "Run `lab hint 3.7`.")
    }

    func test3_processesInChunksHoldingOneChunkAtATime() async throws {
        let (processor, _) = try await makeProcessor()
        var sizes: [Int] = []
        var ids = Set<Int>()
        let usage = try await processor.processInChunks(chunkSize: 40) { chunk in
            sizes.append(chunk.count)
            ids.formUnion(chunk.map(\.id))
        }
        XCTAssertEqual(
            sizes, Array(repeating: 40, count: 26) + [10],
            "Chunks should hold 40 repositories each, the last one the rest. Run `lab hint 3.7`.")
        XCTAssertEqual(ids.count, Self.total, "Every repository should be processed once. Run `lab hint 3.7`.")
        XCTAssertEqual(usage.items, Self.total, "The usage should count 1,050 items. Run `lab hint 3.7`.")
        XCTAssertEqual(usage.peakItemsHeld, 40, "At most one chunk of 40 is held at a time. Run `lab hint 3.7`.")
        XCTAssertEqual(usage.pagesFetched, 11, "The usage should report the 11 pages fetched. Run `lab hint 3.7`.")
    }

    func test4_memoryReportComparesStreamingWithLoadingEverything() async throws {
        let (processor, mock) = try await makeProcessor()
        let report = try await processor.memoryReport(chunkSize: 10)
        XCTAssertEqual(
            report.streaming.items, Self.total, "Streaming should process every repository. Run `lab hint 3.7`.")
        XCTAssertEqual(
            report.loadAll.items, Self.total, "Loading all should process every repository. Run `lab hint 3.7`.")
        XCTAssertEqual(report.streaming.peakItemsHeld, 10, "Streaming holds one chunk of 10. Run `lab hint 3.7`.")
        XCTAssertEqual(report.loadAll.peakItemsHeld, Self.total, "Loading all holds all 1,050. Run `lab hint 3.7`.")
        XCTAssertGreaterThan(
            report.savingFactor, 50, "Streaming should hold far less memory than loading all. Run `lab hint 3.7`.")
        let requests = await pageRequests(mock)
        XCTAssertEqual(
            report.streaming.pagesFetched + report.loadAll.pagesFetched, requests,
            "The pages reported should be the pages GitHub served (11 each). Run `lab hint 3.7`.")
    }
}
