import Glibc
import RQLoop
import RQStore

/// Something that runs one message at a time per `start`: a queue script in a process
/// (`ProcessRunner`), or work done inside the loop (relay, webhooks, cleaner). Every runner
/// reports through `RunReporting` exactly what a script writes on its status pipe, so the same
/// `RunState` machine and `CompletionRule` decide every message's end. Loop thread only.
protocol Runner: AnyObject {
    /// nil when messages of `store` can start now; otherwise why not (the queue becomes
    /// SCRIPTERROR and is checked again every second).
    func unavailableReason(for store: QueueStore) -> String?
    /// Starts one message whose directory is in `run/` with its `job/` made. Reports through
    /// `reporting` only from later loop callbacks, never from inside this call. When it throws,
    /// nothing runs and the message goes back to the queue unchanged.
    func start(_ job: RunJob, reporting: RunReporting) throws(RunStartFailure) -> RunHandle
}

/// A started run as its owner controls it.
protocol RunHandle: AnyObject {
    /// The process group written to `run/<id>/pid`; nil for runs without a process.
    var pid: Int32? { get }
    /// Asks the run to end; `force` after the grace period (SIGTERM, then SIGKILL).
    func stop(force: Bool)
    /// The answer to a `dup` line, in the order the lines came.
    func reply(_ reply: DupReply)
    /// The run is settled: free what it holds. Called exactly once.
    func release()
}

/// What a run tells its owner, in the status-pipe vocabulary (worker-protocol.md §6.4).
protocol RunReporting: AnyObject {
    func statusLines(_ lines: [StatusLineParser.Line])
    /// No more lines will come.
    func outputEnded()
    /// The run's process ended (in-loop runs end with `.exited(0)`).
    func exited(_ exit: ExitStatus)
}

extension RunReporting {
    /// For in-loop runs: no more lines, and a clean end.
    func finish() {
        outputEnded()
        exited(.exited(0))
    }
}

/// One message about to run.
struct RunJob {
    let store: QueueStore
    /// As stored when it started.
    let message: Message
    /// `run/<id>/job`: the script's cwd.
    let jobDirectory: String

    var msgID: String { message.msgID }
    var logPath: String { jobDirectory + "/stdio.log" }

    /// Appends one line to `job/stdio.log` (in-loop runners' own log lines).
    func appendLog(_ line: String) {
        let fd = open(logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array((line.hasSuffix("\n") ? line : line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}

/// Why a run did not start.
struct RunStartFailure: Error, CustomStringConvertible {
    let description: String
}
