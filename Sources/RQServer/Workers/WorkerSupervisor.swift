import Foundation
import Logging
import RQLoop
import RQStore

/// Runs queue scripts: per queue at most `num_workers`, earliest due first, with blocking and
/// coalescing (SchedulerPolicy). Everything happens in loop callbacks: a kick schedules a pass
/// for the next iteration, a timer wakes the queue when its next message falls due, and
/// SIGCHLD plus the status pipes finish runs (see the `+Pipe` and `+Completion` files).
final class WorkerSupervisor: WorkerControl {
    static let killGrace = 5.0
    static let scriptErrorRecheck = 1.0
    static let settleRetry = 2.0

    let loop: EventLoop
    let registry: QueueRegistry
    let commit: GroupCommit
    let logger: Logger
    let root: String
    var workers: [Int32: Worker] = [:]
    private var dueTimers: [String: LoopTimer] = [:]
    private var pendingKicks: Set<String> = []
    private var passScheduled = false
    private var childWatcher: SignalWatcher?
    private var scriptErrorTimer: LoopTimer?
    /// Finished runs whose final move failed, by `queue/msgID`, each with its retry timer.
    var unsettled: [String: LoopTimer] = [:]
    /// Counts finished runs and their run time for /metrics and the pages' per-minute rates.
    var metrics: ServerMetrics?

    init(loop: EventLoop, registry: QueueRegistry, commit: GroupCommit, logger: Logger) throws {
        self.loop = loop
        self.registry = registry
        self.commit = commit
        self.logger = logger
        root = registry.root
        childWatcher = try SignalWatcher(loop: loop, signal: SIGCHLD) { [unowned self] in self.reapChildren() }
        scriptErrorTimer = LoopTimer(loop: loop) { [unowned self] in self.recheckScriptErrors() }
    }

    // MARK: WorkerControl

    func kick(queue: String) {
        pendingKicks.insert(queue)
        guard !passScheduled else { return }
        passScheduled = true
        loop.runSoon { [unowned self] in
            passScheduled = false
            let queues = pendingKicks
            pendingKicks.removeAll()
            for name in queues.sorted() { schedule(name) }
        }
    }

    func kickAll() {
        for name in registry.names { kick(queue: name) }
    }

    func destroy(queue: String, msgID: String) -> Bool {
        guard let worker = workers.values.first(where: { $0.queue == queue && $0.msgID == msgID }) else { return false }
        terminate(worker, reason: nil)
        return true
    }

    func queueRemoved(queue: String) {
        for worker in workers.values where worker.queue == queue { terminate(worker, reason: nil) }
        dueTimers.removeValue(forKey: queue)?.close()
    }

    /// SIGTERM to the script's process group, SIGKILL after a grace period.
    func terminate(_ worker: Worker, reason: String?) {
        if worker.killReason == nil { worker.killReason = reason }
        killProcessGroup(worker.pid, signal: SIGTERM)
        guard worker.killTimer == nil else { return }
        let timer = LoopTimer(loop: loop) { [weak worker] in
            guard let worker, worker.exit == nil else { return }
            killProcessGroup(worker.pid, signal: SIGKILL)
        }
        timer.schedule(after: Self.killGrace)
        worker.killTimer = timer
    }

    // MARK: Scheduling

    /// One scheduler pass for `name`: start what may start, arm a timer for the next due.
    func schedule(_ name: String) {
        guard let store = registry.queue(name) else { return }
        dueTimers[name]?.cancel()
        guard store.adminStatus == .up else { return }
        guard ScriptResolver.resolve(store.config.script, root: root) != nil else {
            if store.operStatus != .scriptError {
                logger.warning("queue \(name): script \(store.config.script) missing or not executable: SCRIPTERROR")
                store.operStatus = .scriptError
            }
            if scriptErrorTimer?.isScheduled == false { scriptErrorTimer?.schedule(after: Self.scriptErrorRecheck) }
            return
        }
        store.operStatus = .up
        let config = store.config
        let queued = store.queEntries.lazy.map { SchedulerEntry(id: $0.id, due: $0.due, params: Self.paramMap($0.params)) }
        let running = store.runEntries.map { Self.paramMap($0.params) }
        let decision = SchedulerPolicy.decide(queued: queued, running: running, numWorkers: config.numWorkers,
                                              blockingParams: config.blockingParams, coalesceParams: config.coalesceParams,
                                              now: loop.now)
        for start in decision.starts { launch(store, start) }
        if let next = decision.nextDue { timer(for: name).schedule(after: max(0, next - loop.now)) }
    }

    private func timer(for name: String) -> LoopTimer {
        if let timer = dueTimers[name] { return timer }
        let timer = LoopTimer(loop: loop) { [unowned self] in self.schedule(name) }
        dueTimers[name] = timer
        return timer
    }

