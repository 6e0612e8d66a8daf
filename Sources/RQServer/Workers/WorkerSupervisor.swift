import Logging
import RQLoop
import RQStore

/// Runs queued messages: the scheduler picks what starts, the queue's runner runs it, and each
/// run's `RunState` decides what its reports mean. This class does the store side of it: que →
/// run → job directory before a start, status, dups and the final move after.
final class WorkerSupervisor: WorkerControl {
    static let killGrace = 5.0
    static let settleRetry = 2.0
    /// A start that failed for the store's sake (a full disk) is tried again this much later.
    static let startRetry = 1.0

    let loop: EventLoop
    let registry: QueueRegistry
    let commit: GroupCommit
    let logger: Logger
    let processes: ProcessRunner
    let runners: RunnerCatalog
    private(set) var scheduler: RunScheduler!
    private let duplicator: MessageDuplicator
    /// Live runs by `queue/msgID`.
    private(set) var runs: [String: Run] = [:]
    /// Runs whose move out of `run/` failed, by `queue/msgID`, each with its retry timer.
    var unsettled: [String: LoopTimer] = [:]
    /// Runs by `queue/msgID` whose script has ended and whose files move out of `run/` later
    /// in this loop turn: their worker slots are free already (`perform`, `.finish`).
    private var settling: Set<String> = []
    /// Counts finished runs and their run time for /metrics and the pages' per-minute rates.
    var metrics: ServerMetrics?
    private var repeatedErrors = RepeatedErrorLimiter()

    init(loop: EventLoop, registry: QueueRegistry, commit: GroupCommit, logger: Logger) throws {
        self.loop = loop
        self.registry = registry
        self.commit = commit
        self.logger = logger
        processes = try ProcessRunner(loop: loop, root: registry.root, logger: logger)
        runners = RunnerCatalog(process: processes)
        duplicator = MessageDuplicator(registry: registry)
        scheduler = RunScheduler(loop: loop, registry: registry, runners: runners, logger: logger,
                                 isSettling: { [unowned self] in self.settling.contains(Self.key($0, $1)) }) { [unowned self] in
            self.launch($0, $1)
        }
    }

    static func key(_ queue: String, _ msgID: String) -> String { queue + "/" + msgID }

    // MARK: WorkerControl

    func kick(queue: String) { scheduler.kick(queue: queue) }

    func kickAll() {
        for name in registry.names { kick(queue: name) }
    }

    func destroy(queue: String, msgID: String) -> Bool {
        guard let run = runs[Self.key(queue, msgID)] else { return false }
        run.send(.stopRequested)
        return true
    }

    func queueRemoved(queue: String) {
        for run in runs.values where run.queue == queue { run.send(.stopRequested) }
        scheduler.forget(queue: queue)
    }

    // MARK: Starting

    /// que → run, `job/`, then the runner. A message that cannot start goes back to the queue.
    private func launch(_ store: QueueStore, _ start: SchedulerPolicy.Start) {
        let held = start.coalescedIds.compactMap { store.holdQueued($0) }
        let message: Message
        do {
            message = try store.moveToRun(start.id)
        } catch {
            logError("queue \(store.name): cannot start \(start.id): \(error)", kind: store.name + " start")
            held.forEach(store.releaseHeld)
            if store.setAsideIfUnstartable(start.id) {
                logger.error("queue \(store.name): \(start.id) set aside (gone or unreadable), the queue goes on")
                kick(queue: store.name)
            } else {
                scheduler.retry(queue: store.name, after: Self.startRetry)
            }
            return
        }
        let jobDirectory: String
        do {
            jobDirectory = try store.prepareJobDirectory(start.id)
        } catch {
            giveBack(store, message, held, reason: "cannot create job directory: \(error)", runnerFault: false)
            return
        }
        let run = Run(queue: store.name, message: message, coalesced: held) { [unowned self] in self.perform($1, of: $0) }
        let job = RunJob(store: store, message: message, jobDirectory: jobDirectory)
        let handle: RunHandle
        do {
            handle = try runners.runner(for: store.name).start(job, reporting: run)
        } catch {
            giveBack(store, message, held, reason: error.description, runnerFault: true)
            return
        }
        run.attach(handle)
        runs[Self.key(store.name, start.id)] = run
        if let pid = handle.pid {
            do { try store.writePID(start.id, pid: pid) } catch { logger.error("pid file for \(start.id): \(error)") }
        }
        if let seconds = store.config.timeout, seconds > 0 {
            let timer = LoopTimer(loop: loop) { [weak run] in run?.send(.timedOut(seconds: seconds)) }
            timer.schedule(after: seconds)
            run.timeoutTimer = timer
        }
    }

