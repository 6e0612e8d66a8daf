import Logging
import RQLoop
import RQStore

/// Periodic messages (spec relay.md "Timers"): watches `timers/` every `pollInterval` seconds
/// and fires each timer on its own loop timer at its due second. A changed file takes effect
/// at once and keeps the timer's phase; a removed one stops. See `TimerClock` for what happens
/// to periods missed while the server was down. Delivery is at least once: the message is
/// created before the new grid point is saved, so a crash between the two sends it again.
final class TimerService {
    private let loop: EventLoop
    private let registry: QueueRegistry
    private let workers: WorkerControl
    private let logger: Logger
    private let directory: TimerDirectory
    private let pollInterval: Double
    private var pollTimer: LoopTimer?
    private var timers: [String: ArmedTimer] = [:]
    /// Content of files that did not parse, so each bad version is logged once.
    private var rejected: [String: [UInt8]] = [:]
    /// Files that could not be read, logged once until they can be.
    private var unreadable: Set<String> = []
    private var state: [String: Double]
    private(set) var sent = 0
    private(set) var errors = 0

    private final class ArmedTimer {
        let definition: TimerDefinition
        let source: [UInt8]
        let timer: LoopTimer
        init(definition: TimerDefinition, source: [UInt8], timer: LoopTimer) {
            self.definition = definition
            self.source = source
            self.timer = timer
        }
    }

    init(loop: EventLoop, registry: QueueRegistry, workers: WorkerControl, logger: Logger, pollInterval: Double) {
        self.loop = loop
        self.registry = registry
        self.workers = workers
        self.logger = logger
        self.pollInterval = pollInterval
        directory = TimerDirectory(root: registry.root)
        state = directory.loadState()
    }

    func start() {
        let poll = LoopTimer(loop: loop) { [unowned self] in
            scan()
            pollTimer?.schedule(after: pollInterval)
        }
        pollTimer = poll
        scan()
        poll.schedule(after: pollInterval)
    }

    func stop() {
        pollTimer?.close()
        for armed in timers.values { armed.timer.close() }
        timers.removeAll()
    }

    /// Due times by timer name (epoch seconds), for status pages and tests.
    var dueTimes: [String: Double] {
        timers.mapValues { TimerClock.due(last: state[$0.definition.name], period: $0.definition.period, now: loop.now) }
    }

    private func scan() {
        let (files, problems) = directory.definitions()
        for problem in problems where !unreadable.contains(problem.name) {
            logger.error("timer \(problem.name): \(problem.reason) - SKIPPING")
        }
        unreadable = Set(problems.map(\.name))
        for name in Array(timers.keys) where files[name] == nil {
            timers.removeValue(forKey: name)?.timer.close()
            logger.info("timer \(name): removed")
        }
        for (name, source) in files.sorted(by: { $0.key < $1.key }) where timers[name]?.source != source {
            switch TimerDefinition.parse(name: name, bytes: source) {
            case .success(let definition):
                rejected.removeValue(forKey: name)
                let changed = timers[name] != nil
                timers.removeValue(forKey: name)?.timer.close()
                arm(definition, source: source)
                logger.info("timer \(name): \(changed ? "reloaded" : "loaded"), every \(definition.period) s to \(definition.dest)")
            case .failure(let problem):
                guard rejected[name] != source else { continue }
                rejected[name] = source
                logger.error("timer \(name): \(problem.reason) - SKIPPING")
            }
        }
        forgetStateOfRemovedTimers(files)
    }

    private func forgetStateOfRemovedTimers(_ files: [String: [UInt8]]) {
        let stale = state.keys.filter { files[$0] == nil }
        guard !stale.isEmpty else { return }
        for name in stale { state.removeValue(forKey: name) }
        saveState()
    }

    private func arm(_ definition: TimerDefinition, source: [UInt8]) {
        let name = definition.name
        let timer = LoopTimer(loop: loop) { [unowned self] in fire(name) }
        timers[name] = ArmedTimer(definition: definition, source: source, timer: timer)
        schedule(name)
    }

    private func schedule(_ name: String) {
        guard let armed = timers[name] else { return }
        let due = TimerClock.due(last: state[name], period: armed.definition.period, now: loop.now)
        armed.timer.schedule(after: max(0, due - loop.now))
    }

    private func fire(_ name: String) {
        guard let definition = timers[name]?.definition else { return }
        let now = loop.now
        let missed = TimerClock.missed(last: state[name], period: definition.period, now: now)
        if missed > 0 { logger.warning("timer \(name): \(missed) missed period(s) folded into this one") }
        send(definition)
        state[name] = TimerClock.gridPoint(last: state[name], period: definition.period, now: now)
        saveState()
        schedule(name)
    }

    private func send(_ definition: TimerDefinition) {
        let queue = definition.queue
        guard let store = registry.queue(queue) else {
            return failed(definition, "no such queue \(queue)")
        }
        guard store.adminStatus != .down else { return failed(definition, "queue \(queue) is DOWN") }
        do {
            let id = try store.createMessage(definition.message)
            workers.kick(queue: queue)
            sent += 1
            logger.info("timer \(definition.name): sent \(store.fullID(id))")
        } catch {
            failed(definition, error.reason)
        }
    }

    private func failed(_ definition: TimerDefinition, _ reason: String) {
        errors += 1
        logger.error("timer \(definition.name): could not create message: \(reason)")
    }

    private func saveState() {
        do { try directory.saveState(state) } catch { logger.error("timers: could not save state: \(error)") }
    }
}
