import MokoEnterprise
import Synchronization

/// An organisation's repositories as an `AsyncSequence`, fetched page by page as the consumer reads.
///
/// A page is requested only when the consumer has used up the previous one, and only that page is held:
/// a consumer that stops after 150 repositories (with 100 per page) causes exactly two requests.
public struct RepositoryStream: AsyncSequence, Sendable {
    /// One repository.
    public typealias Element = Repository

    /// The client that fetches the pages.
    public let client: GitHubClient
    /// The organisation.
    public let org: String
    /// Repositories per page (1–100).
    public let perPage: Int
    private let pageCounter = PageCounter()

    /// Creates a stream; nothing is requested until iteration starts.
    ///
    /// - Parameters:
    ///   - client: the GitHub client.
    ///   - org: the organisation's login.
    ///   - perPage: repositories per page.
    public init(client: GitHubClient, org: String, perPage: Int = 100) {
        self.client = client
        self.org = org
        self.perPage = perPage
    }

    /// The pages requested so far by every iteration of this stream.
    public var pagesFetched: Int { pageCounter.value }

    /// Creates an iterator that starts at the first page.
    public func makeAsyncIterator() -> Iterator {
        // `pages` follows the `Link rel="next"` header: never build page URLs yourself.
        Iterator(pages: client.listRepos(org: org, perPage: perPage).pages.makeAsyncIterator(), counter: pageCounter)
    }

    /// Hands out the current page's repositories, fetching the next page only when it runs out.
    public struct Iterator: AsyncIteratorProtocol {
        var pages: GitHubPageSequence<Repository>.AsyncIterator
        let counter: PageCounter
        var buffer: [Repository] = []
        var index = 0

        /// The next repository, or `nil` after the last page.
        public mutating func next() async throws -> Repository? {
            while index == buffer.count {
                // Drop the used-up page before asking for the next one: only one page is ever held.
                buffer = []
                index = 0
                guard let page = try await pages.next() else { return nil }
                counter.increment()
                buffer = page.items
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}

/// A thread-safe count of page requests.
final class PageCounter: Sendable {
    private let count = Mutex(0)

    var value: Int { count.withLock { $0 } }

    func increment() { count.withLock { $0 += 1 } }
}
