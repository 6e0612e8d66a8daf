import Testing
import RQStore
@testable import RQServer

/// Timer files and the missed-period policy (TimerClock), without a loop.
@Suite struct TimerScheduleTests {
    @Test func aNewTimerIsDueAtOnceThenKeepsItsPhase() {
        #expect(TimerClock.due(last: nil, period: 60, now: 1000) == 1000)
        let last = TimerClock.gridPoint(last: nil, period: 60, now: 1000)
        #expect(last == 1000)
        #expect(TimerClock.due(last: last, period: 60, now: 1000.5) == 1060)
        // Fired 0.3 s late: the grid stays at 1060, not 1060.3.
        #expect(TimerClock.gridPoint(last: 1000, period: 60, now: 1060.3) == 1060)
        #expect(TimerClock.missed(last: 1000, period: 60, now: 1060.3) == 0)
    }

    @Test func periodsMissedWhileDownFireOnceThenBackOnTheGrid() {
        // Daily timer last fired at t=0; the server comes back 3.5 days later.
        let now = 3.5 * 86_400
        #expect(TimerClock.due(last: 0, period: 86_400, now: now) <= now, "overdue: fires at once")
        #expect(TimerClock.missed(last: 0, period: 86_400, now: now) == 2)
        let last = TimerClock.gridPoint(last: 0, period: 86_400, now: now)
        #expect(last == 3 * 86_400)
        #expect(TimerClock.due(last: last, period: 86_400, now: now + 1) == 4 * 86_400)
    }

    @Test func aClockSetBackWaitsAtMostOnePeriod() {
        #expect(TimerClock.due(last: 10_000, period: 60, now: 500) == 560)
        #expect(TimerClock.gridPoint(last: 10_000, period: 60, now: 500) == 500)
    }

    @Test func aChangedPeriodAppliesFromTheLastFiring() {
        #expect(TimerClock.due(last: 1000, period: 10, now: 1005) == 1010)
        #expect(TimerClock.due(last: 1000, period: 3, now: 1005) == 1003)
    }

    func parse(_ text: String) -> Result<TimerDefinition, TimerProblem> {
        TimerDefinition.parse(name: "t", bytes: Array(text.utf8))
    }

    @Test func definitions() throws {
        let definition = try parse(#"{"period": 86400, "msg": {"dest": "cleaner", "param1": "ALLQUEUES"}}"#).get()
        #expect(definition.period == 86_400)
        #expect(definition.queue == "cleaner")
        #expect(definition.message["param1"] == "ALLQUEUES")
        #expect(try parse(#"{"period": "5", "msg": {"dest": "http://h:3333/q/x"}}"#).get().queue == "relay")
    }

    @Test(arguments: [
        ("not json", "invalid json"),
        (#"{"msg": {"dest": "a"}}"#, "missing 'period' field"),
        (#"{"period": 1.5, "msg": {"dest": "a"}}"#, "invalid 'period' field [1.5]"),
        (#"{"period": "x", "msg": {"dest": "a"}}"#, #"invalid 'period' field ["x"]"#),
        (#"{"period": 0, "msg": {"dest": "a"}}"#, "'period' field too small [0]"),
        (#"{"period": 5}"#, "missing 'msg' field"),
        (#"{"period": 5, "msg": {"param1": "a"}}"#, "missing 'msg.dest' field"),
    ])
    func badDefinitionsSayWhy(text: String, reason: String) {
        #expect(parse(text) == .failure(TimerProblem(reason)))
    }
}
