import Foundation

/// The directory repairs of one queue after a crash or a clean stop (layout §1.8, plus the
/// DESIGN.md cleanups): half-allocated `prep/_…` dirs and leftover `tmp`/`status.tmp`/`pid.tmp`
/// files are removed, and `run/` goes back to `que/`. Runs before the queue's index loads.
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
            removeLeftovers(in: dir, report: &report)
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

        for entry in FileOps.listIfPresent(que).sorted() where MessageID.isValid(entry) {
            removeLeftovers(in: que + "/" + entry, report: &report)
        }
        return report
    }

    func removeLeftovers(in dir: String, report: inout RecoveryReport) {
        for leftover in ["tmp", "status.tmp", "pid.tmp"] where FileOps.exists(dir + "/" + leftover) {
            unlink(dir + "/" + leftover)
            report.removed.append(String(dir.dropFirst(root.count + 1)) + "/" + leftover)
        }
    }
}
