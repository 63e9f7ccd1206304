import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Decides, for each error, whether a retry loop tries again, waits for the server, or gives up.
///
/// ``default`` encodes the rules of the curriculum and of well-behaved API clients:
///
/// | Error | Decision |
/// |---|---|
/// | `CancellationError`, `URLError.cancelled` | never retried |
/// | a ``RetryClassifiableError`` | its own ``RetryClassifiableError/retryDecision(now:)`` |
/// | ``HTTPResponseError`` 429, or 403 that ``HTTPResponseError/isRateLimited`` | wait for `Retry-After` / `x-ratelimit-reset`; a malformed or negative header stops |
/// | ``HTTPResponseError`` 5xx (except 501, 505), 408 | retry with backoff (a 503 `Retry-After` is honoured) |
/// | other ``HTTPResponseError`` (400, 401, 403, 404, 410, 422, ...) | never retried |
/// | `URLError` transport failures (timed out, connection lost, DNS, ...) | retry with backoff |
/// | `POSIXError` connection resets, refusals and timeouts | retry with backoff |
/// | `DecodingError`, `EncodingError`, ``RetryExhaustedError``, ``CircuitOpenError`` | never retried |
/// | any other error | retry with backoff (``transientOnly`` gives up instead) |
///
/// Custom rules wrap the default:
///
/// ```swift
/// let classifier = RetryClassifier { error, now in
///     if error is MyValidationError { return .doNotRetry }
///     return RetryClassifier.defaultDecision(for: error, now: now)
/// }
/// ```
public struct RetryClassifier: Sendable {
    private let decide: @Sendable (any Error, Date) -> RetryDecision

    /// Creates a classifier from a function.
    ///
    /// - Parameter decide: returns the decision for an error, given the current calendar date (for
    ///   absolute reset times). It should return ``RetryDecision/doNotRetry`` for
    ///   `CancellationError`; the retry loop never retries a cancelled task anyway.
    public init(_ decide: @escaping @Sendable (_ error: any Error, _ now: Date) -> RetryDecision) {
        self.decide = decide
    }

    /// The decision for `error`.
    ///
    /// - Parameters:
    ///   - error: the error the attempt threw.
    ///   - now: the current calendar date.
    /// - Returns: retry, retry after a server-given wait, or give up.
    public func decision(for error: any Error, now: Date) -> RetryDecision {
        decide(error, now)
    }

    /// The curriculum's rules (see the table above): transient and rate-limit failures are retried,
    /// validation, authentication and cancellation are not, unknown errors are retried.
    public static let `default` = RetryClassifier { error, now in
        defaultDecision(for: error, now: now)
    }

    /// Like ``default`` but gives up on errors it does not recognise as transient.
    public static let transientOnly = RetryClassifier { error, now in
        defaultDecision(for: error, now: now, unknown: .doNotRetry)
    }

    /// Retries every error except cancellation.
    public static let allExceptCancellation = RetryClassifier { error, _ in
        isCancellation(error) ? .doNotRetry : .retry
    }

    /// The rules of ``default``, for custom classifiers that refine them.
    ///
    /// - Parameters:
    ///   - error: the error the attempt threw.
    ///   - now: the current calendar date, for `Retry-After` dates and `x-ratelimit-reset`.
    ///   - unknown: the decision for errors none of the rules recognise.
    /// - Returns: the decision.
    public static func defaultDecision(
        for error: any Error,
        now: Date,
        unknown: RetryDecision = .retry
    ) -> RetryDecision {
        if isCancellation(error) { return .doNotRetry }
        if let classifiable = error as? any RetryClassifiableError { return classifiable.retryDecision(now: now) }
        if let response = error as? any HTTPResponseError { return decision(forResponse: response, now: now) }
        if let urlError = error as? URLError {
            return transientURLErrorCodes.contains(urlError.code) ? .retry : .doNotRetry
        }
        if let posixError = error as? POSIXError {
            return transientPOSIXCodes.contains(posixError.code) ? .retry : .doNotRetry
        }
        if error is RetryExhaustedError || error is CircuitOpenError || error is DecodingError
            || error is EncodingError || error is ResilienceConfigurationError
        {
            return .doNotRetry
        }
        return unknown
    }

    /// Whether `error` means the task was cancelled.
    static func isCancellation(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if let urlError = error as? URLError, urlError.code == .cancelled { return true }
        return false
    }

    private static func decision(forResponse response: any HTTPResponseError, now: Date) -> RetryDecision {
        let status = response.statusCode
        if response.isRateLimited {
            switch response.serverRequestedWait(now: now) {
            case .wait(let wait): return .retryAfter(wait)
            case .malformed: return .doNotRetry
            // GitHub: a secondary limit without headers means "wait at least one minute".
            case .none: return status == 403 ? .retryAfter(.seconds(60)) : .retry
            }
        }
        let transient = status == 408 || ((500...599).contains(status) && status != 501 && status != 505)
        guard transient else { return .doNotRetry }
        if case .wait(let wait) = response.serverRequestedWait(now: now) { return .retryAfter(wait) }
        return .retry
    }

    /// Transport failures after which the same request may well succeed.
    private static let transientURLErrorCodes: Set<URLError.Code> = [
        .timedOut, .cannotFindHost, .cannotConnectToHost, .networkConnectionLost, .dnsLookupFailed,
        .notConnectedToInternet, .badServerResponse, .secureConnectionFailed, .cannotLoadFromNetwork,
        .internationalRoamingOff, .callIsActive, .dataNotAllowed, .resourceUnavailable,
        .backgroundSessionWasDisconnected,
    ]

    /// Socket errors after which the same request may well succeed.
    private static let transientPOSIXCodes: Set<POSIXErrorCode> = [
        .ECONNRESET, .ECONNREFUSED, .ECONNABORTED, .ETIMEDOUT, .ENETDOWN, .ENETUNREACH, .ENETRESET,
        .EHOSTUNREACH, .EHOSTDOWN, .EPIPE, .EAGAIN,
    ]
}
