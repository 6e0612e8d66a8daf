import Foundation
import Testing

/// Every malformed request gets a clear error and changes nothing; the server never crashes.
@Suite struct BadInputTests {
    @Test func clearErrorsForBadRequests() throws {
        let s = try ServerFixture()
        try s.createQueue("bi", paused: true)
        #expect(try s.http("/q/nosuch.json").status == 404)
        #expect(try s.postMessage("nosuch", #"{"dest":"x"}"#).status == 404)
        let noDest = try s.postMessage("bi", #"{"src":"x"}"#)
        #expect(noDest.body == #"["fail","input missing required \"dest\" parameter"]"#)
        let notJSON = try s.http("/q/bi/new_message", ["--data", "x_format=json&mesg=not-json"])
        #expect(notJSON.status == 400)
        #expect((parseJSON(notJSON.body) as? [String: Any])?["error"] != nil)
        let badMethod = try s.postMessage("bi", #"{"dest":"bi","_method":"zap"}"#)
        #expect(badMethod.status == 400)
        // Traversal and control characters in paths: 400 before any disk access.
        for path in ["/q/..%2f..%2fetc/passwd.json", "/q/bi/%2e%2e/x.json", "/q/b%00i.json", "/q/bi/x%0ay.json", "/q/bi%2fx/config.json"] {
            let r = try s.http(path, ["--path-as-is"])
            #expect(r.status == 400, "\(path) → \(r.status)")
        }
        #expect(try s.rq1("config/queuemgr.sock", "create_queue {\"name\":\"a/b\",\"script\":\"x\"}") == #"["fail","queue name has invalid characters"]"#)
        #expect(try s.rq1("config/queuemgr.sock", "create_queue not-json") .hasPrefix(#"["fail""#))
        #expect(try s.rq1("queue/bi/queue.sock", "get_message [1,2]").hasPrefix(#"["fail""#))
        #expect(try s.rq1("queue/bi/queue.sock", "frobnicate {}") == #"[ "ERROR" ]"#)
        // Oversized headers → 431; oversized form field → 413.
        let hugeHeader = String(repeating: "a", count: 64 * 1024)
        #expect(try s.http("/", ["-H", "X-Big: \(hugeHeader)"]).status == 431)
        let bigField = s.root + "/big.txt"
        try ("x_format=json&mesg=" + String(repeating: "b", count: 9 << 20)).write(toFile: bigField, atomically: true, encoding: .utf8)
        #expect(try s.http("/q/bi/new_message", ["--data-binary", "@" + bigField]).status == 413)
        #expect(try s.http("/q/bi.txt").body.contains("que: 0"))
    }

    @Test func hostileCorpusNeverCrashesServer() throws {
        let s = try ServerFixture()
        try s.createQueue("hc", paused: true)
        let corpus: [[UInt8]] = [
            Array("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n".utf8),
            Array("POST /q/hc/new_message HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".utf8),
            Array("GARBAGE\r\n\r\n".utf8),
            [0, 1, 2, 3, 255, 254, 13, 10, 13, 10],
            Array("GET /\u{0}/ HTTP/1.1\r\n\r\n".utf8),
            Array("POST /q/hc/new_message HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=\r\nContent-Length: 10\r\n\r\n--\r\n--\r\n".utf8),
            Array("POST /q/hc/new_message HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=zz\r\nContent-Length: 30\r\n\r\n--zz\r\nContent-Disposition: form-data\r\n".utf8),
            Array("GET /q/hc/%ff%fe.json HTTP/1.1\r\n\r\n".utf8),
            Array("GET /q/hc/%zz HTTP/1.1\r\n\r\n".utf8),
            Array(("GET /" + String(repeating: "q/", count: 5000) + " HTTP/1.1\r\n\r\n").utf8),
        ]
        for request in corpus {
            try RawTCP.send(port: s.port, bytes: request)
        }
        for payload in ["rq1 0000000x ping ", "xq1 00000005 ping ", "rq1 99999999 ping ", "rq1 00000004 \u{1}\u{2}\u{3}\u{4}", "rq1 00000011 get_message"] {
            try RawUnix.send(path: s.root + "/queue/hc/queue.sock", bytes: Array(payload.utf8))
        }
        #expect(s.process?.isRunning == true)
        #expect(try s.http("/").status == 200)
        #expect(try s.rq1("queue/hc/queue.sock", "ping ") == #"["pong"]"#)
    }
}