    /// run → que unchanged, for a run that never started. A runner's fault (the script cannot
    /// be spawned) makes the queue SCRIPTERROR until it can start again; the store's (a full
    /// disk) only delays the next try.
    private func giveBack(_ store: QueueStore, _ message: Message, _ held: [QueEntry], reason: String, runnerFault: Bool) {
        logError("queue \(store.name): could not start \(message.msgID): \(reason)", kind: store.name + " spawn")
        held.forEach(store.releaseHeld)
        returnToQue(store, message)
        if runnerFault {
            scheduler.markUnstartable(store)
        } else {
            scheduler.retry(queue: store.name, after: Self.startRetry)
        }
    }

    /// A rename, so it works on a full disk; if even that fails, it is retried: the message
    /// must not stay in `run/` holding a worker slot.
    private func returnToQue(_ store: QueueStore, _ message: Message) {
        do { try store.unstart(message.msgID, due: message.due) } catch {
            logError("queue \(store.name): could not requeue \(message.msgID): \(error); retrying in \(Self.settleRetry) s",
                     kind: store.name + " requeue")
            let key = Self.key(store.name, message.msgID)
            let retry = LoopTimer(loop: loop) { [unowned self] in
                unsettled[key] = nil
                returnToQue(store, message)
                kick(queue: store.name)
            }
            retry.schedule(after: Self.settleRetry)
            unsettled[key] = retry
        }
    }

    /// Errors that repeat while a condition lasts (a full disk) are logged once per interval.
    func logError(_ text: String, kind: String) {
        if let line = repeatedErrors.line(text, kind: kind, now: loop.now) { logger.error("\(line)") }
    }

    // MARK: Running

    private func perform(_ actions: [RunAction], of run: Run) {
        for action in actions {
            switch action {
            case .recordStatus(let text):
                guard let store = registry.queue(run.queue) else { continue }
                do { try store.writeJobStatus(run.msgID, text) } catch {
                    logError("queue \(run.queue) \(run.msgID): cannot record status: \(error)", kind: run.queue + " status")
                }
            case .duplicate(let request):
                duplicate(request, for: run)
            case .reply(let reply):
                run.handle?.reply(reply)
            case .warn(let text):
                logger.warning("queue \(run.queue) \(run.msgID): \(text)")
            case .note(let text):
                logger.info("queue \(run.queue) \(run.msgID): \(text)")
            case .stop:
                stop(run)
            case .finish(let outcome, let count):
                runs.removeValue(forKey: Self.key(run.queue, run.msgID))
                run.cancelTimers()
                run.handle?.release()
                // The script has ended, so its slot is free now: the scheduler's pass (queued
                // first) starts the next message, then this one's files move. That move (the
                // pid unlink, the rename, the journal record) then no longer sits between one
                // script's exit and the next one's start (README, run K: p50 0.7 → 0.4 ms).
                let message = run.message(count: count)
                let key = Self.key(run.queue, run.msgID)
                settling.insert(key)
                kick(queue: run.queue)
                loop.runLaterThisTurn { [unowned self] in
                    settling.remove(key)
                    settle(run, outcome, message: message)
                }
            }
        }
    }

    /// The reply waits until the copy is on disk.
    private func duplicate(_ request: DupRequest, for run: Run) {
        guard let source = registry.queue(run.queue) else { return }
        let reply = duplicator.duplicate(run.message(count: run.state.count), of: source, request, now: loop.now)
        kick(queue: request.targetQueue)
        commit.afterDurable { [weak run] durable in
            run?.handle?.reply(durable ? reply : .fail(reason: "dup failed - could not sync to disk"))
        }
    }

    /// SIGTERM, SIGKILL after a grace period if it has not exited by then.
    private func stop(_ run: Run) {
        run.handle?.stop(force: false)
        guard run.killTimer == nil else { return }
        let timer = LoopTimer(loop: loop) { [weak run] in
            guard let run, run.state.exit == nil else { return }
            run.handle?.stop(force: true)
        }
        timer.schedule(after: Self.killGrace)
        run.killTimer = timer
    }

    /// On shutdown: every script is ended; their messages stay in `run/` and start-up
    /// recovery queues them again.
    func stopAll(grace: Double) {
        processes.stopAll(grace: grace)
        for run in runs.values { run.cancelTimers() }
        runs.removeAll()
    }
}
