import RQLoop
import Testing
@testable import RQServer

@Suite struct WorkerCompletionTests {
    private func outcome(_ recorded: RecordedCompletion?, _ exit: RQLoop.ExitStatus, count: Int = 0, max: Int = 15) -> CompletionOutcome {
        CompletionRule.outcome(recorded: recorded, exit: exit, pid: 4711, count: count, maxCount: max)
    }

    @Test func cleanExits() {
        #expect(outcome(.done, .exited(0)) == .done)
        #expect(outcome(.relayed, .exited(0)) == .relayed)
        #expect(outcome(.err, .exited(0)) == .err(statusOverride: nil))
        #expect(outcome(nil, .exited(0)) == .err(statusOverride: nil))
        #expect(outcome(.resend(delaySeconds: 8), .exited(0), count: 1, max: 15) == .requeue(delaySeconds: 8))
    }

    @Test func resendLimit() {
        #expect(outcome(.resend(delaySeconds: 0), .exited(0), count: 2, max: 3) == .requeue(delaySeconds: 0))
        #expect(outcome(.resend(delaySeconds: 0), .exited(0), count: 3, max: 3)
            == .err(statusOverride: "HIT MAX RESEND COUNT - MOVING TO ERR"))
        #expect(outcome(.resend(delaySeconds: 0), .exited(0), count: 4, max: 3)
            == .err(statusOverride: "HIT MAX RESEND COUNT - MOVING TO ERR"))
    }

    @Test func errWinsWhateverTheExit() {
        #expect(outcome(.err, .exited(3)) == .err(statusOverride: nil))
        #expect(outcome(.err, .signaled(15)) == .err(statusOverride: nil))
    }

    @Test func improperExitsOverwriteTheStatus() {
        #expect(outcome(.done, .exited(1)) == .err(statusOverride:
            "PROCESS EXITED IMPROPERLY - MOVING TO ERR - Completion was done but exit status was pid 4711 exit 1"))
        #expect(outcome(.relayed, .exited(2)) == .err(statusOverride:
            "PROCESS EXITED IMPROPERLY - MOVING TO ERR - Completion was relayed but exit status was pid 4711 exit 2"))
        #expect(outcome(.resend(delaySeconds: 1), .exited(1)) == .err(statusOverride:
            "PROCESS EXITED IMPROPERLY - MOVING TO ERR - Completion was resend but exit status was pid 4711 exit 1"))
        #expect(outcome(nil, .signaled(15)) == .err(statusOverride:
            "PROCESS EXITED IMPROPERLY - MOVING TO ERR - Completion was none but exit status was pid 4711 SIGTERM (signal 15)"))
        #expect(outcome(.done, .signaled(9)) == .err(statusOverride:
            "PROCESS EXITED IMPROPERLY - MOVING TO ERR - Completion was done but exit status was pid 4711 SIGKILL (signal 9)"))
    }

    @Test func rubyExitDescriptions() {
        #expect(ExitDescription.ruby(.exited(0), pid: 7) == "pid 7 exit 0")
        #expect(ExitDescription.ruby(.signaled(2), pid: 7) == "pid 7 SIGINT (signal 2)")
        #expect(ExitDescription.ruby(.signaled(999), pid: 7) == "pid 7 signal 999")
    }
}
