import Foundation
import RQStore

/// The typed manager operations (uds-protocol §4.3): queues as a whole — their admin markers,
/// creation, deletion, restart. Failures are `QueueError`s (`.refused` with the spec's
/// reason), mapped by each interface like the queue operations' failures.
public final class ManagerOperations {
    /// The admin marker operations (queue-config §2.5).
    public enum AdminChange: String, CaseIterable, Sendable {
        case up, down, pause, resume
    }

    let registry: QueueRegistry
    let workers: WorkerControl
    let startTime: Double
    let now: () -> Double
    public let version: String

    public init(registry: QueueRegistry, workers: WorkerControl, startTime: Double,
                now: @escaping () -> Double = { Date().timeIntervalSince1970 }, version: String = RQVersion.string) {
        self.registry = registry
        self.workers = workers
        self.startTime = startTime
        self.now = now
        self.version = version
    }

    public var environment: String { registry.rootConfig.env }
    public var uptime: Int { max(0, Int(now() - startTime)) }
    public var queues: [String] { registry.names }

    public func change(_ change: AdminChange, queue name: String) -> Result<Void, QueueError> {
        guard QueueName.isValid(name), registry.contains(name) else { return .failure(.refused("invalid queue name")) }
        let markers = AdminMarkers(root: registry.root)
        do {
            switch change {
            case .up: try markers.clear(.down, queue: name)
            case .down: try markers.set(.down, queue: name)
            case .pause: try markers.set(.pause, queue: name)
            case .resume: try markers.clear(.pause, queue: name)
            }
        } catch {
            return .failure(.refused("not allowed to up"))
        }
        workers.kick(queue: name)
        return .success(())
    }

    /// Ours is one process: a restart re-reads the queue's config.json and reschedules.
    public func restart(queue name: String) -> Result<Void, QueueError> {
        guard QueueName.isValid(name), registry.contains(name) else { return .failure(.refused("invalid queue name")) }
        do { try registry.reload(name) } catch { return .failure(QueueError(error)) }
        registry.queue(name)?.recount()
        workers.kick(queue: name)
        return .success(())
    }

    /// Creates a queue from its config fields; returns its name.
    public func createQueue(_ fields: JSONObject) -> Result<String, QueueError> {
        if case .string(let name)? = fields["name"] {
            if registry.contains(name) { return .failure(.refused("already created")) }
            if !QueueName.isValid(name) { return .failure(.refused("queue name has invalid characters")) }
        }
        let config: QueueConfig
        do { config = try QueueConfig.parse(.object(fields)) } catch { return .failure(.refused(error.message)) }
        do { try registry.create(config) } catch { return .failure(QueueError(error)) }
        workers.kick(queue: config.name)
        return .success(config.name)
    }

    /// Creates a queue whose config.json is a symlink to `configPath`; returns its name.
    public func createQueueLink(configPath: String) -> Result<String, QueueError> {
        do {
            let store = try registry.createLink(configPath: configPath)
            workers.kick(queue: store.name)
            return .success(store.name)
        } catch {
            return .failure(QueueError(error))
        }
    }

    /// Stops the queue's workers, then renames its directory aside.
    public func deleteQueue(_ name: String) -> Result<Void, QueueError> {
        guard registry.contains(name) else { return .failure(.noSuchQueue) }
        workers.queueRemoved(queue: name)
        do { try registry.delete(name) } catch { return .failure(QueueError(error)) }
        return .success(())
    }
}
