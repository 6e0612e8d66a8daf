import RQLoop
import RQStore

/// One running queue script. It is finished only when both its status pipe reached EOF
/// and its exit status is known (DESIGN.md "Reaping": the two arrive in either order).
final class Worker {
    let queue: String
    let msgID: String
    let pid: Int32
    let statusFD: Int32
    let replyFD: Int32
    var parser = StatusLineParser()
    /// The message as stored when it started.
    let started: Message
    /// The message as this run changes it: `count` rises with each `resend` line.
    var message: Message
    /// Queued messages folded into this run by `coalesce_params`.
    let coalesced: [QueEntry]
    var recorded: RecordedCompletion?
    var exit: ExitStatus?
    var pipeOpen = true
    var watcher: FdWatcher?
    var timeoutTimer: LoopTimer?
    var killTimer: LoopTimer?
    /// Set when the server ended the script (timeout), to explain the err status.
    var killReason: String?
    /// For the run-time histogram of /metrics.
    let launchedAt = ContinuousClock.now

    init(queue: String, msgID: String, spawned: SpawnedProcess, message: Message, coalesced: [QueEntry]) {
        self.queue = queue
        self.msgID = msgID
        pid = spawned.pid
        statusFD = spawned.statusReadFD
        replyFD = spawned.replyWriteFD
        self.message = message
        started = message
        self.coalesced = coalesced
    }

    var isComplete: Bool { exit != nil && !pipeOpen }

    /// Stops watching the pipe and closes both parent ends (idempotent).
    func closePipes() {
        guard pipeOpen else { return }
        pipeOpen = false
        watcher?.close()
        watcher = nil
        closeDescriptor(statusFD)
        closeDescriptor(replyFD)
    }

    func cancelTimers() {
        timeoutTimer?.close()
        timeoutTimer = nil
        killTimer?.close()
        killTimer = nil
    }
}
