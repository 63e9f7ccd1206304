import Foundation
import Synchronization

/// The GitHub client's conditional-request cache: remembers each GET response's `ETag` and body so the
/// next identical GET can send `If-None-Match` and, on `304 Not Modified`, reuse the body.
///
/// Entries are keyed by method, URL and auth identity (GitHub's ETags differ per token: `Vary:
/// Authorization`), so two clients with different tokens never share a body. An entry is always
/// revalidated with the server before reuse; an authorised 304 costs no rate-limit quota, which is what
/// ``Statistics/requestsSaved`` counts. Capacity is bounded by entry count and by body bytes, least
/// recently used first out; an entry older than the time-to-live is dropped instead of revalidated.
///
/// The hot path (``conditionalETag(for:at:)`` then ``revalidated(_:at:)``) is two short critical
/// sections on a `Mutex`: no allocation besides the key.
public final class ETagCache: Sendable {
    /// What identifies a cached response.
    public struct Key: Hashable, Sendable {
        /// The HTTP method (only `GET` is cached).
        public var method: String
        /// The absolute URL, query included.
        public var url: String
        /// Who asked: a digest of the credentials, never the token itself.
        public var identity: String

        /// Creates a key.
        public init(method: String, url: String, identity: String) {
            self.method = method
            self.url = url
            self.identity = identity
        }
    }

    /// A cached response.
    public struct Entry: Sendable, Equatable {
        /// The validator to send as `If-None-Match`.
        public var etag: String
        /// The response body.
        public var body: Data
        /// The response's `Link` header, so a cached page still knows its next page.
        public var link: String?
        /// When the entry was stored or last revalidated.
        public var validatedAt: Date
        /// Whether a mutation has changed the resource since the entry was stored (see ``markStale(where:)``).
        public var isStale: Bool

        /// Creates an entry.
        public init(etag: String, body: Data, link: String?, validatedAt: Date, isStale: Bool = false) {
            self.etag = etag
            self.body = body
            self.link = link
            self.validatedAt = validatedAt
            self.isStale = isStale
        }
    }

    /// Cache counters since creation (or the last ``resetStatistics()``).
    public struct Statistics: Sendable, Equatable, CustomStringConvertible {
        /// Responses answered `304 Not Modified` and served from the cache.
        public var hits: Int
        /// Cacheable GETs that needed a full response (no entry, or the resource changed).
        public var misses: Int
        /// Entries held now.
        public var entries: Int
        /// Body bytes held now.
        public var bytes: Int
        /// Requests that cost no rate-limit quota thanks to the cache (every hit: an authorised 304 is free).
        public var requestsSaved: Int
        /// Body bytes not transferred thanks to 304s.
        public var bytesSaved: Int
        /// Entries dropped for capacity or age.
        public var evictions: Int
        /// Entries marked stale (or dropped) because a mutation changed their resource.
        public var invalidations: Int

        /// `hits / (hits + misses)`, or 0 before any lookup.
        public var hitRate: Double {
            let total = hits + misses
            return total == 0 ? 0 : Double(hits) / Double(total)
        }

        /// Creates statistics.
        public init(
            hits: Int = 0, misses: Int = 0, entries: Int = 0, bytes: Int = 0, requestsSaved: Int = 0,
            bytesSaved: Int = 0, evictions: Int = 0, invalidations: Int = 0
        ) {
            self.hits = hits
            self.misses = misses
            self.entries = entries
            self.bytes = bytes
            self.requestsSaved = requestsSaved
            self.bytesSaved = bytesSaved
            self.evictions = evictions
            self.invalidations = invalidations
        }

        /// `hits=9 misses=1 hitRate=90.0% entries=1 requestsSaved=9`.
        public var description: String {
            let rate = (hitRate * 1000).rounded() / 10
            return "hits=\(hits) misses=\(misses) hitRate=\(rate)% entries=\(entries) requestsSaved=\(requestsSaved)"
        }
    }

    private struct Slot {
        var entry: Entry
        var lastUse: UInt64
    }

    private struct State {
        var slots: [Key: Slot] = [:]
        var tick: UInt64 = 0
        var stats = Statistics()
    }

    private let state = Mutex(State())

    /// The most entries kept.
    public let maxEntries: Int
    /// The most body bytes kept.
    public let maxBytes: Int
    /// How long an entry may go without revalidation before it is dropped; `nil` keeps it until evicted.
    public let timeToLive: Duration?

    /// Creates an empty cache.
    ///
    /// - Parameters:
    ///   - maxEntries: the most entries kept (at least 1).
    ///   - maxBytes: the most body bytes kept (at least 1).
    ///   - timeToLive: how long an unrevalidated entry stays usable; `nil` for no limit.
    public init(maxEntries: Int = 1_000, maxBytes: Int = 32 * 1_024 * 1_024, timeToLive: Duration? = nil) {
        self.maxEntries = max(1, maxEntries)
        self.maxBytes = max(1, maxBytes)
        self.timeToLive = timeToLive
    }

