import Foundation

/// A helper thread for blocking disk work (DESIGN.md "Durability": a checkpoint's `syncfs`,
/// the journal's `fdatasync`): runs one job at a time off the loop and hands its result back
/// on the loop through a pipe. The job must touch no loop state; the completion runs on the
/// loop. The thread lives as long as this object and sleeps between jobs, so a job costs a
/// wake-up, not a thread start (the journal hands it one per group commit).
public final class HelperThread {
    /// The job handed to the thread and its result handed back; guarded by `condition`.
    private final class Mailbox: @unchecked Sendable {
        let condition = NSCondition()
        var job: (@Sendable () -> String?)?
        var result: String??
        var closing = false
    }

    private let readEnd: Int32
    private let writeEnd: Int32
    private var watcher: FdWatcher?
    private let mailbox = Mailbox()
    private var completion: ((String?) -> Void)?

    public init(loop: EventLoop, name: String = "rq-helper") throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw LoopError("pipe", code: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        readEnd = fds[0]
        writeEnd = fds[1]
        watcher = try FdWatcher(loop: loop, fd: readEnd) { [unowned self] in self.delivered() }
        let thread = Thread { [mailbox, writeEnd] in Self.serve(mailbox, writeEnd: writeEnd) }
        thread.name = name
        thread.start()
    }

    deinit {
        mailbox.condition.lock()
        mailbox.closing = true
        mailbox.condition.signal()
        mailbox.condition.unlock()
        watcher?.close()
        close(readEnd)
        // The thread may still be writing its last result: it closes the write end itself.
    }

    public var isBusy: Bool { completion != nil }

    /// Runs `job` on the helper thread; `completion` gets its result on the loop.
    public func run(_ job: @escaping @Sendable () -> String?, completion: @escaping (String?) -> Void) {
        precondition(self.completion == nil, "one job at a time")
        self.completion = completion
        mailbox.condition.lock()
        mailbox.job = job
        mailbox.condition.signal()
        mailbox.condition.unlock()
    }

    /// Blocks until the running job (if any) is done and its completion has run: for a
    /// stopping server, whose loop no longer watches the pipe.
    public func waitForJob() {
        var readable = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        while completion != nil {
            _ = poll(&readable, 1, -1)
            delivered()
        }
    }

    private static func serve(_ mailbox: Mailbox, writeEnd: Int32) {
        while true {
            mailbox.condition.lock()
            while mailbox.job == nil, !mailbox.closing { mailbox.condition.wait() }
            guard let job = mailbox.job, !mailbox.closing else {
                mailbox.condition.unlock()
                close(writeEnd)
                return
            }
            mailbox.job = nil
            mailbox.condition.unlock()
            let result = job()
            mailbox.condition.lock()
            mailbox.result = .some(result)
            mailbox.condition.unlock()
            var byte: UInt8 = 1
            while write(writeEnd, &byte, 1) < 0, errno == EINTR {}
        }
    }

    private func delivered() {
        _ = readAvailable(fd: readEnd)
        mailbox.condition.lock()
        let result = mailbox.result
        mailbox.result = nil
        mailbox.condition.unlock()
        guard let result, let completion else { return }
        self.completion = nil
        completion(result)
    }
}
