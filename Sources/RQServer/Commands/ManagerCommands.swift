import Foundation
import RQStore

/// The manager socket (`config/queuemgr.sock`) commands of uds-protocol §4.3, over the
/// registry. Returns reply payloads; knows nothing of sockets.
public final class ManagerCommands {
    let registry: QueueRegistry
    let workers: WorkerControl
    let startTime: Double
    let now: () -> Double
    let version: String

    public init(registry: QueueRegistry, workers: WorkerControl, startTime: Double,
                now: @escaping () -> Double = { Date().timeIntervalSince1970 }, version: String = RQVersion.string) {
        self.registry = registry
        self.workers = workers
        self.startTime = startTime
        self.now = now
        self.version = version
    }

    public func handle(command: String, argument: String) -> String {
        switch command {
        case "ping": return Reply.single("pong")
        case "environment": return Reply.single(.string(registry.rootConfig.env))
        case "version": return Reply.single(.string(version))
        case "uptime": return Reply.single(.int(max(0, Int(now() - startTime))))
        case "queues": return Reply.raw(.array(registry.names.map { .string($0) }))
        case "up_queue": return admin(argument) { try $0.clear(.down, queue: $1) }
        case "down_queue": return admin(argument) { try $0.set(.down, queue: $1) }
        case "pause_queue": return admin(argument) { try $0.set(.pause, queue: $1) }
        case "resume_queue": return admin(argument) { try $0.clear(.pause, queue: $1) }
        case "restart_queue": return restartQueue(argument)
        case "create_queue": return createQueue(argument)
        case "create_queue_link": return createQueueLink(argument)
        case "delete_queue": return deleteQueue(argument)
        default: return Reply.single("error")
        }
    }

    /// The four marker operations share their replies (queue-config §2.5).
    func admin(_ argument: String, _ change: (AdminMarkers, String) throws -> Void) -> String {
        let name = CommandArgument.name(argument)
        guard QueueName.isValid(name), registry.contains(name) else { return Reply.fail("invalid queue name") }
        do {
            try change(AdminMarkers(root: registry.root), name)
        } catch {
            return Reply.fail("not allowed to up")
        }
        workers.kick(queue: name)
        return Reply.ok(.string(name))
    }

    /// Ours is one process: a restart re-reads the queue's config.json and reschedules.
    func restartQueue(_ argument: String) -> String {
        let name = CommandArgument.name(argument)
        guard QueueName.isValid(name), registry.contains(name) else { return Reply.fail("invalid queue name") }
        do {
            try registry.reload(name)
        } catch {
            return Reply.fail(error)
        }
        registry.queue(name)?.recount()
        workers.kick(queue: name)
        return Reply.ok(.string(name))
    }

    func createQueue(_ argument: String) -> String {
        guard let object = CommandArgument.object(argument) else { return Reply.fail("json config is not a JSON object") }
        if case .string(let name)? = object["name"] {
            if registry.contains(name) { return Reply.fail("already created") }
            if !QueueName.isValid(name) { return Reply.fail("queue name has invalid characters") }
        }
        let config: QueueConfig
        do { config = try QueueConfig.parse(.object(object)) } catch { return Reply.fail(error.message) }
        do {
            try registry.create(config)
        } catch {
            return Reply.fail(error)
        }
        workers.kick(queue: config.name)
        return Self.created
    }

    func createQueueLink(_ argument: String) -> String {
        let path = CommandArgument.name(argument)
        let store: QueueStore
        do { store = try registry.createLink(configPath: path) } catch { return Reply.fail(error) }
        workers.kick(queue: store.name)
        return Self.created
    }

    func deleteQueue(_ argument: String) -> String {
        let name = CommandArgument.name(argument)
        guard registry.contains(name) else { return Reply.fail("no such queue") }
        workers.queueRemoved(queue: name)
        do { try registry.delete(name) } catch { return Reply.fail(error) }
        return Reply.raw(["ok", "started deleting queue"])
    }

    static let created = JSONValue.array(["success", "queue created - awesome"]).compactString
}
