import Glibc
import RQLoop

/// One running queue script: its status pipe (fd 3) read into lines, its reply pipe (fd 4),
/// its process group. Its output ends at EOF on fd 3, or when the script exits: children it
/// left holding fd 3 open do not keep the run alive.
///
/// A script can write far faster than its lines are handled (a `dup` creates a message), so
/// the work per loop turn is bounded by time (`TurnBudget`), not bytes: lines already read wait
/// in `pending` and are handled in the next turns, while sockets get their turn in between.
/// Replies wait in `replyBacklog` until fd 4 takes them, in order; while more than
/// `replyBacklogLimit` bytes wait (~60,000 replies), fd 3 is not read, so a script that does
/// not read its replies cannot make the server buffer without bound (it waits instead).
final class ProcessRun: RunHandle {
    /// Handed over per turn even when the budget is spent, so a run always progresses.
    static let minimumLinesPerTurn = 16
    static let dupsPerBatch = 4
    static let replyBacklogLimit = 4 * 1024 * 1024

    let processID: Int32
    private let loop: EventLoop
    private let statusFD: Int32
    private let replyFD: Int32
    private var parser = StatusLineParser()
    private var pending: [StatusLineParser.Line] = []
    private var pendingStart = 0
    private var readWatcher: FdWatcher?
    private var replyBacklog: [UInt8] = []
    private var replyWatcher: FdWatcher?
    private var continuationScheduled = false
    private var processEnded = false
    private(set) var pipeOpen = true
    private weak var reporting: RunReporting?

    init(loop: EventLoop, spawned: SpawnedProcess, reporting: RunReporting) {
        self.loop = loop
        processID = spawned.pid
        statusFD = spawned.statusReadFD
        replyFD = spawned.replyWriteFD
        self.reporting = reporting
    }

    var pid: Int32? { processID }

    func watch() throws {
        readWatcher = try FdWatcher(loop: loop, fd: statusFD) { [unowned self] in self.drain() }
    }

    func stop(force: Bool) {
        killProcessGroup(processID, signal: force ? SIGKILL : SIGTERM)
    }

    func reply(_ reply: DupReply) {
        guard pipeOpen else { return }
        replyBacklog += Array(reply.line.utf8)
        flushReplies()
    }

    func release() { closePipes() }

    /// Reaped. What it left in its process group ends with it; what is still in the pipe is
    /// read, then the output ends.
    func exited(_ exit: ExitStatus) {
        killProcessGroup(processID, signal: SIGKILL)
        processEnded = true
        reporting?.exited(exit)
        drain()
    }

    private var hasPending: Bool { pendingStart < pending.count }

    private func drain() {
        let budget = TurnBudget()
        var delivered = 0
        while pipeOpen {
            if !processEnded, replyBacklog.count > Self.replyBacklogLimit {
                pauseReading()
                return
            }
            if !hasPending {
                pending.removeAll(keepingCapacity: true)
                pendingStart = 0
                switch readAvailable(fd: statusFD) {
                case .data(let bytes):
                    pending = parser.feed(bytes)
                case .wouldBlock:
                    if processEnded { endOutput() } else { resumeReading() }
                    return
                case .eof, .failed:
                    endOutput()
                    return
                }
            }
            delivered += deliver(within: budget, atLeast: Self.minimumLinesPerTurn - delivered)
            if budget.isSpent, delivered >= Self.minimumLinesPerTurn {
                if hasPending { continueNextTurn() } else { resumeReading() }
                return
            }
        }
    }

    /// Hands pending lines over until the budget is spent (`minimum` or more in any case, and
    /// at least one); returns how many. Progress lines cost next to nothing and a batch records
    /// only its last text, so a batch ends only after a few `dup` lines, the costly ones.
    private func deliver(within budget: TurnBudget, atLeast minimum: Int) -> Int {
        let first = pendingStart
        repeat {
            var end = pendingStart
            var dups = 0
            while end < pending.count, dups < Self.dupsPerBatch {
                if pending[end].text.utf8.starts(with: "dup".utf8) { dups += 1 }
                end += 1
            }
            let batch = Array(pending[pendingStart..<end])
            pendingStart = end
            reporting?.statusLines(batch)
        } while pipeOpen && hasPending && (pendingStart - first < minimum || !budget.isSpent)
        return pendingStart - first
    }

    private func pauseReading() {
        readWatcher?.close()
        readWatcher = nil
    }

    private func resumeReading() {
        guard pipeOpen, readWatcher == nil else { return }
        do { try watch() } catch { continueNextTurn() }
    }

    /// Reading stays paused; the pending lines are handled in the next loop turn.
    private func continueNextTurn() {
        pauseReading()
        guard !continuationScheduled else { return }
        continuationScheduled = true
        loop.runSoon { [weak self] in
            guard let self else { return }
            continuationScheduled = false
            drain()
        }
    }

    private func flushReplies() {
        guard pipeOpen, !replyBacklog.isEmpty else { return }
        switch writeNonBlocking(fd: replyFD, bytes: replyBacklog) {
        case .written(let count):
            replyBacklog.removeFirst(count)
        case .failed:
            // The reader is gone (EPIPE): nobody will read these replies.
            replyBacklog.removeAll()
        }
        if replyBacklog.isEmpty {
            replyWatcher?.close()
            replyWatcher = nil
            if readWatcher == nil, !continuationScheduled { continueNextTurn() }
        } else if replyWatcher == nil {
            replyWatcher = try? FdWatcher(loop: loop, fd: replyFD, writable: true) { [unowned self] in self.flushReplies() }
        }
    }

    private func endOutput() {
        let last = parser.finish()
        closePipes()
        if let last { reporting?.statusLines([last]) }
        reporting?.outputEnded()
    }

    /// Stops watching both pipes and closes the parent ends (idempotent).
    func closePipes() {
        guard pipeOpen else { return }
        pipeOpen = false
        readWatcher?.close()
        readWatcher = nil
        replyWatcher?.close()
        replyWatcher = nil
        replyBacklog = []
        pending = []
        pendingStart = 0
        closeDescriptor(statusFD)
        closeDescriptor(replyFD)
    }
}
