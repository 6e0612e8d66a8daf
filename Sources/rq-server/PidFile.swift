import Foundation

/// `config/queuemgr.pid`: the running server holds an exclusive `flock` on it for its whole
/// life, so "running" means "the file is locked". Testing the pid with `kill(pid, 0)` was
/// fooled by a crashed server left a zombie (PID 1 in a container may not reap) and by a pid
/// reused by an unrelated process; a lock dies with its holder, whatever became of the pid.
struct PidFile {
    let path: String

    init(root: String) { path = root + "/config/queuemgr.pid" }

    enum State: Equatable {
        case notRunning
        /// The pid is nil while the server starts: it takes the lock first and writes its pid
        /// once every listener is open, so `start` can wait for a server that really serves.
        case running(pid: Int32?)
    }

    var state: State {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .notRunning }
        defer { close(fd) }
        // A shared probe: it never blocks a reader, and the server retries its own lock briefly.
        if flock(fd, LOCK_SH | LOCK_NB) == 0 { return .notRunning }
        return .running(pid: recordedPid())
    }

    /// The server's pid once it serves.
    var runningPid: Int32? {
        if case .running(let pid?) = state { return pid }
        return nil
    }

    func recordedPid() -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else { return nil }
        return pid
    }

    enum LockFailure: Error {
        case held(pid: Int32?)
        case system(String)

        var message: String {
            switch self {
            case .held(let pid): "already running" + (pid.map { " (pid \($0))" } ?? "") + " on this root"
            case .system(let reason): reason
            }
        }
    }

    /// Takes the lock for this process (the file is left empty until `recordPid`); fails if
    /// another server holds it.
    /// The descriptor is close-on-exec so queue scripts never inherit (and outlive us with) it.
    func lock() throws(LockFailure) -> HeldPidFile {
        let deadline = Date().addingTimeInterval(1)
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw .system("cannot open \(path): \(String(cString: strerror(errno)))") }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                // A server that was exiting may have unlinked the file between our open and
                // flock; a lock on an unlinked file protects nothing, so start over.
                if isStillAtPath(fd) { return try HeldPidFile(fd: fd, path: path) }
                close(fd)
                continue
            }
            close(fd)
            // `status`/`start` probes hold a shared lock for microseconds; only a lock that
            // persists means another server.
            guard Date() < deadline else { throw .held(pid: recordedPid()) }
            usleep(20_000)
        }
    }

    private func isStillAtPath(_ fd: Int32) -> Bool {
        var open = stat(), named = stat()
        guard fstat(fd, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }

    /// Polls until `condition` holds or `seconds` pass.
    static func wait(seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }
}

/// The locked pid file of the running server; `release` removes it before dropping the lock.
final class HeldPidFile {
    private let fd: Int32
    private let path: String

    fileprivate init(fd: Int32, path: String) throws(PidFile.LockFailure) {
        self.fd = fd
        self.path = path
        guard ftruncate(fd, 0) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .system("cannot write \(path): \(reason)")
        }
    }

    /// Writes this process's pid: the server is up.
    func recordPid() {
        let text = Array("\(getpid())\n".utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    func release() {
        unlink(path)
        close(fd)
    }
}
