import Foundation

/// What start-up recovery found and did.
public struct RecoveryReport: Equatable, Sendable {
    /// Ids found in `run/` and moved back to `que/` (they will run again).
    public var requeued: [String] = []
    /// pids from `pid` files of those messages: the server should kill any live process
    /// group among them before running the messages again.
    public var pids: [Int32] = []
    /// Queued messages whose msg could not be read: left on disk, not scheduled.
    public var skipped: [(id: String, reason: String)] = []
    /// Half-allocated `prep/_…` dirs and leftover temp files that were removed.
    public var removed: [String] = []

    public static func == (a: RecoveryReport, b: RecoveryReport) -> Bool {
        a.requeued == b.requeued && a.pids == b.pids && a.removed == b.removed
            && a.skipped.map(\.id) == b.skipped.map(\.id) && a.skipped.map(\.reason) == b.skipped.map(\.reason)
    }
}

extension QueueStore {
    /// Rebuilds the index from disk after a crash or a clean stop (layout §1.8, plus the
    /// DESIGN.md cleanups): prep ids are reloaded and half-allocated `_` dirs removed, `run/`
    /// goes back to `que/`, que messages are loaded (unreadable ones skipped), and leftover
    /// `tmp`/`status.tmp`/`pid.tmp` files are removed.
    func recover() {
        var report = RecoveryReport()
        index = QueueIndex()

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
            index.prep.append(entry)
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
                try move(dir, to: que + "/" + entry)
                report.requeued.append(entry)
            } catch {
                report.skipped.append((entry, "could not move back from run/: \(error.description)"))
            }
        }

        for entry in FileOps.listIfPresent(que).sorted() where MessageID.isValid(entry) {
            let dir = que + "/" + entry
            removeLeftovers(in: dir, report: &report)
            guard let message = readMessage(in: dir) else {
                report.skipped.append((entry, "unreadable msg"))
                continue
            }
            index.enqueue(id: entry, due: Double(message.due), params: message.params)
        }
        recovery = report
    }

    func removeLeftovers(in dir: String, report: inout RecoveryReport) {
        for leftover in ["tmp", "status.tmp", "pid.tmp"] where FileOps.exists(dir + "/" + leftover) {
            unlink(dir + "/" + leftover)
            report.removed.append(String(dir.dropFirst(root.count + 1)) + "/" + leftover)
        }
    }
}
