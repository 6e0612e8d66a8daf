import Foundation
import Logging
import RQLoop
import RQStore

/// The one rq-server process: one libevent loop that owns every queue, socket and listener.
public final class Server {
    let root: String
    let config: RootConfig
    let logger: Logger
    let loop: EventLoop
    let durability: Durability
    /// Set when the write-ahead journal is on (the default).
    let checkpoints: JournalCheckpoints?
    let commit: GroupCommit
    let registry: QueueRegistry
    let workers: WorkerSupervisor
    let managerOperations: ManagerOperations
    let managerCommands: ManagerCommands
    let queueOperations: QueueOperations
    let queueCommands: QueueCommands
    let metrics = ServerMetrics()
    /// Relay deliveries and webhook POSTs (in-loop runners of the `relay` and `webhook` queues).
    let httpClient: HTTPClient
    private var managerSocket: ManagerSocket?
    private var queueSockets: QueueSockets?
    private var web: WebFrontend?
    private var periodic: PeriodicServices?
    private var signals: [SignalWatcher] = []
    /// Called once every listener is open, before the loop runs (rq-server records its pid
    /// in the locked `config/queuemgr.pid` then, so `start` knows the server serves).
    public var onServing: (() -> Void)?
    /// Minute directories of done/relayed counted per queue per loop turn after start-up.
    static let countingTurn = 200

    public init(root: String) throws {
        guard chdir(root) == 0 else { throw ServerError.startup("cannot enter root \(root)") }
        self.root = root
        var logger = Logger(label: "rq-server")
        logger.logLevel = .info
        self.logger = logger
        config = try RootConfig.load(root: root)
        if let problem = config.tmpdirProblem() { throw ServerError.startup(problem) }
        SignalWatcher.unblockAllSignals()
        Self.raiseOpenFileLimit()
        loop = try EventLoop()
        switch JournalSettings.from(config) {
        case .failure(let problem):
            throw ServerError.startup(problem.description)
        case .success((.fsync, _)):
            durability = FsyncDurability(root: root)
            checkpoints = nil
        case .success((.journal, let settings)):
            let journal = JournalDurability(root: root, settings: settings)
            durability = journal
            checkpoints = try JournalCheckpoints(loop: loop, journal: journal, logger: logger)
        }
        commit = try GroupCommit(loop: loop, durability: durability, logger: logger)
        registry = QueueRegistry(root: root, rootConfig: config, durability: durability)
        registry.indexInSlices = true
        Self.log(registry.recover(), logger)
        for problem in registry.loadAll() { logger.error("queue \(problem.name) not loaded: \(problem.reason)") }
        workers = try WorkerSupervisor(loop: loop, registry: registry, commit: commit, logger: logger)
        let started = Date().timeIntervalSince1970
        managerOperations = ManagerOperations(registry: registry, workers: workers, startTime: started)
        managerCommands = ManagerCommands(operations: managerOperations)
        queueOperations = QueueOperations(registry: registry, workers: workers, startTime: started,
                                          later: { [loop] work in loop.runSoon(work) })
        queueCommands = QueueCommands(operations: queueOperations)
        commit.metrics = metrics
        workers.metrics = metrics
        queueOperations.metrics = metrics
        httpClient = HTTPClient(loop: loop)
        registerInLoopRunners()
        recoverInterruptedRuns()
    }

    /// Durability recovery's repairs and problems; per-queue repairs are logged once the
    /// queues are open (`recoverInterruptedRuns`).
    private static func log(_ recovery: StoreRecovery.Result, _ logger: Logger) {
        for line in recovery.durability.repaired { logger.info("recovery: \(line)") }
        for problem in recovery.durability.problems { logger.error("recovery: \(problem)") }
        if let problem = recovery.syncProblem { logger.error("recovery: repairs could not be synced: \(problem)") }
    }

    /// Every connection, running script (three pipes) and batched fsync holds descriptors;
    /// Debian's default soft limit of 1024 would bind long before the connection caps do.
    /// Capped at 65536 because scripts inherit it, and some close every possible fd at start.
    private static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let wanted = min(limit.rlim_max, 65536)
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = wanted
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// Messages found in `run/` went back to `que/` when their store opened; a script of the
    /// previous server that still runs is killed first so the message never runs twice at once.
    private func recoverInterruptedRuns() {
        for store in registry.queues {
            for pid in store.recovery.pids where pid > 1 {
                if killProcessGroup(pid, signal: SIGKILL) { logger.warning("queue \(store.name): killed leftover script group \(pid)") }
            }
            if !store.recovery.requeued.isEmpty {
                logger.info("queue \(store.name): \(store.recovery.requeued.count) interrupted message(s) queued again")
            }
            for skipped in store.recovery.skipped { logger.error("queue \(store.name): \(skipped.id) skipped: \(skipped.reason)") }
        }
    }

