import Logging
import RQLoop
import RQStore

/// Decides which queued message starts when, per queue: at most `num_workers`, earliest due
/// first, with blocking and coalescing (SchedulerPolicy). A kick schedules a pass for later in
/// the same loop iteration, after the current callback and before the group commit's sync: a
/// message committed, or a slot freed by a finished run, starts at once instead of after an
/// fsync and another loop turn (~0.5 ms). A timer wakes a queue when its next message falls due.
final class RunScheduler {
    static let scriptErrorRecheck = 1.0

    private let loop: EventLoop
    private let registry: QueueRegistry
    private let runners: RunnerCatalog
    private let logger: Logger
    private let start: (QueueStore, SchedulerPolicy.Start) -> Void
    /// Is this (queue, message id) a run whose script ended but whose message is still in
    /// `run/` for the rest of this loop turn? Such a run holds no worker slot.
    private let isSettling: (String, String) -> Bool
    private var dueTimers: [String: LoopTimer] = [:]
    private var pendingKicks: Set<String> = []
    private var passScheduled = false
    private var scriptErrorTimer: LoopTimer?
    private var indexing: QueueIndexing!

    init(loop: EventLoop, registry: QueueRegistry, runners: RunnerCatalog, logger: Logger,
         isSettling: @escaping (String, String) -> Bool,
         start: @escaping (QueueStore, SchedulerPolicy.Start) -> Void) {
        self.loop = loop
        self.isSettling = isSettling
        self.registry = registry
        self.runners = runners
        self.logger = logger
        self.start = start
        scriptErrorTimer = LoopTimer(loop: loop) { [unowned self] in self.recheckScriptErrors() }
        indexing = QueueIndexing(loop: loop, registry: registry, logger: logger) { [unowned self] store in
            self.kick(queue: store.name)
        }
    }

    func kick(queue: String) {
        pendingKicks.insert(queue)
        guard !passScheduled else { return }
        passScheduled = true
        loop.runLaterThisTurn { [unowned self] in
            passScheduled = false
            let queues = pendingKicks
            pendingKicks.removeAll()
            for name in queues.sorted() { schedule(name) }
        }
    }

    /// Another pass for `queue` after `seconds` (a start failed for a reason that may pass).
    func retry(queue: String, after seconds: Double) {
        timer(for: queue).schedule(after: seconds)
    }

    func forget(queue: String) {
        dueTimers.removeValue(forKey: queue)?.close()
    }

    /// The queue cannot start anything now (its script is missing, a start failed): SCRIPTERROR
    /// until the next check, every second, finds it runnable again.
    func markUnstartable(_ store: QueueStore) {
        store.operStatus = .scriptError
        if scriptErrorTimer?.isScheduled == false { scriptErrorTimer?.schedule(after: Self.scriptErrorRecheck) }
    }

    /// One pass for `name`: start what may start, arm a timer for the next due.
    private func schedule(_ name: String) {
        guard let store = registry.queue(name) else { return }
        dueTimers[name]?.cancel()
        // Scheduling waits until every queued message is known: the earliest due may be unread.
        guard store.isIndexComplete else {
            indexing.resume()
            return
        }
        guard store.adminStatus == .up else { return }
        if let reason = runners.runner(for: name).unavailableReason(for: store) {
            if store.operStatus != .scriptError { logger.warning("queue \(name): \(reason): SCRIPTERROR") }
            markUnstartable(store)
            return
        }
        store.operStatus = .up
        let config = store.config
        let queued = store.queEntries.lazy.map { SchedulerEntry(id: $0.id, due: $0.due, params: Self.paramMap($0.params)) }
        let running = store.runEntries.filter { !isSettling(name, $0.id) }.map { Self.paramMap($0.params) }
        let decision = SchedulerPolicy.decide(queued: queued, running: running, numWorkers: config.numWorkers,
                                              blockingParams: config.blockingParams, coalesceParams: config.coalesceParams,
                                              now: loop.now)
        for starting in decision.starts { start(store, starting) }
        if let next = decision.nextDue { timer(for: name).schedule(after: max(0, next - loop.now)) }
    }

    private func timer(for name: String) -> LoopTimer {
        if let timer = dueTimers[name] { return timer }
        let timer = LoopTimer(loop: loop) { [unowned self] in self.schedule(name) }
        dueTimers[name] = timer
        return timer
    }

    /// SCRIPTERROR clears by itself once the queue can start again.
    private func recheckScriptErrors() {
        var stillBroken = false
        for store in registry.queues where store.operStatus == .scriptError {
            if runners.runner(for: store.name).unavailableReason(for: store) == nil {
                store.operStatus = .up
                kick(queue: store.name)
            } else {
                stillBroken = true
            }
        }
        if stillBroken { scriptErrorTimer?.schedule(after: Self.scriptErrorRecheck) }
    }

    static func paramMap(_ params: [JSONValue?]) -> [Int: JSONValue] {
        var map: [Int: JSONValue] = [:]
        for (index, value) in params.enumerated() {
            if let value { map[index + 1] = value }
        }
        return map
    }
}
