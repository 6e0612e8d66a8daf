import Glibc

/// Collects exited children. SIGCHLD deliveries coalesce, so one signal may stand for
/// several exits: every call drains all of them.
public enum ChildReaper {
    /// Every child that has exited since the last call, without blocking.
    public static func reapAll() -> [(pid: Int32, exit: ExitStatus)] {
        reap(matching: -1)
    }

    /// `target` is a `waitpid` pid argument: -1 for any child, or one pid (tests use that
    /// so they never steal children of other tests running in the same process).
    static func reap(matching target: Int32) -> [(pid: Int32, exit: ExitStatus)] {
        var reaped: [(pid: Int32, exit: ExitStatus)] = []
        while true {
            var status: Int32 = 0
            let pid = waitpid(target, &status, WNOHANG)
            if pid > 0 {
                reaped.append((pid, ExitStatus(waitStatus: status)))
                if target > 0 { break }
                continue
            }
            if pid < 0, errno == EINTR { continue }
            // 0: children remain but none has exited; -1/ECHILD: no children at all.
            break
        }
        return reaped
    }
}
