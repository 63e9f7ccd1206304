import Exercise3_7
import ExerciseSupport
import Logging
import MockGitHub
import MokoEnterprise
import MokoEnterpriseTestSupport
import XCTest

/// Hidden checks for Exercise 3.7: random organisation and page sizes, early stops at random points, chunk
/// edges and bad chunk sizes. The journal of the mock is the evidence; nothing is printed.
final class Exercise3_7HiddenChecks: XCTestCase {
    private func makeProcessor(
        repos: Int, perPage: Int, seed: UInt64
    ) async throws -> (
        MemoryEfficientProcessor, MockGitHub
    ) {
        let mock = MockGitHub(
            configuration: .init(seed: seed, fixture: .standard(repos: repos), pointsPerMinute: 10_000_000))
        let found = await mock.token(for: "mona")
        let token = try XCTUnwrap(found)
        let client = try GitHubClient(
            token: token, rateLimitConfig: RateLimitConfig(maxRequestsPerHour: 1_000_000, burstSize: 100_000),
            retryPolicy: RetryPolicy(maxRetries: 0),
            logger: Logger(label: "exercise-3.7-hidden") { _ in SwiftLogNoOpLogHandler() },
            transport: MockGitHubTransport(mock: mock), clock: ManualClock(), maxRateLimitWaits: 0)
        return (MemoryEfficientProcessor(client: client, org: "moko-lab", perPage: perPage), mock)
    }

    private func pageRequests(_ mock: MockGitHub) async -> Int {
        await mock.journalEntries().filter { $0.path.hasSuffix("/repos") }.count
    }

    private static func pages(_ items: Int, _ perPage: Int) -> Int { max(1, (items + perPage - 1) / perPage) }

