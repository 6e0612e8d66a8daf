import Foundation
import Testing
@testable import RQServer
import RQStore

/// The typed manager operations on their own.
@Suite struct ManagerOperationsTests {
    @Test func adminChangesAndRestart() throws {
        let f = try CommandFixture()
        let ops = f.managerOperations
        #expect(throws: Never.self) { try ops.change(.down, queue: "test").get() }
        #expect(try f.operations.status("test").get() == .down)
        #expect(throws: Never.self) { try ops.change(.up, queue: "test").get() }
        #expect(throws: Never.self) { try ops.change(.pause, queue: "test").get() }
        #expect(try f.operations.status("test").get() == .pause)
        #expect(ops.change(.resume, queue: "nope").error == .refused("invalid queue name"))
        #expect(throws: Never.self) { try ops.restart(queue: "test").get() }
        #expect(ops.restart(queue: "../x").error == .refused("invalid queue name"))
        #expect(f.workers.kicked.filter { $0 == "test" }.count >= 4)
    }

    @Test func createAndDelete() throws {
        let f = try CommandFixture()
        let ops = f.managerOperations
        #expect(try ops.createQueue(["name": "q2", "script": "./s.sh"]).get() == "q2")
        #expect(ops.queues.contains("q2"))
        #expect(ops.createQueue(["name": "q2", "script": "./s.sh"]) == .failure(.refused("already created")))
        #expect(ops.createQueue(["name": "a b", "script": "./s.sh"]) == .failure(.refused("queue name has invalid characters")))
        #expect(ops.createQueue(["name": "q3"]) == .failure(.refused("json config is missing script field")))
        #expect(throws: Never.self) { try ops.deleteQueue("q2").get() }
        #expect(ops.deleteQueue("q2").error == .noSuchQueue)
        #expect(f.workers.removed == ["q2"])
    }
}
