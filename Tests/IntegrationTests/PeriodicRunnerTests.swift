import Foundation
import Testing

/// The cleaner and the router, in-loop runners of the real server, and a fresh install.
@Suite struct PeriodicRunnerTests {
    static func status(_ s: ServerFixture, _ fullID: String) throws -> String {
        try s.rq(["statusmesg", "--msg_id", fullID]).stdout
    }

    /// Posts to `queue` over HTTP and returns the new full id.
    static func post(_ s: ServerFixture, _ queue: String, _ mesg: String) throws -> String {
        let reply = try #require(parseJSON(try s.postMessage(queue, mesg).body) as? [String])
        try #require(reply.first == "ok", "\(reply)")
        return reply[1]
    }

    /// Hand-placed message directories (`msg` only), as an older server or a restore leaves them.
    static func place(_ root: String, queue: String, state: String, ageDays: Double, count: Int, acked: Bool = false) throws -> [String] {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd.HHmm.ss.SSS"
        var paths: [String] = []
        for index in 0..<count {
            let time = Date().addingTimeInterval(-ageDays * 86_400 - Double(index * 61))
            let id = formatter.string(from: time) + ".\(500_000 + index)"
            let relative: String
            if state == "done" || state == "relayed" {
                let day = String(id.prefix(8)), hour = String(id.dropFirst(9).prefix(2)), minute = String(id.dropFirst(11).prefix(2))
                relative = "\(state)/\(day)/\(hour)/\(minute)/\(id)"
            } else {
                relative = "\(state)/\(acked ? "." : "")\(id)"
            }
            let path = root + "/queue/\(queue)/" + relative
            try PeriodicTests.write(#"{"dest":"\#(queue)","msg_id":"\#(id)"}"#, path + "/msg")
            paths.append(path)
        }
        return paths
    }

    /// `rq-server run --install` on an empty root: every default queue is UP, even once a
    /// message makes it try to start work (a queue without a runner or script would turn
    /// SCRIPTERROR then).
    @Test func freshRunInstallHasEveryDefaultQueueUp() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rq-fresh-\(UUID().uuidString.prefix(8))").path
        let port = try FreePort.find()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binaries.server)
        process.arguments = ["run", "--root", root, "--install", "--port", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)"
        let curl = { (args: [String]) throws -> String in try Command.run("/usr/bin/curl", ["-s", "--max-time", "20"] + args).stdout }
        try WorkerTests.waitUntil(timeout: 20, "the server serving") { try curl([base + "/"]).contains("QUEUE MGR is OPERATIONAL") }
        let names = ["relay", "cleaner", "webhook", "debug", "rq_router"]
        for name in names {
            let mesg = formEncode(#"{"dest":"\#(name)","param1":"nosuch"}"#)
            #expect(try curl(["--data", "x_format=json&mesg=" + mesg, base + "/q/\(name)/new_message"]).hasPrefix(#"["ok""#))
        }
        usleep(300_000)
        for name in names {
            let status = parseJSON(try curl([base + "/q/\(name).json"])) as? [String: Any]
            #expect(status?["status"] as? String == "UP", "\(name): \(String(describing: status))")
        }
        // The installed daily timer's first run is a day away: only our bad message ran.
        try WorkerTests.waitUntil(timeout: 20, "the cleaner's bad request in err") {
            (parseJSON(try curl([base + "/q/cleaner.json"])) as? [String: Any])?["err_size"] as? Int == 1
        }
        #expect((parseJSON(try curl([base + "/q/cleaner.json"])) as? [String: Any])?["done_size"] as? Int == 0)
    }

