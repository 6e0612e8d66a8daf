import Foundation

/// The one helper thread DESIGN.md allows: runs a blocking job (a checkpoint's `syncfs`) off
/// the loop and hands its result back on the loop through a pipe. The job must touch no loop
/// state; the completion runs on the loop. One job at a time.
public final class HelperThread {
    /// The job's result, handed from the helper thread to the loop.
    private final class Mailbox: @unchecked Sendable {
        let lock = NSLock()
        var result: String??
    }

    private let readEnd: Int32
    private let writeEnd: Int32
    private var watcher: FdWatcher?
    private let mailbox = Mailbox()
    private var completion: ((String?) -> Void)?

    public init(loop: EventLoop) throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw LoopError("pipe", code: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        readEnd = fds[0]
        writeEnd = fds[1]
        watcher = try FdWatcher(loop: loop, fd: readEnd) { [unowned self] in self.delivered() }
    }

    deinit {
        watcher?.close()
        close(readEnd)
        close(writeEnd)
    }

    public var isBusy: Bool { completion != nil }

    /// Runs `job` on a new thread; `completion` gets its result on the loop.
    public func run(_ job: @escaping @Sendable () -> String?, completion: @escaping (String?) -> Void) {
        precondition(self.completion == nil, "one job at a time")
        self.completion = completion
        let mailbox = self.mailbox
        let writeEnd = self.writeEnd
        let thread = Thread {
            let result = job()
            mailbox.lock.lock()
            mailbox.result = .some(result)
            mailbox.lock.unlock()
            var byte: UInt8 = 1
            while write(writeEnd, &byte, 1) < 0, errno == EINTR {}
        }
        thread.start()
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

    private func delivered() {
        _ = readAvailable(fd: readEnd)
        mailbox.lock.lock()
        let result = mailbox.result
        mailbox.result = nil
        mailbox.lock.unlock()
        guard let result, let completion else { return }
        self.completion = nil
        completion(result)
    }
}
