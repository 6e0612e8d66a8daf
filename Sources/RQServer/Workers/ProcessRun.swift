import Glibc
import RQLoop

/// One running queue script: its status pipe (fd 3) read into lines, its reply pipe (fd 4),
/// its process group. Its output ends at EOF on fd 3, or when the script exits: children it
/// left holding fd 3 open do not keep the run alive.
final class ProcessRun: RunHandle {
    /// Reads at most this much per callback, so a script flooding its pipe cannot starve the
    /// loop; the level-triggered watcher calls again for the rest.
    static let maxBytesPerWakeup = 256 * 1024

    let processID: Int32
    private let loop: EventLoop
    private let statusFD: Int32
    private let replyFD: Int32
    private var parser = StatusLineParser()
    private var watcher: FdWatcher?
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
        watcher = try FdWatcher(loop: loop, fd: statusFD) { [unowned self] in self.drain() }
    }

    func stop(force: Bool) {
        killProcessGroup(processID, signal: force ? SIGKILL : SIGTERM)
    }

    func reply(_ reply: DupReply) {
        guard pipeOpen else { return }
        _ = writeNonBlocking(fd: replyFD, bytes: Array(reply.line.utf8))
    }

    func release() { closePipes() }

    /// Reaped: what is still in the pipe is read, then the output ends.
    func exited(_ exit: ExitStatus) {
        if pipeOpen { drain() }
        if pipeOpen { endOutput() }
        reporting?.exited(exit)
    }

    private func drain() {
        var budget = Self.maxBytesPerWakeup
        var lines: [StatusLineParser.Line] = []
        defer { if !lines.isEmpty { reporting?.statusLines(lines) } }
        while budget > 0, pipeOpen {
            switch readAvailable(fd: statusFD) {
            case .data(let bytes):
                budget -= bytes.count
                lines += parser.feed(bytes)
            case .wouldBlock:
                return
            case .eof, .failed:
                if !lines.isEmpty { reporting?.statusLines(lines) }
                lines = []
                endOutput()
            }
        }
    }

    private func endOutput() {
        let last = parser.finish()
        closePipes()
        if let last { reporting?.statusLines([last]) }
        reporting?.outputEnded()
    }

    /// Stops watching the pipe and closes both parent ends (idempotent).
    func closePipes() {
        guard pipeOpen else { return }
        pipeOpen = false
        watcher?.close()
        watcher = nil
        closeDescriptor(statusFD)
        closeDescriptor(replyFD)
    }
}
