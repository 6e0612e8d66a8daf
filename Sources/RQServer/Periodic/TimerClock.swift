/// When a timer fires. Pure, so the missed-period policy is tested without a loop.
///
/// A timer keeps the phase of its first firing: a daily timer first fired at 03:00 fires at
/// 03:00 every day. Periods missed while the server was down (or a firing that came late) are
/// not replayed one by one: the timer fires once, as soon as it can, and then goes back to its
/// grid. A burst of catch-up messages after a week's outage would be useless for periodic jobs
/// (one cleaner run does the work of seven) and harmful for others.
enum TimerClock {
    /// Due time of a timer whose last grid point is `last` (nil: never fired, due now).
    /// A due time in the past means "fire at once". After the clock was set back, a timer
    /// waits at most one period.
    static func due(last: Double?, period: Int, now: Double) -> Double {
        guard let last else { return now }
        return min(last, now) + Double(period)
    }

    /// Grid point to remember after firing at `now`: the latest `last + k × period` not after
    /// `now`, or `now` itself for a timer that never fired.
    static func gridPoint(last: Double?, period: Int, now: Double) -> Double {
        guard let last, now >= last else { return now }
        let periods = ((now - last) / Double(period)).rounded(.down)
        return last + periods * Double(period)
    }

    /// Whole periods that passed without a firing, before the one fired at `now`.
    static func missed(last: Double?, period: Int, now: Double) -> Int {
        guard let last, now >= last else { return 0 }
        return max(0, Int(((now - last) / Double(period)).rounded(.down)) - 1)
    }
}
