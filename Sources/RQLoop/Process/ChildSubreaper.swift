import Glibc
internal import CEvent

/// Orphans of queue scripts. With `PR_SET_CHILD_SUBREAPER` a process that loses its parent
/// (a script that exited, or a `setsid` daemon's intermediate) is re-parented to this server
/// instead of to init, so the server sees it among its children, can tell which run it came
/// from, and reaps it once it is ended.
public enum ChildSubreaper {
    /// Linux only; false where the kernel refuses (then orphans go to init as before).
    @discardableResult
    public static func become() -> Bool {
        rq_become_child_subreaper() == 0
    }

    /// Every child of this process's main thread, from `/proc/self/task/<pid>/children`.
    /// That is every child there is: scripts are spawned from the loop, i.e. the main thread,
    /// and the kernel re-parents orphans to the subreaper's first live thread, the main one
    /// (the helper thread starts no process). Listing `/proc/self/task` as well cost five more
    /// syscalls after every job.
    public static func children() -> [Int32] {
        guard let bytes = readProcFile("/proc/self/task/\(getpid())/children") else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: " ").compactMap { Int32($0) }
    }

    /// `name`'s value in the environment `pid` was started with (`/proc/<pid>/environ`).
    public static func environmentValue(_ name: String, of pid: Int32) -> String? {
        guard let bytes = readProcFile("/proc/\(pid)/environ") else { return nil }
        let prefix = Array((name + "=").utf8)
        for entry in bytes.split(separator: 0, omittingEmptySubsequences: true) where entry.starts(with: prefix) {
            return String(decoding: entry.dropFirst(prefix.count), as: UTF8.self)
        }
        return nil
    }

    /// SIGKILL to `pid`, and to its whole group when it leads one (a `setsid` daemon).
    public static func end(_ pid: Int32) {
        guard pid > 1 else { return }
        if getpgid(pid) == pid { killProcessGroup(pid, signal: SIGKILL) }
        kill(pid, SIGKILL)
    }

    /// /proc files report size 0: read until EOF.
    private static func readProcFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            result += chunk[0..<n]
        }
        return result
    }
}
