import Logging
import RQLoop
import RQStore

/// Queues declared by `scandir/<name>` links (spec relay.md "Scandir"), polled every
/// `pollInterval` seconds. A new link creates (or adopts) its queue at once, a changed
/// config.json, script or link target reloads it, and a removed link deletes the queue only
/// when scandir created it (`ScandirDirectory.ownerMarker`); any other queue is left alone.
final class ScandirService {
    private let loop: EventLoop
    private let registry: QueueRegistry
    private let manager: ManagerOperations
    private let workers: WorkerControl
    private let logger: Logger
    private let directory: ScandirDirectory
    private let pollInterval: Double
    private let queuesChanged: () -> Void
    private var pollTimer: LoopTimer?
    /// Managed queue name → fingerprint of the declaration last applied.
    private var managed: [String: [UInt8]] = [:]
    /// Reasons already logged for broken entries, so a bad config.json is logged once.
    private var reported: [String: String] = [:]

    init(loop: EventLoop, registry: QueueRegistry, manager: ManagerOperations, workers: WorkerControl, logger: Logger,
         pollInterval: Double, queuesChanged: @escaping () -> Void) {
        self.loop = loop
        self.registry = registry
        self.manager = manager
        self.workers = workers
        self.logger = logger
        self.pollInterval = pollInterval
        self.queuesChanged = queuesChanged
        directory = ScandirDirectory(root: registry.root)
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

    func stop() { pollTimer?.close() }

    func scan() {
        let scanned = directory.scan()
        for (name, entry) in scanned {
            guard case .broken(let reason) = entry else { reported.removeValue(forKey: name); continue }
            if reported[name] != reason { logger.error("scandir \(name): \(reason)") }
            reported[name] = reason
        }
        let changes = ScandirPlan.changes(managed: managed, scanned: scanned, registered: Set(registry.names))
        guard !changes.isEmpty else { return }
        for change in changes { apply(change, scanned) }
        queuesChanged()
    }

    private func apply(_ change: ScandirChange, _ scanned: [String: ScandirDirectory.Entry]) {
        switch change {
        case .create(let config):
            switch manager.createQueue(config.json.objectValue ?? [:]) {
            case .success:
                try? ScandirDirectory.markCreated(queueDirectory: registry.queueDirectory + "/" + config.name)
                logger.info("scandir \(config.name): queue created")
                manage(config.name, scanned)
            case .failure(let error):
                logger.error("scandir \(config.name): queue not created: \(error.reason)")
            }
        case .adopt(let config):
            if registry.queue(config.name)?.config != config { apply(.reload(config), scanned) } else { manage(config.name, scanned) }
        case .reload(let config):
            do {
                try registry.replaceConfig(config)
                logger.info("scandir \(config.name): config reloaded")
                manage(config.name, scanned)
            } catch {
                logger.error("scandir \(config.name): config not reloaded: \(error.reason)")
            }
        case .release(let name):
            managed.removeValue(forKey: name)
            release(name)
            return
        }
    }

    private func manage(_ name: String, _ scanned: [String: ScandirDirectory.Entry]) {
        guard case .declared(let declared)? = scanned[name] else { return }
        managed[name] = declared.fingerprint
        workers.kick(queue: name)
    }

    private func release(_ name: String) {
        guard registry.contains(name) else { return }
        guard ScandirDirectory.wasCreated(queueDirectory: registry.queueDirectory + "/" + name) else {
            logger.warning("scandir \(name): entry gone; the queue was not created by scandir, so it stays")
            return
        }
        switch manager.deleteQueue(name) {
        case .success: logger.info("scandir \(name): entry gone, queue deleted (directory kept as \(name).deleted.<inode>)")
        case .failure(let error): logger.error("scandir \(name): could not delete queue: \(error.reason)")
        }
    }
}
