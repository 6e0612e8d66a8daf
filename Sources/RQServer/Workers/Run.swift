import RQLoop
import RQStore

/// One message running on a runner: its `RunState`, the message as it started, the queued
/// messages folded into it, and its timers. Feeds every report into the state machine and
/// hands the resulting actions to its owner.
final class Run: RunReporting {
    let queue: String
    let msgID: String
    /// The message as stored when it started.
    let started: Message
    /// Queued messages folded into this run by `coalesce_params`.
    let coalesced: [QueEntry]
    private(set) var state: RunState
    var handle: RunHandle?
    var timeoutTimer: LoopTimer?
    var killTimer: LoopTimer?
    /// For the run-time histogram of /metrics.
    let launchedAt = ContinuousClock.now
    private let perform: (Run, [RunAction]) -> Void

    init(queue: String, message: Message, coalesced: [QueEntry], perform: @escaping (Run, [RunAction]) -> Void) {
        self.queue = queue
        msgID = message.msgID
        started = message
        self.coalesced = coalesced
        self.perform = perform
        state = RunState(count: message.count, maxCount: message.maxCount, pid: 0)
    }

    /// The process id is known only once the runner started it; it names the improper exit.
    func attach(_ handle: RunHandle) {
        self.handle = handle
        state = RunState(count: started.count, maxCount: started.maxCount, pid: handle.pid ?? 0)
    }

    var isFinished: Bool { state.phase == .finished }

    func send(_ input: RunInput) {
        perform(self, state.handle(input))
    }

    func statusLines(_ lines: [StatusLineParser.Line]) { send(.lines(lines)) }
    func outputEnded() { send(.outputEnded) }
    func exited(_ exit: ExitStatus) { send(.exited(exit)) }

    /// The message as this run leaves it: `count` raised by its `resend` lines.
    func message(count: Int) -> Message {
        var message = started
        message.count = count
        return message
    }

    func cancelTimers() {
        timeoutTimer?.close()
        timeoutTimer = nil
        killTimer?.close()
        killTimer = nil
    }
}
