import Foundation

/// The directory repairs of one queue after a crash or a clean stop (layout §1.8, plus the
/// DESIGN.md cleanups): half-allocated `prep/_…` dirs and leftover `tmp`/`status.tmp`/`pid.tmp`
/// files are removed, and `run/` goes back to `que/`. Runs before the queue's index loads.
/// Leftovers in `que/` are removed by the index scan as it reads each message (`QueueStore+Index`):
/// three `stat`s per queued message here held a server with a million queued messages back
/// for seconds before it answered anything.
struct QueueRepair {
    let root: String
    let queue: String
    let durability: Durability

    var relativeDirectory: String { MessagePaths.queueDirectory(queue) }

    func stateDirectory(_ state: MessageState) -> String { root + "/" + MessagePaths.stateDirectory(queue, state) }

    func run() -> RecoveryReport {
        var report = RecoveryReport()
        for state in MessageState.allCases { _ = try? FileOps.makeDirectories(stateDirectory(state)) }
        let prep = stateDirectory(.prep)
        for entry in FileOps.listIfPresent(prep).sorted() {
            let dir = prep + "/" + entry
            if MessageIDAllocator.isTemporaryName(entry) {
                try? FileOps.removeTree(dir)
                report.removed.append(relativeDirectory + "/prep/" + entry)
                continue
            }
            guard MessageID.isValid(entry) else { continue }
            Self.removeLeftovers(in: dir, relativeTo: AT_FDCWD, reportedAs: relativeDirectory + "/prep/" + entry, report: &report)
            for stale in FileOps.listIfPresent(dir + "/attach") where stale.hasPrefix(".") && stale.hasSuffix(".tmp") {
                unlink(dir + "/attach/" + stale)
                report.removed.append(relativeDirectory + "/prep/" + entry + "/attach/" + stale)
            }
        }

        let run = stateDirectory(.run)
        let que = stateDirectory(.que)
        for entry in FileOps.listIfPresent(run).sorted() where MessageID.isValid(entry) {
            let dir = run + "/" + entry
            if let bytes = try? FileOps.readFile(dir + "/pid"),
               let pid = Int32(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) {
                report.pids.append(pid)
            }
            try? FileOps.unlinkIfPresent(dir + "/pid")
            do {
                try FileOps.rename(dir, que + "/" + entry)
                durability.record(StoreMutation(queue: queue, id: entry, .moved(from: .run, to: .que)))
                report.requeued.append(entry)
            } catch {
                report.skipped.append((entry, "could not move back from run/: \(error.description)"))
            }
        }

        return report
    }

    /// Removes the temporary files of interrupted writes in message directory `dir` (relative to
    /// the open directory `base`, or to the working directory for `AT_FDCWD`); `reportedAs` is
    /// the message directory relative to the root.
    static func removeLeftovers(in dir: String, relativeTo base: Int32, reportedAs: String, report: inout RecoveryReport) {
        for leftover in ["tmp", "status.tmp", "pid.tmp"] where FileOps.exists(dir + "/" + leftover, relativeTo: base) {
            unlinkat(base, dir + "/" + leftover, 0)
            report.removed.append(reportedAs + "/" + leftover)
        }
    }
}