    func test1_randomOrganisationsStreamCompletelyOnePagePerRequest() async throws {
        var random = CheckRandomGenerator(seed: 3_701)
        for round in 0..<4 {
            let repos = round == 0 ? 0 : Int.random(in: 1...400, using: &random)
            let perPage = Int.random(in: 7...100, using: &random)
            let (processor, mock) = try await makeProcessor(repos: repos, perPage: perPage, seed: UInt64(round + 1))
            let stream = processor.stream()
            var ids: [Int] = []
            do {
                for try await repository in stream { ids.append(repository.id) }
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "streaming a generated organisation", exercise: "3.7")
            }
            XCTAssertTrue(
                ids.count == repos && Set(ids).count == repos,
                "The stream did not yield every repository exactly once. Run `lab hint 3.7`.")
            let requests = await pageRequests(mock)
            XCTAssertTrue(
                requests == Self.pages(repos, perPage) && stream.pagesFetched == requests,
                "The stream did not fetch (and count) exactly one request per page. Run `lab hint 3.7`.")
        }
    }

    func test2_aConsumerStoppingEarlyCausesOnlyTheNeededPages() async throws {
        var random = CheckRandomGenerator(seed: 3_702)
        let repos = 1_000 + Int.random(in: 0...200, using: &random)
        let (base, mock) = try await makeProcessor(repos: repos, perPage: 100, seed: 70)
        for round in 0..<8 {
            let perPage = Int.random(in: 10...100, using: &random)
            let stop = round == 0 ? perPage : Int.random(in: 1...(repos - 1), using: &random)
            let processor = MemoryEfficientProcessor(client: base.client, org: base.org, perPage: perPage)
            let before = await pageRequests(mock)
            let stream = processor.stream()
            var taken = 0
            do {
                for try await _ in stream {
                    taken += 1
                    if taken == stop { break }
                }
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "reading part of a stream", exercise: "3.7")
            }
            let requests = await pageRequests(mock) - before
            XCTAssertTrue(
                taken == stop && requests == Self.pages(stop, perPage),
                "Stopping early still fetched pages the consumer never needed (or too few). Run `lab hint 3.7`.")
        }
    }

    func test3_chunksAreFullExceptTheLastAndCoverEverythingOnce() async throws {
        var random = CheckRandomGenerator(seed: 3_703)
        for round in 0..<4 {
            let repos = Int.random(in: 1...300, using: &random)
            let chunkSize = round == 0 ? repos + 5 : Int.random(in: 1...150, using: &random)
            let (processor, _) = try await makeProcessor(repos: repos, perPage: 100, seed: 30 + UInt64(round))
            var sizes: [Int] = []
            var ids: [Int] = []
            let usage: MemoryUsage
            do {
                usage = try await processor.processInChunks(chunkSize: chunkSize) { chunk in
                    sizes.append(chunk.count)
                    ids += chunk.map(\.id)
                }
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "processing in chunks", exercise: "3.7")
            }
            let full = repos / chunkSize
            let rest = repos % chunkSize
            XCTAssertTrue(
                sizes == Array(repeating: chunkSize, count: full) + (rest > 0 ? [rest] : []),
                "The chunks were not full except the last. Run `lab hint 3.7`.")
            XCTAssertTrue(
                ids.count == repos && Set(ids).count == repos,
                "Chunk processing did not cover every repository exactly once. Run `lab hint 3.7`.")
            XCTAssertTrue(
                usage.items == repos && usage.peakItemsHeld == min(chunkSize, repos),
                "The usage did not report the items and the largest chunk held. Run `lab hint 3.7`.")
        }
    }

    func test4_aChunkSizeBelowOneIsRefusedBeforeAnyRequest() async throws {
        for chunkSize in [0, -4] {
            let (processor, mock) = try await makeProcessor(repos: 30, perPage: 10, seed: 4)
            do {
                try await processor.processInChunks(chunkSize: chunkSize) { _ in }
                XCTFail("A chunk size below 1 was accepted. Run `lab hint 3.7`.")
            } catch is InvalidChunkSize {
            } catch {
                throw HiddenCheckFailure.concealing(error, while: "processing with a bad chunk size", exercise: "3.7")
            }
            let requests = await pageRequests(mock)
            XCTAssertTrue(requests == 0, "A bad chunk size still caused requests. Run `lab hint 3.7`.")
        }
    }

    func test5_memoryReportOnARandomOrganisationMatchesTheJournalAndTheFootprint() async throws {
        var random = CheckRandomGenerator(seed: 3_705)
        let repos = Int.random(in: 1_000...1_300, using: &random)
        let perPage = Int.random(in: 30...100, using: &random)
        let chunkSize = Int.random(in: 5...25, using: &random)
        let (processor, mock) = try await makeProcessor(repos: repos, perPage: perPage, seed: 5)
        let report: MemoryReport
        do {
            report = try await processor.memoryReport(chunkSize: chunkSize)
        } catch {
            throw HiddenCheckFailure.concealing(error, while: "building the memory report", exercise: "3.7")
        }
        var all: [Repository] = []
        for try await repository in processor.client.listRepos(org: "moko-lab", perPage: 100) { all.append(repository) }
        XCTAssertTrue(
            report.loadAll.items == repos && report.loadAll.peakItemsHeld == repos
                && report.loadAll.peakBytesHeld == MemoryFootprint.bytes(of: all),
            "The load-all row did not hold and measure every repository. Run `lab hint 3.7`.")
        XCTAssertTrue(
            report.streaming.items == repos && report.streaming.peakItemsHeld == chunkSize
                && report.streaming.peakBytesHeld < report.loadAll.peakBytesHeld / 20,
            "The streaming row did not process everything while holding one chunk. Run `lab hint 3.7`.")
        XCTAssertTrue(
            report.streaming.approach == "streaming" && report.loadAll.approach == "load_all",
            "The rows were not named `streaming` and `load_all`. Run `lab hint 3.7`.")
        let requests = await pageRequests(mock) - Self.pages(repos, 100)
        XCTAssertTrue(
            report.streaming.pagesFetched == Self.pages(repos, perPage)
                && report.loadAll.pagesFetched == Self.pages(repos, perPage)
                && requests == 2 * Self.pages(repos, perPage),
            "The pages reported were not the pages GitHub served. Run `lab hint 3.7`.")
    }
}