    /// The ETag to send as `If-None-Match` for `key`, or `nil` when nothing usable is cached.
    ///
    /// Counts nothing: the outcome is counted by ``revalidated(_:at:)`` or ``store(_:for:)``.
    ///
    /// - Parameters:
    ///   - key: the request's key.
    ///   - now: the current date, to apply the time-to-live.
    /// - Returns: the validator, or `nil`.
    public func conditionalETag(for key: Key, at now: Date) -> String? {
        let ttl = timeToLive.map(\.inSeconds)
        return state.withLock { state -> String? in
            guard let slot = state.slots[key] else { return nil }
            if let ttl, now.timeIntervalSince(slot.entry.validatedAt) > ttl {
                state.slots[key] = nil
                state.stats.bytes -= slot.entry.body.count
                state.stats.entries = state.slots.count
                state.stats.evictions += 1
                return nil
            }
            return slot.entry.etag
        }
    }

    /// Records a `304 Not Modified` for `key`: refreshes the entry and counts a hit and a request saved.
    ///
    /// - Parameters:
    ///   - key: the request's key.
    ///   - now: the date of the revalidation.
    ///   - etag: the ETag the 304 carried, if any (it replaces the stored one).
    /// - Returns: the cached entry, or `nil` if it was evicted meanwhile (the caller then re-fetches).
    public func revalidated(_ key: Key, at now: Date, etag: String? = nil) -> Entry? {
        state.withLock { state -> Entry? in
            guard var slot = state.slots[key] else { return nil }
            state.tick &+= 1
            slot.lastUse = state.tick
            slot.entry.validatedAt = now
            if let etag, !etag.isEmpty { slot.entry.etag = etag }
            state.slots[key] = slot
            state.stats.hits += 1
            state.stats.requestsSaved += 1
            state.stats.bytesSaved += slot.entry.body.count
            return slot.entry
        }
    }

    /// Records a full response for `key` (a miss) and stores it when it carries an ETag.
    ///
    /// - Parameters:
    ///   - entry: the response's validator, body and `Link`; `nil` when it had no ETag (nothing is stored
    ///     and any older entry is dropped).
    ///   - key: the request's key.
    public func store(_ entry: Entry?, for key: Key) {
        state.withLock { state in
            state.stats.misses += 1
            if let old = state.slots.removeValue(forKey: key) {
                state.stats.bytes -= old.entry.body.count
            }
            if let entry, entry.body.count <= maxBytes {
                state.tick &+= 1
                state.slots[key] = Slot(entry: entry, lastUse: state.tick)
                state.stats.bytes += entry.body.count
                evictIfNeeded(&state)
            }
            state.stats.entries = state.slots.count
        }
    }

    /// Marks every entry whose key matches as stale, e.g. after a mutation of the resource it caches.
    ///
    /// A stale entry keeps its validator, so the next GET still sends `If-None-Match` (GitHub changes the
    /// ETag on every mutation, so the answer is a full 200 that replaces the entry). Keeping the validator
    /// means no GET of a URL whose ETag was served ever goes out unconditionally.
    ///
    /// - Parameter predicate: decides which keys to mark.
    /// - Returns: how many entries were marked.
    @discardableResult
    public func markStale(where predicate: (Key) -> Bool) -> Int {
        state.withLock { state -> Int in
            var marked = 0
            for (key, slot) in state.slots where !slot.entry.isStale && predicate(key) {
                state.slots[key]?.entry.isStale = true
                marked += 1
            }
            state.stats.invalidations += marked
            return marked
        }
    }

    /// Drops every entry whose key matches.
    ///
    /// - Parameter predicate: decides which keys to drop.
    /// - Returns: how many entries were dropped.
    @discardableResult
    public func invalidate(where predicate: (Key) -> Bool) -> Int {
        state.withLock { state -> Int in
            let doomed = state.slots.keys.filter(predicate)
            for key in doomed {
                if let slot = state.slots.removeValue(forKey: key) {
                    state.stats.bytes -= slot.entry.body.count
                }
            }
            state.stats.invalidations += doomed.count
            state.stats.entries = state.slots.count
            return doomed.count
        }
    }

    /// Drops every entry; statistics other than `entries` and `bytes` are kept.
    public func removeAll() {
        state.withLock { state in
            state.slots.removeAll()
            state.stats.entries = 0
            state.stats.bytes = 0
        }
    }

    /// The counters.
    public var statistics: Statistics { state.withLock { $0.stats } }

    /// Sets the counters back to zero (entries are kept).
    public func resetStatistics() {
        state.withLock { state in
            state.stats = Statistics(entries: state.slots.count, bytes: state.stats.bytes)
        }
    }

    private func evictIfNeeded(_ state: inout State) {
        guard state.slots.count > maxEntries || state.stats.bytes > maxBytes else { return }
        // Evict the least recently used tenth (at least enough to fit) in one pass, so eviction is amortised.
        let ordered = state.slots.sorted { $0.value.lastUse < $1.value.lastUse }
        let batch = max(1, maxEntries / 10)
        let countTarget = state.slots.count > maxEntries ? max(1, maxEntries + 1 - batch) : state.slots.count
        for (key, slot) in ordered {
            if state.slots.count <= countTarget && state.stats.bytes <= maxBytes { break }
            state.slots[key] = nil
            state.stats.bytes -= slot.entry.body.count
            state.stats.evictions += 1
        }
    }
}
