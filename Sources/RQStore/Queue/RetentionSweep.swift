import Foundation

/// The cleaner's work on one queue (spec relay.md "Cleaner", layout.md §1.9): removes done and
/// relayed messages, prep messages nobody committed and acknowledged errors (`err/.<id>`) whose
/// ids are older than a cutoff, a bounded number per `step`, so a million old messages are
/// removed between other work instead of in one call. Unacknowledged errors are never removed:
/// they wait for a person. Counts stay right (the store's hash-dir counters are adjusted).
public final class RetentionSweep {
    public struct Removed: Equatable, Sendable {
        public var done = 0
        public var relayed = 0
        public var prep = 0
        public var ackedErr = 0
        public var total: Int { done + relayed + prep + ackedErr }
    }

    private enum Phase {
        case hashDir(MessageState)
        case prep
        case ackedErr
        case finished
    }

    public let store: QueueStore
    /// `YYYYMMDDHHMM` (UTC, like ids) of the cutoff minute: older minutes go.
    let cutoffMinute: String
    public private(set) var removed = Removed()
    public private(set) var failures: [String] = []
    private var phase = Phase.hashDir(.done)
    /// Days of the current hash dir not entered yet (newest first, taken from the end), and
    /// old minute directories of the current day still to empty: one day is listed per step,
    /// so a year of hash dirs is never walked in one call.
    private var days: [String] = []
    private var minuteDirs: [String] = []
    private var listedHashDir = false
    /// Message directories found old, not yet removed.
    private var doomed: [String] = []

    public init(store: QueueStore, cutoff: Double) {
        self.store = store
        let stamp = MessageTimestamp.format(cutoff)
        cutoffMinute = String(stamp.prefix(8)) + String(stamp.dropFirst(9).prefix(4))
    }

    public var isFinished: Bool {
        if case .finished = phase { return true }
        return false
    }

    /// Removes up to `budget` messages (a directory listing counts as one); true when done.
    @discardableResult
    public func step(budget: Int) -> Bool {
        var work = 0
        while work < budget {
            if let path = doomed.popLast() {
                remove(path)
                work += 1
                continue
            }
            switch phase {
            case .hashDir(let state):
                let hashDir = HashDir(path: store.stateDirectory(state))
                if !listedHashDir {
                    days = hashDir.sortedDescending(hashDir.path, digits: 8).filter { $0 <= cutoffMinute.prefix(8) }
                    listedHashDir = true
                    work += 1
                } else if let minute = minuteDirs.popLast() {
                    doomed = FileOps.listIfPresent(minute).filter(HashDir.isLeafName).map { minute + "/" + $0 }
                    if doomed.isEmpty { pruneEmpty(minute) }
                    work += 1
                } else if let day = days.popLast() {
                    minuteDirs = oldMinuteDirectories(hashDir, day: day)
                    work += 1
                } else {
                    listedHashDir = false
                    phase = state == .done ? .hashDir(.relayed) : .prep
                }
            case .prep:
                doomed = flatEntries(.prep) { MessageID.isValid($0) }
                phase = .ackedErr
                work += 1
            case .ackedErr:
                doomed = flatEntries(.err) { $0.hasPrefix(".") && MessageID.isValid($0, allowAcked: true) }
                phase = .finished
                work += 1
            case .finished:
                return true
            }
        }
        return isFinished && doomed.isEmpty
    }

    /// `true` when the id's minute (`YYYYMMDD.HHMM…`) is before the cutoff minute.
    func isOld(_ id: String) -> Bool {
        let bare = Array((id.hasPrefix(".") ? id.dropFirst() : Substring(id)).utf8)
        guard bare.count >= 13 else { return false }
        return String(decoding: bare[0..<8] + bare[9..<13], as: UTF8.self) < cutoffMinute
    }

    private func flatEntries(_ state: MessageState, _ accept: (String) -> Bool) -> [String] {
        let directory = store.stateDirectory(state)
        return FileOps.listIfPresent(directory).filter { accept($0) && isOld($0) }.map { directory + "/" + $0 }
    }

    /// The `day/hour/minute` directories of `day` before the cutoff minute, newest first.
    private func oldMinuteDirectories(_ hashDir: HashDir, day: String) -> [String] {
        let dayPath = hashDir.path + "/" + day
        var result: [String] = []
        for hour in hashDir.sortedDescending(dayPath, digits: 2) {
            for minute in hashDir.sortedDescending(dayPath + "/" + hour, digits: 2) where day + hour + minute < cutoffMinute {
                result.append(dayPath + "/" + hour + "/" + minute)
            }
        }
        return result
    }

    private func remove(_ path: String) {
        let parent = String(path[..<path.lastIndex(of: "/")!])
        let name = String(path[path.index(after: path.lastIndex(of: "/")!)...])
        do {
            if parent == store.stateDirectory(.prep) {
                try? store.deleteMessage(name)
                if FileOps.exists(path) { throw FileError("remove", path, reason: "still there") }
                removed.prep += 1
            } else {
                try FileOps.removeTree(path)
                store.record(name, .deleted)
                if parent == store.stateDirectory(.err) {
                    removed.ackedErr += 1
                } else {
                    store.adjustHashDirCount(path: path, by: -1)
                    if path.hasPrefix(store.stateDirectory(.done) + "/") { removed.done += 1 } else { removed.relayed += 1 }
                }
            }
        } catch {
            failures.append("\(error)")
        }
        if doomed.isEmpty, parent != store.stateDirectory(.prep), parent != store.stateDirectory(.err) { pruneEmpty(parent) }
    }

    /// Removes an emptied minute directory and its hour and day when they became empty too.
    private func pruneEmpty(_ minute: String) {
        var path = minute
        for _ in 0..<3 {
            guard rmdir(path) == 0 else { return }
            path = String(path[..<path.lastIndex(of: "/")!])
        }
    }
}
