import RQStore

/// The home page (web-ui.md §8.2) and its JSON twin `/?x_format=json`, which main.js polls.
struct HomePage {
    struct Count { let state: String; let value: Int; let color: String }
    struct Row {
        let name: String
        let href: String
        let status: String
        let counts: [Count]
        let doneSpark: String, doneNow: Int
        let errSpark: String, errNow: Int
        let oldestQueued: String
    }
    struct Group { let id: String; let queues: [Row] }
    struct Timer { let name: String; let dueIn: Int }

    let groups: [Group]
    let noQueues: Bool
    /// The periodic timers (web-ui.md §8.2 "Timer List"), soonest first.
    let timers: [Timer]
    let hasTimers: Bool
    let rateMinutes = ServerMetrics.rateMinutes
    let pid: Int32
    let uptime: Int
    let version: String
    let root: String
    private let json: JSONValue

    /// The queues the installation creates, listed after the operator's own.
    static let builtin = ["debug", "relay", "cleaner", "webhook", "rq_router"]

    init(snapshots: [QueueSnapshot], metrics: ServerMetrics, root: String, pid: Int32, uptime: Int, now: Double,
         timerDueTimes: [String: Double] = [:]) {
        self.root = root
        self.pid = pid
        self.uptime = uptime
        version = RQVersion.string
        noQueues = snapshots.isEmpty
        timers = timerDueTimes.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map { Timer(name: $0.key, dueIn: Int(($0.value - now).rounded())) }
        hasTimers = !timers.isEmpty
        func row(_ q: QueueSnapshot) -> Row {
            let rates = metrics.perMinute(queue: q.name)
            return Row(name: q.name, href: root + "q/" + URLPath.segment(q.name), status: q.status.rawValue,
                       counts: q.counts.byState.map { Count(state: $0.state, value: $0.count, color: Formatting.countColor(state: $0.state, value: $0.count)) },
                       doneSpark: Formatting.spark(rates.done), doneNow: rates.done.last ?? 0,
                       errSpark: Formatting.spark(rates.err), errNow: rates.err.last ?? 0,
                       oldestQueued: Formatting.age(q.oldestQueuedAge(now: now)))
        }
        let sorted = snapshots.sorted { $0.name < $1.name }
        groups = [
            Group(id: "custom-queues", queues: sorted.filter { !Self.builtin.contains($0.name) }.map(row)),
            Group(id: "builtin-queues", queues: sorted.filter { Self.builtin.contains($0.name) }.map(row)),
        ]
        json = .object([
            "manager": .string("OPERATIONAL"),
            "pid": .int(Int(pid)),
            "uptime": .int(uptime),
            "version": .string(RQVersion.string),
            "queues": .array(sorted.map { .object(QueueJSON.summary($0, metrics: metrics, now: now)) }),
            "timers": .array(timers.map { .object(["name": .string($0.name), "due_in": .int($0.dueIn)]) }),
        ])
    }

    var jsonText: String { json.compactString }
}

/// The JSON a page twin gives for one queue; main.js reads exactly these keys.
enum QueueJSON {
    static func summary(_ q: QueueSnapshot, metrics: ServerMetrics, now: Double) -> JSONObject {
        let rates = metrics.perMinute(queue: q.name)
        return [
            "name": .string(q.name),
            "status": .string(q.status.rawValue),
            "counts": q.counts.json,
            "done_per_minute": .array(rates.done.map(JSONValue.int)),
            "err_per_minute": .array(rates.err.map(JSONValue.int)),
            "oldest_queued_age": q.oldestQueuedAge(now: now).map { .int(Int($0)) } ?? .null,
        ]
    }
}
