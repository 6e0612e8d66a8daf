import Foundation
@testable import RQServer
import RQStore
import TestSupport

/// Records what the dispatchers ask of the worker side.
final class FakeWorkers: WorkerControl {
    var kicked: [String] = []
    var destroyed: [(String, String)] = []
    var removed: [String] = []
    var destroyResult = true

    func destroy(queue: String, msgID: String) -> Bool {
        destroyed.append((queue, msgID))
        return destroyResult
    }

    func kick(queue: String) { kicked.append(queue) }
    func queueRemoved(queue: String) { removed.append(queue) }
}

/// An installed temp root with a registry, both dispatchers and a settable clock.
final class CommandFixture {
    private let directory: TemporaryDirectory
    var root: String { directory.path }
    let registry: QueueRegistry
    /// The registry's batch: what a `GroupCommit` built on it makes durable.
    let batch = DurableBatch()
    /// Today's fsync durability over `batch`.
    let durability: FsyncDurability
    let workers = FakeWorkers()
    var now: Double = 1_700_000_000.5
    lazy var managerOperations = ManagerOperations(registry: registry, workers: workers, startTime: 1_699_999_990, now: { [unowned self] in self.now })
    lazy var manager = ManagerCommands(operations: managerOperations)
    lazy var operations = QueueOperations(registry: registry, workers: workers, startTime: 1_699_999_900, now: { [unowned self] in self.now })
    lazy var queue = QueueCommands(operations: operations)

    init() throws {
        directory = try TemporaryDirectory(prefix: "rqserver-test")
        let config = try Installation.install(root: directory.path)
        durability = FsyncDurability(root: directory.path, batch: batch)
        registry = QueueRegistry(root: directory.path, rootConfig: config, durability: durability, now: { 1_700_000_000.5 })
        registry.loadAll()
        try registry.create(QueueConfig(name: "test", script: "./test/test_script.sh", execPrefix: ""))
    }

    /// Puts the admin DOWN marker in place, as `rq-mgr down` would.
    func markDown(_ queue: String) throws {
        try "".write(toFile: root + "/config/\(queue).down", atomically: true, encoding: .utf8)
    }

    func q(_ command: String, _ argument: String = "", queue name: String = "test") -> String {
        queue.handle(queue: name, command: command, argument: argument)
    }

    func mgr(_ command: String, _ argument: String = "") -> String {
        manager.handle(command: command, argument: argument)
    }

    /// Creates a message and returns its short id.
    func create(_ json: String = #"{"dest":"test"}"#) throws -> String {
        let reply = try JSONValue.parse(q("create_message", json))
        guard case .string(let full)? = reply.arrayValue?.last else { throw StoreFailure("bad reply \(reply)") }
        return MessageID.shortID(from: full)
    }

    func prep(_ json: String = #"{"dest":"test"}"#) throws -> String {
        let reply = try JSONValue.parse(q("prep_message", json))
        guard case .string(let full)? = reply.arrayValue?.last else { throw StoreFailure("bad reply \(reply)") }
        return MessageID.shortID(from: full)
    }
}
