import Testing
@testable import RQServer

@Suite struct WorkerRepeatedErrorTests {
    @Test func repeatsWithinTheIntervalAreCountedNotLogged() {
        var limiter = RepeatedErrorLimiter(interval: 10)
        #expect(limiter.admit("q: cannot start", now: 100) == 0)
        #expect(limiter.admit("q: cannot start", now: 101) == nil)
        #expect(limiter.admit("q: cannot start", now: 109.9) == nil)
        #expect(limiter.admit("other: cannot start", now: 105) == 0)
        #expect(limiter.admit("q: cannot start", now: 110) == 2)
        #expect(limiter.admit("q: cannot start", now: 125) == 0)
    }
}