    /// Opens every interface, runs the loop until SIGTERM/SIGINT, then cleans up.
    public func run() throws {
        try prepareDirectories()
        let sockets = QueueSockets(loop: loop, root: ".", commands: queueCommands, commit: commit, logger: logger)
        queueSockets = sockets
        sockets.sync(with: registry.names)
        writePidFiles()
        managerSocket = try ManagerSocket(loop: loop, path: "config/queuemgr.sock", commands: managerCommands, commit: commit) { [weak self] in
            self?.queuesChanged()
        }
        let app = WebApp(root: root, config: config, registry: registry, managerOperations: managerOperations,
                         operations: queueOperations, commit: commit, logger: logger, metrics: metrics)
        web = try WebFrontend(loop: loop, host: config.addr, port: config.port,
                              uploadDirectory: root + "/tmp/uploads", app: app, logger: logger)
        app.onQueuesChanged = { [weak self] in self?.queuesChanged() }
        app.openConnections = { [weak self] in self?.web?.openConnections ?? 0 }
        app.timerDueTimes = { [weak self] in self?.periodic?.timers.dueTimes ?? [:] }
        try watchSignals()
        let periodic = PeriodicServices(loop: loop, registry: registry, manager: managerOperations, workers: workers,
                                        runners: workers.runners,
                                        logger: logger) { [weak self] in
            self?.queuesChanged()
        }
        self.periodic = periodic
        periodic.start()
        workers.kickAll()
        warmCounts()
        onServing?()
        logger.info("rq-server \(RQVersion.string) serving \(root) on http://\(config.addr):\(config.port)/ (libevent \(libeventVersion()))")
        loop.run()
        shutdown()
    }

    /// Counts every queue's done/relayed messages a few hundred minute directories per loop
    /// turn, so the first status page after a start does not walk millions of entries at once.
    private func warmCounts() {
        let cold = registry.queues.filter { !$0.warmCounts(budget: Self.countingTurn) }
        guard !cold.isEmpty else { return }
        loop.runSoon { [weak self] in self?.warmCounts() }
    }

    private func prepareDirectories() throws {
        let uploads = root + "/tmp/uploads"
        try? FileManager.default.removeItem(atPath: uploads)
        try FileManager.default.createDirectory(atPath: uploads, withIntermediateDirectories: true)
    }

    /// Queues created or deleted: open or close their sockets, write their pid files.
    private func queuesChanged() {
        queueSockets?.sync(with: registry.names)
        writePidFiles()
    }

    /// Every `queue/<n>/queue.pid` names this one process, like `config/queuemgr.pid` (which
    /// rq-server writes and keeps locked): a SIGHUP to any of them reloads every queue's config
    /// (spec README §1).
    private func writePidFiles() {
        let pid = "\(getpid())\n"
        for name in registry.names {
            let path = "queue/\(name)/queue.pid"
            if (try? String(contentsOfFile: path, encoding: .utf8)) != pid {
                try? pid.write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
    }

    private func watchSignals() throws {
        for signal in [SIGTERM, SIGINT] {
            signals.append(try SignalWatcher(loop: loop, signal: signal) { [weak self] in
                self?.logger.info("signal \(signal): shutting down")
                self?.loop.stop()
            })
        }
        signals.append(try SignalWatcher(loop: loop, signal: SIGHUP) { [weak self] in
            guard let self else { return }
            self.logger.info("SIGHUP: reloading queue configs")
            let result = self.registry.rescan()
            for problem in result.problems { self.logger.error("queue \(problem.name): \(problem.reason)") }
            self.queuesChanged()
            self.workers.kickAll()
        })
    }

    private func shutdown() {
        periodic?.stop()
        web?.close()
        workers.stopAll(grace: 10)
        httpClient.close()
        managerSocket?.close()
        queueSockets?.closeAll()
        commit.flushAndWait()
        checkpoints?.finish()
        for watcher in signals { watcher.close() }
        logger.info("rq-server stopped")
    }
}

enum ServerError: Error, CustomStringConvertible {
    case startup(String)
    var description: String {
        switch self {
        case .startup(let text): return text
        }
    }
}
