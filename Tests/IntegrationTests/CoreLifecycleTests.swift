import Foundation
import Testing

/// Issue 2 "Done when": the life of a message through the CLI, the sockets and curl.
@Suite struct CoreLifecycleTests {
    @Test func homePageAndQueueListing() throws {
        let s = try ServerFixture()
        let home = try s.http("/")
        #expect(home.status == 200)
        #expect(home.body.contains("QUEUE MGR is OPERATIONAL"))
        let list = try s.http("/q.json")
        let names = parseJSON(list.body) as? [String] ?? []
        for name in ["relay", "cleaner", "webhook", "debug", "rq_router"] { #expect(names.contains(name)) }
        #expect(try s.http("/q.txt").body.contains("q/relay.txt\n"))
        #expect(try s.rq1("config/queuemgr.sock", "ping ") == #"["pong"]"#)
        #expect(try s.rq1("queue/debug/queue.sock", "ping ") == #"["pong"]"#)
    }

    @Test func debugQueueRunsItsBundledScript() throws {
        let s = try ServerFixture()
        let sent = try s.rq(["sendmesg", "--dest", "debug", "--param1", "hello"])
        #expect(sent.status == 0)
        let full = String(sent.out.dropFirst(3))
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, try s.rq(["state", "--msg_id", full]).out != "ok done" { usleep(50_000) }
        #expect(try s.rq(["statusmesg", "--msg_id", full]).out == "ok done - script completed happily")
        let log = try s.http("/q/debug/\(shortID(full))/log/stdio.log")
        #expect(log.body.contains("RQ_PARAM1=hello"))
        #expect(log.body.contains("RQ START"))
    }

    @Test func createQueueOverHTTPShowsNotice() throws {
        let s = try ServerFixture()
        let jar = s.root + "/cookies"
        let r = try s.http("/new_queue", ["-L", "--cookie-jar", jar, "--cookie", jar,
                                          "-F", "queue[name]=webq", "-F", "queue[script]=./x.sh",
                                          "-F", "queue[num_workers]=2", "-F", "queue[exec_prefix]=",
                                          "-F", "queue[coalesce_params][]=1"])
        #expect(r.status == 200)
        #expect(r.body.contains("queue created"))
        let config = parseJSON(try s.http("/q/webq/config.json").body) as? [String: Any]
        #expect(config?["num_workers"] as? Int == 2)
        #expect(config?["exec_prefix"] as? String == "")
        #expect(config?["coalesce_params"] as? [Int] == [1])
        // Refused names land on a page with the reason, never "queue created".
        let bad = try s.http("/new_queue", ["-L", "--cookie-jar", jar, "--cookie", jar, "-F", "queue[name]=bad.que.test", "-F", "queue[script]=./x.sh"])
        #expect(bad.body.contains("queue name has invalid characters"))
        #expect(!bad.body.contains("queue created"))
        // ./x.sh does not exist: the queue reports SCRIPTERROR until it does.
        #expect(try s.rq1("queue/webq/queue.sock", "status ") == #"["SCRIPTERROR"]"#)
    }

    @Test func prepAttachCommitThroughCLI() throws {
        let s = try ServerFixture()
        try s.createQueue("life", paused: true)
        let prep = try s.rq(["prepmesg", "--dest", "life", "--src", "tester", "--param1", "p1"])
        #expect(prep.status == 0)
        #expect(prep.out.hasPrefix("ok http://127.0.0.1:\(s.port)/q/life/"))
        let full = String(prep.out.dropFirst(3))
        let file = s.root + "/attachment.bin"
        try Data((0..<100_000).map { UInt8($0 % 251) }).write(to: URL(fileURLWithPath: file))
        let attach = try s.rq(["attachmesg", "--msg_id", full, "--pathname", file])
        #expect(attach.status == 0)
        #expect(attach.out.hasSuffix("-Attached successfully for Message: \(full) attachment"))
        #expect(try s.rq(["state", "--msg_id", full]).out == "ok prep")
        #expect(try s.rq(["commitmesg", "--msg_id", full]).out == "ok msg commited")
        #expect(try s.rq(["state", "--msg_id", full]).out == "ok que")
        #expect(try s.rq(["statusmesg", "--msg_id", full]).out == "ok que")
        let status = try s.rq(["attachstatusmesg", "--msg_id", full])
        #expect(status.stdout.hasPrefix("ok 1\nattachment.bin "))
        let id = shortID(full)
        #expect(try s.http("/q/life/\(id)/state.json").body == #"["que"]"#)
        let json = try s.messageJSON("life", id)
        #expect(json?["param1"] as? String == "p1")
        #expect(json?["src"] as? String == "tester")
        #expect(json?["count"] as? Int == 0)
        #expect(json?["max_count"] as? Int == 15)
        let download = try s.http("/q/life/\(id)/attach/attachment.bin")
        #expect(download.status == 200)
        #expect(download.body.utf8.count == 100_000 || download.body.count > 0)
        // delete
        #expect(try s.rq1("queue/life/queue.sock", "delete_message {\"msg_id\":\"\(id)\"}") == #"["ok","msg deleted"]"#)
        #expect(try s.rq(["state", "--msg_id", full]).out == "fail msg not found")
        #expect(try s.http("/q/life/\(id).json").status == 404)
    }

    @Test func twoPhaseOverHTTPWithMultipartUpload() throws {
        let s = try ServerFixture()
        try s.createQueue("web2", paused: true)
        let prep = try s.postMessage("web2", #"{"dest":"web2","_method":"prep","param2":"x/y"}"#)
        let reply = parseJSON(prep.body) as? [String]
        #expect(reply?.first == "ok")
        let full = reply?.last ?? ""
        let id = shortID(full)
        let file = s.root + "/upload.dat"
        try Data((0..<300_000).map { UInt8(($0 * 7) % 256) }).write(to: URL(fileURLWithPath: file))
        let md5 = try Command.run("/usr/bin/md5sum", [file]).stdout.prefix(32)
        let up = try s.http("/q/web2/\(id)/attach/new", ["-F", "x_format=json", "-F", "filedata=@\(file)"])
        #expect(up.body == "[\"ok\",\"\(md5)-Attached successfully\"]")
        let commit = try s.http("/q/web2/\(id)", ["--data", "x_format=json&_method=commit&msg_id=\(id)"])
        #expect(commit.body == #"["ok","msg commited"]"#)
        let json = try s.messageJSON("web2", id)
        #expect(json?["state"] as? String == "que")
        let attachments = json?["_attachments"] as? [String: Any]
        let info = attachments?["upload.dat"] as? [String: Any]
        #expect(info?["md5"] as? String == String(md5))
        #expect(info?["size"] as? Int == 300_000)
        // No upload leftovers.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: s.root + "/tmp/uploads")
        #expect(leftovers.isEmpty)
    }

    @Test func cloneOfADoneMessage() throws {
        let s = try ServerFixture()
        try s.createQueue("cl", paused: true)
        // A done message made by hand, as an operator restoring one would.
        let id = "20240105.1307.22.123.777"
        let dir = "\(s.root)/queue/cl/done/20240105/13/07/\(id)"
        try FileManager.default.createDirectory(atPath: dir + "/attach", withIntermediateDirectories: true)
        let msg = #"{"msg_id":"\#(id)","dest":"cl","orig_msg_id":"http://127.0.0.1:\#(s.port)/q/cl/\#(id)","count":3,"max_count":15,"param1":"again","due":1704460042}"#
        try msg.write(toFile: dir + "/msg", atomically: true, encoding: .utf8)
        try "hello".write(toFile: dir + "/attach/a.txt", atomically: true, encoding: .utf8)
        #expect(try s.rq(["state", "--msg_id", "http://127.0.0.1:\(s.port)/q/cl/\(id)"]).out == "ok done")
        let clone = try s.rq(["clone", "--msg_id", "http://127.0.0.1:\(s.port)/q/cl/\(id)"])
        #expect(clone.status == 0)
        let newID = shortID(clone.out)
        let json = try s.messageJSON("cl", newID)
        #expect(json?["cloned_from"] as? String == id)
        #expect(json?["count"] as? Int == 0)
        #expect(json?["param1"] as? String == "again")
        #expect(json?["state"] as? String == "que")
        #expect(((json?["_attachments"] as? [String: Any])?["a.txt"]) != nil)
        #expect(try s.http("/q/cl/done.json").body == "[\"\(id)\"]")
    }

    @Test func pauseAndDown() throws {
        let s = try ServerFixture()
        try s.createQueue("pd")
        #expect(try s.http("/q/pd.txt").body.contains("status: UP"))
        FileManager.default.createFile(atPath: "\(s.root)/config/pd.pause", contents: nil)
        #expect(try s.http("/q/pd.txt").body.contains("status: PAUSE"))
        try FileManager.default.removeItem(atPath: "\(s.root)/config/pd.pause")
        #expect(try s.rq1("queue/pd/queue.sock", "status ") == #"["UP"]"#)
        #expect(try s.rq1("config/queuemgr.sock", "down_queue pd") == #"["ok","pd"]"#)
        #expect(try s.http("/q/pd.txt").body == "\nstatus: DOWN\n\n")
        let refused = try s.postMessage("pd", #"{"dest":"pd"}"#)
        #expect(refused.status == 503)
        let cli = try s.rq(["sendmesg", "--dest", "pd"])
        #expect(cli.out == "fail status: DOWN")
        #expect(cli.status == 1)
        #expect(try s.rq1("queue/pd/queue.sock", "create_message {\"dest\":\"pd\"}") == #"["fail","status: DOWN"]"#)
        #expect(try s.rq1("config/queuemgr.sock", "up_queue pd") == #"["ok","pd"]"#)
        #expect(try s.postMessage("pd", #"{"dest":"pd"}"#).status == 200)
        // Admin oper over HTTP.
        let r = try s.http("/q/pd/adminoper", ["--data", "pause=1&back=/q/pd"])
        #expect(r.status == 303)
        #expect(FileManager.default.fileExists(atPath: "\(s.root)/config/pd.pause"))
    }

    @Test func acknowledgedMessagesSurviveRestart() throws {
        let s = try ServerFixture()
        try s.createQueue("keep", paused: true)
        var ids: [String] = []
        for i in 0..<20 {
            let r = try s.postMessage("keep", "{\"dest\":\"keep\",\"param1\":\"\(i)\"}")
            let reply = parseJSON(r.body) as? [String]
            #expect(reply?.first == "ok")
            ids.append(shortID(reply?.last ?? ""))
        }
        let cli = try s.rq(["sendmesg", "--dest", "keep", "--param1", "cli"])
        ids.append(shortID(cli.out))
        try s.restart(signal: SIGKILL)
        for id in ids {
            #expect(try s.messageJSON("keep", id)?["state"] as? String == "que")
        }
        #expect(try s.http("/q/keep.txt").body.contains("que: 21"))
    }
}
