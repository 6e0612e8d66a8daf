import Foundation
import Testing
@testable import RQServer
import RQStore

/// The typed operations on their own: values and `QueueError`s, no rq1 text.
@Suite struct QueueOperationsTests {
    @Test func readsAnsweredWhenDown() throws {
        let f = try CommandFixture()
        let ops = f.operations
        #expect(try ops.uptime("test").get() == 100)
        #expect(try ops.config("test").get().name == "test")
        #expect(try ops.status("test").get() == .up)
        #expect(f.workers.kicked == ["test"])
        try f.markDown("test")
        #expect(try ops.status("test").get() == .down)
        #expect(try ops.uptime("test").get() == 100)
        #expect(throws: Never.self) { try ops.ping("test").get() }
        #expect(ops.counts("test") == .failure(.down))
        #expect(ops.create("test", ["dest": "test"], mode: .commit) == .failure(.down))
        #expect(ops.availability("test").error == .down)
        #expect(f.workers.kicked == ["test"], "a DOWN queue is not kicked")
        for missing in [ops.ping("nope"), ops.availability("nope")] { #expect(missing.error == .noSuchQueue) }
        #expect(ops.status("nope") == .failure(.noSuchQueue))
    }

    @Test func createModes() throws {
        let f = try CommandFixture()
        let ops = f.operations
        let prepped = try ops.create("test", ["dest": "test"], mode: .prep).get()
        #expect(f.workers.kicked.isEmpty, "prep does not wake the scheduler")
        let queued = try ops.create("test", ["dest": "test", "param1": "x"], mode: .commit).get()
        #expect(queued.hasPrefix("http://127.0.0.1:3333/q/test/"))
        #expect(try ops.create("test", ["dest": "test"], mode: .singleQue).get() == queued)
        #expect(f.workers.kicked == ["test", "test"])
        #expect(ops.create("test", ["src": "x"], mode: .commit) == .failure(.refused(Message.missingDest)))
        #expect(try ops.state("test", MessageID.shortID(from: prepped)).get() == .prep)
        #expect(try ops.counts("test").get() == counts(prep: 1, que: 1))
        #expect(CreateMode(rawValue: "single_que") == .singleQue && CreateMode(rawValue: "bogus") == nil)
    }

    @Test func messageLifecycle() throws {
        let f = try CommandFixture()
        let ops = f.operations
        let id = try f.prep()
        let file = f.root + "/a.txt"
        try "hello\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try ops.attach("test", id, pathname: file, name: nil).get() == "b1946ac92492d2347c6235b4d2611184")
        #expect(ops.attach("test", id, pathname: "rel", name: nil)
            == .failure(.refused("Invalid pathname, must be normalized rel (ie. must start with /")))
        #expect(try ops.message("test", id).get()["_attachments"]?["a.txt"]?["size"] == 6)
        #expect(throws: Never.self) { try ops.deleteAttachment("test", id, name: "a.txt").get() }
        #expect(throws: Never.self) { try ops.commit("test", id).get() }
        #expect(ops.commit("test", id).error == .refused("cannot find message"))
        #expect(try ops.messageStatus("test", id).get()["state"] == "que")
        #expect(throws: Never.self) { try ops.runNow("test", id).get() }
        let store = try #require(f.registry.queue("test"))
        try store.moveToRun(id)
        #expect(ops.runNow("test", id).error == .alreadyRunning)
        #expect(throws: Never.self) { try ops.destroy("test", id).get() }
        f.workers.destroyResult = false
        #expect(ops.destroy("test", id).error == .msgNotFound)
        try store.finish(id, as: .err, jobStatus: "by design")
        #expect(ops.runNow("test", id).error == .notRunnable)
        let clone = try ops.clone("test", id).get()
        #expect(clone != id && clone.hasPrefix("http://127.0.0.1:3333/q/test/"))
        #expect(try ops.messages("test", state: "err").get() == [.string(id)])
        #expect(try ops.ackErrs("test").get() == 1)
        #expect(try ops.state("test", "." + id).get() == .err, "acknowledged errors keep a dot")
        #expect(throws: Never.self) { try ops.delete("test", "." + id).get() }
        #expect(ops.message("test", "." + id) == .failure(.refused("msg not found")))
    }

    @Test func attachInSlicesHashesAcrossTurns() throws {
        let f = try CommandFixture()
        var turns: [() -> Void] = []
        var clock = 0.0
        let ops = QueueOperations(registry: f.registry, workers: f.workers, startTime: 0,
                                  now: { clock += 1; return clock }, later: { turns.append($0) })
        let id = try f.prep()
        let file = f.root + "/big.bin"
        try Data(repeating: 7, count: 3 << 20).write(to: URL(fileURLWithPath: file))
        var result: Result<String, QueueError>?
        ops.attachInSlices("test", id, pathname: file, name: nil) { result = $0 }
        #expect(result == nil && !turns.isEmpty, "a large file is hashed over several loop turns")
        while result == nil, !turns.isEmpty { turns.removeFirst()() }
        #expect(try result?.get().count == 32)
        var refused: Result<String, QueueError>?
        ops.attachInSlices("test", "20231114.2213.20.500.1", pathname: file, name: nil) { refused = $0 }
        #expect(refused == .failure(.refused("cannot find message")))
    }

    private func counts(prep: Int = 0, que: Int = 0) -> MessageCounts {
        var c = MessageCounts()
        (c.prep, c.que) = (prep, que)
        return c
    }
}

extension Result {
    /// The failure, for comparing results whose success type is not Equatable (`Void`).
    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
