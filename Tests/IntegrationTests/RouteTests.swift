import Foundation
import Testing

/// HTTP routes of spec rest.md §3.3–3.5 and the HTTP protocol features of §3.1, through the
/// real server: exact status codes, headers and bodies.
@Suite struct RouteTests {
    // MARK: queue-level routes

    @Test func newQueueLinkCreatesASymlinkedQueue() throws {
        let s = try ServerFixture()
        let file = s.root + "/linked.json"
        try #"{"name":"linkq","script":"/bin/true","num_workers":1,"exec_prefix":""}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let jar = s.root + "/cookies"
        let r = try s.fetch("/new_queue_link", ["-c", jar, "-b", jar, "--data-urlencode", "queue[json_path]=linked.json"])
        #expect(r.status == 303)
        #expect(r.header("Location") == s.baseURL + "/q/linkq")
        let link = s.root + "/queue/linkq/config.json"
        let kind = try FileManager.default.attributesOfItem(atPath: link)[.type] as? FileAttributeType
        #expect(kind == .typeSymbolicLink)
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: link)
        #expect(URL(fileURLWithPath: target).resolvingSymlinksInPath().path == URL(fileURLWithPath: file).resolvingSymlinksInPath().path)
        let page = try s.http("/q/linkq", ["-c", jar, "-b", jar])
        #expect(page.status == 200)
        #expect(page.body.contains("queue created"))
        #expect((parseJSON(try s.http("/q.json").body) as? [String])?.contains("linkq") == true)
        #expect(try s.rq1("queue/linkq/queue.sock", "ping ") == #"["pong"]"#)
        // A file that is not JSON (and one that does not exist): 404, nothing created.
        try "not json at all".write(toFile: s.root + "/plain.txt", atomically: true, encoding: .utf8)
        #expect(try s.http("/new_queue_link", ["--data-urlencode", "queue[json_path]=plain.txt"]).status == 404)
        #expect(try s.http("/new_queue_link", ["--data-urlencode", "queue[json_path]=missing.json"]).status == 404)
    }

    @Test func deleteQueueRenamesItAndClosesItsSocket() throws {
        let s = try ServerFixture()
        try s.createQueue("gone")
        #expect(try s.rq1("queue/gone/queue.sock", "ping ") == #"["pong"]"#)
        let r = try s.fetch("/delete_queue", ["--data", "queue_name=gone"])
        #expect(r.status == 303)
        #expect(r.header("Location") == s.baseURL + "/")
        let entries = try FileManager.default.contentsOfDirectory(atPath: s.root + "/queue")
        #expect(!entries.contains("gone"))
        let renamed = entries.filter { $0.hasPrefix("gone.deleted.") }
        #expect(renamed.count == 1)
        #expect(renamed.allSatisfy { UInt64($0.dropFirst("gone.deleted.".count)) != nil })
        #expect((parseJSON(try s.http("/q.json").body) as? [String])?.contains("gone") == false)
        #expect(!FileManager.default.fileExists(atPath: s.root + "/queue/gone/queue.sock"))
        // Nobody answers on the socket any more, whichever path reaches it.
        for dir in ["gone"] + renamed {
            #expect(throws: (any Error).self) { try s.rq1("queue/\(dir)/queue.sock", "ping ") }
        }
        #expect(try s.http("/q/gone.json").status == 404)
    }

    @Test func queueStatusJSONAndConfigRoutes() throws {
        let s = try ServerFixture()
        try s.createQueue("info", paused: true)
        for _ in 0..<2 { _ = try s.postMessage("info", #"{"dest":"info"}"#) }
        let status = try s.http("/q/info.json")
        #expect(status.status == 200)
        let object = parseJSON(status.body) as? [String: Any] ?? [:]
        #expect(Set(object.keys) == ["status", "uptime", "prep_size", "que_size", "run_size", "done_size", "err_size", "relayed_size"])
        #expect(object["status"] as? String == "PAUSE")
        for key in ["uptime", "prep_size", "que_size", "run_size", "done_size", "err_size", "relayed_size"] {
            #expect(object[key] is Int, "\(key) is \(String(describing: object[key]))")
        }
        #expect(object["que_size"] as? Int == 2)
        #expect(object["done_size"] as? Int == 0)

        let live = try s.http("/q/info/config")
        #expect(live.status == 200)
        let config = parseJSON(live.body) as? [String: Any] ?? [:]
        #expect(config["name"] as? String == "info")
        #expect(config["script"] as? String == "/bin/true")
        #expect(config["num_workers"] as? Int == 1)
        #expect(config["exec_prefix"] as? String == "")
        #expect((config["env_vars"] as? [String: Any])?.isEmpty == true)
        #expect(config["coalesce_params"] as? [Int] == [])
        #expect(config["blocking_params"] as? [Int] == [])

        let file = try s.fetch("/q/info/config.json")
        #expect(file.status == 200)
        #expect(file.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(file.body == (try String(contentsOfFile: s.root + "/queue/info/config.json", encoding: .utf8)))
        #expect(try s.http("/q/nosuch/config.json").status == 404)
        #expect(try s.http("/q/nosuch/config").status == 404)

        #expect(try s.rq1("config/queuemgr.sock", "down_queue info") == #"["ok","info"]"#)
        #expect(try s.http("/q/info.json").body == "{\"status\":\"DOWN\"\n}\n")
    }

    @Test func sighupReloadsTheLiveConfig() throws {
        let s = try ServerFixture()
        try s.createQueue("hup")
        #expect((parseJSON(try s.http("/q/hup/config").body) as? [String: Any])?["num_workers"] as? Int == 1)
        try #"{"name":"hup","script":"/bin/true","num_workers":3,"exec_prefix":""}"#
            .write(toFile: s.root + "/queue/hup/config.json", atomically: true, encoding: .utf8)
        let pidText = try String(contentsOfFile: s.root + "/queue/hup/queue.pid", encoding: .utf8)
        let pid = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, SIGHUP) == 0)
        let deadline = Date().addingTimeInterval(1)
        var workers: Int?
        repeat {
            workers = (parseJSON(try s.http("/q/hup/config").body) as? [String: Any])?["num_workers"] as? Int
            if workers == 3 { break }
            usleep(20_000)
        } while Date() < deadline
        #expect(workers == 3)
        #expect(s.process?.isRunning == true)
    }

    @Test func doneJSONListsNewestFirst() throws {
        let s = try ServerFixture()
        try s.createQueue("dn", paused: true)
        // Twelve done messages made by hand, spread over days, hours and minutes.
        var ids: [String] = []
        for i in 0..<12 {
            let id = String(format: "202401%02ld.%02ld%02ld.22.123.%ld", 1 + i % 3, 10 + i % 5, 7 + i, 500 + i)
            try writeMessage(s, queue: "dn", state: "done", id: id)
            ids.append(id)
        }
        let newest = ids.sorted(by: >)
        let two = try s.http("/q/dn/done.json?limit=2")
        #expect(two.status == 200)
        #expect(parseJSON(two.body) as? [String] == Array(newest.prefix(2)))
        #expect(parseJSON(try s.http("/q/dn/done.json").body) as? [String] == Array(newest.prefix(10)))
        #expect(try s.http("/q/nosuch/done.json").status == 404)
    }

    @Test func ackErrsHidesErrMessages() throws {
        let s = try ServerFixture()
        try s.createQueue("ae", paused: true)
        let ids = ["20240105.1307.22.123.901", "20240105.1308.22.123.902"]
        for id in ids { try writeMessage(s, queue: "ae", state: "err", id: id) }
        #expect(try s.http("/q/ae.txt").body.contains("\nerr: 2\n"))
        let r = try s.fetch("/q/ae/ack_errs", ["--data", "back=/q/ae"])
        #expect(r.status == 303)
        #expect(r.header("Location") == s.baseURL + "/q/ae")
        let entries = try FileManager.default.contentsOfDirectory(atPath: s.root + "/queue/ae/err")
        #expect(Set(entries) == Set(ids.map { "." + $0 }))
        #expect(try s.http("/q/ae.txt").body.contains("\nerr: 0\n"))
        // Acknowledged errors stay addressable as `.<id>`.
        #expect(try s.messageJSON("ae", "." + ids[0])?["state"] as? String == "err")
    }

    // MARK: message-level routes

    @Test func attachmentUploadDownloadRangeAndDelete() throws {
        let s = try ServerFixture()
        try s.createQueue("att", paused: true)
        let id = try prepMessage(s, "att")
        let file = s.root + "/blob.bin"
        let bytes = Data((0..<5000).map { UInt8(($0 * 31 + 7) % 256) })
        try bytes.write(to: URL(fileURLWithPath: file))
        let md5 = try Command.run("/usr/bin/md5sum", [file]).stdout.prefix(32)
        let up = try s.http("/q/att/\(id)/attach/new", ["-F", "x_format=json", "-F", "filedata=@\(file)"])
        #expect(up.status == 200)
        #expect(up.body == "[\"ok\",\"\(md5)-Attached successfully\"]")

        let path = "/q/att/\(id)/attach/blob.bin"
        let out = s.root + "/download.bin"
        let full = try s.fetch(path, ["-o", out])
        #expect(full.status == 200)
        #expect(full.header("Content-Length") == "5000")
        #expect(full.header("Content-Type") == "application/octet-stream")
        #expect(FileManager.default.contents(atPath: out) == bytes)

        let part = try s.fetch(path, ["-H", "Range: bytes=0-9", "-o", out])
        #expect(part.status == 206)
        #expect(part.header("Content-Range") == "bytes 0-9/5000")
        #expect(FileManager.default.contents(atPath: out) == bytes.prefix(10))

        let suffix = try s.fetch(path, ["-H", "Range: bytes=-5", "-o", out])
        #expect(suffix.status == 206)
        #expect(suffix.header("Content-Range") == "bytes 4995-4999/5000")
        #expect(FileManager.default.contents(atPath: out) == bytes.suffix(5))
        let clamped = try s.fetch(path, ["-H", "Range: bytes=4990-99999", "-o", out])
        #expect(clamped.status == 206)
        #expect(clamped.header("Content-Range") == "bytes 4990-4999/5000")
        #expect(FileManager.default.contents(atPath: out) == bytes.suffix(10))

        let beyond = try s.fetch(path, ["-H", "Range: bytes=5000-"])
        #expect(beyond.status == 416)
        #expect(beyond.header("Content-Range") == "bytes */5000")

        let lastModified = try #require(full.header("Last-Modified"))
        let cached = try s.fetch(path, ["-H", "If-Modified-Since: \(lastModified)"])
        #expect(cached.status == 304)
        #expect(cached.body.isEmpty)

        let deleted = try s.http(path, ["--data", "_method=delete&x_format=json"])
        #expect(deleted.status == 200)
        #expect(deleted.body == #"["ok","Attachment deleted successfully"]"#)
        #expect(try s.http(path).status == 404)
    }

    @Test func uploadToAMessageNotInPrepLeavesNothingBehind() throws {
        let s = try ServerFixture()
        try s.createQueue("np", paused: true)
        let reply = parseJSON(try s.postMessage("np", #"{"dest":"np"}"#).body) as? [String]
        let id = shortID(reply?.last ?? "")
        let file = s.root + "/late.txt"
        try "too late".write(toFile: file, atomically: true, encoding: .utf8)
        let up = try s.http("/q/np/\(id)/attach/new", ["-F", "x_format=json", "-F", "filedata=@\(file)"])
        #expect(up.body == #"["fail","cannot find message"]"#)
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.root + "/tmp/uploads").isEmpty)
        #expect(try s.messageJSON("np", id)?["_attachments"] == nil)
    }

    @Test func messagePostDeleteRedirectsWithFlash() throws {
        let s = try ServerFixture()
        try s.createQueue("md", paused: true)
        let reply = parseJSON(try s.postMessage("md", #"{"dest":"md"}"#).body) as? [String]
        let id = shortID(reply?.last ?? "")
        let bad = try s.http("/q/md/\(id)", ["--data", "_method=zap"])
        #expect(bad.status == 400)
        #expect(bad.body == "400 - Invalid method param")
        #expect(try s.messageJSON("md", id)?["state"] as? String == "que")

        let jar = s.root + "/cookies"
        let r = try s.fetch("/q/md/\(id)", ["-c", jar, "-b", jar, "--data", "_method=delete"])
        #expect(r.status == 303)
        #expect(r.header("Location") == s.baseURL + "/q/md")
        let page = try s.http("/q/md", ["-c", jar, "-b", jar])
        #expect(page.body.contains("Message deleted successfully"))
        #expect(try s.http("/q/md/\(id).json").status == 404)
        // The flash shows once.
        #expect(!(try s.http("/q/md", ["-c", jar, "-b", jar]).body.contains("Message deleted successfully")))
    }

    // MARK: HTTP protocol

    @Test func keepAliveReusesOneConnection() throws {
        let s = try ServerFixture()
        let r = try s.curl(["-o", "/dev/null", "-o", "/dev/null", "-w", "%{num_connects} %{http_code}\n",
                            s.baseURL + "/q.json", s.baseURL + "/q.txt"])
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: " ") }
        #expect(lines.count == 2)
        #expect(lines.compactMap { Int($0.first ?? "") }.reduce(0, +) == 1)
        #expect(lines.map { $0.last.map(String.init) } == ["200", "200"])
    }

    @Test func http10RequestsWork() throws {
        let s = try ServerFixture()
        try s.createQueue("old", paused: true)
        let list = try s.http("/q.json", ["-0"])
        #expect(list.status == 200)
        #expect((parseJSON(list.body) as? [String])?.contains("old") == true)
        let post = try s.http("/q/old/new_message", ["-0", "--data", "mesg=" + formEncode(#"{"dest":"old"}"#)])
        #expect(post.status == 200)
        #expect((parseJSON(post.body) as? [String])?.first == "ok")
        // HTTP/1.0 without keep-alive: one connection per request.
        let r = try s.curl(["-0", "-o", "/dev/null", "-o", "/dev/null", "-w", "%{num_connects}\n",
                            s.baseURL + "/q.json", s.baseURL + "/q.txt"])
        #expect(r.stdout.split(separator: "\n").compactMap { Int($0) }.reduce(0, +) == 2)
    }

    @Test func chunkedRequestBody() throws {
        let s = try ServerFixture()
        try s.createQueue("ch", paused: true)
        let file = s.root + "/body.txt"
        try ("x_format=json&mesg=" + formEncode(#"{"dest":"ch","param1":"chunky"}"#))
            .write(toFile: file, atomically: true, encoding: .utf8)
        let r = try s.http("/q/ch/new_message", ["-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file])
        #expect(r.status == 200)
        let reply = parseJSON(r.body) as? [String]
        #expect(reply?.first == "ok")
        #expect(try s.messageJSON("ch", shortID(reply?.last ?? ""))?["param1"] as? String == "chunky")
    }

    @Test func expectContinue() throws {
        let s = try ServerFixture()
        try s.createQueue("ex", paused: true)
        // curl asks for 100-continue by itself for an upload over 1 MiB.
        let id = try prepMessage(s, "ex")
        let file = s.root + "/big.bin"
        try Data((0..<1_500_000).map { UInt8(($0 * 13) % 251) }).write(to: URL(fileURLWithPath: file))
        let md5 = try Command.run("/usr/bin/md5sum", [file]).stdout.prefix(32)
        let up = try s.fetch("/q/ex/\(id)/attach/new", ["-F", "x_format=json", "-F", "filedata=@\(file)"])
        #expect(up.statusLines.first?.contains(" 100") == true, "\(up.statusLines)")
        #expect(up.status == 200)
        #expect(up.body == "[\"ok\",\"\(md5)-Attached successfully\"]")
        // Forced on a small form.
        let small = try s.fetch("/q/ex/new_message", ["-H", "Expect: 100-continue",
                                                      "--data", "mesg=" + formEncode(#"{"dest":"ex"}"#)])
        #expect(small.statusLines.first?.contains(" 100") == true, "\(small.statusLines)")
        #expect(small.status == 200)
        #expect((parseJSON(small.body) as? [String])?.first == "ok")
        // Any other expectation cannot be met.
        let other = try s.fetch("/q/ex/new_message", ["-H", "Expect: something-else",
                                                      "--data", "mesg=" + formEncode(#"{"dest":"ex"}"#)])
        #expect(other.status == 417)
        #expect(try s.http("/q/ex.txt").body.contains("que: 1\n"))
    }

    @Test func putIs405AndHeadHasNoBody() throws {
        let s = try ServerFixture()
        let put = try s.http("/q.json", ["-X", "PUT", "--data", "x=1"])
        #expect(put.status == 405)
        #expect((parseJSON(put.body) as? [String: Any])?["error"] is String)
        let head = try RawHTTPClient.exchange(port: s.port, "HEAD / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        let (statusLine, rest) = splitHead(head)
        #expect(statusLine.hasPrefix("HTTP/1.1 200") || statusLine.hasPrefix("HTTP/1.0 200"), "\(statusLine)")
        #expect(rest.isEmpty, "HEAD answered with a \(rest.count)-byte body")
    }

    // MARK: configuration: basic auth and relative root

    @Test func basicAuthGuardsEveryRoute() throws {
        let s = try ServerFixture()
        let server = try ReconfiguredServer(s) {
            $0["basic_auth"] = ["realm": "RQ test realm", "users": ["ops": "s3cret"]]
        }
        defer { server.stop() }
        let none = try s.fetch("/q.json")
        #expect(none.status == 401)
        #expect(none.header("WWW-Authenticate") == "Basic realm=\"RQ test realm\"")
        let good = try s.http("/q.json", ["-u", "ops:s3cret"])
        #expect(good.status == 200)
        #expect((parseJSON(good.body) as? [String])?.contains("relay") == true)
        #expect(try s.http("/q.json", ["-u", "ops:wrong"]).status == 401)
        #expect(try s.http("/q.json", ["-u", "nobody:s3cret"]).status == 401)
        #expect(try s.http("/", ["-u", "ops:s3cret"]).body.contains("QUEUE MGR is OPERATIONAL"))
    }

    @Test func allowedIPsRefuseOtherClients() throws {
        let s = try ServerFixture()
        let refusing = try ReconfiguredServer(s) { $0["allowed_ips"] = ["10.9.8.7"] }
        let refused = try s.fetch("/q.json")
        #expect(refused.status == 403)
        #expect(refused.body.contains("Forbidden"))
        refusing.stop()
        let admitting = try ReconfiguredServer(s) { $0["allowed_ips"] = ["10.9.8.7", "127.0.0"] }
        defer { admitting.stop() }
        #expect(try s.http("/q.json").status == 200)
    }

    @Test func relativeRootPrefixesRoutesAndIds() throws {
        let s = try ServerFixture()
        try s.createQueue("rr", paused: true)
        let server = try ReconfiguredServer(s) { $0["relative_root"] = "/therq/" }
        defer { server.stop() }
        let list = try s.http("/therq/q.json")
        #expect(list.status == 200)
        #expect((parseJSON(list.body) as? [String])?.contains("rr") == true)
        let outside = try s.fetch("/q.json")
        #expect(outside.status == 404)
        #expect(outside.body == "Not Found: /q.json")
        #expect(outside.header("Content-Type")?.hasPrefix("text/plain") == true)
        let created = try s.http("/therq/q/rr/new_message", ["--data", "x_format=json&mesg=" + formEncode(#"{"dest":"rr"}"#)])
        let reply = parseJSON(created.body) as? [String]
        #expect(reply?.first == "ok")
        #expect(reply?.last?.hasPrefix("http://127.0.0.1:\(s.port)/therq/q/rr/") == true, "\(created.body)")
        let oper = try s.fetch("/therq/q/rr/adminoper", ["--data", "resume=1"])
        #expect(oper.status == 303)
        #expect(oper.header("Location") == s.baseURL + "/therq/q/rr")
    }
}

// MARK: helpers

/// One curl exchange with the response heads captured (`-D`), for header assertions.
struct HTTPExchange {
    /// Every status line received, in order (`100 Continue` included).
    let statusLines: [String]
    /// Headers of the final response, names lower-cased.
    let headers: [String: String]
    let body: String
    var status: Int {
        statusLines.last.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
    }
    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

extension ServerFixture {
    func fetch(_ path: String, _ args: [String] = []) throws -> HTTPExchange {
        let headFile = root + "/head-\(UUID().uuidString.prefix(8)).txt"
        defer { try? FileManager.default.removeItem(atPath: headFile) }
        let r = try curl(args + ["-D", headFile, baseURL + path])
        let head = (try? String(contentsOfFile: headFile, encoding: .utf8)) ?? ""
        var statusLines: [String] = []
        var headers: [String: String] = [:]
        for line in head.components(separatedBy: "\r\n") where !line.isEmpty {
            if line.hasPrefix("HTTP/") {
                statusLines.append(line)
                headers = [:]
            } else if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return HTTPExchange(statusLines: statusLines, headers: headers, body: r.stdout)
    }
}

/// A message made by hand in `state` (hash dirs for done/relayed), as an operator would.
private func writeMessage(_ s: ServerFixture, queue: String, state: String, id: String) throws {
    let digits = Array(id)
    let hashed = "\(String(digits[0..<8]))/\(String(digits[9..<11]))/\(String(digits[11..<13]))/"
    let dir = "\(s.root)/queue/\(queue)/\(state)/\(["done", "relayed"].contains(state) ? hashed : "")\(id)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let msg = #"{"msg_id":"\#(id)","dest":"\#(queue)","orig_msg_id":"http://127.0.0.1:\#(s.port)/q/\#(queue)/\#(id)","count":1,"max_count":15,"due":1704460042}"#
    try msg.write(toFile: dir + "/msg", atomically: true, encoding: .utf8)
}

/// A message in prep, created over HTTP; returns its short id.
private func prepMessage(_ s: ServerFixture, _ queue: String) throws -> String {
    let reply = parseJSON(try s.postMessage(queue, "{\"dest\":\"\(queue)\",\"_method\":\"prep\"}").body) as? [String]
    guard reply?.first == "ok", let full = reply?.last else { throw FixtureError.failed("prep: \(String(describing: reply))") }
    return shortID(full)
}

/// Status line and whatever followed the header block.
private func splitHead(_ bytes: [UInt8]) -> (statusLine: String, body: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let statusLine = text.components(separatedBy: "\r\n").first ?? ""
    let terminator: [UInt8] = [13, 10, 13, 10]
    guard bytes.count >= 4, let end = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == terminator }) else {
        return (statusLine, [])
    }
    return (statusLine, Array(bytes[(end + 4)...]))
}

/// The fixture's root served again after a config.json change. `ServerFixture.start()` waits
/// for `GET /` to answer 200, which basic auth and a relative root rightly refuse, so this
/// waits for any HTTP answer instead.
final class ReconfiguredServer {
    private let process = Process()

    init(_ s: ServerFixture, change: (inout [String: Any]) -> Void) throws {
        s.stop()
        let path = s.root + "/config/config.json"
        var config = (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))) as? [String: Any] ?? [:]
        change(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
        process.executableURL = URL(fileURLWithPath: Binaries.server)
        process.arguments = ["run", "--root", s.root]
        process.currentDirectoryURL = URL(fileURLWithPath: s.root)
        let log = FileHandle(forWritingAtPath: s.root + "/log/test-server.log")
        log?.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            guard process.isRunning else { throw FixtureError.failed("server exited: \(s.logText())") }
            if let r = try? s.curl(["-o", "/dev/null", "-w", "%{http_code}", s.baseURL + "/"]), r.stdout != "000",
               FileManager.default.fileExists(atPath: s.root + "/config/queuemgr.sock") {
                return
            }
            usleep(50_000)
        }
        stop()
        throw FixtureError.failed("server did not come up: \(s.logText())")
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}
