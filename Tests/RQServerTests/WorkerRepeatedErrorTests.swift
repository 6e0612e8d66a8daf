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

    @Test func theLoggedLineSaysHowManyWereLeftOut() {
        var limiter = RepeatedErrorLimiter(interval: 5)
        #expect(limiter.line("disk full", kind: "k", now: 0) == "disk full")
        #expect(limiter.line("disk full", kind: "k", now: 1) == nil)
        #expect(limiter.line("disk full", kind: "k", now: 2) == nil)
        #expect(limiter.line("disk full", kind: "k", now: 6) == "disk full (2 more like it left out)")
    }
}
