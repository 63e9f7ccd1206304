import Foundation
import MokoEnterprise

/// How to reach GitHub: the pieces a ``GitHubClient`` is made of. Provided: not part of the exercise.
public struct GitHubConnection: Sendable {
    /// The token.
    public var token: String
    /// How requests are sent (the checks use the in-process mock).
    public var transport: any HTTPTransport
    /// The clock every wait of the client goes through (the checks use a manual clock).
    public var clock: any Clock<Duration>

    /// Creates a connection.
    public init(token: String, transport: any HTTPTransport, clock: any Clock<Duration>) {
        self.token = token
        self.transport = transport
        self.clock = clock
    }
}

/// What one run of repeated fetches cost.
public struct FetchRun: Sendable, Equatable {
    /// Whether the client used its ETag cache.
    public var caching: Bool
    /// How many times every repository was fetched.
    public var passes: Int
    /// Repository reads asked for: passes × repositories.
    public var fetches: Int
    /// Reads answered from the cache after a `304 Not Modified` (0 without caching).
    public var cacheHits: Int
    /// Reads that needed a full response.
    public var cacheMisses: Int
    /// Rate-limit units the run consumed, measured with GitHub's rate-limit counter before and after.
    public var quotaUsed: Int

    /// Creates a run.
    public init(caching: Bool, passes: Int, fetches: Int, cacheHits: Int, cacheMisses: Int, quotaUsed: Int) {
        self.caching = caching
        self.passes = passes
        self.fetches = fetches
        self.cacheHits = cacheHits
        self.cacheMisses = cacheMisses
        self.quotaUsed = quotaUsed
    }
}

/// The same fetches without and with caching, side by side.
public struct CachingReport: Sendable, Equatable {
    /// The run without the cache.
    public var uncached: FetchRun
    /// The run with the cache.
    public var cached: FetchRun
    /// The cached run's hits divided by its fetches (0 when it fetched nothing).
    public var hitRate: Double
    /// Requests of the cached run that cost no quota thanks to the cache (its 304s).
    public var requestsSaved: Int
    /// Quota the uncached run used minus quota the cached run used.
    public var quotaSaved: Int

    /// Creates a report.
    public init(uncached: FetchRun, cached: FetchRun, hitRate: Double, requestsSaved: Int, quotaSaved: Int) {
        self.uncached = uncached
        self.cached = cached
        self.hitRate = hitRate
        self.requestsSaved = requestsSaved
        self.quotaSaved = quotaSaved
    }

    /// A short table for people.
    public var summary: String {
        let rate = (hitRate * 1_000).rounded() / 10
        return """
            run       fetches  hits  misses  quota
            uncached  \(uncached.fetches)  \(uncached.cacheHits)  \(uncached.cacheMisses)  \(uncached.quotaUsed)
            cached    \(cached.fetches)  \(cached.cacheHits)  \(cached.cacheMisses)  \(cached.quotaUsed)
            hit rate \(rate)%, requests saved \(requestsSaved), quota saved \(quotaSaved)
            """
    }
}

/// An experiment that cannot run as asked; nothing was sent.
public struct CachingExperimentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
