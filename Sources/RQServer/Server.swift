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
    let batch: DurableBatch
    let commit: GroupCommit
    let registry: QueueRegistry
    let managerCommands: ManagerCommands
    let queueCommands: QueueCommands
    private var managerSocket: ManagerSocket?
    private var queueSockets: QueueSockets?
    private var web: WebFrontend?
    private var signals: [SignalWatcher] = []

    public init(root: String) throws {
        guard chdir(root) == 0 else { throw ServerError.startup("cannot enter root \(root)") }
        self.root = root
        var logger = Logger(label: "rq-server")
        logger.logLevel = .info
        self.logger = logger
        config = try RootConfig.load(root: root)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: config.tmpdir, isDirectory: &isDir), isDir.boolValue else {
            throw ServerError.startup("Bad 'tmpdir' in config json [\(config.tmpdir)]. Exiting")
        }
        loop = try EventLoop()
        batch = DurableBatch()
        commit = GroupCommit(loop: loop, batch: batch, logger: logger)
        registry = try QueueRegistry(root: root, config: config, batch: batch)
        let started = Date().timeIntervalSince1970
        managerCommands = ManagerCommands(registry: registry, config: config, startTime: started)
        queueCommands = QueueCommands(registry: registry, startTime: started)
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
        let app = WebApp(root: root, config: config, registry: registry, manager: managerCommands,
                         queues: queueCommands, commit: commit, logger: logger)
        web = try WebFrontend(loop: loop, host: config.addr, port: config.port,
                              uploadDirectory: root + "/tmp/uploads", app: app, logger: logger)
        app.onQueuesChanged = { [weak self] in self?.queuesChanged() }
        try watchSignals()
        logger.info("rq-server \(RQVersion.string) serving \(root) on http://\(config.addr):\(config.port)/ (libevent \(libeventVersion()))")
        loop.run()
        shutdown()
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

    /// `config/queuemgr.pid` and every `queue/<n>/queue.pid` name this one process: a SIGHUP
    /// to any of them reloads every queue's config (spec README §1).
    private func writePidFiles() {
        let pid = "\(getpid())\n"
        try? pid.write(toFile: "config/queuemgr.pid", atomically: true, encoding: .utf8)
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
            self.registry.reloadAll()
            self.queuesChanged()
        })
    }

    private func shutdown() {
        web?.close()
        managerSocket?.close()
        queueSockets?.closeAll()
        commit.flush()
        for watcher in signals { watcher.close() }
        unlink("config/queuemgr.pid")
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
