import Collections

/// A queued message as the scheduler sees it.
public struct QueEntry: Equatable, Sendable {
    public let id: String
    /// Epoch seconds; `run_message` may lower it in memory only.
    public var due: Double
    /// param1...param4, for blocking and coalescing decisions.
    public let params: [JSONValue?]
    /// Enqueue order: ties of `due` run first-in first-out.
    let sequence: UInt64
}

/// A running message.
public struct RunEntry: Equatable, Sendable {
    public let id: String
    public let params: [JSONValue?]
    /// Last status text from the worker, nil before the first line.
    public var jobStatus: String?
}

/// The in-memory view of a queue's prep, que and run directories (layout §1.8).
struct QueueIndex {
    /// Prep ids, oldest first.
    var prep = OrderedSet<String>()
    /// Queued entries in enqueue order (the last is "most recently queued", `que[0]` of the
    /// original).
    var que = OrderedDictionary<String, QueEntry>()
    /// The same entries ordered by (due, sequence): what the scheduler walks.
    var schedule: [QueEntry] = []
    var run = OrderedDictionary<String, RunEntry>()
    var nextSequence: UInt64 = 0

    mutating func enqueue(id: String, due: Double, params: [JSONValue?]) {
        if que[id] != nil { removeFromQue(id) }
        nextSequence += 1
        insert(QueEntry(id: id, due: due, params: params, sequence: nextSequence))
    }

    mutating func insert(_ entry: QueEntry) {
        que[entry.id] = entry
        schedule.insert(entry, at: insertionPoint(due: entry.due, sequence: entry.sequence))
    }

    @discardableResult
    mutating func removeFromQue(_ id: String) -> QueEntry? {
        guard let entry = que.removeValue(forKey: id) else { return nil }
        removeFromSchedule(entry)
        return entry
    }

    mutating func removeFromSchedule(_ entry: QueEntry) {
        // The entry sits at or just after the first position not less than its key.
        var index = insertionPoint(due: entry.due, sequence: entry.sequence)
        while index < schedule.count, schedule[index].id != entry.id { index += 1 }
        if index < schedule.count {
            schedule.remove(at: index)
        } else if let fallback = schedule.firstIndex(where: { $0.id == entry.id }) {
            schedule.remove(at: fallback)
        }
    }

    /// Changes a queued entry's due time, keeping its enqueue position.
    mutating func setDue(_ id: String, to due: Double) {
        guard var entry = que[id] else { return }
        removeFromSchedule(entry)
        entry.due = due
        que[id] = entry
        schedule.insert(entry, at: insertionPoint(due: entry.due, sequence: entry.sequence))
    }

    /// First index whose (due, sequence) is not less than the given key (binary search).
    func insertionPoint(due: Double, sequence: UInt64) -> Int {
        var low = 0
        var high = schedule.count
        while low < high {
            let mid = (low + high) / 2
            let e = schedule[mid]
            if e.due < due || (e.due == due && e.sequence < sequence) {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low
    }
}