    /// SCRIPTERROR clears by itself once the script appears.
    private func recheckScriptErrors() {
        var stillBroken = false
        for store in registry.queues where store.operStatus == .scriptError {
            if ScriptResolver.resolve(store.config.script, root: root) != nil {
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

    /// que → run, then spawn. A message whose script cannot start goes back to the queue.
    private func launch(_ store: QueueStore, _ start: SchedulerPolicy.Start) {
        let held = start.coalescedIds.compactMap { store.holdQueued($0) }
        let message: Message
        do {
            message = try store.moveToRun(start.id)
        } catch {
            logger.error("queue \(store.name): cannot start \(start.id): \(error)")
            held.forEach(store.releaseHeld)
            if store.setAsideIfUnstartable(start.id) {
                logger.error("queue \(store.name): \(start.id) set aside (gone or unreadable), the queue goes on")
                kick(queue: store.name)
            }
            return
        }
        let jobDirectory: String
        do {
            jobDirectory = try store.prepareJobDirectory(start.id)
        } catch {
            giveBack(store, message, held, reason: "cannot create job directory: \(error)")
            return
        }
        guard let script = ScriptResolver.resolve(store.config.script, root: root) else {
            giveBack(store, message, held, reason: "script missing")
            return
        }
        let command = WorkerCommandLine.make(execPrefix: store.config.execPrefix, scriptPath: script)
        let request = SpawnRequest(executablePath: command.executablePath, arguments: command.arguments,
                                   environment: environment(store, message, script: script, jobDirectory: jobDirectory),
                                   workingDirectory: jobDirectory, logPath: jobDirectory + "/stdio.log", scriptPath: script)
        let spawned: SpawnedProcess
        do {
            spawned = try ProcessSpawner.spawn(request)
        } catch {
            giveBack(store, message, held, reason: "\(error)")
            return
        }
        let worker = Worker(queue: store.name, msgID: start.id, spawned: spawned, message: message, coalesced: held)
        workers[worker.pid] = worker
        do { try store.writePID(start.id, pid: worker.pid) } catch { logger.error("pid file for \(start.id): \(error)") }
        do {
            worker.watcher = try FdWatcher(loop: loop, fd: worker.statusFD) { [unowned self, unowned worker] in
                self.drain(worker)
            }
        } catch {
            logger.error("cannot watch status pipe of \(start.id): \(error)")
            worker.closePipes()
        }
        if let seconds = store.config.timeout, seconds > 0 {
            let timer = LoopTimer(loop: loop) { [unowned self, weak worker] in
                guard let worker, worker.exit == nil else { return }
                self.terminate(worker, reason: "TIMEOUT - script ran longer than \(Self.describe(seconds: seconds)) seconds - killed")
            }
            timer.schedule(after: seconds)
            worker.timeoutTimer = timer
        }
    }

    /// `Int(exactly:)`: a huge configured timeout (1e300) must print, not trap.
    static func describe(seconds value: Double) -> String {
        Int(exactly: value).map(String.init) ?? String(value)
    }

    /// run → que unchanged, for a run that never started.
    private func giveBack(_ store: QueueStore, _ message: Message, _ held: [QueEntry], reason: String) {
        logger.error("queue \(store.name): could not spawn \(message.msgID): \(reason)")
        do { try store.requeue(message.msgID, due: message.due, count: message.count) } catch {
            logger.error("queue \(store.name): could not requeue \(message.msgID): \(error)")
        }
        held.forEach(store.releaseHeld)
        store.operStatus = .scriptError
        if scriptErrorTimer?.isScheduled == false { scriptErrorTimer?.schedule(after: Self.scriptErrorRecheck) }
    }

    private func environment(_ store: QueueStore, _ message: Message, script: String, jobDirectory: String) -> [String: String] {
        let rootConfig = store.rootConfig
        var envVars: [String: String] = [:]
        for (key, value) in store.config.envVars { envVars[key] = value.stringValue ?? value.compactString }
        return WorkerEnvironment(
            inherited: ProcessInfo.processInfo.environment, rqEnv: rootConfig.env, tmpdir: rootConfig.tmpdir,
            host: rootConfig.host, port: String(rootConfig.port), relativeRoot: rootConfig.relativeRoot,
            script: store.config.script, resolvedScript: script, dest: message.dest,
            shortId: message.msgID, fullId: store.fullID(message.msgID), jobDirectory: jobDirectory,
            count: message.count, params: (1...4).map { message.param($0) == nil ? nil : message.paramText($0) },
            origMsgId: message.origMsgID, forceRemote: message.isForceRemote, envVars: envVars
        ).variables()
    }

    /// On shutdown: SIGTERM every script, wait a bounded time, SIGKILL the rest. Their
    /// messages stay in `run/`; start-up recovery queues them again.
    func stopAll(grace: Double) {
        guard !workers.isEmpty else { return }
        for worker in workers.values { killProcessGroup(worker.pid, signal: SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        while !workers.isEmpty, Date() < deadline {
            for (pid, _) in ChildReaper.reapAll() { workers.removeValue(forKey: pid) }
            usleep(20_000)
        }
        for worker in workers.values { killProcessGroup(worker.pid, signal: SIGKILL) }
        for worker in workers.values { worker.closePipes() }
        workers.removeAll()
    }
}
