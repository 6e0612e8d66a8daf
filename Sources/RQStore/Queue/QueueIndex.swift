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
    /// Queued entries by id.
    private(set) var que: [String: QueEntry] = [:]
    /// The same entries ordered by (due, sequence): what the scheduler walks.
    private(set) var schedule = ChunkedSortedArray<QueEntry>(by: QueueIndex.runsBefore)
    /// The same entries in enqueue order (the last is "most recently queued", `que[0]` of the
    /// original).
    private(set) var arrivals = ChunkedSortedArray<QueEntry>(by: { $0.sequence < $1.sequence })
    var run = OrderedDictionary<String, RunEntry>()
    var nextSequence: UInt64 = 0

    /// Earliest due first; equal due times in enqueue order.
    static func runsBefore(_ a: QueEntry, _ b: QueEntry) -> Bool {
        a.due < b.due || (a.due == b.due && a.sequence < b.sequence)
    }

    mutating func enqueue(id: String, due: Double, params: [JSONValue?]) {
        if que[id] != nil { removeFromQue(id) }
        nextSequence += 1
        let entry = QueEntry(id: id, due: due, params: params, sequence: nextSequence)
        que[id] = entry
        schedule.insert(entry)
        arrivals.insert(entry)
    }

    @discardableResult
    mutating func removeFromQue(_ id: String) -> QueEntry? {
        guard let entry = que.removeValue(forKey: id) else { return nil }
        schedule.remove(entry)
        arrivals.remove(entry)
        return entry
    }

    /// Changes a queued entry's due time, keeping its enqueue position.
    mutating func setDue(_ id: String, to due: Double) {
        guard var entry = que[id] else { return }
        schedule.remove(entry)
        entry.due = due
        que[id] = entry
        schedule.insert(entry)
        arrivals.remove(entry)
        arrivals.insert(entry)
    }
}
