import Foundation

/// One page of a paginated GitHub list.
public struct GitHubPage<Item: Sendable>: Sendable {
    /// The page's items, in server order.
    public var items: [Item]
    /// The URL this page was fetched from.
    public var url: URL
    /// The `Link rel="next"` URL, or `nil` on the last page. Save it to resume a listing later with
    /// ``GitHubClient/paginate(_:from:)``.
    public var nextURL: URL?

    /// Creates a page.
    public init(items: [Item], url: URL, nextURL: URL?) {
        self.items = items
        self.url = url
        self.nextURL = nextURL
    }
}

/// A paginated GitHub list as an `AsyncSequence` of items, fetched one page at a time.
///
/// Iterating requests the first page, yields its items, then follows the response's `Link rel="next"`
/// URL (never building page URLs itself), until a page has no `next`. Only the current page is held, so
/// memory stays O(page) however long the list. Each iteration starts over from the first URL; ``pages``
/// iterates page by page instead.
///
/// ```swift
/// for try await repo in client.listRepos(org: "octo-org") {
///     print(repo.fullName)
/// }
/// ```
public struct GitHubPaginatedSequence<Item: Decodable & Sendable>: AsyncSequence, Sendable {
    /// The element type: one item.
    public typealias Element = Item
    /// The sequence throws the client's errors.
    public typealias Failure = any Error

    /// Fetches one page: its items and the next URL.
    typealias PageFetcher = @Sendable (URL) async throws -> GitHubPage<Item>

    /// The URL of the first page.
    public let firstURL: URL
    let fetchPage: PageFetcher

    init(firstURL: URL, fetchPage: @escaping PageFetcher) {
        self.firstURL = firstURL
        self.fetchPage = fetchPage
    }

    /// The same listing page by page.
    public var pages: GitHubPageSequence<Item> {
        GitHubPageSequence(firstURL: firstURL, fetchPage: fetchPage)
    }

    /// Fetches every page and returns all items in order (holds the whole list: prefer iterating).
    ///
    /// - Returns: every item.
    /// - Throws: the first error of any page request.
    public func collect() async throws -> [Item] {
        var all: [Item] = []
        for try await page in pages { all.append(contentsOf: page.items) }
        return all
    }

    /// Creates an iterator that starts at the first page.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pages: pages.makeAsyncIterator())
    }

    /// Yields the items of one page, then asks for the next page.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// The iterator throws the client's errors.
        public typealias Failure = any Error

        var pages: GitHubPageSequence<Item>.AsyncIterator
        var buffer: [Item] = []
        var index = 0

        /// The next item, fetching the next page when the current one is used up; `nil` after the last.
        public mutating func next() async throws -> Item? {
            while index >= buffer.count {
                buffer = []
                index = 0
                guard let page = try await pages.next() else { return nil }
                buffer = page.items
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}

/// A paginated GitHub list as an `AsyncSequence` of pages, following `Link rel="next"`.
public struct GitHubPageSequence<Item: Decodable & Sendable>: AsyncSequence, Sendable {
    /// The element type: one page.
    public typealias Element = GitHubPage<Item>
    /// The sequence throws the client's errors.
    public typealias Failure = any Error

    /// The URL of the first page.
    public let firstURL: URL
    let fetchPage: GitHubPaginatedSequence<Item>.PageFetcher

    init(firstURL: URL, fetchPage: @escaping GitHubPaginatedSequence<Item>.PageFetcher) {
        self.firstURL = firstURL
        self.fetchPage = fetchPage
    }

    /// Creates an iterator that starts at the first page.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(nextURL: firstURL, fetchPage: fetchPage)
    }

    /// Fetches one page per call.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// The iterator throws the client's errors.
        public typealias Failure = any Error

        var nextURL: URL?
        let fetchPage: GitHubPaginatedSequence<Item>.PageFetcher

        /// The next page, or `nil` after the page without a `next` link.
        public mutating func next() async throws -> GitHubPage<Item>? {
            guard let url = nextURL else { return nil }
            try Task.checkCancellation()
            let page = try await fetchPage(url)
            nextURL = page.nextURL
            return page
        }
    }
}
