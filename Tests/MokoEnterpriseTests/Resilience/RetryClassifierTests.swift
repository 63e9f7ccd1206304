import Foundation
import MokoEnterprise
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Retry classifier")
struct RetryClassifierTests {
    private let now = Date(timeIntervalSince1970: 1_767_225_600)

    private func decide(_ error: any Error) -> RetryDecision {
        RetryClassifier.default.decision(for: error, now: now)
    }

    private struct OwnDecision: RetryClassifiableError {
        var decision: RetryDecision
        func retryDecision(now: Date) -> RetryDecision { decision }
    }

    @Test(arguments: [400, 401, 403, 404, 405, 409, 410, 422, 501])
    func clientErrorsAreNeverRetried(status: Int) {
        #expect(decide(ResilienceTestHTTPError(statusCode: status, message: "Validation Failed")) == .doNotRetry)
    }

    @Test(arguments: [500, 502, 503, 504, 408])
    func serverErrorsAreRetried(status: Int) {
        #expect(decide(ResilienceTestHTTPError(statusCode: status)) == .retry)
    }

    @Test func a429WithoutHeadersIsRetriedWithBackoff() {
        #expect(decide(ResilienceTestHTTPError(statusCode: 429)) == .retry)
    }

    @Test func a403IsARateLimitOnlyWithItsSignals() {
        let exhausted = ResilienceTestHTTPError(
            statusCode: 403,
            headers: ["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "\(Int(now.timeIntervalSince1970) + 90)"]
        )
        #expect(decide(exhausted) == .retryAfter(.seconds(90)))
        let secondary = ResilienceTestHTTPError(
            statusCode: 403, message: "You have exceeded a secondary rate limit. Please wait a few minutes.")
        #expect(decide(secondary) == .retryAfter(.seconds(60)))
        let withRetryAfter = ResilienceTestHTTPError(statusCode: 403, headers: ["retry-after": "30"])
        #expect(decide(withRetryAfter) == .retryAfter(.seconds(30)))
        let forbidden = ResilienceTestHTTPError(
            statusCode: 403, headers: ["X-RateLimit-Remaining": "4999"],
            message: "Resource not accessible by integration")
        #expect(decide(forbidden) == .doNotRetry)
    }

    @Test func malformedOrNegativeRetryAfterStopsRetrying() {
        #expect(decide(ResilienceTestHTTPError(statusCode: 429, headers: ["Retry-After": "-5"])) == .doNotRetry)
        #expect(decide(ResilienceTestHTTPError(statusCode: 429, headers: ["Retry-After": "soon"])) == .doNotRetry)
        let badReset = ResilienceTestHTTPError(
            statusCode: 403, headers: ["x-ratelimit-remaining": "0", "x-ratelimit-reset": "tomorrow"])
        #expect(decide(badReset) == .doNotRetry)
    }

    @Test func aResetInThePastMeansRetryNow() {
        let past = ResilienceTestHTTPError(
            statusCode: 429, headers: ["Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"])
        #expect(decide(past) == .retryAfter(.zero))
    }

    @Test func transportFailuresAreRetriedAndOtherURLErrorsAreNot() {
        let transient: [URLError.Code] = [
            .timedOut, .cannotConnectToHost, .networkConnectionLost, .notConnectedToInternet, .dnsLookupFailed,
            .cannotFindHost,
        ]
        for code in transient { #expect(decide(URLError(code)) == .retry) }
        #expect(decide(URLError(.badURL)) == .doNotRetry)
        #expect(decide(URLError(.cancelled)) == .doNotRetry)
        #expect(decide(POSIXError(.ECONNRESET)) == .retry)
    }

    @Test func cancellationIsNeverRetriedEvenByPermissiveClassifiers() {
        #expect(decide(CancellationError()) == .doNotRetry)
        #expect(RetryClassifier.allExceptCancellation.decision(for: CancellationError(), now: now) == .doNotRetry)
    }

    @Test func errorsCanStateTheirOwnDecision() {
        #expect(decide(OwnDecision(decision: .retryAfter(.seconds(3)))) == .retryAfter(.seconds(3)))
        #expect(decide(OwnDecision(decision: .doNotRetry)) == .doNotRetry)
    }

    @Test func unknownErrorsAreRetriedByDefaultButNotByTransientOnly() {
        #expect(decide(ResilienceTestFailure()) == .retry)
        #expect(RetryClassifier.transientOnly.decision(for: ResilienceTestFailure(), now: now) == .doNotRetry)
        #expect(decide(CircuitOpenError(circuit: "x", reason: .open, retryAfter: .seconds(1))) == .doNotRetry)
    }
}
