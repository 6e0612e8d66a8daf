import Foundation
@testable import RQServer
import RQStore

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
    let root: String
    let registry: QueueRegistry
    let workers = FakeWorkers()
    var now: Double = 1_700_000_000.5
    lazy var manager = ManagerCommands(registry: registry, workers: workers, startTime: 1_699_999_990, now: { [unowned self] in self.now })
    lazy var queue = QueueCommands(registry: registry, workers: workers, startTime: 1_699_999_900, now: { [unowned self] in self.now })

    init() throws {
        root = "/tmp/rqserver-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let config = try Installation.install(root: root)
        registry = QueueRegistry(root: root, rootConfig: config, durability: FsyncDurability(root: root), now: { 1_700_000_000.5 })
        registry.loadAll()
        try registry.create(QueueConfig(name: "test", script: "./test/test_script.sh", execPrefix: ""))
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

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
