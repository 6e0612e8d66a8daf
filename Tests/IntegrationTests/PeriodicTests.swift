import Foundation
import Testing

/// Timers, scandir, the cleaner and the router through the real server (spec relay.md).
/// Every server here polls `timers/` and `scandir/` every 0.2 s (`scan_interval`).
@Suite struct PeriodicTests {
    /// A server whose config has a short scan interval; `prepare` runs before it starts.
    static func server(_ prepare: (String) throws -> Void = { _ in }) throws -> ServerFixture {
        let s = try ServerFixture()
        s.stop()
        let path = s.root + "/config/config.json"
        var config = try #require(parseJSON(try String(contentsOfFile: path, encoding: .utf8)) as? [String: Any])
        config["scan_interval"] = 0.2
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
        try prepare(s.root)
        try s.start()
        return s
    }

    static func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path + ".tmp"))
        _ = rename(path + ".tmp", path)
    }

    static func entries(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// param1 of every queued message of `queue`, oldest first.
    static func queuedParam1(_ s: ServerFixture, _ queue: String) -> [String] {
        entries(s.root + "/queue/\(queue)/que").compactMap { id in
            let msg = try? String(contentsOfFile: s.root + "/queue/\(queue)/que/\(id)/msg", encoding: .utf8)
            return (msg.flatMap(parseJSON) as? [String: Any])?["param1"] as? String
        }
    }

    static func queues(_ s: ServerFixture) throws -> [String] {
        (parseJSON(try s.http("/q.json").body) as? [String]) ?? []
    }

    @Test func timersSendEveryPeriodReloadOnChangeAndStopWhenRemoved() throws {
        let s = try Self.server()
        try s.createQueue("tick", paused: true)
        let timer = s.root + "/timers/tick.json"
        try Self.write(#"{"period": 1, "msg": {"dest": "tick", "param1": "a", "src": "clock"}}"#, timer)
        // Due at once, then every second.
        WorkerTests.waitUntil(timeout: 15, "three timer messages") { Self.queuedParam1(s, "tick").count >= 3 }
        #expect(Set(Self.queuedParam1(s, "tick")) == ["a"])
        try Self.write(#"{"period": 1, "msg": {"dest": "tick", "param1": "b"}}"#, timer)
        WorkerTests.waitUntil(timeout: 15, "a message of the changed timer") { Self.queuedParam1(s, "tick").contains("b") }
        try FileManager.default.removeItem(atPath: timer)
        usleep(500_000)
        let stopped = Self.queuedParam1(s, "tick").count
        usleep(1_500_000)
        #expect(Self.queuedParam1(s, "tick").count == stopped, "a removed timer sends nothing more")
        #expect(s.logText().contains("timer tick: removed"))
    }

    @Test func periodsMissedWhileDownAreSentOnceAndThePhaseIsKept() throws {
        let now = Date().timeIntervalSince1970
        let last = now - 5 * 60 - 30   // five periods of 60 s ago, 30 s into the sixth
        let s = try Self.server { root in
            try Self.write(#"{"period": 60, "msg": {"dest": "later", "param1": "x"}}"#, root + "/timers/later.json")
            try Self.write(#"{"later": \#(last)}"#, root + "/timers/.state.json")
            try Self.write(#"{"name":"later","script":"/bin/true","num_workers":1,"exec_prefix":""}"#, root + "/queue/later/config.json")
            _ = FileManager.default.createFile(atPath: root + "/config/later.pause", contents: nil)
        }
        WorkerTests.waitUntil(timeout: 15, "the catch-up message") { Self.queuedParam1(s, "later").count == 1 }
        usleep(1_000_000)
        #expect(Self.queuedParam1(s, "later").count == 1, "missed periods fold into one message")
        #expect(s.logText().contains("timer later: 4 missed period(s) folded into this one"))
        let state = parseJSON(try String(contentsOfFile: s.root + "/timers/.state.json", encoding: .utf8)) as? [String: Double]
        #expect(abs((state?["later"] ?? 0) - (last + 5 * 60)) < 0.001, "the next one is due on the old grid, 30 s from now")
    }

    @Test func badTimerFilesAreLoggedOnceAndSkipped() throws {
        let s = try Self.server()
        try Self.write(#"{"period": 0, "msg": {"dest": "debug"}}"#, s.root + "/timers/zero.json")
        try Self.write(#"{"period": 5}"#, s.root + "/timers/nomsg.json")
        try Self.write(#"{"period": 1, "msg": {"dest": "nosuchqueue"}}"#, s.root + "/timers/lost.json")
        WorkerTests.waitUntil(timeout: 15, "the log lines") {
            s.logText().contains("timer zero: 'period' field too small [0] - SKIPPING")
                && s.logText().contains("timer nomsg: missing 'msg' field - SKIPPING")
                && s.logText().contains("timer lost: could not create message: no such queue nosuchqueue")
        }
        usleep(600_000)
        #expect(s.logText().components(separatedBy: "timer zero: 'period' field too small").count == 2)
        #expect(try s.http("/").status == 200)
    }

    @Test func scandirCreatesReloadsAndDeletesOnlyItsOwnQueues() throws {
        let s = try Self.server()
        let deploy = s.root + "/deploy/sq"
        try Self.write("#!/bin/sh\necho \"done deployed $RQ_PARAM1\" >&3\n", deploy + "/run")
        chmod(deploy + "/run", 0o755)
        try Self.write(#"{"num_workers": 2}"#, deploy + "/config.json")
        #expect(symlink(deploy, s.root + "/scandir/sq") == 0)
        try WorkerTests.waitUntil(timeout: 15, "queue sq") { try Self.queues(s).contains("sq") }
        let reply = try #require(parseJSON(try s.postMessage("sq", #"{"dest":"sq","param1":"p"}"#).body) as? [String])
        let id = reply[1]
        try WorkerTests.waitUntil(timeout: 15, "sq's message done") {
            try s.rq(["statusmesg", "--msg_id", id]).stdout == "ok done - deployed p\n"
        }
        #expect(try s.rq1("queue/sq/queue.sock", "config").contains(#""num_workers":2"#))
        try Self.write(#"{"num_workers": 3}"#, deploy + "/config.json")
        try WorkerTests.waitUntil(timeout: 15, "the reloaded config") {
            try s.rq1("queue/sq/queue.sock", "config").contains(#""num_workers":3"#)
        }
        // A queue made over the web, then declared and undeclared by a link, stays.
        try s.createQueue("webq")
        #expect(symlink(deploy, s.root + "/scandir/webq") == 0)
        WorkerTests.waitUntil(timeout: 15, "webq adopted") { s.logText().contains("scandir webq: config reloaded") }
        unlink(s.root + "/scandir/webq")
        unlink(s.root + "/scandir/sq")
        try WorkerTests.waitUntil(timeout: 15, "sq deleted") { try !Self.queues(s).contains("sq") }
        #expect(Self.entries(s.root + "/queue").contains { $0.hasPrefix("sq.deleted.") }, "its messages are kept")
        WorkerTests.waitUntil(timeout: 15, "webq released") { s.logText().contains("scandir webq: entry gone; the queue was not created by scandir") }
        #expect(try Self.queues(s).contains("webq"))
    }
}