    @Test func cleanerRemovesOldMessagesOnlyAndKeepsCountsRight() throws {
        var old: [String] = [], recent: [String] = [], unacked: [String] = [], acked: [String] = []
        let s = try PeriodicTests.server { root in
            try PeriodicTests.write(#"{"name":"keep","script":"/bin/true","num_workers":1,"exec_prefix":""}"#, root + "/queue/keep/config.json")
            old = try Self.place(root, queue: "keep", state: "done", ageDays: 10, count: 40)
                + Self.place(root, queue: "keep", state: "relayed", ageDays: 5, count: 5)
            recent = try Self.place(root, queue: "keep", state: "done", ageDays: 0.5, count: 3)
            unacked = try Self.place(root, queue: "keep", state: "err", ageDays: 10, count: 2)
            acked = try Self.place(root, queue: "keep", state: "err", ageDays: 10, count: 2, acked: true)
        }
        let id = try Self.post(s, "cleaner", #"{"dest":"cleaner","param1":"keep","param2":"3"}"#)
        try WorkerTests.waitUntil(timeout: 20, "the cleaner done") { try Self.status(s, id).hasPrefix("ok done") }
        #expect(try Self.status(s, id) == "ok done - removed 47 old message(s) from 1 queue(s)\n")
        for path in old + acked { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
        for path in recent + unacked { #expect(FileManager.default.fileExists(atPath: path), "\(path)") }
        let counts = parseJSON(try s.http("/q/keep.json").body) as? [String: Any]
        #expect(counts?["done_size"] as? Int == 3)
        #expect(counts?["relayed_size"] as? Int == 0)
        let log = try s.http("/q/cleaner/\(shortID(id))/log/stdio.log").body
        #expect(log.contains("status: keep: removed 40 done, 5 relayed, 0 prep, 2 acknowledged err"))

        let bad = try Self.post(s, "cleaner", #"{"dest":"cleaner","param1":"nosuch"}"#)
        try WorkerTests.waitUntil(timeout: 20, "the bad request in err") { try Self.status(s, bad).hasPrefix("ok err") }
        #expect(try Self.status(s, bad) == "ok err - the specified queue nosuch does not exist\n")
    }

    @Test func routerForwardsByRulesAndExplainsBadFiles() throws {
        let s = try PeriodicTests.server { root in
            try PeriodicTests.write("""
            [{"desc": "images", "match": {"dest": "^images$"}, "dest": "imgq", "log": true},
             {"desc": "both", "match": {"param1": "^both$"}, "dest": ["qa", "qb"]},
             {"desc": "noise", "match": {"dest": "^noise"}, "action": "done"}]
            """, root + "/config/rq_router_rules.json")
        }
        for name in ["imgq", "qa", "qb"] { try s.createQueue(name, paused: true) }
        let image = try Self.post(s, "rq_router", #"{"dest":"images","param1":"x"}"#)
        try WorkerTests.waitUntil(timeout: 20, "the image routed") { try Self.status(s, image).hasPrefix("ok done") }
        let copy = try #require(PeriodicTests.entries(s.root + "/queue/imgq/que").first)
        #expect(try Self.status(s, image) == "ok done - DUP to \(s.baseURL)/q/imgq/\(copy)\n")
        #expect(PeriodicTests.queuedParam1(s, "imgq") == ["x"])

        // While the rules file exists, message routes of other queues land in rq_router
        // (rest-api.md §3.1.5), even for a queue that does not exist; relay and cleaner never.
        let diverted = try Self.post(s, "images", #"{"dest":"images","param1":"y"}"#)
        #expect(diverted.contains("/q/rq_router/"))
        try WorkerTests.waitUntil(timeout: 20, "the diverted image routed") { try Self.status(s, diverted).hasPrefix("ok done") }
        #expect(PeriodicTests.queuedParam1(s, "imgq").sorted() == ["x", "y"])
        #expect(try s.http("/q/images/\(shortID(diverted)).json").status == 200)
        #expect(try Self.post(s, "cleaner", #"{"dest":"cleaner","param1":"imgq"}"#).contains("/q/cleaner/"))

        let both = try Self.post(s, "rq_router", #"{"dest":"anything","param1":"both"}"#)
        try WorkerTests.waitUntil(timeout: 20, "both routed") { try Self.status(s, both).hasPrefix("ok done") }
        #expect(try Self.status(s, both) == "ok done - done relay of 2 messages\n")
        #expect(PeriodicTests.queuedParam1(s, "qa") == ["both"])
        #expect(PeriodicTests.queuedParam1(s, "qb") == ["both"])

        let noise = try Self.post(s, "rq_router", #"{"dest":"noise1"}"#)
        let other = try Self.post(s, "rq_router", #"{"dest":"elsewhere","src":"me"}"#)
        try WorkerTests.waitUntil(timeout: 20, "noise and other ended") {
            try Self.status(s, noise).hasPrefix("ok done") && Self.status(s, other).hasPrefix("ok err")
        }
        #expect(try Self.status(s, noise) == "ok done - router processed a done\n")
        #expect(try Self.status(s, other) == "ok err - router processed an err\n")
        let routerLog = try String(contentsOfFile: s.root + "/log/rq_router.log", encoding: .utf8)
        #expect(routerLog.contains(" - images - balance - \(shortID(image)) - "))
        #expect(routerLog.contains(" - default - err - \(shortID(other)) - me"))

        try PeriodicTests.write("not json", s.root + "/config/rq_router_rules.json")
        let broken = try Self.post(s, "rq_router", #"{"dest":"images"}"#)
        try WorkerTests.waitUntil(timeout: 20, "the bad file reported") { try Self.status(s, broken).hasPrefix("ok err") }
        #expect(try Self.status(s, broken) == "ok err - Bad rule file at: \(s.root)/config/rq_router_rules.json\n")
    }
}
