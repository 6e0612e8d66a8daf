import RQLoop
import Testing
@testable import RQServer

/// The run state machine alone: no loop, no process, no store.
@Suite struct WorkerRunStateTests {
    private func lines(_ texts: String...) -> RunInput {
        .lines(texts.map { StatusLineParser.Line(text: $0) })
    }

    private func fresh(count: Int = 0, maxCount: Int = 15) -> RunState {
        RunState(count: count, maxCount: maxCount, pid: 77)
    }

    @Test func doneThenExitAndEofInEitherOrder() {
        var a = fresh()
        #expect(a.handle(lines("run working", "done all good")) == [.recordStatus("all good")])
        #expect(a.handle(.exited(.exited(0))) == [])
        #expect(a.phase == .running)
        #expect(a.handle(.outputEnded) == [.finish(.done, count: 0)])
        #expect(a.phase == .finished)

        var b = fresh()
        _ = b.handle(lines("done"))
        #expect(b.handle(.outputEnded) == [])
        #expect(b.handle(.exited(.exited(0))) == [.finish(.done, count: 0)])
    }

    @Test func aBatchRecordsTheLastTextOnceAndALineWithoutTextAsEmpty() {
        var state = fresh()
        #expect(state.handle(lines("run 1", "run 2", "run 3")) == [.recordStatus("3")])
        #expect(state.handle(lines("run")) == [.recordStatus("")])
        #expect(state.handle(lines("")) == [.recordStatus("")])
    }

    @Test func theFirstTerminalCommandDecides() {
        var state = fresh()
        _ = state.handle(lines("err broken", "done fine"))
        _ = state.handle(.outputEnded)
        #expect(state.handle(.exited(.exited(0))) == [.finish(.err(statusOverride: nil), count: 0)])
    }

    @Test func resendsRaiseTheCountAndHitTheLimit() {
        var state = fresh(count: 1, maxCount: 15)
        _ = state.handle(lines("resend 30-later"))
        #expect(state.count == 2)
        _ = state.handle(.outputEnded)
        #expect(state.handle(.exited(.exited(0))) == [.finish(.requeue(delaySeconds: 30), count: 2)])

        var last = fresh(count: 2, maxCount: 3)
        _ = last.handle(lines("resend 0"))
        _ = last.handle(.outputEnded)
        #expect(last.handle(.exited(.exited(0)))
            == [.finish(.err(statusOverride: CompletionRule.maxResendStatus), count: 3)])
    }

    @Test func dupLinesAskForCopiesAndBadOnesAreAnsweredAtOnce() {
        var state = fresh()
        #expect(state.handle(lines("dup 5-X-other")) == [
            .duplicate(DupRequest(delaySeconds: 5, flag: "X", destination: "other")), .recordStatus("5-X-other"),
        ])
        let bad = "dup failed - malformed request 'nonsense', expected <due>-<flag>-<dest>"
        #expect(state.handle(lines("dup nonsense")) == [
            .warn("invalid 'dup' line: \(bad)"), .reply(.fail(reason: bad)), .recordStatus("nonsense"),
        ])
    }

    @Test func unknownWordsAndTruncatedLinesAreLoggedAndStillRecorded() {
        var state = fresh()
        let long = StatusLineParser.Line(text: "run abc", droppedByteCount: 10)
        #expect(state.handle(.lines([long])) == [.warn("status line over 7 bytes truncated"), .recordStatus("abc")])
        #expect(state.handle(lines("fail x")) == [.note("unknown status command 'fail' (text recorded)"), .recordStatus("x")])
    }

    @Test func aTimeoutStopsOnceAndItsReasonBecomesTheStatus() {
        var state = fresh()
        _ = state.handle(lines("done early"))
        #expect(state.handle(.timedOut(seconds: 2)) == [.stop])
        #expect(state.handle(.stopRequested) == [])
        #expect(state.phase == .stopping(reason: "TIMEOUT - script ran longer than 2 seconds - killed"))
        _ = state.handle(.exited(.signaled(15)))
        #expect(state.handle(.outputEnded)
            == [.finish(.err(statusOverride: "TIMEOUT - script ran longer than 2 seconds - killed"), count: 0)])
    }

    @Test func aStopAfterTheExitChangesNothing() {
        var state = fresh()
        _ = state.handle(lines("done"))
        _ = state.handle(.exited(.exited(0)))
        #expect(state.handle(.timedOut(seconds: 1)) == [])
        #expect(state.handle(.outputEnded) == [.finish(.done, count: 0)])
    }

    @Test func aDestroyedRunEndsInErrSayingWhatItRecorded() {
        var state = fresh()
        #expect(state.handle(.stopRequested) == [.stop])
        _ = state.handle(.outputEnded)
        guard case .finish(.err(let status?), _)? = state.handle(.exited(.signaled(15))).first else {
            Issue.record("no err finish")
            return
        }
        #expect(status == "PROCESS EXITED IMPROPERLY - MOVING TO ERR - Completion was none but exit status was pid 77 SIGTERM (signal 15)")
    }

    @Test func nothingHappensAfterTheFinish() {
        var state = fresh()
        _ = state.handle(.outputEnded)
        #expect(state.handle(.exited(.exited(0))) == [.finish(.err(statusOverride: nil), count: 0)])
        #expect(state.handle(lines("done")) == [])
        #expect(state.handle(.stopRequested) == [])
        #expect(state.handle(.exited(.exited(0))) == [])
    }
}
