import Foundation
import Testing
import RQLoop
#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct EventLoopTests {
    @Test func timersFireInDeadlineOrderAndCancelWorks() throws {
        let loop = try EventLoop()
        var fired: [String] = []
        let late = LoopTimer(loop: loop) { fired.append("late") }
        let early = LoopTimer(loop: loop) { fired.append("early") }
        let cancelled = LoopTimer(loop: loop) { fired.append("cancelled") }
        let rearmed = LoopTimer(loop: loop) { fired.append("rearmed") }
        late.schedule(after: 0.06)
        early.schedule(after: 0.02)
        cancelled.schedule(after: 0.04)
        rearmed.schedule(after: 0.01)
        rearmed.schedule(after: 30)  // replaces the 0.01 deadline
        #expect(cancelled.isScheduled)
        cancelled.cancel()
        #expect(!cancelled.isScheduled)
        #expect(drive(loop) { fired.contains("late") })
        #expect(fired == ["early", "late"])
        #expect(!early.isScheduled)
        #expect(rearmed.isScheduled)
        rearmed.close()
        #expect(!rearmed.isScheduled)
    }

    @Test func pollingTimerRunsAtOnceThenEveryIntervalUntilClosed() throws {
        let loop = try EventLoop()
        var runs = 0
        let poll = LoopTimer.polling(loop: loop, every: 0.005) { runs += 1 }
        #expect(runs == 1, "the first run is immediate")
        #expect(drive(loop) { runs >= 4 })
        poll.close()
        let stopped = runs
        let probe = LoopTimer(loop: loop) {}
        probe.schedule(after: 0.03)
        _ = drive(loop) { !probe.isScheduled }
        #expect(runs == stopped, "no run after close")
    }

    @Test func timerCanBeRearmedFromItsOwnCallback() throws {
        let loop = try EventLoop()
        var count = 0
        var timer: LoopTimer?
        timer = LoopTimer(loop: loop) {
            count += 1
            if count < 3 { timer?.schedule(after: 0.005) }
        }
        timer?.schedule(after: 0.005)
        #expect(drive(loop) { count == 3 })
        timer?.close()
    }

    @Test func runSoonIsFifoAndWorkQueuedByWorkWaitsForTheNextIteration() throws {
        let loop = try EventLoop()
        var events: [String] = []
        loop.addIterationEndHook { events.append("|") }
        loop.runSoon {
            events.append("a")
            loop.runSoon {
                events.append("c")
                loop.stop()
            }
        }
        loop.runSoon { events.append("b") }
        #expect(events.isEmpty)  // never runs inside runSoon itself
        let guardTimer = LoopTimer(loop: loop) { loop.stop() }
        guardTimer.schedule(after: 5)
        loop.run()
        #expect(events == ["a", "b", "|", "c", "|"])
    }

    /// The scheduler's kick: after the calling callback, before the iteration-end hooks (the
    /// group commit), in FIFO order, and work it queues still in the same iteration.
    @Test func runLaterThisTurnRunsAfterTheCallbackAndBeforeTheHooks() throws {
        let loop = try EventLoop()
        var events: [String] = []
        loop.addIterationEndHook { events.append("|") }
        let timer = LoopTimer(loop: loop) {
            loop.runLaterThisTurn {
                events.append("a")
                loop.runLaterThisTurn {
                    events.append("c")
                    loop.stop()
                }
            }
            loop.runLaterThisTurn { events.append("b") }
            events.append("timer")  // never runs inside the callback that queued it
        }
        timer.schedule(after: 0.001)
        let guardTimer = LoopTimer(loop: loop) { loop.stop() }
        guardTimer.schedule(after: 5)
        loop.run()
        #expect(events == ["timer", "a", "b", "c", "|"])
    }

    @Test func iterationEndHooksRunInOrderAfterTheIterationsCallbacks() throws {
        let loop = try EventLoop()
        var first: [Int32] = [-1, -1]
        var second: [Int32] = [-1, -1]
        #expect(pipe(&first) == 0 && pipe(&second) == 0)
        defer { for fd in first + second { close(fd) } }
        var events: [String] = []
        // Both pipes are readable before the loop starts, so one poll reports both.
        _ = write(first[1], "x", 1)
        _ = write(second[1], "y", 1)
        let watchers = try [(first[0], "r1"), (second[0], "r2")].map { fd, name in
            try FdWatcher(loop: loop, fd: fd) {
                var byte: UInt8 = 0
                _ = read(fd, &byte, 1)
                events.append(name)
            }
        }
        loop.addIterationEndHook { events.append("h1") }
        loop.addIterationEndHook {
            events.append("h2")
            loop.stop()
        }
        let guardTimer = LoopTimer(loop: loop) { loop.stop() }
        guardTimer.schedule(after: 5)
        loop.run()
        #expect(events.count == 4)
        #expect(Set(events.prefix(2)) == ["r1", "r2"])
        #expect(Array(events.suffix(2)) == ["h1", "h2"])
        for watcher in watchers { watcher.close() }
    }

    @Test func signalWatcherSeesARaisedSignal() throws {
        let loop = try EventLoop()
        var caught = 0
        let watcher = try SignalWatcher(loop: loop, signal: SIGUSR1) { caught += 1 }
        // Process-directed: a test thread may block signals, and raise() targets this thread only.
        loop.runSoon { kill(getpid(), SIGUSR1) }
        #expect(drive(loop) { caught == 1 })
        watcher.close()
    }

    @Test func fdWatcherReportsAPipeAndLeavesTheFdOpen() throws {
        let loop = try EventLoop()
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        var got: [UInt8] = []
        let watcher = try FdWatcher(loop: loop, fd: fds[0]) {
            var buffer = [UInt8](repeating: 0, count: 16)
            let count = read(fds[0], &buffer, buffer.count)
            if count > 0 { got += buffer[0..<count] }
        }
        loop.runSoon { _ = write(fds[1], "status\n", 7) }
        #expect(drive(loop) { got == Array("status\n".utf8) })
        watcher.close()
        #expect(fcntl(fds[0], F_GETFD) != -1)
    }

    @Test func nowIsWallClockSeconds() throws {
        let loop = try EventLoop()
        #expect(abs(loop.now - Date().timeIntervalSince1970) < 1)
    }

    @Test func runReturnsWhenNothingCanEverHappen() throws {
        let loop = try EventLoop()
        var hookRuns = 0
        loop.addIterationEndHook { hookRuns += 1 }
        loop.run()
        #expect(hookRuns == 2)
    }
}
