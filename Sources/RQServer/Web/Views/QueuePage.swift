import RQStore

/// The queue page (web-ui.md §8.3): status and the admin buttons that status allows, counts,
/// per-minute rates, config, and the newest messages of each state with their buttons. Its
/// JSON twin (`?x_format=json`) is what main.js polls.
struct QueuePage {
    struct Tile { let state: String; let value: Int; let color: String; let href: String; let selected: Bool }
    struct Filter { let label: String; let href: String; let selected: Bool }
    struct Entry {
        let id: String
        let href: String
        let detail: String?
        let selectable: Bool
        let canRunNow: Bool
        let canDelete: Bool
        let canDestroy: Bool
    }
    struct List {
        let state: String
        let count: Int
        let shown: Int
        let truncated: Bool
        let isErr: Bool
        let hasEntries: Bool
        let entries: [Entry]
    }

    let name: String
    let nameInURL: String
    let root: String
    let base: String
    let back: String
    let status: String
    let pid: Int32
    let uptime: Int
    let canPause: Bool, canResume: Bool, canDown: Bool, canUp: Bool, canAckErrs: Bool
    let counts: [Tile]
    let doneSpark: String, doneNow: Int, errSpark: String, errNow: Int
    let oldestQueued: String
    let config: String
    let filters: [Filter]
    let stateFilter: String?
    let textFilter: String?
    let isDown: Bool
    let lists: [List]
    /// The new-message form rendered by its own template (escaped there), or why it is not shown.
    var newMessageForm = ""
    private let json: JSONValue

    /// How many entries each state's list shows (web-ui.md §8.3).
    static let limits = ["prep": 50, "que": 20, "run": 1000, "done": 50, "err": 500, "relayed": 50]
    static let listOrder = ["prep", "que", "run", "err", "done", "relayed"]

    init(store: QueueStore, snapshot q: QueueSnapshot, metrics: ServerMetrics, root: String, pid: Int32,
         uptime: Int, now: Double, stateFilter: String?, textFilter: String?) {
        name = q.name
        nameInURL = URLPath.segment(q.name)
        self.root = root
        base = root + "q/" + nameInURL
        back = "/q/" + nameInURL
        status = q.status.rawValue
        self.pid = pid
        self.uptime = uptime
        canPause = q.adminStatus == .up
        canResume = q.adminStatus == .pause
        canDown = q.adminStatus != .down
        canUp = q.adminStatus == .down
        canAckErrs = q.counts.err > 0
        isDown = q.adminStatus == .down
        let selected = stateFilter.flatMap { Self.listOrder.contains($0) ? $0 : nil }
        self.stateFilter = selected
        let text = textFilter?.trimmingCharacters(in: .whitespaces) ?? ""
        self.textFilter = text.isEmpty ? nil : text
        let base = self.base
        counts = q.counts.byState.map {
            Tile(state: $0.state, value: $0.count, color: Formatting.countColor(state: $0.state, value: $0.count),
                 href: base + "?state=" + $0.state, selected: $0.state == selected)
        }
        filters = [Filter(label: "all", href: base, selected: selected == nil)]
            + Self.listOrder.map { Filter(label: $0, href: base + "?state=" + $0, selected: $0 == selected) }
        let rates = metrics.perMinute(queue: q.name)
        doneSpark = Formatting.spark(rates.done)
        doneNow = rates.done.last ?? 0
        errSpark = Formatting.spark(rates.err)
        errNow = rates.err.last ?? 0
        oldestQueued = Formatting.age(q.oldestQueuedAge(now: now))
        config = JSONPretty.string(store.config.json)
        var lists: [List] = []
        var listed: JSONObject = [:]
        for state in Self.listOrder where selected == nil || selected == state {
            let filter = state == "done" ? self.textFilter : nil
            let raw = (try? store.messages(state: state, limit: Self.limits[state] ?? 50, filter: filter))?.arrayValue ?? []
            let entries = raw.compactMap { Self.entry($0, state: state, base: base, now: now) }
            listed[state] = .array(entries.map { .string($0.id) })
            lists.append(List(state: state, count: q.counts[state], shown: entries.count,
                              truncated: entries.count < q.counts[state], isErr: state == "err",
                              hasEntries: !entries.isEmpty, entries: entries))
            if state == "err" {
                // Acknowledged errors (`.<id>` entries) stay readable, in a list of their own.
                let acked = ((try? store.messages(state: "errack", limit: Self.limits["err"] ?? 500))?.arrayValue ?? [])
                    .compactMap { Self.entry($0, state: "errack", base: base, now: now) }
                if !acked.isEmpty {
                    listed["errack"] = .array(acked.map { .string($0.id) })
                    lists.append(List(state: "errack", count: acked.count, shown: acked.count, truncated: false, isErr: false,
                                      hasEntries: true, entries: acked))
                }
            }
        }
        self.lists = lists
        var summary = QueueJSON.summary(q, metrics: metrics, now: now)
        summary["pid"] = .int(Int(pid))
        summary["uptime"] = .int(uptime)
        summary["config"] = store.config.json
        summary["messages"] = .object(listed)
        json = .object(summary)
    }

    var jsonText: String { json.compactString }

    /// One listed message: `messages` gives ids, `[id, due]` for que and `[id, status]` for run.
    private static func entry(_ item: JSONValue, state: String, base: String, now: Double) -> Entry? {
        guard let id = item.stringValue ?? item[0]?.stringValue else { return nil }
        var detail: String?
        switch state {
        case "que":
            if let due = item[1]?.numberValue { detail = due > now ? "in \(Int(due - now)) secs" : "due" }
        case "run":
            detail = item[1]?.stringValue
        default:
            break
        }
        return Entry(id: id, href: base + "/" + id, detail: detail, selectable: state == "err",
                     canRunNow: state == "que", canDelete: state == "que" || state == "prep", canDestroy: state == "run")
    }
}
