import Foundation
import Testing
@testable import RQServer
import RQStore

@Suite struct ManagerCommandsTests {
    @Test func simpleCommands() throws {
        let f = try CommandFixture()
        #expect(f.mgr("ping") == #"["pong"]"#)
        #expect(f.mgr("environment") == #"["development"]"#)
        #expect(f.mgr("version") == #"["3.0.0"]"#)
        #expect(f.mgr("uptime") == "[10]")
        #expect(f.mgr("queues") == #"["cleaner","debug","relay","rq_router","webhook","test"]"#)
        #expect(f.mgr("bogus") == #"["error"]"#)
        #expect(f.mgr("") == #"["error"]"#)
    }

    @Test func adminMarkerCommands() throws {
        let f = try CommandFixture()
        #expect(f.mgr("down_queue", "test") == #"["ok","test"]"#)
        #expect(FileManager.default.fileExists(atPath: f.root + "/config/test.down"))
        #expect(f.registry.queue("test")?.status == .down)
        #expect(f.mgr("pause_queue", "test") == #"["ok","test"]"#)
        #expect(f.mgr("up_queue", "test") == #"["ok","test"]"#)
        #expect(f.registry.queue("test")?.status == .pause)
        #expect(f.mgr("resume_queue", "\"test\"") == #"["ok","test"]"#)
        #expect(f.registry.queue("test")?.status == .up)
        #expect(f.mgr("up_queue", "test") == #"["ok","test"]"#)
        #expect(f.mgr("up_queue", "nope") == #"["fail","invalid queue name"]"#)
        #expect(f.mgr("down_queue", "../x") == #"["fail","invalid queue name"]"#)
        #expect(f.mgr("pause_queue", "") == #"["fail","invalid queue name"]"#)
        #expect(f.workers.kicked.contains("test"))
    }

    @Test func restartQueue() throws {
        let f = try CommandFixture()
        #expect(f.mgr("restart_queue", "test") == #"["ok","test"]"#)
        #expect(f.mgr("restart_queue", "nope") == #"["fail","invalid queue name"]"#)
        try "{bad".write(toFile: f.root + "/queue/test/config.json", atomically: true, encoding: .utf8)
        #expect(f.mgr("restart_queue", "test").hasPrefix(#"["fail","could not read queue config [ "#))
    }

    @Test func createQueue() throws {
        let f = try CommandFixture()
        let created = #"["success","queue created - awesome"]"#
        #expect(f.mgr("create_queue", #"{"name":"new1","script":"./s.sh","num_workers":"1","exec_prefix":""}"#) == created)
        #expect(f.registry.contains("new1"))
        #expect(f.workers.kicked == ["new1"])
        #expect(f.mgr("create_queue", #"{"name":"new1","script":"./s.sh"}"#) == #"["fail","already created"]"#)
        #expect(f.mgr("create_queue", #"{"name":"bad que test","script":"./s.sh"}"#) == #"["fail","queue name has invalid characters"]"#)
        #expect(f.mgr("create_queue", #"{"name":"bad.que.test","script":"./s.sh"}"#) == #"["fail","queue name has invalid characters"]"#)
        #expect(f.mgr("create_queue", #"{"name":"bad/que/test","script":"./s.sh"}"#) == #"["fail","queue name has invalid characters"]"#)
        #expect(f.mgr("create_queue", #"{"name":"ok2"}"#) == #"["fail","json config is missing script field"]"#)
        #expect(f.mgr("create_queue", "not json") == #"["fail","json config is not a JSON object"]"#)
        #expect(f.mgr("create_queue", "[1]") == #"["fail","json config is not a JSON object"]"#)
        #expect(f.mgr("create_queue", "") == #"["fail","json config is not a JSON object"]"#)
    }

    @Test func createQueueLink() throws {
        let f = try CommandFixture()
        try FileManager.default.createDirectory(atPath: f.root + "/test", withIntermediateDirectories: true)
        try #"{"name":"linked","script":"./s.sh","num_workers":"1"}"#.write(toFile: f.root + "/test/l.json", atomically: true, encoding: .utf8)
        #expect(f.mgr("create_queue_link", "test/l.json") == #"["success","queue created - awesome"]"#)
        #expect(f.mgr("create_queue_link", "test/l.json") == #"["fail","queue is already running"]"#)
        #expect(f.mgr("create_queue_link", "test/none.json") ==
            #"["fail","could not read queue config [ test/none.json ]: No such file or directory"]"#)
    }

    @Test func deleteQueue() throws {
        let f = try CommandFixture()
        #expect(f.mgr("delete_queue", "test") == #"["ok","started deleting queue"]"#)
        #expect(f.workers.removed == ["test"])
        #expect(!f.registry.contains("test"))
        #expect(f.mgr("delete_queue", "test") == #"["fail","no such queue"]"#)
        #expect(f.mgr("queues") == #"["cleaner","debug","relay","rq_router","webhook"]"#)
    }
}
