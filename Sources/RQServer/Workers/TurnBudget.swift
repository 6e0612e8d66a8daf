import Glibc

/// How much of one loop turn a run's status lines may take (each `dup` creates a message).
/// Counted in CPU time of the loop thread, so a machine busy with other work stretches the
/// wall time of a turn, not the amount of work in it; a wall-clock cap covers work that waits
/// on the disk.
struct TurnBudget {
    static let cpuSeconds = 0.004
    static let wallSeconds = 0.020

    private let cpuStart = Self.seconds(CLOCK_THREAD_CPUTIME_ID)
    private let wallStart = Self.seconds(CLOCK_MONOTONIC)

    var isSpent: Bool {
        Self.seconds(CLOCK_THREAD_CPUTIME_ID) - cpuStart >= Self.cpuSeconds
            || Self.seconds(CLOCK_MONOTONIC) - wallStart >= Self.wallSeconds
    }

    private static func seconds(_ clock: clockid_t) -> Double {
        var now = timespec()
        clock_gettime(clock, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
