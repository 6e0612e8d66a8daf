import Foundation
import Testing
@testable import RQStore

/// Keeps every mutation the store emits, in order.
final class RecordingDurability: Durability {
    var records: [StoreMutation] = []
    var recoverCalls = 0
    var queueDirectoriesAtRecovery: [String] = []
    let root: String

    init(root: String) { self.root = root }

    func recover() -> DurabilityRecovery {
        recoverCalls += 1
        queueDirectoriesAtRecovery = FileOps.listIfPresent(root + "/queue/test/run")
        return DurabilityRecovery(repaired: ["seen"])
    }
    func record(_ mutation: StoreMutation) { records.append(mutation) }
    var isEmpty: Bool { records.isEmpty }
    func beginFlush() -> DurableSync { DurableSync(steps: []) }
    func finishFlush(_ sync: DurableSync) {}
    func include(file path: String) {}
    func include(directory path: String) {}
}

@Suite struct StoreMutationTests {
    func open(_ root: String, _ durability: Durability, fsync: Bool = true) throws -> QueueStore {
        var config = QueueConfig(name: "test", script: "./test/script.sh", execPrefix: "")
        config.fsync = fsync
        return try QueueStore(root: root, name: "test", config: config, rootConfig: RootConfig(),
                              durability: durability, now: TestClock().function)
    }

    @Test func lifecycleEmitsOneLogicalRecordPerChange() throws {
        try withTempRoot { root in
            let spy = RecordingDurability(root: root)
            let store = try open(root, spy)
            let id = shortID(try store.createMessage(["dest": "test"]))
            let msg = try FileOps.readFile(root + "/queue/test/que/\(id)/msg")
            #expect(spy.records.map(\.change) == [.queued(msg: msg)], "create_message goes straight to que/")
            #expect(spy.records.allSatisfy { $0.queue == "test" && $0.id == id })

            spy.records.removeAll()
            try store.moveToRun(id)
            try store.writeJobStatus(id, "working")
            try store.finish(id, as: .done, jobStatus: "all done")
            #expect(spy.records.map(\.change) == [.status(state: .run, text: "working"),
                                                   .status(state: .run, text: "all done"),
                                                   .moved(from: .run, to: .done)])
            spy.records.removeAll()
            try store.deleteMessage(id)
            #expect(spy.records.map(\.change) == [.deleted])
        }
    }

    @Test func requeueRewritesThenMoves() throws {
        try withTempRoot { root in
            let spy = RecordingDurability(root: root)
            let store = try open(root, spy)
            let id = shortID(try store.createMessage(["dest": "test"]))
            try store.moveToRun(id)
            spy.records.removeAll()
            try store.requeue(id, due: 1_700_000_100, count: 1)
            let msg = try FileOps.readFile(root + "/queue/test/que/\(id)/msg")
            #expect(spy.records.map(\.change) == [.rewritten(state: .run, msg: msg), .moved(from: .run, to: .que)])
        }
    }

    @Test func attachmentsAreRecordedAsNotReplayable() throws {
        try withTempRoot { root in
            let spy = RecordingDurability(root: root)
            let store = try open(root, spy)
            let id = shortID(try store.prepMessage(["dest": "test"]))
            try write("payload", to: root + "/upload.txt")
            _ = try store.attach(msgID: id, pathname: root + "/upload.txt", name: "a.txt")
            try store.deleteAttachment(msgID: id, name: "a.txt")
            let changes = spy.records.dropFirst().map(\.change)
            #expect(changes == [.attached(state: .prep, name: "a.txt"), .attachmentRemoved(name: "a.txt")])
            #expect(spy.records.dropFirst().allSatisfy { !$0.isReplayable })
            #expect(spy.records.first?.isReplayable == true)
        }
    }

    @Test func noFsyncQueuesEmitNothing() throws {
        try withTempRoot { root in
            let spy = RecordingDurability(root: root)
            let store = try open(root, spy, fsync: false)
            try store.createMessage(["dest": "test"])
            #expect(spy.records.isEmpty)
        }
    }

    @Test func fsyncDurabilityRegistersTheTouchedPaths() throws {
        try withTempRoot { root in
            let batch = DurableBatch(syncfsThreshold: 100)
            let store = try makeStore(root: root, batch: batch)
            let id = shortID(try store.createMessage(["dest": "test"]))
            let q = root + "/queue/test"
            #expect(Set(batch.descriptors.keys) == ["\(q)/que/\(id)/msg", "\(q)/que/\(id)", "\(q)/que"])
            try batch.flush()
            try store.moveToRun(id)
            try store.finish(id, as: .done)
            #expect(Set(batch.descriptors.keys) == ["\(q)/run", "\(q)/done/20231114/22/13", "\(q)/done/20231114/22",
                                                    "\(q)/done/20231114", "\(q)/done"])
        }
    }

    @Test func globalRecoveryRunsDurabilityBeforeRepairsAndReportsPerQueue() throws {
        try withTempRoot { root in
            let id = "20231114.2213.20.100.11"
            try write(#"{"msg_id":"\#(id)","dest":"test","due":5}"#, to: root + "/queue/test/run/\(id)/msg")
            try write("{}", to: root + "/queue/bad name/run/x/msg")
            let spy = RecordingDurability(root: root)
            let result = StoreRecovery(root: root, durability: spy).run()
            #expect(spy.recoverCalls == 1)
            #expect(spy.queueDirectoriesAtRecovery == [id])
            #expect(result.durability.repaired == ["seen"])
            #expect(Array(result.queues.keys) == ["test"])
            #expect(result.queues["test"]?.requeued == [id])
            #expect(spy.records == [StoreMutation(queue: "test", id: id, .moved(from: .run, to: .que))])
        }
    }

    @Test func registryOpensRecoveredQueuesWithTheirReports() throws {
        try withTempRoot { root in
            let id = "20231114.2213.20.100.11"
            try write(#"{"msg_id":"\#(id)","dest":"test","due":5}"#, to: root + "/queue/test/run/\(id)/msg")
            try write(#"{"name":"test","script":"./s.sh","num_workers":1}"#, to: root + "/queue/test/config.json")
            let registry = QueueRegistry(root: root, rootConfig: RootConfig(), durability: FsyncDurability(root: root))
            _ = registry.recover()
            #expect(registry.loadAll().isEmpty)
            #expect(registry.queue("test")?.recovery.requeued == [id])
            #expect(registry.queue("test")?.queEntries.map(\.id) == [id])
        }
    }
}
