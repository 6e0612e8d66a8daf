import RQLoop
import RQStore

/// A run without a process (relay, webhook): it logs to the job's `stdio.log` in the relay
/// script's line format and ends with one status line, reported like a script's.
final class InLoopRun: RunHandle {
    private let job: RunJob
    private weak var reporting: RunReporting?
    /// Cancels the work in flight (destroy, timeout, shutdown).
    var onStop: (() -> Void)?
    private(set) var isEnded = false

    init(job: RunJob, reporting: RunReporting) {
        self.job = job
        self.reporting = reporting
    }

    var pid: Int32? { nil }

    func log(_ text: String) {
        job.appendLog(RelayLogLine.format(text))
    }

    /// Reports `line` (e.g. `relayed <id>`, `resend 40-<reason>`, `err <reason>`) and ends.
    func end(_ line: String) {
        guard !isEnded else { return }
        isEnded = true
        onStop = nil
        reporting?.statusLines([StatusLineParser.Line(text: line)])
        reporting?.finish()
    }

    /// A run that cannot even begin (its message is unusable): on the next loop turn, as a
    /// script's first lines would arrive, it logs `logLine` and ends `err <reason>`.
    static func failing(_ job: RunJob, reporting: RunReporting, on loop: EventLoop,
                        logLine: String, reason: String) -> InLoopRun {
        let run = InLoopRun(job: job, reporting: reporting)
        loop.runSoon {
            run.log(logLine)
            run.end("err \(reason)")
        }
        return run
    }

    /// Stopped before its answer came: no terminal line, so the run state decides (err).
    func stop(force: Bool) {
        guard !isEnded else { return }
        isEnded = true
        onStop?()
        onStop = nil
        log("stopped")
        reporting?.finish()
    }

    func reply(_ reply: DupReply) {}

    func release() {
        onStop?()
        onStop = nil
    }
}
