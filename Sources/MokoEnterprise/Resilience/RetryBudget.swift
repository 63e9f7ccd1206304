import Synchronization

/// A token bucket shared by many retry loops that stops retries when a service fails for everyone.
///
/// Retries multiply load exactly when a service is struggling. A budget caps that: each retry
/// spends tokens and each success earns some back, so under a full outage the extra load from
/// retries stays small once the bucket is drained, while an occasional failure is still retried.
///
/// Two classic schemes:
/// - ``awsStandard()``: the AWS SDK retry quota. 500 tokens; a retry costs 5 (10 after a timeout);
///   a success refunds the cost of the retry that led to it, or 1 when no retry was needed. An
///   empty bucket means no retry even when attempts remain.
/// - ``grpcThrottling(maxTokens:tokenRatio:)``: gRPC `retryThrottling`. Each failure costs 1, each
///   success earns `tokenRatio`; retries stop while tokens ≤ `maxTokens / 2`.
///
/// Share one budget per host or token: `RetryPolicy(budget: budget)` for every call to that host.
/// It is thread-safe.
public final class RetryBudget: Sendable {
    /// How the bucket is charged and refilled.
    public enum Scheme: Sendable, Hashable {
        /// AWS style: a retry spends `retryCost` (`timeoutRetryCost` after a timeout); a success
        /// refunds the spent cost, or `successRefund` for a first-try success.
        case quota(capacity: Double, retryCost: Double, timeoutRetryCost: Double, successRefund: Double)
        /// gRPC style: failures cost 1, successes earn `tokenRatio`; no retry while tokens ≤ half.
        case throttling(maxTokens: Double, tokenRatio: Double)
    }

    /// The scheme this budget follows.
    public let scheme: Scheme
    private let tokens: Mutex<Double>

    /// Creates a budget, full.
    ///
    /// - Parameter scheme: the charging scheme.
    /// - Throws: ``ResilienceConfigurationError`` when a capacity or cost is not positive.
    public init(scheme: Scheme) throws(ResilienceConfigurationError) {
        switch scheme {
        case .quota(let capacity, let retryCost, let timeoutRetryCost, let successRefund):
            try ResilienceConfigurationError.check(capacity > 0, "RetryBudget", "capacity", capacity, "> 0")
            try ResilienceConfigurationError.check(retryCost > 0, "RetryBudget", "retryCost", retryCost, "> 0")
            try ResilienceConfigurationError.check(
                timeoutRetryCost > 0, "RetryBudget", "timeoutRetryCost", timeoutRetryCost, "> 0")
            try ResilienceConfigurationError.check(
                successRefund >= 0, "RetryBudget", "successRefund", successRefund, ">= 0")
            tokens = Mutex(capacity)
        case .throttling(let maxTokens, let tokenRatio):
            try ResilienceConfigurationError.check(maxTokens > 0, "RetryBudget", "maxTokens", maxTokens, "> 0")
            try ResilienceConfigurationError.check(tokenRatio > 0, "RetryBudget", "tokenRatio", tokenRatio, "> 0")
            tokens = Mutex(maxTokens)
        }
        self.scheme = scheme
    }

    /// The AWS SDK standard retry quota: 500 tokens, retry 5, timeout retry 10, success refund 1.
    public static func awsStandard() -> RetryBudget {
        RetryBudget(validScheme: .quota(capacity: 500, retryCost: 5, timeoutRetryCost: 10, successRefund: 1))
    }

    /// gRPC retry throttling.
    ///
    /// - Parameters:
    ///   - maxTokens: the bucket size (gRPC: 0 < maxTokens ≤ 1000); retries stop at half of it.
    ///   - tokenRatio: tokens earned per success (gRPC: e.g. 0.1).
    /// - Throws: ``ResilienceConfigurationError`` when a value is not positive.
    public static func grpcThrottling(
        maxTokens: Double = 100, tokenRatio: Double = 0.1
    ) throws(ResilienceConfigurationError) -> RetryBudget {
        try RetryBudget(scheme: .throttling(maxTokens: maxTokens, tokenRatio: tokenRatio))
    }

    private init(validScheme: Scheme) {
        scheme = validScheme
        switch validScheme {
        case .quota(let capacity, _, _, _): tokens = Mutex(capacity)
        case .throttling(let maxTokens, _): tokens = Mutex(maxTokens)
        }
    }

    /// The tokens in the bucket now.
    public var availableTokens: Double { tokens.withLock { $0 } }

    /// Records a failed call and asks for permission to retry it.
    ///
    /// - Parameter afterTimeout: whether the call failed by timing out (AWS charges more).
    /// - Returns: the tokens spent (to pass to ``recordSuccess(refunding:)`` if the retry succeeds),
    ///   or nil when the budget forbids the retry.
    public func acquireRetry(afterTimeout: Bool = false) -> Double? {
        tokens.withLock { tokens -> Double? in
            switch scheme {
            case .quota(_, let retryCost, let timeoutRetryCost, _):
                let cost = afterTimeout ? timeoutRetryCost : retryCost
                guard tokens >= cost else { return nil }
                tokens -= cost
                return cost
            case .throttling(let maxTokens, _):
                tokens = max(0, tokens - 1)
                return tokens > maxTokens / 2 ? 0 : nil
            }
        }
    }

    /// Records a successful call.
    ///
    /// - Parameter spent: what ``acquireRetry(afterTimeout:)`` returned for the retry that led to this
    ///   success, or nil for a first-try success.
    public func recordSuccess(refunding spent: Double? = nil) {
        tokens.withLock { tokens in
            switch scheme {
            case .quota(let capacity, _, _, let successRefund):
                let refund = spent.map { $0 > 0 ? $0 : successRefund } ?? successRefund
                tokens = min(capacity, tokens + refund)
            case .throttling(let maxTokens, let tokenRatio):
                tokens = min(maxTokens, tokens + tokenRatio)
            }
        }
    }
}
