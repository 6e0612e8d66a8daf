import RQStore

/// Message counts of one queue, per state.
struct StateCounts: Equatable {
    var prep = 0, que = 0, run = 0, done = 0, err = 0, relayed = 0

    /// The home page's column order (web-ui.md §8.2).
    static let states = ["prep", "que", "run", "err", "done", "relayed"]

    subscript(state: String) -> Int {
        switch state {
        case "prep": return prep
        case "que": return que
        case "run": return run
        case "done": return done
        case "err": return err
        case "relayed": return relayed
        default: return 0
        }
    }

    var byState: [(state: String, count: Int)] { Self.states.map { ($0, self[$0]) } }

    var json: JSONValue { .object(JSONObject(uniqueKeysWithValues: byState.map { ($0.state, JSONValue.int($0.count)) })) }
}

/// What the pages and /metrics show of a queue, read from its store: counts from memory (done
/// and relayed from the kept hash-dir counts), status from the marker files. Read directly
/// rather than through the rq1 commands, so a DOWN queue still shows what it holds.
struct QueueSnapshot {
    let name: String
    let status: QueueStatus
    let adminStatus: AdminStatus
    let counts: StateCounts
    /// When the longest-waiting queued message was created (from its id), nil if none.
    let oldestQueuedTime: Double?

    init(store: QueueStore) {
        name = store.name
        status = store.status
        adminStatus = store.adminStatus
        let counts = store.numMessages()
        func count(_ state: String) -> Int { counts[state]?.intValue ?? 0 }
        self.counts = StateCounts(prep: count("prep"), que: count("que"), run: count("run"),
                                  done: count("done"), err: count("err"), relayed: count("relayed"))
        oldestQueuedTime = store.oldestQueuedID.flatMap(Formatting.idTime)
    }

    func oldestQueuedAge(now: Double) -> Double? { oldestQueuedTime.map { max(0, now - $0) } }
}
