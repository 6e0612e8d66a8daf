import Glibc

/// Sends `signal` to every process in the group `pgid` (a worker's pid: workers lead their
/// own group, so the script's children are reached too). Refuses pgid <= 1 because
/// `kill(0, …)` would hit the server's own group and `kill(-1, …)` every process.
/// Returns false when nothing was signalled (bad pgid, or the group is already gone).
@discardableResult
public func killProcessGroup(_ pgid: Int32, signal: Int32) -> Bool {
    guard pgid > 1 else { return false }
    return kill(-pgid, signal) == 0
}
