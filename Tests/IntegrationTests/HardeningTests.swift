import Foundation
import RQWire
import Testing

/// Edge cases found in review, each through the real server: half-closed clients, upload
/// temp files, messages deleted while held by a coalescing run, and hostile config links.
@Suite struct HardeningTests {
    /// Sends `request`, shuts down the sending side, and reads until the server closes. A client
    /// like `nc -N` does this; it must get its answer.
    static func halfClosedExchange(port: Int, _ request: String) throws -> String {
        let fd = try RawTCP.connect(port: port)
        defer { close(fd) }
        try Rq1TestClient.writeAll(fd, Array(request.utf8))
        shutdown(fd, Int32(SHUT_WR))
        let reply = RawSocket.read(fd, seconds: 10)
        guard reply.closed else { throw FixtureError.failed("no EOF after \(reply.bytes.count) bytes") }
        return String(decoding: reply.bytes, as: UTF8.self)
    }

    @Test func halfClosedHTTPClientGetsItsDurableReply() throws {
        let s = try ServerFixture()
        try s.createQueue("half", paused: true)
        let body = "x_format=json&mesg=" + formEncode(#"{"dest":"half","param1":"p"}"#)
        let request = "POST /q/half/new_message HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        let answer = try Self.halfClosedExchange(port: s.port, request)
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        let json = answer.components(separatedBy: "\r\n\r\n").last ?? ""
        let pair = parseJSON(json) as? [String]
        #expect(pair?.first == "ok", "\(json)")
        if let full = pair?.last {
            #expect(s.workerState("half", shortID(full)) == "que")
        }
        // Two pipelined requests, then EOF: both answered, in order.
        let two = "GET /q/half/config.json HTTP/1.1\r\nHost: x\r\n\r\nGET /q.json HTTP/1.1\r\nHost: x\r\n\r\n"
        let answers = try Self.halfClosedExchange(port: s.port, two)
        #expect(answers.components(separatedBy: "HTTP/1.1 200").count == 3, "\(answers)")
    }

    @Test func halfClosedRq1ClientGetsItsReply() throws {
        let s = try ServerFixture()
        try s.createQueue("half1", paused: true)
        let fd = try Rq1TestClient.connect(path: s.root + "/queue/half1/queue.sock")
        defer { close(fd) }
        try Rq1TestClient.writeAll(fd, Rq1Codec.encode(#"create_message {"dest":"half1"}"#))
        try Rq1TestClient.writeAll(fd, Rq1Codec.encode("ping "))
        shutdown(fd, Int32(SHUT_WR))
        let first = String(decoding: try Rq1TestClient.readFrame(fd), as: UTF8.self)
        let pair = parseJSON(first) as? [String]
        #expect(pair?.first == "ok", "\(first)")
        #expect(String(decoding: try Rq1TestClient.readFrame(fd), as: UTF8.self) == #"["pong"]"#)
        #expect(RawSocket.read(fd, seconds: 10) == ([], true), "the server closes after the last reply")
        if let full = pair?.last { #expect(s.workerState("half1", shortID(full)) == "que") }
    }

    @Test func uploadTempFilesNeverOutliveTheirRequest() throws {
        let s = try ServerFixture()
        try s.createQueue("up", paused: true)
        let payload = s.root + "/payload.bin"
        try Data(repeating: 0x41, count: 300_000).write(to: URL(fileURLWithPath: payload))
        let uploads = s.root + "/tmp/uploads"
        func leftovers() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: uploads)) ?? [] }

        // A route that takes no file, one that does not exist, and a refused attach.
        let created = try s.http("/q/up/new_message", ["-F", "x_format=json", "-F", #"mesg={"dest":"up"}"#, "-F", "stray=@" + payload])
        #expect(created.status == 200, "\(created.body)")
        let missing = try s.http("/no/such/route", ["-F", "stray=@" + payload])
        #expect(missing.status == 404)
        let refused = try s.http("/q/up/0.000000000000.0000/attach/new", ["-F", "filedata=@" + payload])
        #expect(refused.status != 200 || !refused.body.contains("\"ok\""), "\(refused.body)")
        #expect(leftovers().isEmpty, "\(leftovers())")

        // A real attachment stays in the message after its upload copy is gone.
        let prep = try s.postMessage("up", #"{"dest":"up","_method":"prep"}"#)
        guard let full = (parseJSON(prep.body) as? [String])?.last else {
            Issue.record("prep: \(prep.body)")
            return
        }
        let id = shortID(full)
        let attached = try s.http("/q/up/\(id)/attach/new", ["-F", "x_format=json", "-F", "filedata=@" + payload + ";filename=blob"])
        #expect(attached.body.contains("\"ok\""), "\(attached.body)")
        #expect(leftovers().isEmpty, "\(leftovers())")
        let kept = (try? FileManager.default.attributesOfItem(atPath: "\(s.root)/queue/up/prep/\(id)/attach/blob"))?[.size] as? Int
        #expect(kept == 300_000)
    }

    @Test func deletingAMessageHeldByACoalescingRunLeavesNoGhost() throws {
        let s = try ServerFixture()
        try s.createWorkerQueue("ghost", script: WorkerScripts.job, paused: true, extra: ",\"coalesce_params\":[4]")
        let starter = try s.sendWorkerMessage("ghost", ["param1": "slowerr", "param3": "1.5", "param4": "k"])
        let held = try s.sendWorkerMessage("ghost", ["param1": "slowerr", "param3": "1.5", "param4": "k",
                                                      "due": Int(WorkerTests.now()) + 3600])
        try s.resumeQueue("ghost")
        guard WorkerTests.waitUntil(timeout: 5, "starter runs", { s.workerState("ghost", shortID(starter)) == "run" }) else { return }
        let deleted = try s.rq1("queue/ghost/queue.sock", "delete_message {\"msg_id\":\"\(shortID(held))\"}")
        #expect(deleted.hasPrefix("[\"ok\""), "\(deleted)")
        guard WorkerTests.waitUntil(timeout: 8, "starter fails", { s.workerState("ghost", shortID(starter)) == "err" }) else { return }
        usleep(300_000)
        #expect(s.workerState("ghost", shortID(held)) == nil)
        let counts = try s.rq1("queue/ghost/queue.sock", "num_messages ")
        let object = parseJSON(counts) as? [String: Any]
        #expect(object?["que"] as? Int == 0, "\(counts)")
        #expect(object?["err"] as? Int == 1, "\(counts)")
        #expect(!s.logText().contains("cannot start"), "\(s.logText())")
    }

    @Test func queueLinksToDevicesFifosAndHugeFilesAreRefused() throws {
        let s = try ServerFixture()
        let fifo = s.root + "/config.fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        let huge = s.root + "/huge.json"
        try Data(repeating: 0x20, count: 2 << 20).write(to: URL(fileURLWithPath: huge))
        for (path, reason) in [("/dev/zero", "not a regular file"), (fifo, "not a regular file"), (huge, "larger than")] {
            let started = Date()
            let reply = try s.rq1("config/queuemgr.sock", "create_queue_link " + path)
            #expect(reply.hasPrefix("[\"fail\""), "\(path): \(reply)")
            #expect(reply.contains(reason), "\(path): \(reply)")
            #expect(Date().timeIntervalSince(started) < 5)
        }
        #expect(try s.rq1("config/queuemgr.sock", "ping ") == #"["pong"]"#)
    }

    /// Started with a soft limit of 256 descriptors, the server raises it (to the hard limit,
    /// at most 65536) before it opens anything.
    @Test func openFileLimitIsRaisedAtStartUp() throws {
        let s = try ServerFixture()
        s.stop()
        s.launchShellPrefix = "ulimit -Sn 256"
        try s.start()
        guard let pid = s.process?.processIdentifier else { return }
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        guard let line = limits.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") }) else {
            Issue.record("no open files line in \(limits)")
            return
        }
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        let soft = Int(fields[3]) ?? 0
        let hard = Int(fields[4]) ?? Int.max  // "unlimited" does not parse
        #expect(soft == min(hard, 65536), "\(line)")
        #expect(soft > 256)
    }

    /// After a POST answered late (group commit), an idle keep-alive connection gets the 60 s
    /// idle timeout, not the 10 s header timeout it had while the request was in flight.
    @Test func keepAliveConnectionOutlivesTheHeaderTimeoutAfterAPost() throws {
        let s = try ServerFixture()
        try s.createQueue("ka", paused: true)
        let fd = try RawTCP.connect(port: s.port)
        defer { close(fd) }
        let body = "x_format=json&mesg=" + formEncode(#"{"dest":"ka"}"#)
        try Rq1TestClient.writeAll(fd, Array(("POST /q/ka/new_message HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body).utf8))
        let first = RawSocket.read(fd, seconds: 2)
        #expect(String(decoding: first.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        #expect(!first.closed)
        sleep(12)  // longer than the 10 s header timeout
        try Rq1TestClient.writeAll(fd, Array("GET /q/ka/config.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        let second = RawSocket.read(fd, seconds: 5)
        #expect(String(decoding: second.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200"), "connection was closed while idle")
    }

    /// done/ counts are built in loop slices after start-up and stay exact as messages arrive.
    @Test func doneCountsAfterARestartIncludeMessagesPlacedBeforeIt() throws {
        let s = try ServerFixture()
        try s.createQueue("cnt")
        s.stop()
        // 300 done messages spread over 60 minute directories, as an older server left them.
        for i in 0..<300 {
            let minute = String(format: "%02d", i % 60)
            let id = "20261101.10\(minute).00.000.\(100 + i)"
            try FileManager.default.createDirectory(atPath: "\(s.root)/queue/cnt/done/20261101/10/\(minute)/\(id)",
                                                    withIntermediateDirectories: true)
        }
        try s.start()
        func done() -> Int? {
            (parseJSON((try? s.rq1("queue/cnt/queue.sock", "num_messages ")) ?? "") as? [String: Any])?["done"] as? Int
        }
        #expect(done() == 300)
        let sent = try s.rq(["sendmesg", "--dest", "cnt"])  // /bin/true: exits without a status → err
        #expect(sent.status == 0)
        let id = shortID(String(sent.out.dropFirst(3)))
        guard WorkerTests.waitUntil(timeout: 8, "finished", { s.workerState("cnt", id) == "err" }) else { return }
        #expect(done() == 300)
        let deleted = try s.rq1("queue/cnt/queue.sock", #"delete_message {"msg_id":"20261101.1000.00.000.100"}"#)
        #expect(deleted.hasPrefix(#"["ok""#), "\(deleted)")
        #expect(done() == 299)
    }

    /// Bytes that are not UTF-8 in a form, a multipart text field or a query get a 400; they
    /// used to become U+FFFD (a queue named "z\u{FFFD}" could be created that way).
    @Test func formDataThatIsNotUTF8IsRefused() throws {
        let s = try ServerFixture()
        try s.createQueue("utf", paused: true)
        let queues = try FileManager.default.contentsOfDirectory(atPath: s.root + "/queue").sorted()
        // A multipart text part carrying the bytes {"dest":"utf","param1":"\xff"}.
        let part = s.root + "/bad.txt"
        try Data(#"{"dest":"utf","param1":""#.utf8 + [0xFF] + #""}"#.utf8).write(to: URL(fileURLWithPath: part))
        let cases: [(String, [String])] = [
            ("/new_queue", ["--data", "x_format=json&queue%5Bname%5D=z%FF&queue%5Bscript%5D=%2Fbin%2Ftrue"]),
            ("/q/utf/new_message", ["--data", "x_format=json&mesg=%7B%22dest%22%3A%22utf%22%2C%22param1%22%3A%22%C3%22%7D"]),
            ("/q/utf/new_message", ["-F", "x_format=json", "-F", "mesg=<" + part]),
            ("/q/utf.json?x_format=%FF", []),
        ]
        for (path, args) in cases {
            let r = try s.http(path, args)
            #expect(r.status == 400, "\(path): \(r.status) \(r.body)")
            #expect(r.body.contains("not valid UTF-8"), "\(path): \(r.body)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.root + "/queue").sorted() == queues)
        let counts = parseJSON(try s.rq1("queue/utf/queue.sock", "num_messages ")) as? [String: Any]
        #expect(counts?["que"] as? Int == 0 && counts?["prep"] as? Int == 0)
    }
}
